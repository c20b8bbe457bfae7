package identity

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"handin/workspace"
)

// TestRosterReachOnRealIdentities measures, on the 25 real histories, how
// many commit identities a roster with names and GitHub logins reaches,
// by rule, against a roster of ids alone. The roster is built here, from
// the histories themselves and the ids of Question 2 (nothing of it is
// kept): each person the merging finds gets the id a rule maps it to, else
// the next id of Question 2 left, most commits first; the fullest name among its identities (two
// words or more: a class list's name is a whole name; none when it has
// none); and the login of its noreply address, if any (the login a student
// gives). Names taken from the history flatter the name rules: the log
// counts apart the identities whose name is the roster's as written.
//
// What it asserts is precision: no identity goes to another student than
// its person's.
func TestRosterReachOnRealIdentities(t *testing.T) {
	type tally map[string]int
	idsOnly, withNames, withLogins := tally{}, tally{}, tally{}
	identities, verbatim, people, rostered, students, placed := 0, 0, 0, 0, 0, 0
	suggested, unreached := tally{}, tally{}
	for _, g := range loadCorpusGroups(t) {
		roster, studentOf := measurementRoster(g)
		students += len(roster)
		placed += len(slices.Compact(slices.Sorted(slices.Values(slices.DeleteFunc(slices.Clone(studentOf), func(id string) bool { return id == "" })))))
		for _, u := range ListUnmapped(History{Commits: g.commits, Roster: roster}) {
			suggested[cmp.Or(u.Basis, "none")]++
		}
		for _, st := range roster {
			if st.Name != "" || st.GitHub != "" {
				rostered++
			}
		}
		base := mergeIdentities(of(g.commits, g.roster, nil))
		names := make([]workspace.Student, len(roster))
		for i, st := range roster {
			names[i] = workspace.Student{ID: st.ID, Name: st.Name}
		}
		for _, run := range []struct {
			roster []workspace.Student
			tally  tally
			last   bool
		}{{names, withNames, false}, {roster, withLogins, true}} {
			m := mergeIdentities(History{Commits: g.commits, Roster: run.roster})
			for i, id := range m.ids {
				if id.bot {
					continue
				}
				rule := reachedBy(m, i)
				run.tally[rule]++
				if run.last && rule == "unreached" {
					unreached[whyUnreached(roster, studentOf[i])]++
				}
				if want := studentOf[i]; rule != "unreached" && m.uf.match(i).id != want {
					t.Errorf("%s: %s goes to %s, its person is %s (%s)", g.name, id.display(), m.uf.match(i).id, want, rule)
				}
				if run.last && rule == ruleRosterName {
					if j := slices.IndexFunc(run.roster, func(st workspace.Student) bool { return RosterID(st.ID) == m.uf.match(i).id }); j >= 0 && run.roster[j].Name == id.name {
						verbatim++
					}
				}
			}
		}
		for i, id := range base.ids {
			if !id.bot {
				identities++
				idsOnly[reachedBy(base, i)]++
			}
		}
		for _, p := range base.people() {
			if !p.bot {
				people++
			}
		}
	}
	reached := func(c tally) int { return identities - c["unreached"] }
	t.Logf("%d identities of %d people (bots excluded); Question 2 names %d students, %d of them given a person, the roster says something of %d",
		identities, people, students, placed, rostered)
	for _, run := range []struct {
		name string
		c    tally
	}{{"ids alone (as groups.csv has them)", idsOnly}, {"ids and names", withNames}, {"ids, names and GitHub logins", withLogins}} {
		t.Logf("%-36s reaches %3d: %s", run.name, reached(run.c), tallyText(run.c))
	}
	t.Logf("of the identities reached by roster-name, %d carry the roster name exactly as written (it was taken from them)", verbatim)
	t.Logf("identities a roster with names and logins leaves unreached, by why: %s", tallyText(unreached))
	t.Logf("identities left to handin authors, by the basis of their suggestion: %s", tallyText(suggested))
	if reached(withNames) < reached(idsOnly) || reached(withLogins) < reached(withNames) {
		t.Errorf("a roster that says more reaches fewer identities: %d, %d, %d", reached(idsOnly), reached(withNames), reached(withLogins))
	}
}

func tallyText(c map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(c)) {
		parts = append(parts, k+" "+strconv.Itoa(c[k]))
	}
	return strings.Join(parts, ", ")
}

// whyUnreached says why the measurement's roster cannot reach an identity
// of the person given the student id id.
func whyUnreached(roster []workspace.Student, id string) string {
	i := slices.IndexFunc(roster, func(st workspace.Student) bool { return st.ID == id })
	switch {
	case id == "":
		return "a person beyond Question 2's ids"
	case i < 0 || roster[i].Name == "" && roster[i].GitHub == "":
		return "the roster says nothing of the student"
	}
	return "the roster's name and login do not fit"
}

// reachedBy is the rule that maps identity i to a student: its own, or
// "merged" when it reaches a student through the identities it was merged
// with; "unreached" when its person maps to none.
func reachedBy(m *merged, i int) string {
	switch {
	case m.uf.match(i).id == "":
		return "unreached"
	case m.ids[i].match.id != "":
		return m.ids[i].match.rule
	}
	return "merged"
}

// measurementRoster builds the roster of a real group for the measurement
// (see TestRosterReachOnRealIdentities), and the student id of each
// identity's person ("" for a person beyond Question 2's ids), by identity
// (collectIdentities' order).
func measurementRoster(g corpusGroup) ([]workspace.Student, []string) {
	m := mergeIdentities(of(g.commits, g.roster, nil))
	var roster []workspace.Student
	for _, id := range g.roster {
		if !slices.ContainsFunc(roster, func(st workspace.Student) bool { return RosterID(st.ID) == RosterID(id) }) {
			roster = append(roster, workspace.Student{ID: RosterID(id)})
		}
	}
	studentOf := make([]string, len(m.ids))
	taken := map[string]bool{}
	persons := slices.DeleteFunc(m.people(), func(p person) bool { return p.bot })
	// A student's stray identity (a laptop's) has fewer commits than the
	// students left: those get the ids left first.
	slices.SortStableFunc(persons, func(a, b person) int { return cmp.Compare(b.commits, a.commits) })
	for _, p := range persons {
		if p.match.id != "" {
			taken[p.match.id] = true
		}
	}
	for _, p := range persons {
		id := p.match.id
		if id == "" {
			if i := slices.IndexFunc(roster, func(st workspace.Student) bool { return !taken[st.ID] }); i >= 0 {
				id = roster[i].ID
				taken[id] = true
			}
		}
		if id == "" {
			continue // more people than Question 2 names
		}
		st := &roster[slices.IndexFunc(roster, func(st workspace.Student) bool { return st.ID == id })]
		for _, i := range p.members {
			studentOf[i] = id
			if st.GitHub == "" && m.ids[i].login != "" {
				st.GitHub = m.ids[i].login
			}
			for _, part := range nameParts.Split(m.ids[i].name, -1) {
				if words := len(strings.Fields(part)); words >= 2 && !genericName(part) && !studentIDInText.MatchString(part) &&
					cmp.Compare(words, len(strings.Fields(st.Name))) > 0 {
					st.Name = strings.TrimSpace(part)
				}
			}
		}
	}
	return roster, studentOf
}
