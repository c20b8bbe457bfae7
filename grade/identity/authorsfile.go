package identity

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"handin/internal/inputfile"
	"handin/internal/visible"
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
	// Basis is what the suggestion rests on, most certain first:
	// student-id, login, email-user, name, initials, only-one-left.
	Basis string `json:"basis,omitempty"`
}

// Display is the identity as pages and findings name it: "name <email>".
func (u Unmapped) Display() string { return (&identity{name: u.Name, email: u.Email}).display() }

// AuthorsGroup is one group's unmapped identities, for ExtendAuthorsCSV.
type AuthorsGroup struct {
	Group      int
	Identities []Unmapped
}

// authorsHeader starts a new authors.csv.
const authorsHeader = `author,student_id
# One line per commit author: their address (or name) and the student id it belongs to.
# A line without a student id lists an author not mapped yet: write the id after the separator.
# A line handin wrote with a student id is a suggestion, most certain first (its comment says why):
# keep the line to accept it, or change or clear the id.
`

// ExtendAuthorsCSV returns an authors.csv (existing: its current content,
// empty for a new file) extended with a section per group listing the
// identities it does not list yet: a comment line per group, then per
// identity a comment (name, commits, suggested id and why) and a line with
// its key and the suggested student id (none when nothing is suggested), for
// the instructor to accept, change or fill in. Every existing
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
			id := u.Suggested
			if !studentIDExact.MatchString(id) {
				id = "" // the file could not be read back: the comment names it
			}
			section.WriteString(authorsField(u.Key) + string(sep) + id + eol)
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
// Its parts are joined by " - ": a comment holds no list separator.
func identityNote(u Unmapped) string {
	note := fmt.Sprintf("%s <%s>: %d commits", u.Name, u.Email, u.Commits)
	if u.Person != "" {
		note += " - same person as " + u.Person
	}
	switch {
	case u.Suggested != "":
		note += fmt.Sprintf(" - suggested %s (%s)", u.Suggested, u.Reason)
	case u.Reason != "":
		note += " - " + u.Reason
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
// cell: no list separator, double quote (it becomes a single one) or
// control character of the student's text survives in it, and a character
// that would reorder or hide it is shown as its escape.
func authorsComment(text string) string {
	return "# " + strings.Map(func(r rune) rune {
		switch {
		case r == '"':
			return '\'' // a quote, not the start of a quoted field
		case strings.ContainsRune(listSeparators, r) || unicode.IsControl(r):
			return ' '
		}
		return r
	}, visible.String(text))
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
