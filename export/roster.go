package export

import (
	"fmt"
	"strconv"

	"handin/workspace"
)

// invalidRow is a groups.csv row the last scrape could not use as written
// (a duplicated or unusable group number, a bad URL, ...). Such a row may
// have no group folder, and so no result: it is listed on its own wherever
// groups are, so that its students do not vanish.
type invalidRow struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Group    int      `json:"group,omitempty"` // 0 when the row has no usable number
	Students []string `json:"students"`
	Error    string   `json:"error"` // names the file and line
}

// invalidRows lists the invalid rows of the workspace's roster, in file
// order; none when no scrape saved a roster yet.
func invalidRows(ws *workspace.Workspace) ([]invalidRow, error) {
	roster, err := ws.LoadRoster()
	if err != nil {
		return nil, err
	}
	rows := []invalidRow{}
	for _, r := range roster.Rows {
		if r.Error == "" {
			continue
		}
		students := r.Students
		if students == nil {
			students = []string{}
		}
		rows = append(rows, invalidRow{File: roster.File, Line: r.Line, Group: r.Group, Students: students, Error: r.Error})
	}
	return rows, nil
}

// rosterGap is a groups.csv row, as the last scrape read it, that has no
// result of its own: the gradebook lists it as failed, with its students,
// so that no group of the roster is missing from the Groups sheet.
type rosterGap struct {
	// Key is the row's Group cell: the group number, or "line N" for a row
	// without a folder of its own (a duplicate or missing number).
	Key      any
	Line     int // in groups.csv
	Group    int // the row's group number; 0 when unusable
	Students []string
	URL      string
	Problem  string
}

// rosterGaps are the roster's rows without a result: rows that own no
// group folder, and owners whose group has not been graded.
func rosterGaps(ws *workspace.Workspace, graded map[int]bool) ([]rosterGap, error) {
	roster, err := ws.LoadRoster()
	if err != nil {
		return nil, err
	}
	var gaps []rosterGap
	for _, row := range roster.Rows {
		if row.Folder && graded[row.Group] {
			continue
		}
		gap := rosterGap{Key: row.Group, Line: row.Line, Group: row.Group, Students: row.Students, URL: row.URL, Problem: row.Error}
		if !row.Folder {
			gap.Key = "line " + strconv.Itoa(row.Line)
		}
		if gap.Problem == "" {
			gap.Problem = fmt.Sprintf("%s:%d: no result yet (not scraped or graded)", roster.File, row.Line)
		}
		gaps = append(gaps, gap)
	}
	return gaps, nil
}
