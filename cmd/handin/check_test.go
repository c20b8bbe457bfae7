package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"handin/internal/corpus"
)

// TestCheckFollowsTheReportsTemplate: without --spec, a report that
// follows exactly one year's template is checked against that year, and
// one line says so; with --spec, or when the template is that of two
// years, against the spec asked for (the newest by default).
func TestCheckFollowsTheReportsTemplate(t *testing.T) {
	dir := corpus.Dir(t)
	for _, tc := range []struct {
		name, template string
		args           []string
		spec, note     string
	}{
		{"2025's template", "2025-01-08_d1b907d.md", nil, "2025",
			"handin: note: README.md follows the 2025 template: checked against spec 2025, not 2026 (--spec chooses)\n"},
		{"--spec given", "2025-01-08_d1b907d.md", []string{"--spec", "2026"}, "2026", ""},
		{"2026's template", "2026-01-09_e3622b4.md", nil, "2026", ""},
		{"the template of 2023 and 2024", "2024-11-09_92b03d4.md", nil, "2026", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, "templates", tc.template))
			if err != nil {
				t.Fatal(err)
			}
			t.Chdir(t.TempDir())
			if err := os.WriteFile("README.md", data, 0o644); err != nil {
				t.Fatal(err)
			}
			var out, errOut bytes.Buffer
			code := run(append(append([]string{"handin", "check"}, tc.args...), "README.md"), streams{out: &out, err: &errOut})
			if code != exitViolations { // an empty template fails
				t.Errorf("exit %d, want %d; stderr:\n%s", code, exitViolations, errOut.String())
			}
			if !strings.Contains(out.String(), "README.md  (spec "+tc.spec+")") {
				t.Errorf("not checked against spec %s:\n%s", tc.spec, out.String())
			}
			notes := strings.Count(errOut.String(), "follows the")
			if (tc.note == "" && notes > 0) || (tc.note != "" && (notes != 1 || !strings.HasPrefix(errOut.String(), tc.note))) {
				t.Errorf("stderr:\n%s\nwant the note %q", errOut.String(), tc.note)
			}
		})
	}
}
