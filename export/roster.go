package export

import (
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
