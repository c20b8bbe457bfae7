package export

// Grading in the gradebook: by a rubric (Score and Comment per question, a
// Total per group that a spreadsheet computes) and by several graders (a
// Grader per group, dealt at its first export), each optional; and how far
// grading is, as the gradebook holds it, for the index and the pages.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"handin/export/gradebook"
	"handin/grade"
	"handin/grade/rubric"
)

// Headers of the grading columns, as the instructor sees them and other
// commands read them (feedback).
const (
	HeaderGrade    = "Grade"
	HeaderGradedBy = "Graded by"
	HeaderGrader   = "Grader"
	HeaderTotal    = "Total"
	HeaderMax      = "Max"
	HeaderScore    = "Score"
	HeaderComment  = "Comment"
)

// grading is what a course grades by: a rubric, graders; without either
// the gradebook is laid out as it always was.
type grading struct {
	rubric  *rubric.Rubric
	graders []string
}

func gradingOf(opts Options) grading { return grading{rubric: opts.Rubric, graders: opts.Graders} }

// totalFormula adds up a group's scores on the Questions sheet: it follows
// the Score and Group columns wherever the export puts them, and updates
// while the instructor types.
const totalFormula = "SUMIFS({" + SheetQuestions + "!" + HeaderScore + "},{" + SheetQuestions + "!Group},{Group})"

// layouts are handin's sheets as this course grades.
func (g grading) layouts() []gradebook.Layout {
	groups, questions := groupsLayout, questionsLayout
	// What the index and the pages show of each group's grading.
	groups.Report = []string{HeaderGrade, HeaderGradedBy, HeaderGrader}
	questions.Report = []string{HeaderScore}
	if g.rubric != nil {
		groups.Lead = slices.Concat(groups.Lead, []gradebook.Column{
			{Header: HeaderTotal, Width: 8, Formula: true}, {Header: HeaderMax, Width: 7},
		})
		questions.Required = []gradebook.Column{{Header: HeaderScore, Width: 8}, {Header: HeaderComment, Width: 40, Wrap: true}}
		questions.Facts = slices.Concat(questions.Facts, []gradebook.Column{{Header: "Points", Width: 8}, {Header: "Criteria", Width: 50, Wrap: true}})
	}
	if len(g.graders) > 0 {
		groups.Required = []gradebook.Column{{Header: HeaderGrader, Width: 10}}
		groups.Deal = &gradebook.Deal{Header: HeaderGrader, Values: g.graders}
	}
	return []gradebook.Layout{groups, findingsLayout, questions, studentsLayout, checklistLayout, claimsLayout, similarityLayout}
}

// groupRow is a group's row on the Groups sheet: with a rubric, its Total
// (a formula; none for a group whose report was not checked) and the most
// it can score after its state.
func (g grading) groupRow(r *grade.GroupResult) []any {
	values := groupRow(r)
	if g.rubric == nil {
		return values
	}
	var total, most any
	if r.Check != nil {
		total, most = gradebook.Formula{Text: totalFormula}, g.rubric.Max()
	}
	return slices.Insert(values, len(groupsLead), total, most)
}

// questionRow is a question's row on the Questions sheet: with a rubric,
// its points and criteria follow the facts.
func (g grading) questionRow(group int, q grade.QuestionResult) []any {
	values := []any{group, q.Number, q.Pass, q.Words, rangeMin(q.WordRange), rangeMax(q.WordRange),
		q.Images, rangeMin(q.ImageRange), rangeMax(q.ImageRange), strings.Join(questionNotes(q), "\n")}
	if g.rubric == nil {
		return values
	}
	var points any
	if own, _ := g.rubric.Of(q.Number); own != nil {
		points = own.Points
	}
	return append(values, points, g.rubric.Describe(q.Number))
}

// progress is how far a group's grading is, as the gradebook holds it
// after an export: its grade, who graded it and who is to, and with a
// rubric the sum of its scores.
type progress struct {
	Grade, GradedBy, Grader string
	// Total is the sum of the group's scores ("" when it has none); Max the
	// most it can score ("" without a rubric).
	Total, Max string
	// Graded: a grade is typed, or with a rubric every question and
	// section of it has a score.
	Graded bool
}

// progressOf is the progress of every group the gradebook holds grading
// of, by group, from the values it was written with.
func (g grading) progressOf(values map[string]map[string]map[string]string) map[int]*progress {
	out := map[int]*progress{}
	at := func(key string) *progress {
		n, err := strconv.Atoi(gradebook.SplitKey(key)[0])
		if err != nil {
			return nil // a row of the instructor's own, or of an invalid groups.csv row
		}
		if out[n] == nil {
			out[n] = &progress{}
		}
		return out[n]
	}
	groups := values[SheetGroups]
	for header, field := range map[string]func(*progress) *string{
		HeaderGrade:    func(p *progress) *string { return &p.Grade },
		HeaderGradedBy: func(p *progress) *string { return &p.GradedBy },
		HeaderGrader:   func(p *progress) *string { return &p.Grader },
	} {
		for key, v := range groups[header] {
			if p := at(key); p != nil && strings.TrimSpace(v) != "" {
				*field(p) = strings.TrimSpace(v)
			}
		}
	}
	scored := map[int]map[int]bool{} // questions with a score, by group
	sums := map[int]float64{}
	for key, v := range values[SheetQuestions][HeaderScore] {
		parts := gradebook.SplitKey(key)
		score, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if len(parts) != 2 || err != nil || at(key) == nil {
			continue
		}
		group, _ := strconv.Atoi(parts[0])
		q, err := strconv.Atoi(parts[1])
		if err != nil {
			continue
		}
		if scored[group] == nil {
			scored[group] = map[int]bool{}
		}
		scored[group][q], sums[group] = true, sums[group]+score
	}
	for group, p := range out {
		if _, ok := scored[group]; ok {
			p.Total = rubric.Format(sums[group])
		}
		if g.rubric != nil {
			p.Max = rubric.Format(g.rubric.Max())
		}
		p.Graded = p.Grade != "" || g.rubric != nil && scoredAll(g.rubric, scored[group])
	}
	return out
}

// scoredAll says whether every part of the rubric has a score among
// these questions.
func scoredAll(r *rubric.Rubric, scored map[int]bool) bool {
	for _, part := range r.Scored() {
		if !slices.ContainsFunc(part, func(q int) bool { return scored[q] }) {
			return false
		}
	}
	return len(r.Scored()) > 0
}

// gradedCount is how many groups of a state are graded, of how many.
type gradedCount struct {
	State     grade.State
	Graded, N int
}

// gradebookView is the grading of every group as the gradebook holds it
// after an export, for the index and the pages.
type gradebookView struct {
	grading
	progress map[int]*progress
}

// of is a group's progress; not graded when the gradebook holds nothing
// of its grading.
func (v gradebookView) of(group int) *progress {
	if p := v.progress[group]; p != nil {
		return p
	}
	p := &progress{}
	if v.rubric != nil {
		p.Max = rubric.Format(v.rubric.Max())
	}
	return p
}

// gradingSummary is the index's account of the grading: how many groups
// are graded, by state, and the view of each grader's groups.
type gradingSummary struct {
	Graded, Total int
	ByState       []gradedCount // the states that have groups
	Graders       []graderView
	Rubric        bool   // Total is shown
	Max           string // the most a report can score, with a rubric
}

// graderView is the view of one grader's groups on the index.
type graderView struct {
	ID, Name       string
	Groups, Graded int
}

// graderClass is the class of the rows of the grader at this position in
// the course's list: a grader's name is typed by a person, a class must
// be safe.
func graderClass(i int) string { return fmt.Sprintf("grader-%d", i+1) }

// summary counts the graded groups among these rows (every graded group
// and the groups.csv rows without a result, never graded) and lays out
// the graders' views.
func (v gradebookView) summary(rows []indexRow, gaps int) *gradingSummary {
	s := &gradingSummary{Total: len(rows) + gaps, Rubric: v.rubric != nil}
	if v.rubric != nil {
		s.Max = rubric.Format(v.rubric.Max())
	}
	counts := map[grade.State]*gradedCount{grade.StateFailed: {State: grade.StateFailed, N: gaps}}
	for _, st := range grade.States() {
		if counts[st] == nil {
			counts[st] = &gradedCount{State: st}
		}
	}
	for i, name := range v.graders {
		s.Graders = append(s.Graders, graderView{ID: "view-" + graderClass(i), Name: name})
	}
	for _, r := range rows {
		c := counts[r.State]
		c.N++
		if r.Progress.Graded {
			c.Graded++
			s.Graded++
		}
		if i := slices.IndexFunc(v.graders, func(g string) bool { return strings.EqualFold(g, r.Progress.Grader) }); i >= 0 {
			s.Graders[i].Groups++
			if r.Progress.Graded {
				s.Graders[i].Graded++
			}
		}
	}
	for _, st := range grade.States() {
		if counts[st].N > 0 {
			s.ByState = append(s.ByState, *counts[st])
		}
	}
	return s
}
