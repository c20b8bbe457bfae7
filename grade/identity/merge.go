package identity

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"handin/internal/lazyregexp"
	"handin/workspace"
)

// Rules that map a commit identity to a roster student by a student id
// (the roster's own rules are in roster.go).
const (
	ruleAuthorsCSV = "authors.csv" // the instructor's authors.csv names the author
	ruleEmail      = "email"       // sNNNNNN@student.dtu.dk / sNNNNNN@dtu.dk
	ruleEmailUser  = "email-user"  // another address whose user part holds the id
	ruleName       = "name"        // the author name holds the id
	ruleLogin      = "login"       // the GitHub login (noreply address or account) holds the id
)

// rulesByStrength are the rules that map an identity to a student,
// strongest first: the instructor's word, then addresses and accounts,
// then ids written in text, then names.
var rulesByStrength = []string{ruleAuthorsCSV, ruleEmail, ruleRosterEmail, ruleRosterLogin, ruleEmailUser, ruleName, ruleLogin, ruleRosterName, ruleProfileName}

// ruleStrength orders the rules, strongest (0) first.
func ruleStrength(rule string) int { return slices.Index(rulesByStrength, rule) }

// studentIDExact is a whole student id; studentIDInText finds one inside a
// name or login ("Jane (s123456)", "janes123456"), not a prefix of a longer
// number. Only ids on the group's roster are ever credited.
var (
	studentIDExact  = &lazyregexp.Regexp{Expr: `(?i)^s\d{6}$`}
	studentIDInText = &lazyregexp.Regexp{Expr: `(?i)(s\d{6})(?:\D|$)`}
	githubNoreply   = &lazyregexp.Regexp{Expr: `^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$`}
)

// normalizeEmail is the form emails are compared in (authors.csv keys too).
func normalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(strings.ToValidUTF8(email, "\uFFFD")))
}

// normalizeName is the form author names are compared in: lower case, runs
// of white space folded (authors.csv keys too).
func normalizeName(name string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.ToValidUTF8(name, "\uFFFD"))), " ")
}

// RosterID is the form student ids are compared in (groups.csv, Question 2,
// authors.csv): "S123456 " and "s123456" are one student.
func RosterID(id string) string { return strings.ToLower(strings.TrimSpace(id)) }

// evidence is why an identity belongs to a student.
type evidence struct {
	id, rule, detail string
}

func (e evidence) stronger(than evidence) bool {
	return e.id != "" && (than.id == "" || ruleStrength(e.rule) < ruleStrength(than.rule))
}

// identity is one distinct (name, email) pair of the history.
type identity struct {
	name    string // as written (valid UTF-8, trimmed)
	email   string // normalised
	login   string // GitHub login: from a noreply address, or of the account behind the address
	profile string // the name on that account's GitHub profile
	commits int
	bot     bool
	match   evidence
	hint    string // an id found that is not on the roster
}

func (id *identity) display() string {
	switch {
	case id.name == "" && id.email == "":
		return "(unknown)"
	case id.email == "":
		return id.name
	case id.name == "":
		return "<" + id.email + ">"
	}
	return id.name + " <" + id.email + ">"
}

// History is what tells who wrote a group's commits.
type History struct {
	Commits []workspace.Commit
	// Roster is every roster student, with what the roster says of them
	// (Snapshot.RosterStudents).
	Roster []workspace.Student
	// Accounts are the GitHub accounts behind commit addresses.
	Accounts []workspace.Account
	// Authors maps a normalised author email or name to a student id
	// (ReadAuthorsCSV); nil when the instructor keeps no authors.csv.
	Authors map[string]string
}

// HistoryOf is what a snapshot tells of who wrote its commits, with the
// instructor's authors.csv.
func HistoryOf(s *workspace.Snapshot, authors map[string]string) History {
	return History{Commits: s.Commits, Roster: s.RosterStudents(), Accounts: s.Accounts, Authors: authors}
}

// ids are the roster's student ids.
func (h History) ids() []string {
	ids := make([]string, len(h.Roster))
	for i, st := range h.Roster {
		ids[i] = st.ID
	}
	return ids
}

// Merge merges the commit identities of a history into people, maps
// them to roster ids and counts their commits.
func Merge(h History) Contributors {
	m := mergeIdentities(h)
	c := summarize(m, h.ids())
	c.Unmapped = m.unmapped()
	return c
}

// merged is a history's identities grouped into people.
type merged struct {
	ids    []*identity
	uf     *unionFind
	edges  []mergeEdge // the merges made: a spanning tree of every person
	roster []workspace.Student
}

// mergeEdge is one merge of two identities and why it was made.
type mergeEdge struct {
	a, b           int
	rule, evidence string
}

// mergeIdentities applies the merge rules, strongest first (so that strong
// evidence decides when weaker evidence would join two students), and never
// merges identities that map to different roster students.
func mergeIdentities(h History) *merged {
	onRoster := map[string]bool{}
	for _, st := range h.Roster {
		onRoster[RosterID(st.ID)] = true
	}
	m := &merged{ids: collectIdentities(h.Commits, h.Accounts), roster: h.Roster}
	index := newRosterIndex(h.Roster)
	for _, id := range m.ids {
		id.match, id.hint = matchStudent(id, onRoster, h.Authors, index)
	}
	m.uf = newUnionFind(m.ids)
	keys := make([][]mergeKey, len(m.ids))
	for i, id := range m.ids {
		keys[i] = mergeKeys(id)
	}
	m.mergeOn(keys, mergeEmail, keyEmail)
	m.mergeOn(keys, mergeStudentID, keyStudentID)
	m.mergeOn(keys, mergeName, keyName)
	m.mergeOn(keys, mergeLogin, keyName, keyLogin)
	byStudent := map[string]int{}
	for i := range m.ids {
		sid := m.uf.match(i).id
		if sid == "" {
			continue
		}
		if j, ok := byStudent[sid]; ok {
			m.union(j, i, mergeStudent, "both map to "+sid)
		} else {
			byStudent[sid] = i
		}
	}
	return m
}

// holder is an identity holding a key.
type holder struct {
	id  int
	key mergeKey
}

// mergeOn merges the identities that share a key value of the given kinds.
// For mergeLogin a login must be among them (equal names merged already).
func (m *merged) mergeOn(keys [][]mergeKey, rule string, kinds ...keyKind) {
	byValue := map[string][]holder{}
	var values []string // in identity order, so merging is deterministic
	for i, ks := range keys {
		for _, k := range ks {
			if !slices.Contains(kinds, k.kind) {
				continue
			}
			if byValue[k.value] == nil {
				values = append(values, k.value)
			}
			byValue[k.value] = append(byValue[k.value], holder{i, k})
		}
	}
	for _, v := range values {
		hs := byValue[v]
		first := 0
		if rule == mergeLogin {
			first = slices.IndexFunc(hs, func(h holder) bool { return h.key.kind == keyLogin })
			if first < 0 {
				continue
			}
		}
		for _, h := range hs {
			if h.id != hs[first].id {
				m.union(hs[first].id, h.id, rule, evidenceOf(rule, hs[first].key, h.key))
			}
		}
	}
}

func evidenceOf(rule string, a, b mergeKey) string {
	if rule == mergeEmail || rule == mergeStudentID || a.from == b.from {
		return a.from
	}
	return a.from + " = " + b.from
}

// union merges the people of identities a and b, unless they map to
// different roster students, and records why.
func (m *merged) union(a, b int, rule, evidence string) {
	if m.uf.union(a, b) {
		m.edges = append(m.edges, mergeEdge{a, b, rule, evidence})
	}
}

// collectIdentities lists the distinct identities, sorted so that merging
// does not depend on commit order, each with the GitHub account behind its
// address.
func collectIdentities(commits []workspace.Commit, accounts []workspace.Account) []*identity {
	account := map[string]workspace.Account{}
	for _, a := range accounts {
		account[normalizeEmail(a.Email)] = a
	}
	byKey := map[[2]string]*identity{}
	for _, c := range commits {
		name := strings.TrimSpace(strings.ToValidUTF8(c.AuthorName, "\uFFFD"))
		email := normalizeEmail(c.AuthorEmail)
		key := [2]string{name, email}
		id := byKey[key]
		if id == nil {
			id = &identity{name: name, email: email}
			if m := githubNoreply.FindStringSubmatch(email); m != nil {
				id.login = m[1]
			}
			if a, ok := account[email]; ok {
				id.login, id.profile = cmp.Or(id.login, a.Login), a.Name
			}
			id.bot = strings.HasSuffix(strings.ToLower(name), "[bot]") || strings.HasSuffix(id.login, "[bot]") ||
				botEmail(email)
			byKey[key] = id
		}
		id.commits++
	}
	ids := make([]*identity, 0, len(byKey))
	for _, id := range byKey {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b *identity) int {
		return cmp.Or(cmp.Compare(a.email, b.email), cmp.Compare(a.name, b.name))
	})
	return ids
}

// matchStudent applies the rules, strongest first, and returns the first
// that names a roster student; hint records an id found off the roster.
func matchStudent(id *identity, onRoster map[string]bool, authors map[string]string, roster *rosterIndex) (evidence, string) {
	var found []evidence
	for _, key := range []string{id.email, normalizeName(id.name), id.login} {
		if sid, ok := authors[key]; ok && key != "" {
			found = append(found, evidence{strings.ToLower(sid), ruleAuthorsCSV, key})
		}
	}
	user, domain, _ := strings.Cut(id.email, "@")
	if studentIDExact.MatchString(user) && (domain == "dtu.dk" || strings.HasSuffix(domain, ".dtu.dk")) {
		found = append(found, evidence{user, ruleEmail, id.email})
	} else if m := studentIDInText.FindStringSubmatch(user); m != nil && id.login == "" {
		found = append(found, evidence{strings.ToLower(m[1]), ruleEmailUser, id.email})
	}
	if m := studentIDInText.FindStringSubmatch(id.name); m != nil {
		found = append(found, evidence{strings.ToLower(m[1]), ruleName, id.name})
	}
	if m := studentIDInText.FindStringSubmatch(id.login); m != nil {
		found = append(found, evidence{strings.ToLower(m[1]), ruleLogin, id.login})
	}
	found = append(found, roster.match(id)...)
	slices.SortStableFunc(found, func(a, b evidence) int { return ruleStrength(a.rule) - ruleStrength(b.rule) })
	var hint string
	for _, e := range found {
		if onRoster[e.id] {
			return e, ""
		}
		if hint == "" {
			hint = fmt.Sprintf("%s %s (%s) is not on this group's roster", e.rule, e.detail, e.id)
		}
	}
	return evidence{}, hint
}

// unionFind groups identities; each root carries its group's strongest match.
type unionFind struct {
	parent []int
	best   []evidence
}

func newUnionFind(ids []*identity) *unionFind {
	uf := &unionFind{parent: make([]int, len(ids)), best: make([]evidence, len(ids))}
	for i, id := range ids {
		uf.parent[i] = i
		uf.best[i] = id.match
	}
	return uf
}

func (uf *unionFind) find(i int) int {
	for uf.parent[i] != i {
		uf.parent[i] = uf.parent[uf.parent[i]]
		i = uf.parent[i]
	}
	return i
}

func (uf *unionFind) match(i int) evidence { return uf.best[uf.find(i)] }

// union merges two groups unless they belong to different students; it
// reports whether they were merged.
func (uf *unionFind) union(i, j int) bool {
	ri, rj := uf.find(i), uf.find(j)
	if ri == rj {
		return false
	}
	a, b := uf.best[ri], uf.best[rj]
	if a.id != "" && b.id != "" && a.id != b.id {
		return false
	}
	root, other := min(ri, rj), max(ri, rj)
	uf.parent[other] = root
	if b.stronger(a) {
		a = b
	}
	uf.best[root] = a
	return true
}

// person is one set of merged identities.
type person struct {
	members []int // identity indexes, sorted
	commits int
	bot     bool
	match   evidence
}

// people lists the merged people in the order of their first identity.
func (m *merged) people() []person {
	index := map[int]int{} // root -> index in out
	var out []person
	for i, id := range m.ids {
		r := m.uf.find(i)
		k, ok := index[r]
		if !ok {
			k = len(out)
			index[r] = k
			out = append(out, person{match: m.uf.best[r]})
		}
		p := &out[k]
		p.members = append(p.members, i)
		p.commits += id.commits
		p.bot = p.bot || id.bot
	}
	return out
}

func summarize(m *merged, roster []string) Contributors {
	out := Contributors{Contributions: map[string]int{}, Students: []StudentStats{}, Unmatched: []Author{}}
	student := map[string]int{} // id -> index in out.Students
	for _, s := range roster {
		sid := RosterID(s)
		if _, dup := student[sid]; !dup {
			student[sid] = len(out.Students)
			out.Students = append(out.Students, StudentStats{ID: sid, Authors: []string{}})
		}
	}
	for _, p := range m.people() {
		if !p.bot {
			out.Count++
		}
		if i, ok := student[p.match.id]; ok {
			st := &out.Students[i]
			st.Commits = p.commits
			st.Rule, st.Evidence = p.match.rule, p.match.detail
			for _, i := range p.members {
				st.Authors = append(st.Authors, m.ids[i].display())
			}
			slices.Sort(st.Authors)
			st.Identities = m.identities(p)
			out.Contributions[p.match.id] += p.commits
			continue
		}
		out.Contributions[m.ids[m.main(p)].display()] += p.commits
		if !p.bot {
			out.Unmatched = append(out.Unmatched, m.author(p))
		}
	}
	slices.SortFunc(out.Unmatched, func(a, b Author) int {
		return cmp.Or(cmp.Compare(b.Commits, a.Commits), slices.Compare(a.Emails, b.Emails), slices.Compare(a.Names, b.Names))
	})
	return out
}

// main is a person's identity with the most commits (ties: the first).
func (m *merged) main(p person) int {
	best := p.members[0]
	for _, i := range p.members[1:] {
		if m.ids[i].commits > m.ids[best].commits {
			best = i
		}
	}
	return best
}

// identities lists a person's identities, the main one first, each with the
// merge that joined it to the one before it on the way from the main one.
func (m *merged) identities(p person) []Identity {
	next := map[int][]mergeEdge{}
	for _, e := range m.edges {
		if m.uf.find(e.a) == m.uf.find(p.members[0]) {
			next[e.a] = append(next[e.a], e)
			next[e.b] = append(next[e.b], mergeEdge{e.b, e.a, e.rule, e.evidence})
		}
	}
	start := m.main(p)
	out := []Identity{m.ids[start].export()}
	seen := map[int]bool{start: true}
	for queue := []int{start}; len(queue) > 0; queue = queue[1:] {
		for _, e := range next[queue[0]] {
			if seen[e.b] {
				continue
			}
			seen[e.b] = true
			queue = append(queue, e.b)
			id := m.ids[e.b].export()
			id.Rule, id.Evidence, id.Via = e.rule, e.evidence, m.ids[e.a].display()
			out = append(out, id)
		}
	}
	return out
}

func (id *identity) export() Identity {
	return Identity{Name: id.name, Email: id.email, Commits: id.commits}
}

// author lists a person's distinct names and emails, sorted (sort and
// compact: one person may have thousands of identities in a pathological
// history), and its identities.
func (m *merged) author(p person) Author {
	a := Author{Names: []string{}, Emails: []string{}, Commits: p.commits, Identities: m.identities(p)}
	for _, i := range p.members {
		id := m.ids[i]
		if id.name != "" {
			a.Names = append(a.Names, id.name)
		}
		if id.email != "" {
			a.Emails = append(a.Emails, id.email)
		}
		if a.Hint == "" {
			a.Hint = id.hint
		}
	}
	slices.Sort(a.Names)
	slices.Sort(a.Emails)
	a.Names, a.Emails = slices.Compact(a.Names), slices.Compact(a.Emails)
	return a
}
