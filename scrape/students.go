package scrape

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"handin/internal/github"
	"handin/workspace"
)

// The students file's columns, by the names a class list may give them
// (matched case-insensitively, spaces and underscores alike): the id is
// required, the rest optional; a first and a last name make the name.
var studentsColumns = map[string][]string{
	"id":     {"id", "student id", "student", "student number", "studienummer"},
	"name":   {"name", "full name", "navn"},
	"first":  {"first name", "given name", "fornavn"},
	"last":   {"last name", "family name", "surname", "efternavn"},
	"email":  {"email", "e-mail", "mail", "email address"},
	"github": {"github", "github login", "github username", "github user"},
}

// ReadStudentsFile reads the students file: a CSV with a header naming the
// columns id, name, email and github (or as a class list names them, see
// studentsColumns), one student a row, by student id. A byte-order mark,
// semicolon separators and blank rows are allowed; a row without an id, a
// student listed twice, an address without @ or a GitHub login GitHub would
// not allow is an error naming the file and line.
func ReadStudentsFile(path string) ([]workspace.Student, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read students: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte(utf8BOM))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	if first, _, _ := bytes.Cut(data, []byte("\n")); bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';' // spreadsheets in Danish locales write them
	}
	var cols map[string]int
	var out []workspace.Student
	lineOf := map[string]int{}
	for {
		record, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read students %s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		if allBlank(record) {
			continue
		}
		if cols == nil {
			if cols, err = studentsHeader(record); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", path, line, err)
			}
			continue
		}
		field := func(col string) string {
			if i, ok := cols[col]; ok && i < len(record) {
				return strings.TrimSpace(record[i])
			}
			return ""
		}
		st := workspace.Student{ID: field("id"), Name: field("name"), Email: field("email"), GitHub: field("github")}
		if st.Name == "" {
			st.Name = strings.TrimSpace(field("first") + " " + field("last"))
		}
		if st.ID == "" {
			return nil, fmt.Errorf("%s:%d: no student id", path, line)
		}
		key := strings.ToLower(st.ID)
		if first, dup := lineOf[key]; dup {
			return nil, fmt.Errorf("%s:%d: student %s is listed on line %d already", path, line, st.ID, first)
		}
		lineOf[key] = line
		if st, err = checkStudent(st); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		out = append(out, st)
	}
	if cols == nil {
		return nil, fmt.Errorf("%s: empty file: expected a header id,name,email,github", path)
	}
	return out, nil
}

// studentsHeader maps the students file's columns to their index.
func studentsHeader(record []string) (map[string]int, error) {
	cols := map[string]int{}
	for i, name := range record {
		name = strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(name, "_", " "))), " ")
		for col, names := range studentsColumns {
			if _, taken := cols[col]; !taken && slices.Contains(names, name) {
				cols[col] = i
			}
		}
	}
	if _, ok := cols["id"]; !ok {
		return nil, fmt.Errorf("header must name a column id (and any of name, email, github), got %q", strings.Join(record, ","))
	}
	return cols, nil
}

// checkStudent checks and tidies what the roster says of a student: a name
// with its spaces folded, an address with an @, a GitHub login as GitHub
// allows them (written as a login, @login or its profile URL).
func checkStudent(st workspace.Student) (workspace.Student, error) {
	st.Name = strings.Join(strings.Fields(strings.ToValidUTF8(st.Name, "")), " ")
	if st.Email != "" && (!strings.Contains(st.Email, "@") || strings.ContainsAny(st.Email, " \t,;<>")) {
		return st, fmt.Errorf("student %s: %q is not an email address", st.ID, st.Email)
	}
	login := strings.TrimPrefix(strings.TrimSuffix(st.GitHub, "/"), "@")
	for _, prefix := range []string{"https://github.com/", "http://github.com/", "github.com/"} {
		login = strings.TrimPrefix(login, prefix)
	}
	if login != "" && (!github.ValidLogin(login) || strings.HasSuffix(login, "[bot]")) {
		return st, fmt.Errorf("student %s: %q is not a GitHub login", st.ID, st.GitHub)
	}
	st.GitHub = login
	return st, nil
}

// withStudents is what groups.csv's row and the students file (by id) say
// of the group's students: the row's columns first, the file for what they
// leave empty.
func withStudents(g Group, file []workspace.Student) []workspace.Student {
	var out []workspace.Student
	for _, id := range g.Students {
		st := workspace.Student{ID: id}
		for _, src := range [][]workspace.Student{g.Roster, file} {
			for _, s := range src {
				if strings.EqualFold(s.ID, id) {
					st.Name = cmp.Or(st.Name, s.Name)
					st.Email = cmp.Or(st.Email, s.Email)
					st.GitHub = cmp.Or(st.GitHub, s.GitHub)
				}
			}
		}
		if st != (workspace.Student{ID: id}) {
			out = append(out, st)
		}
	}
	return out
}
