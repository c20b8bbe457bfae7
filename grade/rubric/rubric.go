// Package rubric reads a course's rubric: the points of each question of
// the report, or of a section of questions taken together, with optional
// named criteria. The gradebook lays its Score columns and Total out by
// it; scoring is the instructor's.
package rubric

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"handin/grade"
	"handin/internal/inputfile"
)

// Rubric is the points a report can score.
type Rubric struct {
	Questions []Question `toml:"question"`
	Sections  []Section  `toml:"section"`
}

// Question is one question's points: Points, or the sum of its criteria
// when it names any.
type Question struct {
	Number   int         `toml:"number"`
	Points   float64     `toml:"points"`
	Criteria []Criterion `toml:"criterion"`
}

// Section is questions scored together: Points (or its criteria's sum)
// for all of them; its questions have no points of their own, and a
// score typed on any of their rows counts for it.
type Section struct {
	Name      string      `toml:"name"`
	Questions []int       `toml:"questions"`
	Points    float64     `toml:"points"`
	Criteria  []Criterion `toml:"criterion"`
}

// Criterion is a named part of a question's or section's points.
type Criterion struct {
	Name   string  `toml:"name"`
	Points float64 `toml:"points"`
}

// maxFile bounds a rubric file (one of 31 questions is 1 KB).
const maxFile = 1 << 20

// Load reads a rubric file.
func Load(name string) (*Rubric, error) {
	data, err := inputfile.Read(name, maxFile)
	if err != nil {
		return nil, fmt.Errorf("rubric: %w", err)
	}
	r, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("rubric %s: %w", name, err)
	}
	return r, nil
}

// Parse reads a rubric as Load does, from its text.
func Parse(data []byte) (*Rubric, error) {
	var r Rubric
	meta, err := toml.Decode(string(data), &r)
	if err != nil {
		return nil, err
	}
	if unknown := meta.Undecoded(); len(unknown) > 0 {
		return nil, fmt.Errorf("unknown key %q", unknown[0].String())
	}
	if err := r.settle(); err != nil {
		return nil, err
	}
	return &r, nil
}

// settle checks the rubric and gives every question and section with
// criteria the sum of their points.
func (r *Rubric) settle() error {
	if len(r.Questions) == 0 && len(r.Sections) == 0 {
		return errors.New("no question and no section: nothing to score")
	}
	seen := map[int]string{}
	for i := range r.Questions {
		q := &r.Questions[i]
		where := fmt.Sprintf("question %d", q.Number)
		if q.Number < 1 {
			return fmt.Errorf("question number %d: must be positive", q.Number)
		}
		if seen[q.Number] != "" {
			return fmt.Errorf("%s is listed twice", where)
		}
		seen[q.Number] = where
		var err error
		if q.Points, err = points(where, q.Points, q.Criteria); err != nil {
			return err
		}
	}
	for i := range r.Sections {
		s := &r.Sections[i]
		if strings.TrimSpace(s.Name) == "" {
			return fmt.Errorf("section %d has no name", i+1)
		}
		where := fmt.Sprintf("section %q", s.Name)
		if len(s.Questions) == 0 {
			return fmt.Errorf("%s lists no questions", where)
		}
		for _, n := range s.Questions {
			if n < 1 {
				return fmt.Errorf("%s: question number %d: must be positive", where, n)
			}
			if seen[n] != "" {
				return fmt.Errorf("%s: question %d is already scored by %s", where, n, seen[n])
			}
			seen[n] = where
		}
		var err error
		if s.Points, err = points(where, s.Points, s.Criteria); err != nil {
			return err
		}
	}
	return nil
}

// points are the points of a question or section: given, or the sum of
// its criteria; both must agree.
func points(where string, given float64, criteria []Criterion) (float64, error) {
	sum := 0.0
	for _, c := range criteria {
		if strings.TrimSpace(c.Name) == "" {
			return 0, fmt.Errorf("%s: a criterion has no name", where)
		}
		if c.Points < 0 || math.IsInf(c.Points, 0) {
			return 0, fmt.Errorf("%s: criterion %q: points must be 0 or more", where, c.Name)
		}
		sum += c.Points
	}
	switch {
	case given < 0 || math.IsInf(given, 0):
		return 0, fmt.Errorf("%s: points must be 0 or more", where)
	case len(criteria) == 0:
		return given, nil
	case given != 0 && math.Abs(given-sum) > 1e-9:
		return 0, fmt.Errorf("%s: %s points, but its criteria add up to %s", where, Format(given), Format(sum))
	}
	return sum, nil
}

// Max is the most a report can score.
func (r *Rubric) Max() float64 {
	total := 0.0
	for _, q := range r.Questions {
		total += q.Points
	}
	for _, s := range r.Sections {
		total += s.Points
	}
	return total
}

// Of says how question n is scored: its own points (ok), or the section
// it is part of (section not nil); neither when the rubric leaves it out.
func (r *Rubric) Of(n int) (q *Question, section *Section) {
	for i := range r.Questions {
		if r.Questions[i].Number == n {
			return &r.Questions[i], nil
		}
	}
	for i := range r.Sections {
		if slices.Contains(r.Sections[i].Questions, n) {
			return nil, &r.Sections[i]
		}
	}
	return nil, nil
}

// Scored are the parts of the rubric a report is scored in: each question
// with points of its own, by number, and each section, as the questions
// any of whose scores counts for it.
func (r *Rubric) Scored() [][]int {
	var parts [][]int
	for _, q := range r.Questions {
		parts = append(parts, []int{q.Number})
	}
	for _, s := range r.Sections {
		parts = append(parts, s.Questions)
	}
	return parts
}

// Describe says what question n is scored by, for the gradebook's
// Criteria column: its criteria, or its section's; "" when neither.
func (r *Rubric) Describe(n int) string {
	q, s := r.Of(n)
	switch {
	case q != nil:
		return criteriaText(q.Criteria)
	case s != nil:
		nums := make([]string, len(s.Questions))
		for i, m := range s.Questions {
			nums[i] = strconv.Itoa(m)
		}
		text := fmt.Sprintf("section %s: %s points for questions %s together", s.Name, Format(s.Points), strings.Join(nums, ", "))
		if c := criteriaText(s.Criteria); c != "" {
			text += ": " + c
		}
		return text
	}
	return ""
}

func criteriaText(criteria []Criterion) string {
	parts := make([]string, len(criteria))
	for i, c := range criteria {
		parts[i] = fmt.Sprintf("%s (%s)", c.Name, Format(c.Points))
	}
	return strings.Join(parts, "; ")
}

// Format writes points with as few digits as they need (1, 0.5), a sum's
// rounding error aside (0.1 + 0.2 is 0.3).
func Format(p float64) string { return strconv.FormatFloat(math.Round(p*1e9)/1e9, 'f', -1, 64) }

// Init is a rubric of every question of the spec at one point, to edit.
func Init(spec *grade.Spec) *Rubric {
	r := &Rubric{}
	for _, q := range spec.Questions {
		r.Questions = append(r.Questions, Question{Number: q.Number, Points: 1})
	}
	return r
}

// WriteTOML writes the rubric in the format Load reads, with a comment
// that says how to edit it.
func (r *Rubric) WriteTOML(w io.Writer) error {
	var b strings.Builder
	b.WriteString(`# The points of the report's questions, for the gradebook's Score columns and
# Total (handin.toml: rubric = "rubric.toml"). Give a question its points, or
# named criteria whose points add up to its points:
#
#   [[question]]
#   number = 5
#   [[question.criterion]]
#   name = "names the tools"
#   points = 1
#
# or score questions together as a section (its questions then have no
# points of their own; a score on any of their rows counts for it):
#
#   [[section]]
#   name = "Cloud"
#   questions = [17, 18, 19]
#   points = 6
`)
	for _, q := range r.Questions {
		fmt.Fprintf(&b, "\n[[question]]\nnumber = %d\n", q.Number)
		if len(q.Criteria) == 0 {
			fmt.Fprintf(&b, "points = %s\n", Format(q.Points))
		}
		writeCriteria(&b, "question", q.Criteria)
	}
	for _, s := range r.Sections {
		nums := make([]string, len(s.Questions))
		for i, n := range s.Questions {
			nums[i] = strconv.Itoa(n)
		}
		fmt.Fprintf(&b, "\n[[section]]\nname = %q\nquestions = [%s]\n", s.Name, strings.Join(nums, ", "))
		if len(s.Criteria) == 0 {
			fmt.Fprintf(&b, "points = %s\n", Format(s.Points))
		}
		writeCriteria(&b, "section", s.Criteria)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeCriteria(b *strings.Builder, table string, criteria []Criterion) {
	for _, c := range criteria {
		fmt.Fprintf(b, "[[%s.criterion]]\nname = %q\npoints = %s\n", table, c.Name, Format(c.Points))
	}
}
