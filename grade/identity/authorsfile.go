package identity

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"

	"handin/internal/inputfile"
	"handin/internal/lazyregexp"
	"handin/workspace"
)

// Unmapped is a commit identity that no rule maps to a roster
// student: a line for the instructor to fill in authors.csv.
type Unmapped struct {
	Key     string `json:"key"` // what authors.csv maps: the address, or the name when there is none
	Name    string `json:"name"`
	Email   string `json:"email"`
	Commits int    `json:"commits"`
	// Person is the main identity of the person it was merged into, when
	// that is another identity (mapping one maps them all).
	Person string `json:"person,omitempty"`
	// Suggested is a roster student id a rule suggests ("" when none),
	// Reason why (or why an id found in the identity was not used).
	Suggested string `json:"suggested,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

// Display is the identity as pages and findings name it: "name <email>".
func (u Unmapped) Display() string { return (&identity{name: u.Name, email: u.Email}).display() }

// ListUnmapped lists a group's commit identities that no rule maps
// to a roster student (bots excluded): person by person, most commits
// first, each identity with a suggested student id where a rule suggests
// one.
func ListUnmapped(commits []workspace.Commit, roster []string, authors map[string]string) []Unmapped {
	return mergeIdentities(commits, roster, authors).unmapped(roster)
}

func (m *merged) unmapped(roster []string) []Unmapped {
	people := slices.DeleteFunc(m.people(), func(p person) bool { return p.bot || p.match.id != "" })
	slices.SortStableFunc(people, func(a, b person) int { return cmp.Compare(b.commits, a.commits) })
	idle := idleStudents(m, roster)
	var out []Unmapped
	for _, p := range people {
		suggested, reason := m.suggest(p, roster)
		if suggested == "" && len(idle) == 1 && len(people) == 1 {
			suggested, reason = idle[0], "the only roster student without commits, and the only unmapped person: check before mapping"
		}
		for i, id := range m.identities(p) {
			u := Unmapped{Key: id.Email, Name: id.Name, Email: id.Email, Commits: id.Commits,
				Suggested: suggested, Reason: reason}
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

// idleStudents are the roster students no identity maps to.
func idleStudents(m *merged, roster []string) []string {
	active := map[string]bool{}
	for _, p := range m.people() {
		active[p.match.id] = true
	}
	var idle []string
	for _, s := range roster {
		if sid := RosterID(s); !active[sid] && !slices.Contains(idle, sid) {
			idle = append(idle, sid)
		}
	}
	return idle
}

// idLike is a student id written with a digit too many or too few, or a
// wrong one ("s23162" for s213162).
var idLike = &lazyregexp.Regexp{Expr: `(?i)s\d{5,7}`}

// suggest finds a roster id written with a typo in one of a person's
// identities: exactly one roster id one edit away. reason also reports an
// id found that is not on the roster.
func (m *merged) suggest(p person, roster []string) (suggested, reason string) {
	for _, i := range p.members {
		id := m.ids[i]
		user, _, _ := strings.Cut(id.email, "@")
		for _, text := range []string{user, id.name, id.login} {
			for _, written := range idLike.FindAllString(text, -1) {
				written = strings.ToLower(written)
				var near []string
				for _, s := range roster {
					if sid := RosterID(s); oneEditApart(written, sid) && !slices.Contains(near, sid) {
						near = append(near, sid)
					}
				}
				if len(near) == 1 {
					return near[0], fmt.Sprintf("%q in %s is one typo away from roster id %s", written, id.display(), near[0])
				}
			}
		}
		if reason == "" {
			reason = id.hint
		}
	}
	return "", reason
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

// AuthorsGroup is one group's unmapped identities, for ExtendAuthorsCSV.
type AuthorsGroup struct {
	Group      int
	Identities []Unmapped
}

// authorsHeader starts a new authors.csv.
const authorsHeader = `author,student_id
# One line per commit author: their address (or name) and the student id it belongs to.
# A line without a student id lists an author not mapped yet: write the id after the separator.
`

// ExtendAuthorsCSV returns an authors.csv (existing: its current content,
// empty for a new file) extended with a section per group listing the
// identities it does not list yet: a comment line per group, then per
// identity a comment (name, commits, suggested id and why) and a line with
// its key and no student id, for the instructor to fill in. Every existing
// line is kept as it is, mapped or not; the file's separator and line ends
// are kept. addedGroups are the groups with the identities added. An
// existing file handin cannot read is an error, not rewritten.
func ExtendAuthorsCSV(existing []byte, groups []AuthorsGroup) (out []byte, addedGroups []AuthorsGroup, err error) {
	records, err := readAuthorsRecords(existing, "authors.csv")
	if err != nil {
		return nil, nil, err
	}
	listed := map[string]bool{}
	for _, r := range records {
		listed[r.key] = true
	}
	sep, eol := authorsSeparator(bytes.TrimPrefix(existing, []byte("\ufeff"))), "\n"
	if bytes.Contains(existing, []byte("\r\n")) {
		eol = "\r\n"
	}
	out = bytes.Clone(existing)
	if len(bytes.TrimSpace(bytes.TrimPrefix(out, []byte("\ufeff")))) == 0 {
		out = []byte(strings.ReplaceAll(strings.ReplaceAll(authorsHeader, ",", string(sep)), "\n", eol))
	} else if !bytes.HasSuffix(out, []byte("\n")) {
		out = append(out, eol...)
	}
	for _, g := range groups {
		var section bytes.Buffer
		added := AuthorsGroup{Group: g.Group}
		for _, u := range g.Identities {
			key := authorsKey(u.Key)
			if key == "" || listed[key] {
				continue
			}
			listed[key] = true
			added.Identities = append(added.Identities, u)
			section.WriteString(authorsComment(identityNote(u)) + eol)
			section.WriteString(authorsField(u.Key) + string(sep) + eol)
		}
		if n := len(added.Identities); n > 0 {
			out = append(out, authorsComment(fmt.Sprintf("group %d (%d unmapped)", g.Group, n))+eol...)
			out = append(out, section.Bytes()...)
			addedGroups = append(addedGroups, added)
		}
	}
	return out, addedGroups, nil
}

// identityNote describes an unmapped identity in its comment line.
func identityNote(u Unmapped) string {
	note := fmt.Sprintf("%s <%s>: %d commits", u.Name, u.Email, u.Commits)
	if u.Person != "" {
		note += "; same person as " + u.Person
	}
	switch {
	case u.Suggested != "":
		note += fmt.Sprintf("; suggested %s (%s)", u.Suggested, u.Reason)
	case u.Reason != "":
		note += "; " + u.Reason
	}
	return note
}

// listSeparators are the characters a spreadsheet may split a CSV line at,
// whatever the file's own separator: ',' or ';' by the locale's list
// separator (';' in Danish), a tab or '|' when told. authors.csv is opened
// in whatever the instructor has: every field of the student's text must be
// one cell, and no cell may start a formula, under each of them.
const listSeparators = ",;\t|"

// authorsComment is a comment line that a spreadsheet opens as one text
// cell: no list separator, quote or control character of the student's
// text survives in it.
func authorsComment(text string) string {
	return "# " + strings.Map(func(r rune) rune {
		if strings.ContainsRune(listSeparators, r) || r == '"' || unicode.IsControl(r) {
			return ' '
		}
		return r
	}, text)
}

// authorsField is a student's text as a CSV field that a spreadsheet opens
// as one text cell, whichever list separator it splits at: quoted when it
// holds one (or a quote or a line end), and marked as text with a leading
// ' when it would start a formula. Read back (readAuthorsRecords), it is
// the text again.
func authorsField(text string) string {
	if strings.IndexAny(text, "=+-@\t\r") == 0 {
		text = "'" + text
	}
	if strings.ContainsAny(text, listSeparators+"\"\r\n") || strings.HasPrefix(text, " ") {
		return `"` + strings.ReplaceAll(text, `"`, `""`) + `"`
	}
	return text
}

// MaxAuthorsFile bounds an authors.csv read (a line per commit identity).
const MaxAuthorsFile = 16 << 20

// ReadAuthorsCSV reads the instructor's authors.csv: two columns, a commit
// author's email or name and the student id it belongs to. A header line,
// blank lines, lines starting with # and a spreadsheet's byte-order mark and
// semicolon separators are allowed; a line without a student id lists an
// author not mapped yet (as ExtendAuthorsCSV writes them), and a leading '
// (a spreadsheet's mark for text) is not part of the author. Keys are
// normalised (normalizeEmail / normalizeName), ids lower-cased.
func ReadAuthorsCSV(path string) (map[string]string, error) {
	data, err := inputfile.Read(path, MaxAuthorsFile)
	if err != nil {
		return nil, fmt.Errorf("authors: %w", err)
	}
	return ParseAuthorsCSV(data, path)
}

// ParseAuthorsCSV reads an authors.csv's content (see ReadAuthorsCSV); name
// is the file's name, for errors. Empty content maps nothing.
func ParseAuthorsCSV(data []byte, name string) (map[string]string, error) {
	records, err := readAuthorsRecords(data, name)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	lineOf := map[string]int{}
	for _, r := range records {
		if r.id == "" {
			continue
		}
		if prev, ok := out[r.key]; ok && prev != r.id {
			return nil, fmt.Errorf("%s:%d: %q is mapped to %s on line %d and to %s here", name, r.line, r.author, prev, lineOf[r.key], r.id)
		}
		out[r.key], lineOf[r.key] = r.id, r.line
	}
	return out, nil
}

// authorsRecord is one line of authors.csv; id is "" for an author listed
// but not mapped yet.
type authorsRecord struct {
	author, key, id string
	line            int
}

// authorsSeparator is ';' when the file's first line is separated by
// semicolons (spreadsheets in Danish locales write them), else ','.
func authorsSeparator(data []byte) rune {
	firstLine, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Contains(firstLine, []byte(";")) && !bytes.Contains(firstLine, []byte(",")) {
		return ';'
	}
	return ','
}

func readAuthorsRecords(data []byte, name string) ([]authorsRecord, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = authorsSeparator(data)
	r.Comment = '#'
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	var out []authorsRecord
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
		author, sid := strings.TrimSpace(rec[0]), RosterID(rec[1])
		if sid != "" && !studentIDExact.MatchString(sid) {
			if first && !strings.ContainsAny(sid, "0123456789") {
				continue // a header ("author,student_id"), not a mistyped first id
			}
			return nil, fmt.Errorf("%s:%d: student id %q is not s + 6 digits", name, line, rec[1])
		}
		key := authorsKey(strings.TrimPrefix(author, "'")) // how a spreadsheet marks a cell as text
		if key == "" {
			return nil, fmt.Errorf("%s:%d: empty author", name, line)
		}
		out = append(out, authorsRecord{author: author, key: key, id: sid, line: line})
	}
}

// authorsKey is the form an authors.csv author is looked up in.
func authorsKey(author string) string {
	if strings.Contains(author, "@") {
		return normalizeEmail(author)
	}
	return normalizeName(author)
}
