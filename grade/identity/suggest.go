package identity

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"handin/internal/lazyregexp"
	"handin/workspace"
)

// What a suggestion rests on (Unmapped.Basis), most certain first.
const (
	basisStudentID   = "student-id"    // a roster id written with one typo
	basisLogin       = "login"         // the GitHub login fits a roster name or login
	basisEmailUser   = "email-user"    // the address's user part fits a roster name or address
	basisName        = "name"          // the name is part of a roster name
	basisInitials    = "initials"      // the name or login is a roster name's initials
	basisOnlyOneLeft = "only-one-left" // the only student without commits, and the only person unmapped
)

var basesByCertainty = []string{basisStudentID, basisLogin, basisEmailUser, basisName, basisInitials, basisOnlyOneLeft}

// ListUnmapped lists a group's commit identities that no rule maps to a
// roster student (bots excluded), person by person: those with a suggested
// student id first, the most certain suggestion first, then by commits.
func ListUnmapped(h History) []Unmapped { return mergeIdentities(h).unmapped() }

// suggestion is a roster student a person's identities point at, and why.
type suggestion struct {
	id, reason, basis string
}

func (m *merged) unmapped() []Unmapped {
	people := slices.DeleteFunc(m.people(), func(p person) bool { return p.bot || p.match.id != "" })
	idle := m.idleStudents()
	suggestions := make([]suggestion, len(people))
	for i, p := range people {
		suggestions[i] = m.suggest(p)
		if suggestions[i].id == "" && len(idle) == 1 && len(people) == 1 {
			suggestions[i] = suggestion{idle[0], "the only roster student without commits, and the only unmapped person: check before mapping", basisOnlyOneLeft}
		}
	}
	order := make([]int, len(people))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(certainty(suggestions[a]), certainty(suggestions[b])), cmp.Compare(people[b].commits, people[a].commits))
	})
	var out []Unmapped
	for _, k := range order {
		p, s := people[k], suggestions[k]
		for i, id := range m.identities(p) {
			u := Unmapped{Key: id.Email, Name: id.Name, Email: id.Email, Commits: id.Commits, Suggested: s.id, Reason: s.reason}
			if s.id != "" {
				u.Basis = s.basis
			}
			if u.Key == "" {
				u.Key = normalizeName(id.Name)
			}
			if i > 0 { // identities lists the person's main identity first
				u.Person = m.ids[m.main(p)].display()
			}
			out = append(out, u)
		}
	}
	return out
}

// certainty ranks a suggestion: 0 the most certain, people without one last.
func certainty(s suggestion) int {
	if s.id == "" {
		return len(basesByCertainty)
	}
	return slices.Index(basesByCertainty, s.basis)
}

// idleStudents are the roster students no identity maps to.
func (m *merged) idleStudents() []string {
	active := map[string]bool{}
	for _, p := range m.people() {
		active[p.match.id] = true
	}
	var idle []string
	for _, st := range m.roster {
		if sid := RosterID(st.ID); !active[sid] && !slices.Contains(idle, sid) {
			idle = append(idle, sid)
		}
	}
	return idle
}

// suggest finds the roster student a person's identities point at, on the
// most certain basis that points at exactly one: a roster id written with a
// typo, a login or address that fits a roster name, a name that is part of
// one, initials. Without one, reason reports an id found that is not on the
// roster.
func (m *merged) suggest(p person) suggestion {
	if s, ok := m.typoSuggestion(p); ok {
		return s
	}
	candidates := m.candidates()
	for _, basis := range basesByCertainty[1:5] {
		var found *suggestion
		for _, i := range p.members {
			for _, s := range candidates(basis, m.ids[i]) {
				if found != nil && found.id != s.id {
					found = &suggestion{} // two students: none
					break
				}
				if found == nil {
					found = &s
				}
			}
		}
		if found != nil && found.id != "" {
			return *found
		}
	}
	for _, i := range p.members {
		if m.ids[i].hint != "" {
			return suggestion{reason: m.ids[i].hint}
		}
	}
	return suggestion{}
}

// idLike is a student id written with a digit too many or too few, or a
// wrong one ("s23162" for s213162).
var idLike = &lazyregexp.Regexp{Expr: `(?i)s\d{5,7}`}

// typoSuggestion finds a roster id written with a typo in one of a
// person's identities: exactly one roster id one edit away.
func (m *merged) typoSuggestion(p person) (suggestion, bool) {
	for _, i := range p.members {
		id := m.ids[i]
		user, _, _ := strings.Cut(id.email, "@")
		for _, text := range []string{user, id.name, id.login} {
			for _, written := range idLike.FindAllString(text, -1) {
				written = strings.ToLower(written)
				var near []string
				for _, st := range m.roster {
					if sid := RosterID(st.ID); oneEditApart(written, sid) && !slices.Contains(near, sid) {
						near = append(near, sid)
					}
				}
				if len(near) == 1 {
					return suggestion{near[0], fmt.Sprintf("%q in %s is one typo away from roster id %s", written, id.display(), near[0]), basisStudentID}, true
				}
			}
		}
	}
	return suggestion{}, false
}

// candidates returns, for a basis and an identity, the roster students it
// points at on that basis, each with why.
func (m *merged) candidates() func(basis string, id *identity) []suggestion {
	type named struct {
		st     workspace.Student
		logins []nameForm // the name as a login or address user may write it
		words  [][]string
	}
	var roster []named
	for _, st := range m.roster {
		if st.Name != "" || st.GitHub != "" || st.Email != "" {
			roster = append(roster, named{st, loginForms(st.Name), nameWords(st.Name)})
		}
	}
	// fits: the students whose name a login or address user (value) may
	// spell, or whose own login or address it resembles (same).
	fits := func(what, value string, same func(workspace.Student) bool) []suggestion {
		var out []suggestion
		folded := []string{foldName(value)}
		if stripped := strings.TrimRightFunc(folded[0], unicode.IsDigit); stripped != folded[0] && len([]rune(stripped)) >= minStrippedLogin {
			folded = append(folded, stripped)
		}
		for _, r := range roster {
			if same(r.st) {
				out = append(out, suggestion{RosterID(r.st.ID), fmt.Sprintf("%s %s resembles the roster's %s", what, strconv.Quote(value), rosterLabel(r.st)), ""})
				continue
			}
			if i := slices.IndexFunc(r.logins, func(f nameForm) bool { return slices.Contains(folded, f.key) }); i >= 0 {
				out = append(out, suggestion{RosterID(r.st.ID), fmt.Sprintf("%s %s fits the roster name %s (%s)", what, strconv.Quote(value), strconv.Quote(r.st.Name), r.logins[i].how), ""})
			}
		}
		return out
	}
	return func(basis string, id *identity) []suggestion {
		var out []suggestion
		switch basis {
		case basisLogin:
			if id.login != "" {
				out = fits("GitHub login", id.login, func(st workspace.Student) bool {
					return st.GitHub != "" && foldName(st.GitHub) == foldName(id.login)
				})
			}
		case basisEmailUser:
			if user, ok := addressUser(id.email); ok {
				out = fits("address user", user, func(st workspace.Student) bool {
					rosterUser, ok := addressUser(normalizeEmail(st.Email))
					return ok && foldName(rosterUser) == foldName(user)
				})
			}
		case basisName, basisInitials:
			for _, name := range []string{id.name, id.profile} {
				for _, r := range roster {
					if how, ok := partOf(basis, name, r.st.Name, r.words); ok {
						out = append(out, suggestion{RosterID(r.st.ID), fmt.Sprintf("name %s is %s of the roster name %s", strconv.Quote(name), how, strconv.Quote(r.st.Name)), ""})
					}
				}
			}
			if basis == basisInitials && id.login != "" {
				for _, r := range roster {
					if how, ok := partOf(basis, id.login, r.st.Name, r.words); ok {
						out = append(out, suggestion{RosterID(r.st.ID), fmt.Sprintf("GitHub login %s is %s of the roster name %s", strconv.Quote(id.login), how, strconv.Quote(r.st.Name)), ""})
					}
				}
			}
		}
		for i := range out {
			out[i].basis = basis
		}
		return out
	}
}

// rosterLabel names what the roster says of a student.
func rosterLabel(st workspace.Student) string {
	switch {
	case st.GitHub != "":
		return "GitHub login " + strconv.Quote(st.GitHub)
	case st.Email != "":
		return "address " + strconv.Quote(st.Email)
	}
	return "name " + strconv.Quote(st.Name)
}

// addressUser is the user part of an address that may name its owner: not
// a noreply address, a generic one, or one git made up from a laptop's
// user and host names ("+tag" dropped).
func addressUser(email string) (string, bool) {
	user, host, ok := strings.Cut(email, "@")
	user, _, _ = strings.Cut(user, "+")
	if !ok || githubNoreply.MatchString(email) || genericEmail(email) || genericName(user) || machineHost.MatchString(host) {
		return "", false
	}
	return user, true
}

// partOf says how a name is part of a roster name whose words are
// rosterWords: on basis name, every word of it is one of the roster
// name's ("Anna", "Maria Berg"); on basis initials, it is the roster
// name's initials ("AB", "amb").
func partOf(basis, name, rosterName string, rosterWords [][]string) (how string, ok bool) {
	if rosterName == "" || strings.TrimSpace(name) == "" || placeholderName(foldName(name)) || machineName.MatchString(strings.TrimSpace(name)) {
		return "", false
	}
	for _, words := range nameWords(name) {
		for _, rw := range rosterWords {
			switch basis {
			case basisName:
				long := slices.ContainsFunc(words, func(w string) bool { return len([]rune(w)) >= minKeyLength })
				if long && len(words) < len(rw) && !slices.ContainsFunc(words, func(w string) bool { return !slices.Contains(rw, w) }) {
					return "part", true
				}
			case basisInitials:
				if len(words) != 1 || len(rw) < 2 {
					continue
				}
				all, ends := "", string([]rune(rw[0])[0])+string([]rune(rw[len(rw)-1])[0])
				for _, w := range rw {
					all += string([]rune(w)[0])
				}
				if words[0] == all || words[0] == ends {
					return "the initials", true
				}
			}
		}
	}
	return "", false
}

// oneEditApart reports whether a and b (ASCII) differ by exactly one
// inserted, deleted or replaced character.
func oneEditApart(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if a == b || len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		return a[i+1:] == b[i+1:]
	}
	return a[i:] == b[i+1:]
}
