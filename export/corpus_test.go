package export

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"handin/grade"
	"handin/internal/corpus"
	"handin/workspace"
)

// TestCorpusPages exports every real report of the shared corpus, graded by
// the real grader (figures listed in the tree but not exported: the corpus
// holds no images), and checks each page: no active content, and an anchor
// for every question the grader found.
func TestCorpusPages(t *testing.T) {
	dir := corpus.Dir(t)
	reports, err := filepath.Glob(filepath.Join(dir, "reports", "*.md"))
	if err != nil || len(reports) == 0 {
		t.Fatalf("no corpus reports: %v", err)
	}
	spec, err := grade.LoadSpec(grade.DefaultSpec)
	if err != nil {
		t.Fatal(err)
	}
	dir, out := t.TempDir(), t.TempDir()
	ws := openWorkspace(t, dir)
	for i, report := range reports {
		group := i + 1
		snap := &workspace.Snapshot{Group: group, Status: workspace.StatusOK, Deadline: testDeadline,
			Pin: workspace.Pin{SHA: strings.Repeat("a", 40)}, Copied: []string{"reports/README.md"}}
		listing, _ := os.ReadFile(strings.TrimSuffix(report, ".md") + ".files.txt")
		for _, p := range strings.Fields(string(listing)) {
			snap.Tree = append(snap.Tree, workspace.File{Path: p, Mode: workspace.ModeFile})
		}
		if !snap.HasFile("reports/README.md") {
			snap.Tree = append(snap.Tree, workspace.File{Path: "reports/README.md", Mode: workspace.ModeFile})
		}
		files, err := ws.NewFilesDir(group)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(files, "reports", "README.md"), readFile(t, report))
		if err := ws.SaveSnapshot(snap, files); err != nil {
			t.Fatal(err)
		}
		loaded, err := ws.LoadSnapshot(group)
		if err != nil {
			t.Fatal(err)
		}
		if err := grade.SaveResult(ws, grade.Grade(loaded, grade.Options{Spec: spec})); err != nil {
			t.Fatal(err)
		}
	}
	ws.Close()
	export(t, dir, out)
	ws = openWorkspace(t, dir)
	defer ws.Close()
	for i, report := range reports {
		group := i + 1
		t.Run(filepath.Base(report), func(t *testing.T) {
			page := parseHTML(t, readFile(t, filepath.Join(out, filepath.FromSlash(pagePath(group)))))
			assertNoActiveContent(t, page)
			r, err := grade.LoadResult(ws, group)
			if err != nil || r.Check == nil {
				t.Fatalf("result: %v (check %v)", err, r.Check)
			}
			for _, q := range r.Check.Questions {
				if q.Line > 0 && len(findAll(page, byID(questionAnchor(q.Number)))) != 1 {
					t.Errorf("question %d (line %d) has no anchor", q.Number, q.Line)
				}
			}
		})
	}
}
