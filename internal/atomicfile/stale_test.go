package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
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

func TestRemoveTempsRemovesOnlyTemporariesOfOurNaming(t *testing.T) {
	dir := t.TempDir()
	files := []string{
		".007.html.tmp-123456789", // left by a killed export
		".index.html.tmp-42",      // idem
		"007.html",                // a page
		".007.html.tmp-abc",       // not os.CreateTemp's digits
		"007.html.tmp-123",        // not hidden
		".notes.tmp-",             // no digits
		"report.tmp-5",
	}
	for _, name := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, ".sub.tmp-1"), 0o755); err != nil { // a folder, not ours
		t.Fatal(err)
	}
	removed, err := RemoveTemps(dir)
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
	if removed, err := RemoveTemps(filepath.Join(dir, "missing")); err != nil || removed != nil {
		t.Errorf("missing folder: %q, %v", removed, err)
	}
}
