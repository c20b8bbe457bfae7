package export

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"handin/workspace"
)

// A groups.csv row with a duplicated or unusable group number has no group
// folder and no result: the index and results.json still list it, with the
// file and line.
func TestInvalidRosterRowsAreListed(t *testing.T) {
	dir := t.TempDir()
	writeWorkspace(t, dir, newGroup(1))
	ws := openWorkspace(t, dir)
	err := ws.SaveRoster(workspace.Roster{File: "groups.csv", ReadAt: time.Now(), Rows: []workspace.RosterRow{
		{Line: 2, Group: 1, Students: []string{"s100001"}, URL: "https://github.com/o/r", Folder: true},
		{Line: 3, Group: 1, Students: []string{"s100002"}, URL: "https://github.com/o/s", Error: "groups.csv:3: duplicate group number 1 (first on line 2)"},
		{Line: 4, Students: []string{"s100003", "s100004"}, Error: `groups.csv:4: group number "x" is not a positive integer`},
	}})
	ws.Close()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	export(t, dir, out)

	var results resultsFile
	if err := json.Unmarshal(readFile(t, filepath.Join(out, ResultsFile)), &results); err != nil {
		t.Fatal(err)
	}
	if len(results.Groups) != 1 || len(results.InvalidRows) != 2 || results.InvalidRows[0].Line != 3 ||
		results.InvalidRows[1].Students[1] != "s100004" || !strings.HasPrefix(results.InvalidRows[1].Error, "groups.csv:4:") {
		t.Errorf("results.json: %d groups, invalid rows %+v", len(results.Groups), results.InvalidRows)
	}
	index := parseHTML(t, readFile(t, filepath.Join(out, IndexFile)))
	section := findAll(index, byID("invalid-rows"))
	if len(section) != 1 {
		t.Fatal("the index has no section of invalid rows")
	}
	var text strings.Builder
	for _, td := range findAll(index, byTag("td")) {
		if td.FirstChild != nil {
			text.WriteString(td.FirstChild.Data + "|")
		}
	}
	for _, want := range []string{"3|1|s100002|groups.csv:3: duplicate group number 1", "4|s100003, s100004|groups.csv:4:"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the index lacks %q in %q", want, text.String())
		}
	}
}
