package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteReplacesWholeFileAndLeavesNoTemp(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "sub", "result.json")
	if err := Write(name, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(name, map[string]int{"group": 7}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(name)
	if err != nil || string(data) != "{\n  \"group\": 7\n}\n" {
		t.Fatalf("content %q, err %v", data, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(name))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestWriteFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "keep.txt")
	if err := Write(name, []byte("instructor's work"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(name, func() {}); err == nil { // functions cannot be encoded
		t.Fatal("want an error")
	}
	if data, _ := os.ReadFile(name); string(data) != "instructor's work" {
		t.Errorf("old file changed: %q", data)
	}
}
