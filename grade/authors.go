package grade

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"

	"handin/workspace"
)

// Rules that map a commit identity to a roster student, strongest first.
const (
	RuleAuthorsCSV = "authors.csv" // the instructor's authors.csv names the author
	RuleEmail      = "email"       // sNNNNNN@student.dtu.dk / sNNNNNN@dtu.dk
	RuleEmailUser  = "email-user"  // another address whose user part holds the id
	RuleName       = "name"        // the author name holds the id
	RuleLogin      = "login"       // the GitHub login (noreply address) holds the id
)

var ruleStrength = map[string]int{RuleAuthorsCSV: 0, RuleEmail: 1, RuleEmailUser: 2, RuleName: 3, RuleLogin: 4}

var (
	studentIDExact = regexp.MustCompile(`(?i)^s\d{6}$`)
	// studentIDInText finds an id inside a name or login ("Jane (s123456)",
	// "janes123456"), not a prefix of a longer number; only ids on the
	// group's roster are ever accepted.
	studentIDInText = regexp.MustCompile(`(?i)(s\d{6})(?:\D|$)`)
	githubNoreply   = regexp.MustCompile(`^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$`)
)

// Names and addresses shared by unrelated people (machine defaults, git's
// examples): never a reason to merge two identities.
var (
	genericNames  = map[string]bool{"": true, "root": true, "ubuntu": true, "user": true, "admin": true, "unknown": true, "your name": true}
	genericEmails = map[string]bool{"": true, "you@example.com": true, "your_email@example.com": true, "email@example.com": true}
)

// botEmails are the authors of commits made by GitHub Actions workflows.
var botEmails = map[string]bool{"action@github.com": true, "actions@github.com": true, "noreply@github.com": true}

// NormalizeEmail is the form emails are compared in (authors.csv keys too).
func NormalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(strings.ToValidUTF8(email, "\uFFFD")))
}

// NormalizeName is the form author names are compared in: lower case, runs
// of white space folded (authors.csv keys too).
func NormalizeName(name string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.ToValidUTF8(name, "\uFFFD"))), " ")
}

// rosterID is the form student ids are compared in (groups.csv, Question 2,
// authors.csv): "S123456 " and "s123456" are one student.
func rosterID(id string) string { return strings.ToLower(strings.TrimSpace(id)) }

// evidence is why an identity belongs to a student.
type evidence struct {
	id, rule, detail string
}

func (e evidence) stronger(than evidence) bool {
	return e.id != "" && (than.id == "" || ruleStrength[e.rule] < ruleStrength[than.rule])
}

// identity is one distinct (name, email) pair of the history.
type identity struct {
	name    string // as written (valid UTF-8, trimmed)
	email   string // normalised
	login   string // GitHub login from a noreply address
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

// contributors is the outcome of merging the history's identities.
type contributors struct {
	Contributions map[string]int
	Count         int // people, bots excluded
	Students      []StudentStats
	Unmatched     []Author
}

// mergeAuthors merges the commit identities of a history (same email, same
// name, GitHub login), maps them to roster ids and counts their commits.
// Two identities that map to different students are never merged.
func mergeAuthors(commits []workspace.Commit, roster []string, authors map[string]string) contributors {
	onRoster := map[string]bool{}
	for _, s := range roster {
		onRoster[rosterID(s)] = true
	}
	ids := collectIdentities(commits)
	for _, id := range ids {
		id.match, id.hint = matchStudent(id, onRoster, authors)
	}
	uf := newUnionFind(ids)
	owner := map[string]int{}
	for i, id := range ids {
		for _, key := range mergeKeys(id) {
			if j, ok := owner[key]; ok {
				uf.union(i, j)
			} else {
				owner[key] = i
			}
		}
	}
	byStudent := map[string]int{}
	for i := range ids {
		if sid := uf.match(i).id; sid != "" {
			if j, ok := byStudent[sid]; ok {
				uf.union(i, j)
			} else {
				byStudent[sid] = i
			}
		}
	}
	return summarize(ids, uf, roster)
}

// collectIdentities lists the distinct identities, sorted so that merging
// does not depend on commit order.
func collectIdentities(commits []workspace.Commit) []*identity {
	byKey := map[[2]string]*identity{}
	for _, c := range commits {
		name := strings.TrimSpace(strings.ToValidUTF8(c.AuthorName, "\uFFFD"))
		email := NormalizeEmail(c.AuthorEmail)
		key := [2]string{name, email}
		id := byKey[key]
		if id == nil {
			id = &identity{name: name, email: email}
			if m := githubNoreply.FindStringSubmatch(email); m != nil {
				id.login = m[1]
			}
			id.bot = strings.HasSuffix(strings.ToLower(name), "[bot]") || strings.HasSuffix(id.login, "[bot]") ||
				botEmails[email]
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

// mergeKeys are the facts two identities of one person share.
func mergeKeys(id *identity) []string {
	var keys []string
	if !genericEmails[id.email] && strings.Contains(id.email, "@") {
		keys = append(keys, "email:"+id.email)
	}
	if n := NormalizeName(id.name); !genericNames[n] {
		keys = append(keys, "name:"+n)
	}
	if id.login != "" && id.login != NormalizeName(id.name) {
		keys = append(keys, "name:"+id.login) // "jdoe" as a name is the login jdoe
	}
	return keys
}

// matchStudent applies the rules, strongest first, and returns the first
// that names a roster student; hint records an id found off the roster.
func matchStudent(id *identity, onRoster map[string]bool, authors map[string]string) (evidence, string) {
	var found []evidence
	for _, key := range []string{id.email, NormalizeName(id.name), id.login} {
		if sid, ok := authors[key]; ok && key != "" {
			found = append(found, evidence{strings.ToLower(sid), RuleAuthorsCSV, key})
		}
	}
	user, domain, _ := strings.Cut(id.email, "@")
	if studentIDExact.MatchString(user) && (domain == "dtu.dk" || strings.HasSuffix(domain, ".dtu.dk")) {
		found = append(found, evidence{user, RuleEmail, id.email})
	} else if m := studentIDInText.FindStringSubmatch(user); m != nil && id.login == "" {
		found = append(found, evidence{strings.ToLower(m[1]), RuleEmailUser, id.email})
	}
	if m := studentIDInText.FindStringSubmatch(id.name); m != nil {
		found = append(found, evidence{strings.ToLower(m[1]), RuleName, id.name})
	}
	if m := studentIDInText.FindStringSubmatch(id.login); m != nil {
		found = append(found, evidence{strings.ToLower(m[1]), RuleLogin, id.login})
	}
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

// union merges two groups unless they belong to different students.
func (uf *unionFind) union(i, j int) {
	ri, rj := uf.find(i), uf.find(j)
	if ri == rj {
		return
	}
	a, b := uf.best[ri], uf.best[rj]
	if a.id != "" && b.id != "" && a.id != b.id {
		return
	}
	root, other := min(ri, rj), max(ri, rj)
	uf.parent[other] = root
	if b.stronger(a) {
		a = b
	}
	uf.best[root] = a
}

func summarize(ids []*identity, uf *unionFind, roster []string) contributors {
	groups := map[int][]*identity{}
	var roots []int
	for i, id := range ids {
		r := uf.find(i)
		if groups[r] == nil {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], id)
	}
	out := contributors{Contributions: map[string]int{}, Students: []StudentStats{}, Unmatched: []Author{}}
	student := map[string]int{} // id -> index in out.Students
	for _, s := range roster {
		sid := rosterID(s)
		if _, dup := student[sid]; !dup {
			student[sid] = len(out.Students)
			out.Students = append(out.Students, StudentStats{ID: sid, Authors: []string{}})
		}
	}
	for _, r := range roots {
		members := groups[r]
		commits, bot := 0, false
		for _, id := range members {
			commits += id.commits
			bot = bot || id.bot
		}
		if !bot {
			out.Count++
		}
		match := uf.best[r]
		if i, ok := student[match.id]; ok {
			st := &out.Students[i]
			st.Commits = commits
			st.Rule, st.Evidence = match.rule, match.detail
			for _, id := range members {
				st.Authors = append(st.Authors, id.display())
			}
			slices.Sort(st.Authors)
			out.Contributions[match.id] += commits
			continue
		}
		out.Contributions[mainIdentity(members).display()] += commits
		if !bot {
			out.Unmatched = append(out.Unmatched, author(members, commits))
		}
	}
	slices.SortFunc(out.Unmatched, func(a, b Author) int {
		return cmp.Or(cmp.Compare(b.Commits, a.Commits), slices.Compare(a.Emails, b.Emails), slices.Compare(a.Names, b.Names))
	})
	return out
}

// mainIdentity is the identity with the most commits (ties: the first).
func mainIdentity(members []*identity) *identity {
	best := members[0]
	for _, id := range members[1:] {
		if id.commits > best.commits {
			best = id
		}
	}
	return best
}

// author lists a merged identity's distinct names and emails, sorted (sort
// and compact: one person may have thousands of identities in a pathological
// history).
func author(members []*identity, commits int) Author {
	a := Author{Names: []string{}, Emails: []string{}, Commits: commits}
	for _, id := range members {
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

// ReadAuthorsCSV reads the instructor's authors.csv: two columns, a commit
// author's email or name and the student id it belongs to. A header line,
// blank lines, lines starting with # and a spreadsheet's byte-order mark and
// semicolon separators are allowed. Keys are normalised (NormalizeEmail /
// NormalizeName), ids lower-cased.
func ReadAuthorsCSV(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("authors: %w", err)
	}
	return parseAuthorsCSV(bytes.TrimPrefix(data, []byte("\ufeff")), path)
}

func parseAuthorsCSV(data []byte, name string) (map[string]string, error) {
	r := csv.NewReader(bytes.NewReader(data))
	firstLine, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Contains(firstLine, []byte(";")) && !bytes.Contains(firstLine, []byte(",")) {
		r.Comma = ';' // spreadsheets in Danish locales write semicolons
	}
	r.Comment = '#'
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	out := map[string]string{}
	lineOf := map[string]int{}
	for first := true; ; first = false {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("authors %s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) != 2 {
			return nil, fmt.Errorf("%s:%d: want 2 columns (author email or name, student id), got %d", name, line, len(rec))
		}
		author, sid := strings.TrimSpace(rec[0]), rosterID(rec[1])
		if !studentIDExact.MatchString(sid) {
			if first && !strings.ContainsAny(sid, "0123456789") {
				continue // a header ("author,student_id"), not a mistyped first id
			}
			return nil, fmt.Errorf("%s:%d: student id %q is not s + 6 digits", name, line, rec[1])
		}
		key := NormalizeName(author)
		if strings.Contains(author, "@") {
			key = NormalizeEmail(author)
		}
		if key == "" {
			return nil, fmt.Errorf("%s:%d: empty author", name, line)
		}
		if prev, ok := out[key]; ok && prev != sid {
			return nil, fmt.Errorf("%s:%d: %q is mapped to %s on line %d and to %s here", name, line, author, prev, lineOf[key], sid)
		}
		out[key], lineOf[key] = sid, line
	}
}
