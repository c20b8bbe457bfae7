package grade

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"handin/parse"
	"handin/scrape"
)

// saveSnapshot writes s and its exported files to a group folder and loads
// it back, as grade sees snapshots in a workspace. Files missing from the
// tree are added to it with their size.
func saveSnapshot(t testing.TB, dir string, s *scrape.Snapshot, files map[string]string) *scrape.Snapshot {
	t.Helper()
	inTree := map[string]bool{}
	for _, f := range s.Tree {
		inTree[f.Path] = true
	}
	for p, content := range files {
		name := filepath.Join(dir, scrape.FilesDir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if !inTree[p] {
			s.Tree = append(s.Tree, scrape.File{Path: p, Size: int64(len(content)), Mode: "file"})
		}
		s.Exported = append(s.Exported, p)
	}
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, scrape.SnapshotFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	loaded, err := scrape.LoadSnapshotDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return loaded
}

// reportText is a minimal report with the given question headings.
func reportText(numbers ...int) string {
	var b strings.Builder
	for _, n := range numbers {
		fmt.Fprintf(&b, "### Question %d\n\n> prompt\n>\n> Answer:\n\nanswer %d\n\n", n, n)
	}
	return b.String()
}

func TestLocateReport(t *testing.T) {
	report := reportText(1, 2, 3, 4)
	project := "# Project\n\nHow to run it.\n"
	tests := []struct {
		name    string
		files   map[string]string
		tree    []scrape.File // beyond the files
		want    string
		wrong   bool
		remark  string
		wantErr error
	}{
		{name: "expected place", files: map[string]string{"reports/README.md": report, "README.md": report}, want: "reports/README.md"},
		{name: "root README", files: map[string]string{"README.md": report}, want: "README.md", wrong: true},
		{name: "report folder", files: map[string]string{"report/README.md": report, "README.md": project}, want: "report/README.md", wrong: true},
		{name: "nested", files: map[string]string{"mlops/reports/README.md": report, "README.md": project}, want: "mlops/reports/README.md", wrong: true},
		{name: "letter case", files: map[string]string{"Reports/README.md": report}, want: "Reports/README.md", wrong: true},
		{
			name:  "stub at the expected place",
			files: map[string]string{"reports/README.md": "moved to the root\n", "README.md": report},
			want:  "README.md", wrong: true, remark: "reports/README.md has no template questions",
		},
		{
			name:  "most questions wins",
			files: map[string]string{"README.md": reportText(1, 2, 3), "report/README.md": reportText(1, 2, 3, 4, 5)},
			want:  "report/README.md", wrong: true,
		},
		{name: "empty report at the expected place", files: map[string]string{"reports/README.md": "", "README.md": project}, want: "reports/README.md"},
		{name: "no report", files: map[string]string{"README.md": project, "docs/README.md": report}, want: ""},
		{
			name: "huge report by the tree's size is not read",
			tree: []scrape.File{{Path: "reports/README.md", Size: 200 << 20, Mode: "file"}},
			want: "reports/README.md", wantErr: parse.ErrTooLarge,
		},
		{
			name:  "report listed but not exported",
			tree:  []scrape.File{{Path: "reports/README.md", Size: 10, Mode: "file"}},
			files: map[string]string{"README.md": project}, want: "reports/README.md", wantErr: errNotExported,
		},
		{
			name: "a symlink is not a report",
			tree: []scrape.File{{Path: "reports/README.md", Size: 10, Mode: "symlink", Target: "../README.md"}},
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := saveSnapshot(t, t.TempDir(), &scrape.Snapshot{Tree: tt.tree}, tt.files)
			loc := locateReport(s)
			if loc.Path != tt.want || loc.Wrong != tt.wrong {
				t.Fatalf("found %q (wrong location %v), want %q (%v)", loc.Path, loc.Wrong, tt.want, tt.wrong)
			}
			if tt.remark != "" && !strings.Contains(strings.Join(loc.Remarks, "\n"), tt.remark) {
				t.Errorf("remarks %q, want %q", loc.Remarks, tt.remark)
			}
			if (tt.wantErr == nil) != (loc.Err == nil) || !errors.Is(loc.Err, tt.wantErr) {
				t.Errorf("error %v, want %v", loc.Err, tt.wantErr)
			}
			if loc.Err == nil && loc.Path != "" && string(loc.Data) != tt.files[loc.Path] {
				t.Errorf("data %q, want the file's content", loc.Data)
			}
		})
	}
}

// TestReadExportedChecksSizeFirst: a file bigger on disk than parse.MaxSize
// is refused from its size, without being read (a sparse file costs no disk).
func TestReadExportedChecksSizeFirst(t *testing.T) {
	dir := t.TempDir()
	s := saveSnapshot(t, dir, &scrape.Snapshot{}, map[string]string{"README.md": "small"})
	if err := os.Truncate(filepath.Join(dir, scrape.FilesDir, "README.md"), 200<<20); err != nil {
		t.Fatal(err)
	}
	_, err := readExported(s, s.Tree[0]) // the tree still says 5 bytes
	if !errors.Is(err, parse.ErrTooLarge) || !strings.Contains(err.Error(), "209.7 MB") {
		t.Fatalf("error %v, want too large (209.7 MB)", err)
	}
}

func TestReadExportedRefusesEscapes(t *testing.T) {
	dir := t.TempDir()
	s := saveSnapshot(t, dir, &scrape.Snapshot{}, nil)
	if err := os.WriteFile(filepath.Join(dir, "secret"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"../secret", "/etc/passwd", "a/../../secret"} {
		if data, err := readExported(s, scrape.File{Path: p, Size: 1, Mode: "file"}); err == nil {
			t.Errorf("readExported(%q) = %q, want an error", p, data)
		}
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 KB", 3400: "3.4 KB", 200_000_000: "200.0 MB", 5e12: "5.0 TB"} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestQuestionHeadings(t *testing.T) {
	tests := map[string]int{
		"### Question 1\n### Question 2\n":            2,
		"## question 3\n#### QUESTION 4\n":            2,
		"   ### Question 5\n###Question6\n":           2,
		"### Question 1\n### Question 1\n":            1,
		"Question 1\n# Questions\n####### Question 7": 0,
		"### Question\n### Question x\n":              0,
		"":                                            0,
	}
	for text, want := range tests {
		if got := questionHeadings([]byte(text)); got != want {
			t.Errorf("questionHeadings(%q) = %d, want %d", text, got, want)
		}
	}
}
