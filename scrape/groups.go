package scrape

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"handin/internal/coursetime"
	"handin/internal/inputfile"
	"handin/internal/lazyregexp"
	"handin/workspace"
)

// Group is one row of groups.csv.
type Group struct {
	Number   int      // 0 when the row's group number is missing or invalid
	Students []string // non-empty student ids, as written (trimmed)
	// Roster is what the row says of its students besides their ids
	// (columns student_N_name, student_N_email, student_N_github): only the
	// students it says something of.
	Roster []workspace.Student
	// RawURL is repo_url as written. It may hold credentials: pass it
	// through RedactURL before showing it.
	RawURL   string
	URL      string     // normalised https clone URL, "" when invalid
	WebURL   string     // browsable URL without .git, e.g. https://github.com/o/r
	Deadline *time.Time // per-group extension (column deadline, as --deadline takes it)
	Branch   string     // column branch; "" means the remote's default branch
	Line     int        // 1-based line of the row in the file
	// Err is non-nil when the row is invalid; the group then gets status
	// invalid. Its message names file:line and every problem found. A row
	// repeating an earlier group number keeps that Number but has Err:
	// callers that key by Number must skip invalid rows.
	Err error
}

// Column names of groups.csv, matched case-insensitively.
const (
	colGroup    = "group_number"
	colURL      = "repo_url"
	colDeadline = "deadline"
	colBranch   = "branch"
)

// studentColumn matches student_1 ... student_N, and studentDetail the
// columns that say more of one: student_1_name, student_1_email,
// student_1_github.
var (
	studentColumn = &lazyregexp.Regexp{Expr: `^student_[0-9]+$`}
	studentDetail = &lazyregexp.Regexp{Expr: `^(student_[0-9]+)_(name|email|github)$`}
)

// header maps the columns ReadGroups uses to their index in a row.
type header struct {
	group, url, deadline, branch int // -1 when absent (deadline, branch)
	students                     []studentColumns
	width                        int
}

// studentColumns are the columns of one student: the id, and those that
// say more of them (-1 when absent).
type studentColumns struct {
	id, name, email, github int
}

func parseHeader(record []string) (header, error) {
	h := header{group: -1, url: -1, deadline: -1, branch: -1, width: len(record)}
	seen := map[string]bool{}
	for i, name := range record {
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		if seen[name] {
			return h, fmt.Errorf("column %q appears twice", name)
		}
		seen[name] = true
		switch {
		case name == colGroup:
			h.group = i
		case name == colURL:
			h.url = i
		case name == colDeadline:
			h.deadline = i
		case name == colBranch:
			h.branch = i
		case studentColumn.MatchString(name):
			h.students = append(h.students, studentColumns{id: i, name: -1, email: -1, github: -1})
		}
	}
	if h.group < 0 || h.url < 0 {
		return h, fmt.Errorf("header must name the columns %s and %s (got %q)", colGroup, colURL, strings.Join(record, ","))
	}
	for i, name := range record {
		m := studentDetail.FindStringSubmatch(strings.ToLower(strings.TrimSpace(name)))
		if m == nil {
			continue
		}
		j := slices.IndexFunc(h.students, func(sc studentColumns) bool { return strings.EqualFold(strings.TrimSpace(record[sc.id]), m[1]) })
		if j < 0 {
			return h, fmt.Errorf("column %q has no column %s", m[0], m[1])
		}
		switch m[2] {
		case "name":
			h.students[j].name = i
		case "email":
			h.students[j].email = i
		default:
			h.students[j].github = i
		}
	}
	return h, nil
}

// maxGroupsFile bounds groups.csv (a course of 1,000 groups writes 100 KB).
const maxGroupsFile = 16 << 20

// ReadGroups reads groups.csv from r; name is used in messages, and a
// deadline column written without a UTC offset is read in loc (the course's
// time zone). It fails only when the file as a whole is unusable (empty, or
// no valid header); a bad row becomes a Group with Err set and the other
// rows are still read. Blank lines and rows whose fields are all empty are
// skipped.
func ReadGroups(r io.Reader, name string, loc *time.Location) ([]Group, error) {
	data, err := inputfile.ReadFrom(r, name, maxGroupsFile)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	data = bytes.TrimPrefix(data, []byte(utf8BOM)) // Excel writes one into CSV exports

	var h header
	haveHeader := false
	var groups []Group
	firstLine := map[int]int{} // group number -> line of its first valid row
	linesBefore := 0           // lines of data before what cr reads
	cr := newCSVReader(data)
	for {
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var parseErr *csv.ParseError
		if errors.As(err, &parseErr) && haveHeader {
			start := linesBefore + parseErr.StartLine
			g := Group{Line: start, Err: fmt.Errorf("%s:%d: malformed CSV: %w", name, start, parseErr.Err)}
			if parseErr.Line > parseErr.StartLine {
				// An unbalanced quote ran on over the next lines: read those
				// again as rows of their own rather than lose them.
				g.Err = fmt.Errorf("%s:%d: malformed CSV: %w (a quote opened on this line is not closed)", name, start, parseErr.Err)
				data = afterLine(data, parseErr.StartLine)
				linesBefore = start
				cr = newCSVReader(data)
			}
			groups = append(groups, g)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		if allBlank(record) {
			continue
		}
		line, _ := cr.FieldPos(0)
		line += linesBefore
		if !haveHeader {
			if h, err = parseHeader(record); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", name, line, err)
			}
			haveHeader = true
			continue
		}
		g := parseRow(h, record, name, line, loc)
		if g.Err == nil {
			if first, dup := firstLine[g.Number]; dup {
				g.Err = fmt.Errorf("%s:%d: duplicate group number %d (first on line %d)", name, line, g.Number, first)
			} else {
				firstLine[g.Number] = line
			}
		}
		groups = append(groups, g)
	}
	if !haveHeader {
		return nil, fmt.Errorf("%s: empty file: expected a header %s,student_1,...,student_5,%s", name, colGroup, colURL)
	}
	return groups, nil
}

func newCSVReader(data []byte) *csv.Reader {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	return cr
}

// afterLine is data without its first n lines.
func afterLine(data []byte, n int) []byte {
	for ; n > 0 && len(data) > 0; n-- {
		_, data, _ = bytes.Cut(data, []byte("\n"))
	}
	return data
}

// ReadGroupsFile reads a groups.csv file (see ReadGroups).
func ReadGroupsFile(path string, loc *time.Location) ([]Group, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read groups: %w", err)
	}
	defer f.Close()
	return ReadGroups(f, path, loc)
}

// parseRow checks one data row, collecting every problem into Err.
func parseRow(h header, record []string, name string, line int, loc *time.Location) Group {
	g := Group{Line: line}
	var problems []string
	field := func(i int) string {
		if i < 0 || i >= len(record) {
			return ""
		}
		return strings.TrimSpace(record[i])
	}
	if len(record) != h.width {
		problems = append(problems, fmt.Sprintf("has %d fields, the header has %d", len(record), h.width))
	}

	switch raw := field(h.group); {
	case raw == "":
		problems = append(problems, "missing group number")
	default:
		n, err := strconv.Atoi(raw)
		if err != nil || n <= 0 {
			problems = append(problems, fmt.Sprintf("group number %q is not a positive integer", raw))
		} else {
			g.Number = n
		}
	}
	for _, sc := range h.students {
		st := workspace.Student{ID: field(sc.id), Name: field(sc.name), Email: field(sc.email), GitHub: field(sc.github)}
		if st.ID != "" {
			g.Students = append(g.Students, st.ID)
		}
		switch st, err := checkStudent(st); {
		case st == (workspace.Student{ID: st.ID}):
		case st.ID == "":
			problems = append(problems, fmt.Sprintf("%s given without its student id", studentNote(st)))
		case err != nil:
			problems = append(problems, err.Error())
		default:
			g.Roster = append(g.Roster, st)
		}
	}

	g.RawURL = field(h.url)
	if g.RawURL == "" {
		problems = append(problems, "missing "+colURL)
	} else if clone, web, err := NormalizeURL(g.RawURL); err != nil {
		problems = append(problems, err.Error())
	} else {
		g.URL, g.WebURL = clone, web
	}

	if raw := field(h.deadline); raw != "" {
		d, err := coursetime.ParseDeadline(raw, loc)
		if err != nil {
			problems = append(problems, err.Error())
		} else {
			g.Deadline = &d
		}
	}

	if raw := field(h.branch); raw != "" {
		branch := strings.TrimPrefix(raw, "refs/heads/")
		if err := checkBranchName(branch); err != nil {
			problems = append(problems, err.Error())
		} else if plumbing.NewBranchReferenceName(branch).Validate() != nil {
			problems = append(problems, fmt.Sprintf("branch %q is not a valid branch name", raw))
		} else {
			g.Branch = branch
		}
	}

	if len(problems) > 0 {
		g.Err = fmt.Errorf("%s:%d: %s", name, line, strings.Join(problems, "; "))
	}
	return g
}

// studentNote names what the roster says of a student ("name Anna Berg").
func studentNote(st workspace.Student) string {
	var parts []string
	for _, p := range [][2]string{{"name", st.Name}, {"email", st.Email}, {"GitHub login", st.GitHub}} {
		if p[1] != "" {
			parts = append(parts, p[0]+" "+strconv.Quote(p[1]))
		}
	}
	return strings.Join(parts, ", ")
}

func allBlank(record []string) bool {
	for _, f := range record {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

const utf8BOM = "\ufeff"
