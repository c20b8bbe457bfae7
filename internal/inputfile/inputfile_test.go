package inputfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A file up to the limit is read whole; past it, or endless (/dev/zero),
// it is an error naming the file and the limit.
func TestRead(t *testing.T) {
	name := filepath.Join(t.TempDir(), "spec.toml")
	if err := os.WriteFile(name, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := Read(name, 10); err != nil || string(data) != "0123456789" {
		t.Errorf("Read at the limit = %q, %v", data, err)
	}
	for _, file := range []string{name, "/dev/zero"} {
		_, err := Read(file, 9)
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), file+" is over 9 bytes") {
			t.Errorf("Read of %s past the limit: %v", file, err)
		}
	}
	if _, err := Read(filepath.Join(t.TempDir(), "missing"), 9); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Read of a missing file: %v", err)
	}
	for n, want := range map[int64]string{64 << 10: "64 KiB", 16 << 20: "16 MiB", 1 << 30: "1 GiB", 1000: "1000 bytes"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
