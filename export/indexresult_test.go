package export

import (
	"path/filepath"
	"testing"
	"time"

	"handin/grade"
	"handin/workspace"
)

// TestIndexOfIndexResults: the index written from what Run keeps of each
// result is the index written from the whole results, for groups with
// judged claims, problems, failed scrapes and checklists.
func TestIndexOfIndexResults(t *testing.T) {
	var full, kept []*grade.GroupResult
	for n := 1; n <= 30; n++ {
		r := largeGroup(n).result
		if n%3 == 0 {
			r = newGroup(n).result
		}
		if n%10 == 0 {
			r.Status, r.State, r.Check, r.Claims = workspace.StatusNotFound, grade.StateFailed, nil, nil
		}
		full = append(full, r)
		kept = append(kept, indexResult(r))
	}
	dir := t.TempDir()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	want, got := filepath.Join(dir, "full.html"), filepath.Join(dir, "kept.html")
	if err := writeIndex(want, full, nil, gradebookView{}, now); err != nil {
		t.Fatal(err)
	}
	if err := writeIndex(got, kept, nil, gradebookView{}, now); err != nil {
		t.Fatal(err)
	}
	if string(readFile(t, got)) != string(readFile(t, want)) {
		t.Error("the index from the kept parts of the results differs from the index of the whole results")
	}
	if len(kept[0].Claims.Verdicts) >= len(full[0].Claims.Verdicts) || kept[0].Check.Checklist[0].Items != nil {
		t.Error("indexResult kept every claim or checklist item")
	}
}
