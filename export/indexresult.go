package export

import (
	"handin/grade"
	"handin/grade/claims"
)

// indexResult is what the index shows of a result (see newRow): the index
// is written once every result has been read, one at a time, so it keeps
// only this much of each. The page-only parts go: the activity matrix,
// commit identities, checklist texts and the evidence of each claim.
// TestIndexOfIndexResults checks that the index shows the same from them.
func indexResult(r *grade.GroupResult) *grade.GroupResult {
	s := *r
	s.Stats.Activity, s.Stats.Contributions = nil, nil
	s.UnmatchedAuthors, s.UnmappedIdentities = nil, nil
	if r.Check != nil {
		c := *r.Check
		c.Checklist = make([]grade.ChecklistSummary, len(r.Check.Checklist))
		for i, cs := range r.Check.Checklist {
			c.Checklist[i] = grade.ChecklistSummary{Section: cs.Section, Checked: cs.Checked, Total: cs.Total}
		}
		s.Check = &c
	}
	if r.Claims != nil {
		c := &grade.ClaimsResult{Rules: r.Claims.Rules, Verdicts: make([]claims.Verdict, len(r.Claims.Verdicts))}
		for i, v := range r.Claims.Verdicts {
			c.Verdicts[i] = claims.Verdict{Item: claims.Item{Checked: v.Item.Checked}, Status: v.Status}
		}
		s.Claims = c
	}
	return &s
}
