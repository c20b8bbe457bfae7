package export

import (
	"fmt"
	"slices"
	"strings"

	"handin/grade"
)

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
	// Backdating: evidence shows commits dated before the deadline were
	// pushed after it. History out of date order (clock skew, a rebase) is
	// no accusation and does not count.
	Backdating bool
	Problems   []string
	Page       string // page path relative to the output folder

	// ClaimsJudged: the checklist was judged against the repository, and
	// TickedWithoutEvidence counts its ticked items without evidence.
	ClaimsJudged          bool
	TickedWithoutEvidence int

	// CI is the CI status of the commit that counts (passing, failing,
	// pending, none, unknown); "" when the repository is not on GitHub.
	CI string
}

func newRow(r *grade.GroupResult) row {
	w := row{
		Group:        r.Group,
		Status:       string(r.Status),
		Commits:      r.Stats.Commits,
		Contributors: r.Stats.Contributors,
		LateCommits:  r.Pin.LateCommits,
		Backdating:   r.Pin.Backdated,
		Problems:     findingTexts(r.Problems()),
		Page:         pagePath(r.Group),
	}
	w.ClaimsJudged, w.TickedWithoutEvidence = r.Claims != nil, r.Claims.TickedWithoutEvidence()
	if r.CI != nil {
		w.CI = string(r.CI.State)
	}
	if c := r.Check; c != nil {
		w.Passed = c.Passed
		w.Questions = len(c.Questions)
		for _, q := range c.Questions {
			for _, f := range q.Findings {
				switch {
				case f.Kind == grade.KindUnanswered:
					w.Unanswered++
				case f.Kind.MissingFigure():
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
	for _, f := range slices.Concat(q.Problems, q.Findings) {
		notes = append(notes, f.Message)
	}
	return notes
}

// findingTexts are findings as one line each ("Q7: too few words: ...").
func findingTexts(findings []grade.Finding) []string {
	out := make([]string, len(findings))
	for i, f := range findings {
		out[i] = f.Text()
	}
	return out
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
