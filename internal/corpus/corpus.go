// Package corpus finds the shared corpus of real student reports (kept
// beside the repository in ../shared/corpus, never copied into it) for tests.
package corpus

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Dir returns the corpus folder, or skips the test loudly when it is absent.
func Dir(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("SKIPPED: the shared corpus is not at %s (%v): real-report parity is NOT tested", dir, err)
	}
	return dir
}
