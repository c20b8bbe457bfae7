package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestStreamFailureKeepsOldFileAndRemovesTemp(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "page.html")
	if err := Write(name, []byte("old page"), 0o644); err != nil {
		t.Fatal(err)
	}
	var during []string
	err := Stream(name, 0o644, func(w io.Writer) error {
		if _, err := w.Write(make([]byte, 200<<10)); err != nil { // more than the buffer: on disk
			return err
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			during = append(during, e.Name())
		}
		return errors.New("figure vanished")
	})
	if err == nil {
		t.Fatal("want the writer's error")
	}
	if data, _ := os.ReadFile(name); string(data) != "old page" {
		t.Errorf("old file changed: %q", data)
	}
	var temps []string
	for _, n := range during {
		if IsTemp(n) {
			temps = append(temps, n)
		}
	}
	if len(temps) != 1 || len(during) != 2 {
		t.Errorf("files while writing %q: want page.html and one temporary file IsTemp recognises", during)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary file left after the failure: %v", entries)
	}
}

func TestRemoveStaleRemovesOnlyOldTemporariesOfOurNaming(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	files := map[string]bool{ // name: old
		".007.html.tmp-123456789": true,  // left by a killed export
		".index.html.tmp-42":      true,  // idem
		".012.html.tmp-987":       false, // being written right now
		"007.html":                true,  // a page
		".007.html.tmp-abc":       true,  // not os.CreateTemp's digits
		"007.html.tmp-123":        true,  // not hidden
		".notes.tmp-":             true,  // no digits
		"report.tmp-5":            true,
	}
	for name, isOld := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if isOld {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.Mkdir(filepath.Join(dir, ".sub.tmp-1"), 0o755); err != nil { // a folder, not ours
		t.Fatal(err)
	}
	removed, err := RemoveStale(dir, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(removed)
	want := []string{filepath.Join(dir, ".007.html.tmp-123456789"), filepath.Join(dir, ".index.html.tmp-42")}
	if !slices.Equal(removed, want) {
		t.Errorf("removed %q, want %q", removed, want)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(files)+1-len(want) {
		t.Errorf("left %d entries, want %d", len(entries), len(files)+1-len(want))
	}
	if removed, err := RemoveStale(filepath.Join(dir, "missing"), time.Minute); err != nil || removed != nil {
		t.Errorf("missing folder: %q, %v", removed, err)
	}
}
