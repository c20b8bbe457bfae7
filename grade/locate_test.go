package grade

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"handin/parse"
	"handin/workspace"
)

// testWorkspace is a fresh workspace, closed when the test ends.
func testWorkspace(t testing.TB) *workspace.Workspace {
	t.Helper()
	ws, err := workspace.Create(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

// saveSnapshot stores s and its copied files in ws as scrape does and loads
// it back, as grade sees snapshots. Files missing from the tree are added
// to it with their size.
func saveSnapshot(t testing.TB, ws *workspace.Workspace, s *workspace.Snapshot, files map[string]string) *workspace.Snapshot {
	t.Helper()
	inTree := map[string]bool{}
	for _, f := range s.Tree {
		inTree[f.Path] = true
	}
	dir, err := ws.NewFilesDir(s.Group)
	if err != nil {
		t.Fatal(err)
	}
	for p, content := range files {
		name := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if !inTree[p] {
			s.Tree = append(s.Tree, workspace.File{Path: p, Size: int64(len(content)), Mode: workspace.ModeFile})
		}
		s.Copied = append(s.Copied, p)
	}
	if err := ws.SaveSnapshot(s, dir); err != nil {
		t.Fatal(err)
	}
	loaded, err := ws.LoadSnapshot(s.Group)
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
		tree    []workspace.File // beyond the files
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
			tree: []workspace.File{{Path: "reports/README.md", Size: 200 << 20, Mode: workspace.ModeFile}},
			want: "reports/README.md", wantErr: parse.ErrTooLarge,
		},
		{
			name:  "report listed but not copied",
			tree:  []workspace.File{{Path: "reports/README.md", Size: 10, Mode: workspace.ModeFile}},
			files: map[string]string{"README.md": project}, want: "reports/README.md", wantErr: errNotCopied,
		},
		{
			name: "a symlink is not a report",
			tree: []workspace.File{{Path: "reports/README.md", Size: 10, Mode: workspace.ModeSymlink, Target: "../README.md"}},
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := saveSnapshot(t, testWorkspace(t), &workspace.Snapshot{Tree: tt.tree}, tt.files)
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

// TestReadCopiedChecksSizeFirst: a file bigger on disk than parse.MaxSize
// is refused from its size, without being read (a sparse file costs no disk).
func TestReadCopiedChecksSizeFirst(t *testing.T) {
	ws := testWorkspace(t)
	s := saveSnapshot(t, ws, &workspace.Snapshot{}, map[string]string{"README.md": "small"})
	if err := os.Truncate(filepath.Join(ws.FilesPath(0), "README.md"), 200<<20); err != nil {
		t.Fatal(err)
	}
	_, err := readCopied(s, s.Tree[0]) // the tree still says 5 bytes
	if !errors.Is(err, parse.ErrTooLarge) || !strings.Contains(err.Error(), "209.7 MB") {
		t.Fatalf("error %v, want too large (209.7 MB)", err)
	}
}

func TestReadCopiedRefusesEscapes(t *testing.T) {
	ws := testWorkspace(t)
	s := saveSnapshot(t, ws, &workspace.Snapshot{}, nil)
	if err := os.WriteFile(filepath.Join(ws.GroupDir(0), "secret"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"../secret", "/etc/passwd", "a/../../secret"} {
		if data, err := readCopied(s, workspace.File{Path: p, Size: 1, Mode: workspace.ModeFile}); err == nil {
			t.Errorf("readCopied(%q) = %q, want an error", p, data)
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
