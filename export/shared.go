package export

import "handin/grade"

// sharedRow is one group this one shares git history with, as
// templates/shared.html shows it: a link to its page and the facts, a line
// each.
type sharedRow struct {
	Group int
	Page  string // the other group's page, relative to this one
	Brief string
	Facts []string
}

// sharedRows are the groups the result shares history with; none when it
// shares none.
func sharedRows(r *grade.GroupResult) []sharedRow {
	var rows []sharedRow
	for _, h := range r.SharedHistory {
		rows = append(rows, sharedRow{Group: h.Group, Page: pageFileName(h.Group), Brief: h.Brief(), Facts: h.Facts(r.Group)})
	}
	return rows
}
