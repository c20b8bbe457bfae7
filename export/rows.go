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
	// LateWork: late commits changed the report or its figures; LateBots
	// counts the listed late commits bots made.
	LateWork bool
	LateBots int
	// Backdated is "yes" (evidence shows commits dated before the
	// deadline were pushed after it), "no", or "unknown" when the evidence
	// could not show it; "" without a deadline commit. History out of date
	// order (clock skew, a rebase) is no accusation and does not count.
	Backdated string
	// Reasons are the reasons for the state in words, most pressing
	// first: one per kind of finding (kindGroup.Text).
	Reasons []reasonText
	Page    string // page path relative to the output folder

	// ClaimsJudged: the checklist was judged against the repository, and
	// TickedWithoutEvidence counts its ticked items without evidence.
	ClaimsJudged          bool
	TickedWithoutEvidence int

	// CI is the CI status of the commit that counts (passing, failing,
	// pending, none, unknown); "" when the repository is not on GitHub.
	CI string

	// SharedAnswers counts the answers sharing passages with another
	// report's, SharedReport says the whole report does, and SharedWith
	// names those reports ("group 12, group 3 of mlops 2024").
	SharedAnswers int
	SharedReport  bool
	SharedWith    string
}

func newRow(r *grade.GroupResult) row {
	w := row{
		Group:        r.Group,
		Status:       string(r.Status),
		Commits:      r.Stats.Commits,
		Contributors: r.Stats.Contributors,
		LateCommits:  r.Pin.LateCommits,
		Backdated:    backdatedWord(r),
		Page:         pagePath(r.Group),
	}
	for _, g := range reasonGroups(groupFindings(r.Findings, nil)) {
		w.Reasons = append(w.Reasons, reasonText{Text: g.Text(), Level: g.Level, Anchor: g.Anchor})
		w.LateWork = w.LateWork || g.Kind == grade.KindLateWork
	}
	for _, c := range r.Pin.Late {
		if c.Bot {
			w.LateBots++
		}
	}
	w.ClaimsJudged, w.TickedWithoutEvidence = r.Claims != nil, r.Claims.TickedWithoutEvidence()
	if r.CI != nil {
		w.CI = string(r.CI.State)
	}
	var others []string
	for _, s := range r.Similar {
		if s.Question == 0 {
			w.SharedReport = true
		} else {
			w.SharedAnswers++
		}
		if !slices.Contains(others, s.Other()) {
			others = append(others, s.Other())
		}
	}
	w.SharedWith = strings.Join(others, ", ")
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

// reasonText is one reason for a group's state in words, its level and
// the id of its entry on the group's page.
type reasonText struct {
	Text   string
	Level  grade.Level
	Anchor string
}

// backdatedWord says whether the group backdated commits: "yes" on
// evidence, "no" when the evidence could have shown it, "unknown" when it
// could not (no sighting at or before the deadline, no push log); "" for
// a group without a deadline commit.
func backdatedWord(r *grade.GroupResult) string {
	switch {
	case !r.Status.Pinned():
		return ""
	case r.Pin.Backdated:
		return "yes"
	case r.Pin.BackdatingKnown:
		return "no"
	}
	return "unknown"
}

// questionNotes are the messages of a question's problems, then findings.
func questionNotes(q grade.QuestionResult) []string {
	notes := make([]string, 0, len(q.Problems)+len(q.Findings))
	for _, f := range slices.Concat(q.Problems, q.Findings) {
		notes = append(notes, f.Message)
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
