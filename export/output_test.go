package export

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"handin/grade"
)

// An export killed mid-write leaves ".NNN.html.tmp-*" files; the next
// export removes them, and nothing else.
func TestExportRemovesTemporariesOfAKilledExport(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(3))
	stale := []string{filepath.Join(out, "groups", ".003.html.tmp-2417761938"), filepath.Join(out, "groups", ".004.html.tmp-81"),
		filepath.Join(out, ".gradebook.xlsx.tmp-1")}
	notOurs := filepath.Join(out, "groups", "notes.tmp-1")
	for _, name := range append(stale, notOurs) {
		writeFile(t, name, make([]byte, 1<<20))
	}
	sum := export(t, ws, out)
	slices.Sort(sum.RemovedTemporaries)
	if want := []string{stale[2], stale[0], stale[1]}; !slices.Equal(sum.RemovedTemporaries, want) {
		t.Errorf("removed %q, want %q", sum.RemovedTemporaries, want)
	}
	for _, name := range stale {
		if _, err := os.Stat(name); !os.IsNotExist(err) {
			t.Errorf("%s still there (%v)", name, err)
		}
	}
	if _, err := os.Stat(notOurs); err != nil {
		t.Errorf("%s removed: %v", notOurs, err)
	}
}

func TestResultsJSONIsOneIndentedObject(t *testing.T) {
	out := t.TempDir()
	results := []*grade.GroupResult{newGroup(1).result, newGroup(2).result}
	invalid := []invalidRow{{File: "groups.csv", Line: 4, Group: 2, Students: []string{"s100004"}, Error: "groups.csv:4: duplicate group number 2 (first on line 3)"}}
	for _, rs := range [][]*grade.GroupResult{results, nil} {
		for _, rows := range [][]invalidRow{invalid, {}} {
			name := filepath.Join(out, ResultsFile)
			if err := writeResults(name, resultsOf(rs), rows, nil); err != nil {
				t.Fatal(err)
			}
			want, err := json.MarshalIndent(resultsFile{Schema: grade.SchemaVersion, Groups: append([]*grade.GroupResult{}, rs...), InvalidRows: rows}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if got := readFile(t, name); string(got) != string(want)+"\n" {
				t.Errorf("results.json of %d results and %d invalid rows differs from json.MarshalIndent:\n%s\nwant\n%s", len(rs), len(rows), got, want)
			}
		}
	}
}
