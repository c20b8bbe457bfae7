package export

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"handin/grade"
	"handin/internal/atomicfile"
	"handin/internal/corpus"
	"handin/scrape"
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
	ws, out := t.TempDir(), t.TempDir()
	for i, report := range reports {
		group := i + 1
		gdir := scrape.GroupDir(ws, group)
		snap := &scrape.Snapshot{Group: group, Status: scrape.StatusOK, Deadline: testDeadline,
			DeadlineSHA: strings.Repeat("a", 40), Exported: []string{"reports/README.md"}}
		listing, _ := os.ReadFile(strings.TrimSuffix(report, ".md") + ".files.txt")
		for _, p := range strings.Fields(string(listing)) {
			snap.Tree = append(snap.Tree, scrape.File{Path: p, Mode: "file"})
		}
		if !snap.HasFile("reports/README.md") {
			snap.Tree = append(snap.Tree, scrape.File{Path: "reports/README.md", Mode: "file"})
		}
		writeFile(t, filepath.Join(gdir, scrape.FilesDir, "reports", "README.md"), readFile(t, report))
		writeJSON(t, filepath.Join(gdir, scrape.SnapshotFile), snap)
		loaded, err := scrape.LoadSnapshot(ws, group)
		if err != nil {
			t.Fatal(err)
		}
		if err := atomicfile.WriteJSON(grade.ResultPath(ws, group), grade.Group(loaded, spec, grade.Options{})); err != nil {
			t.Fatal(err)
		}
	}
	export(t, ws, out)
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
