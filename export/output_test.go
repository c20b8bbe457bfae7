package export

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

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

// A page not made within the time a group may take is written without the
// report, saying so, and the export goes on.
func TestExportWritesAPageOverItsTimeWithoutTheReport(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(3), newGroup(4))
	// No page is made within a nanosecond.
	sum, err := runExport(ws, Options{Out: out, Now: func() time.Time { return fixedNow }, Logger: quietLogger, GroupTimeout: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []int{3, 4} {
		page := string(readFile(t, filepath.Join(out, "groups", fmt.Sprintf("%03d.html", g))))
		if !strings.Contains(page, "could not be made within 1ns") || strings.Contains(page, "Our pipeline") {
			t.Errorf("group %d's page does not say it was not made in time, or shows the report", g)
		}
		if !slices.ContainsFunc(sum.Warnings, func(w string) bool { return strings.HasPrefix(w, fmt.Sprintf("group %d: its page took longer", g)) }) {
			t.Errorf("no warning about group %d's page: %q", g, sum.Warnings)
		}
	}
	if _, err := os.Stat(filepath.Join(out, GradebookFile)); err != nil {
		t.Errorf("no gradebook after pages over their time: %v", err)
	}
}

// An output folder whose pages folder is a symbolic link is refused: the
// folder it points at, its pages and temporary-looking files, are left as
// they were.
func TestExportRefusesALinkedPagesFolder(t *testing.T) {
	ws, out, elsewhere := t.TempDir(), t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(3))
	theirs := map[string]string{"001.html": "someone's page", ".003.html.tmp-1": "someone's file"}
	for name, content := range theirs {
		writeFile(t, filepath.Join(elsewhere, name), []byte(content))
	}
	if err := os.Symlink(elsewhere, filepath.Join(out, PagesDir)); err != nil {
		t.Fatal(err)
	}
	_, err := runExport(ws, Options{Out: out, Now: func() time.Time { return fixedNow }, Logger: quietLogger})
	if err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("export into a linked pages folder: %v, want it refused", err)
	}
	entries, err := os.ReadDir(elsewhere)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(theirs) {
		t.Errorf("the linked folder holds %d files, want its %d", len(entries), len(theirs))
	}
	for name, content := range theirs {
		if got := string(readFile(t, filepath.Join(elsewhere, name))); got != content {
			t.Errorf("%s now holds %q", name, got)
		}
	}
}
