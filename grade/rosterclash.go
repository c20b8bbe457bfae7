package grade

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"handin/workspace"
)

// rosterClashes finds the rows of groups.csv that list one student twice,
// or one repository twice: one group handing in twice, a student enrolled
// in two groups, a row pasted with the wrong link. Each group whose row
// takes part is told, naming both lines. Rows with one group number are
// left to the scrape, which refuses the second as a duplicate number.
func rosterClashes(roster workspace.Roster) map[int][]Finding {
	file := cmp.Or(filepath.Base(roster.File), "groups.csv")
	byStudent, byRepo := map[string][]int{}, map[string][]int{} // -> row indexes
	for i, row := range roster.Rows {
		seen := map[string]bool{}
		for _, id := range row.Students {
			id = strings.ToLower(strings.TrimSpace(id))
			if id != "" && !seen[id] {
				seen[id] = true
				byStudent[id] = append(byStudent[id], i)
			}
		}
		if row.Repo != "" {
			byRepo[row.Repo] = append(byRepo[row.Repo], i)
		}
	}
	type pair struct{ a, b int } // row indexes, a < b
	students := map[pair][]string{}
	for id, rows := range byStudent {
		for x, a := range rows {
			for _, b := range rows[x+1:] {
				students[pair{a, b}] = append(students[pair{a, b}], id)
			}
		}
	}
	out := map[int][]Finding{}
	tell := func(a, b int, kind Kind, what func(this, other workspace.RosterRow) string) {
		ra, rb := roster.Rows[a], roster.Rows[b]
		if ra.Group == rb.Group {
			return
		}
		for _, side := range [][2]workspace.RosterRow{{ra, rb}, {rb, ra}} {
			this, other := side[0], side[1]
			if this.Folder && this.Group > 0 {
				out[this.Group] = append(out[this.Group], newFinding(kind, 0, "%s; this group is line %d",
					what(this, other), this.Line))
			}
		}
	}
	for p, ids := range students {
		slices.Sort(ids)
		tell(p.a, p.b, KindStudentTwoRows, func(_, other workspace.RosterRow) string {
			return fmt.Sprintf("%s also on %s", strings.Join(ids, ", "), rowName(file, other))
		})
	}
	for repo, rows := range byRepo {
		for x, a := range rows {
			for _, b := range rows[x+1:] {
				tell(a, b, KindSameRepository, func(_, other workspace.RosterRow) string {
					return fmt.Sprintf("%s names the same repository, %s", rowName(file, other), repo)
				})
			}
		}
	}
	for g := range out {
		slices.SortFunc(out[g], func(x, y Finding) int { return cmp.Or(cmp.Compare(x.Kind, y.Kind), cmp.Compare(x.Message, y.Message)) })
	}
	return out
}

// rowName: "line 7 of groups.csv (group 5)".
func rowName(file string, row workspace.RosterRow) string {
	if row.Group == 0 {
		return fmt.Sprintf("line %d of %s (no group number)", row.Line, file)
	}
	return fmt.Sprintf("line %d of %s (group %d)", row.Line, file, row.Group)
}

// rosterKinds are the kinds rosterClashes finds.
var rosterKinds = []Kind{KindStudentTwoRows, KindSameRepository}

// setRosterClashes replaces the result's findings of rows of groups.csv
// clashing with its own, at the course's levels. It reports whether
// anything changed.
func (r *GroupResult) setRosterClashes(clashes []Finding, levels Levels) bool {
	var old []Finding
	for _, f := range r.Findings {
		if slices.Contains(rosterKinds, f.Kind) {
			old = append(old, f)
		}
	}
	if slices.EqualFunc(old, clashes, func(a, b Finding) bool { return a.Kind == b.Kind && a.Message == b.Message }) {
		return false
	}
	r.replaceFindings(rosterKinds, clashes, levels)
	return true
}
