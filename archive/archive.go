// Package archive keeps the deadline answers of finished courses, so that
// later courses can be compared with them. An archive is a folder with one
// file per course and year, <course>-<year>.jsonl: a JSON line per answer
// holding its course, year, group, question and text, and nothing else (no
// names, no student ids, no repositories), so that it is safe to keep for
// years.
package archive

import (
	"bufio"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"handin/internal/atomicfile"
)

// Answer is one archived answer.
type Answer struct {
	Course   string `json:"course"`
	Year     int    `json:"year"`
	Group    int    `json:"group"`
	Question int    `json:"question"`
	Text     string `json:"text"`
}

// Report is one group's archived answers, by question.
type Report struct {
	Course  string
	Year    int
	Group   int
	Answers []Answer
}

// Course is one course of the archive: how many reports and answers it
// holds.
type Course struct {
	Course  string `json:"course"`
	Year    int    `json:"year"`
	Reports int    `json:"reports"`
	Answers int    `json:"answers"`
	File    string `json:"file"`
}

// courseName is what a course may be called: its name is part of a file
// name.
var courseName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// CheckName says why a course cannot be called name in the archive.
func CheckName(name string) error {
	if !courseName.MatchString(name) {
		return fmt.Errorf("course name %q: use letters, digits, '.', '_' and '-' (at most 100, first a letter or digit)", name)
	}
	return nil
}

// fileOf is the archive file of a course and year.
func fileOf(dir, course string, year int) (string, error) {
	if err := CheckName(course); err != nil {
		return "", err
	}
	if year < 1000 || year > 9999 {
		return "", fmt.Errorf("course year %d is not a year", year)
	}
	return filepath.Join(dir, course+"-"+strconv.Itoa(year)+".jsonl"), nil
}

// Add stores a course's reports in the archive folder dir (made when
// missing), replacing what it held for the same course and year; the file
// is written atomically, so a reader sees the old course or the new one.
// Each report's Course and Year are course's and year.
func Add(dir, course string, year int, reports []Report) (string, error) {
	name, err := fileOf(dir, course, year)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("archive: %w", err)
	}
	reports = slices.Clone(reports)
	slices.SortFunc(reports, func(a, b Report) int { return cmp.Compare(a.Group, b.Group) })
	err = atomicfile.Stream(name, 0o644, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		for _, r := range reports {
			for _, a := range r.Answers {
				if err := enc.Encode(Answer{Course: course, Year: year, Group: r.Group, Question: a.Question, Text: a.Text}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("archive %s: %w", name, err)
	}
	return name, nil
}

// files are the archive's course files, by name.
func files(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".jsonl") && !atomicfile.IsTemp(e.Name()) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out, nil
}

// List says what the archive in dir holds, a course a line in file order.
// A file that cannot be read is an error naming it; the others are listed.
func List(dir string) ([]Course, error) {
	names, err := files(dir)
	if err != nil {
		return nil, err
	}
	var out []Course
	var errs []error
	for _, name := range names {
		c := Course{File: filepath.Base(name)}
		err := readFile(name, func(r Report) {
			c.Course, c.Year = r.Course, r.Year
			c.Reports++
			c.Answers += len(r.Answers)
		})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, c)
	}
	return out, errors.Join(errs...)
}

// Read calls fn with each report of the archive, one at a time, file by
// file: an archive of many years is never held whole. A file that cannot
// be read is an error naming it (and its line); the reports read before the
// bad line and the other files are still given.
func Read(dir string, fn func(Report)) error {
	names, err := files(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, name := range names {
		errs = append(errs, readFile(name, fn))
	}
	return errors.Join(errs...)
}

// maxLine bounds an archived answer's line (an answer of a report of at most
// 8 MiB, escaped).
const maxLine = 64 << 20

// readFile reads one course file, grouping its consecutive lines of a group
// into a report.
func readFile(name string, fn func(Report)) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, maxLine)
	var r Report
	flush := func() {
		if len(r.Answers) > 0 {
			fn(r)
		}
		r = Report{}
	}
	for line := 1; sc.Scan(); line++ {
		var a Answer
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			flush()
			return fmt.Errorf("archive %s:%d: %w", name, line, err)
		}
		if len(r.Answers) > 0 && (a.Group != r.Group || a.Course != r.Course || a.Year != r.Year) {
			flush()
		}
		r.Course, r.Year, r.Group = a.Course, a.Year, a.Group
		r.Answers = append(r.Answers, a)
	}
	flush()
	if err := sc.Err(); err != nil {
		return fmt.Errorf("archive %s: %w", name, err)
	}
	return nil
}
