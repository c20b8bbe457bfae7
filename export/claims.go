package export

import (
	"fmt"
	"net/url"
	"slices"

	"handin/grade"
	"handin/grade/claims"
)

// claimsSection is what templates/claims.html shows: the checklist judged
// against the repository.
type claimsSection struct {
	Rules string // the rule set that judged; "" when the claims were not judged
	Rows  []claimRow
	// Flagged are the ticked items without evidence, shown unfolded.
	Flagged []claimRow
	// TickedWithoutEvidence counts the rows the instructor looks at first.
	TickedWithoutEvidence int
}

// claimRow is one checklist item and its verdict.
type claimRow struct {
	Item     string
	Line     int // in the report
	Ticked   bool
	Verdict  claims.Status
	Flag     string // "bad": ticked without evidence; "note": unticked with evidence
	Evidence []evidenceGroup
	Missing  []string // what was looked for (no evidence)
	Reason   string   // why it cannot tell (files not kept: Unread lists them)
	Unread   []string
}

// evidenceGroup is the locations that show one need of a rule.
type evidenceGroup struct {
	What  string
	Links []evidenceLink
}

type evidenceLink struct {
	Text string // path or path:line
	Href string // the file (and line) on GitHub at the deadline commit; "" when not on GitHub
}

// newClaimsSection gathers the section; nil when there is nothing to show.
func newClaimsSection(r *grade.GroupResult) *claimsSection {
	if r.Claims == nil {
		return nil
	}
	s := &claimsSection{Rules: r.Claims.Rules}
	s.TickedWithoutEvidence = r.Claims.TickedWithoutEvidence()
	base := blobBase(r)
	for _, v := range r.Claims.Verdicts {
		s.Rows = append(s.Rows, newClaimRow(v, base))
	}
	// What the instructor needs first, then what the group undersold, then
	// the rest in the report's order.
	slices.SortStableFunc(s.Rows, func(a, b claimRow) int { return claimRank(a) - claimRank(b) })
	for _, row := range s.Rows {
		if row.Flag == "bad" {
			s.Flagged = append(s.Flagged, row)
		}
	}
	return s
}

func newClaimRow(v claims.Verdict, base string) claimRow {
	row := claimRow{Item: v.Item.Text, Line: v.Item.Line, Ticked: v.Item.Checked, Verdict: v.Status,
		Missing: v.Missing, Reason: v.Reason, Unread: v.Unread}
	switch {
	case v.Item.Checked && v.Status == claims.NoEvidence:
		row.Flag = "bad"
	case !v.Item.Checked && v.Status == claims.Evidence:
		row.Flag = "note"
	}
	if len(v.Unread) > 0 {
		row.Reason = fmt.Sprintf("%d file(s) that could show it were not kept by the scrape", len(v.Unread))
	}
	for _, l := range v.Evidence {
		i := slices.IndexFunc(row.Evidence, func(g evidenceGroup) bool { return g.What == l.What })
		if i < 0 {
			row.Evidence = append(row.Evidence, evidenceGroup{What: l.What})
			i = len(row.Evidence) - 1
		}
		row.Evidence[i].Links = append(row.Evidence[i].Links, evidenceLink{Text: grade.LocationText(l), Href: fileLink(base, l)})
	}
	return row
}

func claimRank(r claimRow) int {
	switch r.Flag {
	case "bad":
		return 0
	case "note":
		return 1
	}
	return 2
}

// fileLink links a file (and line) at the deadline commit on GitHub; "" when
// the repository is not on GitHub.
func fileLink(base string, l claims.Location) string {
	if base == "" {
		return ""
	}
	link := base + (&url.URL{Path: l.Path}).EscapedPath()
	if l.Line > 0 {
		link += fmt.Sprintf("#L%d", l.Line)
	}
	return link
}
