package rubric

import (
	"bytes"
	"strings"
	"testing"

	"handin/grade"
)

// A rubric of every question of a spec at one point reads back as written,
// and scores the spec's every question.
func TestInitWritesWhatLoadReads(t *testing.T) {
	spec, err := grade.LoadSpec("2026")
	if err != nil {
		t.Fatal(err)
	}
	r := Init(spec)
	var buf bytes.Buffer
	if err := r.WriteTOML(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := Parse(buf.Bytes())
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if back.Max() != float64(len(spec.Questions)) || len(back.Scored()) != len(spec.Questions) {
		t.Errorf("max %v over %d parts, want %d", back.Max(), len(back.Scored()), len(spec.Questions))
	}
}

// Criteria give a question or a section its points; a section scores its
// questions together, and the whole rubric round-trips.
func TestCriteriaAndSections(t *testing.T) {
	r, err := Parse([]byte(`
[[question]]
number = 1
points = 0.5

[[question]]
number = 5
[[question.criterion]]
name = "names the tools"
points = 1
[[question.criterion]]
name = "says why"
points = 2

[[section]]
name = "Cloud"
questions = [17, 18]
points = 4
`))
	if err != nil {
		t.Fatal(err)
	}
	if r.Max() != 7.5 {
		t.Errorf("max %v, want 7.5", r.Max())
	}
	if q, _ := r.Of(5); q == nil || q.Points != 3 {
		t.Errorf("question 5: %+v, want 3 points from its criteria", q)
	}
	if got := r.Describe(18); got != "section Cloud: 4 points for questions 17, 18 together" {
		t.Errorf("question 18 described as %q", got)
	}
	if got := r.Describe(5); got != "names the tools (1); says why (2)" {
		t.Errorf("question 5 described as %q", got)
	}
	var buf bytes.Buffer
	if err := r.WriteTOML(&buf); err != nil {
		t.Fatal(err)
	}
	if back, err := Parse(buf.Bytes()); err != nil || back.Max() != 7.5 || len(back.Sections) != 1 {
		t.Errorf("written and read back: %+v, %v\n%s", back, err, buf.String())
	}
}

// A rubric that cannot be right is refused, saying where.
func TestRefusesWhatCannotBeRight(t *testing.T) {
	for text, want := range map[string]string{
		"":                           "nothing to score",
		"[[question]]\nnumber = 0\n": "must be positive",
		"[[question]]\nnumber = 2\n[[question]]\nnumber = 2\n":                                     "question 2 is listed twice",
		"[[question]]\nnumber = 3\npoints = -1\n":                                                  "points must be 0 or more",
		"[[question]]\nnumber = 3\npoints = 2\n[[question.criterion]]\nname = \"a\"\npoints = 1\n": "criteria add up to 1",
		"[[question]]\nnumber = 3\n[[section]]\nname = \"S\"\nquestions = [3]\n":                   `question 3 is already scored by question 3`,
		"[[question]]\nnumber = 3\npont = 2\n":                                                     `unknown key "question.pont"`,
		"[[section]]\nquestions = [3]\n":                                                           "section 1 has no name",
	} {
		if _, err := Parse([]byte(text)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", text, err, want)
		}
	}
}

// Points are written with the digits they need, a sum's rounding error
// aside.
func TestFormat(t *testing.T) {
	for p, want := range map[float64]string{1: "1", 0.5: "0.5", 0.1 + 0.2: "0.3", 31: "31", 15.25: "15.25"} {
		if got := Format(p); got != want {
			t.Errorf("Format(%v) = %q, want %q", p, got, want)
		}
	}
}
