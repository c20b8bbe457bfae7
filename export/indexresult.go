package export

import (
	"handin/grade"
	"handin/grade/claims"
)

// indexResult is what the index shows of a result (see newRow): the index
// is written once every result has been read, one at a time, so it keeps
// only this much of each. The page-only parts go: the activity matrix,
// commit identities, checklist texts, the questions' problem texts (the
// group's findings keep them) and each claim but its tick and verdict
// where the two disagree. TestIndexOfIndexResults checks that the index
// shows the same from them.
func indexResult(r *grade.GroupResult) *grade.GroupResult {
	s := *r
	s.Stats.Activity, s.Stats.Contributions = nil, nil
	s.UnmatchedAuthors, s.UnmappedIdentities = nil, nil
	if r.Check != nil {
		c := *r.Check
		c.Students = nil
		c.Questions = make([]grade.QuestionResult, len(r.Check.Questions))
		for i, q := range r.Check.Questions {
			q.Problems, q.Answer = nil, nil
			c.Questions[i] = q
		}
		c.Checklist = make([]grade.ChecklistSummary, len(r.Check.Checklist))
		for i, cs := range r.Check.Checklist {
			c.Checklist[i] = grade.ChecklistSummary{Section: cs.Section, Checked: cs.Checked, Total: cs.Total}
		}
		s.Check = &c
	}
	if r.Claims != nil {
		c := &grade.ClaimsResult{Rules: r.Claims.Rules}
		for _, v := range r.Claims.Verdicts {
			if claimFlag(v) != "" {
				c.Verdicts = append(c.Verdicts, claims.Verdict{Item: claims.Item{Checked: v.Item.Checked}, Status: v.Status})
			}
		}
		s.Claims = c
	}
	return &s
}
