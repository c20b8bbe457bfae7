package export

// The Claims sheet: every checklist item of every group with its verdict
// against the deadline tree, one row each, so that the instructor can
// filter the ticked items without evidence and note what they found.

import (
	"fmt"
	"strings"

	"handin/export/gradebook"
	"handin/grade"
	"handin/grade/claims"
)

// SheetClaims is the gradebook's sheet of checklist claims.
const SheetClaims = "Claims"

// The Flag column: the two verdicts worth the instructor's attention.
// Ticked without evidence comes first; an unticked item the repository
// shows is worth a look too (the group may have undersold its work).
const (
	flagTickedWithoutEvidence = "ticked without evidence"
	flagUntickedWithEvidence  = "unticked with evidence"
)

var claimsLayout = gradebook.Layout{
	Name: SheetClaims,
	Key:  []string{"Group", "Item"},
	Lead: []gradebook.Column{
		{Header: "Group", Width: 8}, {Header: "Item", Width: 50, Wrap: true}, {Header: "Ticked", Width: 8},
		{Header: "Verdict", Width: 12},
		{Header: "Flag", Width: 24, Colors: map[any]gradebook.Color{flagTickedWithoutEvidence: red, flagUntickedWithEvidence: blue}},
	},
	Offered: []gradebook.Column{{Header: "Comment", Width: 40, Wrap: true}, {Header: "Checked by", Width: 12}},
	Facts: []gradebook.Column{
		{Header: "Evidence", Width: 36, Wrap: true}, {Header: "Looked for / Reason", Width: 50, Wrap: true},
		{Header: "Files not kept", Width: 8}, {Header: "Section", Width: 14}, {Header: "Module", Width: 10},
		{Header: "Line in the report", Width: 8}, {Header: "Rule", Width: 18},
	},
	Freeze:   2, // the group and the item stay in view beside the evidence
	FitWidth: true,
}

// claimsRows are a group's rows on the Claims sheet, in report order; none
// when its checklist was not judged.
func claimsRows(r *grade.GroupResult) [][]any {
	if r.Claims == nil {
		return nil
	}
	sections := itemSections(r.Check, len(r.Claims.Verdicts))
	base := blobBase(r)
	rows := make([][]any, len(r.Claims.Verdicts))
	for i, v := range r.Claims.Verdicts {
		var line any
		if v.Item.Line > 0 {
			line = v.Item.Line
		}
		rows[i] = []any{
			r.Group, v.Item.Text, yesNo(v.Item.Checked), string(v.Status), claimFlag(v),
			evidenceCell(v.Evidence, base), lookedFor(v), len(v.Unread), sections[i], v.Item.Module, line, v.Rule,
		}
	}
	return rows
}

// itemSections are the checklist sections of the judged items, which are
// the checklist's items in report order; "" for each when the two do not
// line up (a result edited by hand).
func itemSections(c *grade.CheckResult, items int) []string {
	var sections []string
	if c != nil {
		for _, s := range c.Checklist {
			for range s.Items {
				sections = append(sections, s.Section)
			}
		}
	}
	if len(sections) != items {
		return make([]string, items)
	}
	return sections
}

// claimFlag is the verdict's Flag: whether the tick and the repository
// disagree; "" when they agree or the repository cannot tell.
func claimFlag(v claims.Verdict) string {
	switch {
	case v.Item.Checked && v.Status == claims.NoEvidence:
		return flagTickedWithoutEvidence
	case !v.Item.Checked && v.Status == claims.Evidence:
		return flagUntickedWithEvidence
	}
	return ""
}

// evidenceCell is the evidence as "path:line", one a line, the cell linked
// to the first at the deadline commit when the repository is on GitHub.
func evidenceCell(evidence []claims.Location, base string) any {
	if len(evidence) == 0 {
		return nil
	}
	lines := make([]string, len(evidence))
	for i, l := range evidence {
		lines[i] = grade.LocationText(l)
	}
	text := strings.Join(lines, "\n")
	if link := fileLink(base, evidence[0]); link != "" {
		return gradebook.Link{Text: text, Target: link}
	}
	return text
}

// shownUnread is how many of the files not kept a reason names: the Files
// not kept column has the count, the group's page the rest.
const shownUnread = 3

// lookedFor is what was looked for and not found, and why the repository
// cannot settle the item, a line each.
func lookedFor(v claims.Verdict) string {
	var lines []string
	if len(v.Missing) > 0 {
		lines = append(lines, "looked for "+strings.Join(v.Missing, "; "))
	}
	reason := v.Reason
	if len(v.Unread) > 0 { // the reason lists every file: a few say enough
		reason = "the files that could show it were not kept: " + strings.Join(v.Unread[:min(len(v.Unread), shownUnread)], ", ")
		if more := len(v.Unread) - shownUnread; more > 0 {
			reason += fmt.Sprintf(" and %d more", more)
		}
	}
	if reason != "" {
		lines = append(lines, reason)
	}
	return strings.Join(lines, "\n")
}

// sharedHistoryGroups names the groups whose repositories share history
// with this one: "12, 40".
func sharedHistoryGroups(r *grade.GroupResult) string {
	groups := make([]string, len(r.SharedHistory))
	for i, h := range r.SharedHistory {
		groups[i] = fmt.Sprint(h.Group)
	}
	return strings.Join(groups, ", ")
}

// tickedWithoutEvidence is the Groups sheet's count; nil (an empty cell,
// not 0) when the checklist was not judged.
func tickedWithoutEvidence(r *grade.GroupResult) any {
	if r.Claims == nil {
		return nil
	}
	return r.Claims.TickedWithoutEvidence()
}
