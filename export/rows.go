package export

import (
	"fmt"
	"strings"

	"handin/grade"
)

// missingFigureKinds are the findings that mean a figure is not shown on
// GitHub: the index and gradebook count them as "missing figures".
var missingFigureKinds = map[string]bool{
	grade.FindMissingFile:  true,
	grade.FindCaseMismatch: true,
	grade.FindOutsideRepo:  true,
}

// row is one group's line in the index and the gradebook's Groups sheet,
// derived once from its GroupResult.
type row struct {
	Group            int
	Status           string
	Passed           int
	Questions        int
	Unanswered       int
	MissingFigures   int
	ChecklistChecked int
	ChecklistTotal   int
	Commits          int
	Contributors     int
	LateCommits      int
	Backdating       bool // backdated or non-monotonic history
	Problems         []string
	Page             string // page path relative to the output folder
}

func newRow(r *grade.GroupResult) row {
	w := row{
		Group:        r.Group,
		Status:       r.Status,
		Commits:      r.Stats.Commits,
		Contributors: r.Stats.Contributors,
		LateCommits:  r.LateCommits,
		Backdating:   r.Backdated || r.NonMonotonic,
		Problems:     r.Problems,
		Page:         pagePath(r.Group),
	}
	if c := r.Check; c != nil {
		w.Passed = c.Passed
		w.Questions = len(c.Questions)
		for _, q := range c.Questions {
			for _, f := range q.Findings {
				switch {
				case f.Kind == grade.FindUnanswered:
					w.Unanswered++
				case missingFigureKinds[f.Kind]:
					w.MissingFigures++
				}
			}
		}
		for _, s := range c.Checklist {
			w.ChecklistChecked += s.Checked
			w.ChecklistTotal += s.Total
		}
	}
	return w
}

// questionNotes are the messages of a question's problems, then findings.
func questionNotes(q grade.QuestionResult) []string {
	notes := make([]string, 0, len(q.Problems)+len(q.Findings))
	for _, p := range q.Problems {
		notes = append(notes, p.Message)
	}
	for _, p := range q.Findings {
		notes = append(notes, p.Message)
	}
	return notes
}

// pagePath is a group page's path relative to the output folder, with
// forward slashes (it is also the link target in the index and gradebook).
func pagePath(group int) string { return PagesDir + "/" + pageFileName(group) }

func pageFileName(group int) string { return fmt.Sprintf("%03d.html", group) }

// studentList is the roster ids of a group, comma-separated.
func studentList(r *grade.GroupResult) string {
	ids := make([]string, len(r.Students))
	for i, s := range r.Students {
		ids[i] = s.ID
	}
	return strings.Join(ids, ", ")
}
