package grade

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"handin/scrape"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/course")

const courseDir = "testdata/course"

func loadSpec(t testing.TB) *Spec {
	t.Helper()
	spec, err := LoadSpec(DefaultSpec)
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func courseOptions(t testing.TB) Options {
	t.Helper()
	authors, err := ReadAuthorsCSV(filepath.Join(courseDir, "authors.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return Options{Authors: authors}
}

func marshal(t testing.TB, v any) []byte {
	t.Helper()
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(data, '\n')
}

// TestCourseGolden grades the synthetic course and compares every result
// with its golden JSON (go test ./grade -run Golden -update rewrites them).
func TestCourseGolden(t *testing.T) {
	snaps, errs := scrape.LoadAll(courseDir)
	if len(errs) > 0 || len(snaps) == 0 {
		t.Fatalf("load course: %d snapshots, errors %v", len(snaps), errs)
	}
	spec, opts := loadSpec(t), courseOptions(t)
	for _, s := range snaps {
		got := marshal(t, Group(s, spec, opts))
		golden := filepath.Join(courseDir, "golden", fmt.Sprintf("%03d.json", s.Group))
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("group %d: result differs from %s (run with -update after checking the diff):\n%s",
				s.Group, golden, firstDifference(want, got))
		}
	}
}

func firstDifference(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := range min(len(w), len(g)) {
		if w[i] != g[i] {
			return fmt.Sprintf("line %d:\nwant %s\ngot  %s", i+1, w[i], g[i])
		}
	}
	return fmt.Sprintf("want %d lines, got %d", len(w), len(g))
}
