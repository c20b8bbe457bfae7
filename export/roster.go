package export

import (
	"fmt"
	"strconv"

	"handin/grade"
	"handin/workspace"
)

// rosterGap is a groups.csv row, as the last scrape read it, that has no
// result of its own: the gradebook lists it as failed, with its students,
// so that no group of the roster is missing from the Groups sheet.
type rosterGap struct {
	// Key is the row's Group cell: the group number, or "line N" for a row
	// without a number of its own (a duplicate or missing number).
	Key      any
	Students []string
	URL      string
	Problem  string
}

// rosterGaps are the roster's rows without a result. A row owns its group
// number's folder as scrape decides it (the first valid row with that
// number, else the first invalid one): the owner of a graded group is that
// group's row; every other row with the number is a gap of its own.
func rosterGaps(ws *workspace.Workspace, results []*grade.GroupResult) ([]rosterGap, error) {
	roster, err := ws.LoadRoster()
	if err != nil {
		return nil, err
	}
	graded := map[int]bool{}
	for _, r := range results {
		graded[r.Group] = true
	}
	owners := folderOwners(roster.Rows)
	var gaps []rosterGap
	for i, row := range roster.Rows {
		owner, hasOwner := owners[row.Group]
		isOwner := hasOwner && owner == i
		if isOwner && graded[row.Group] {
			continue
		}
		gap := rosterGap{Key: row.Group, Students: row.Students, URL: row.URL, Problem: row.Error}
		if !isOwner {
			gap.Key = "line " + strconv.Itoa(row.Line)
		}
		if gap.Problem == "" {
			gap.Problem = fmt.Sprintf("%s:%d: no result yet (not scraped or graded)", roster.File, row.Line)
		}
		gaps = append(gaps, gap)
	}
	return gaps, nil
}

// folderOwners maps a group number to the index of the roster row that
// owns its workspace folder: valid rows first, then invalid rows for the
// numbers left (scrape decides the same way).
func folderOwners(rows []workspace.RosterRow) map[int]int {
	owners := map[int]int{}
	for _, valid := range []bool{true, false} {
		for i, r := range rows {
			if _, taken := owners[r.Group]; taken || r.Group <= 0 || (r.Error == "") != valid {
				continue
			}
			owners[r.Group] = i
		}
	}
	return owners
}
