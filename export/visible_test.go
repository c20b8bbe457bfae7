package export

import (
	"archive/zip"
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"handin/grade"
	"handin/internal/visible"
	"handin/workspace"
)

// A name, a commit subject and a path that reverse or hide text are shown
// with escapes on the page, in the index and in the gradebook's cells:
// none of their hidden characters reaches any of them as it is.
func TestPagesAndCellsShowHiddenCharacters(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	g := newGroup(1)
	r := g.result
	r.Stats.Contributions = map[string]int{"Eve\u202elin": 3}
	r.Students[0].Authors = []string{"Eve\u202elin\u200b"}
	r.Pin.Late = []workspace.LateCommit{{SHA: strings.Repeat("b", 40), AuthorName: "Eve\u202elin", CommitTime: testDeadline.Add(time.Hour),
		Subject: "fix \u202egnp.exe", Files: []workspace.LateFile{{Path: "src/\u202eyp.exe"}}}}
	r.Findings = append(r.Findings, grade.Finding{Kind: grade.KindMissingFile, Level: grade.LevelGrade, Message: "src/\u2066x\u2069 missing"})
	writeWorkspace(t, ws, g)
	export(t, ws, out)
	page := string(readFile(t, filepath.Join(out, "groups", "001.html")))
	for _, want := range []string{`Eve\u202elin`, `fix \u202egnp.exe`, `src/\u202eyp.exe`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page does not show %q", want)
		}
	}
	files := map[string][]byte{"page": []byte(page), "index": readFile(t, filepath.Join(out, IndexFile))}
	book, err := zip.OpenReader(filepath.Join(out, GradebookFile))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	for _, f := range book.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range files {
		if i := bytes.IndexFunc(data, visible.Hidden); i >= 0 {
			t.Errorf("%s holds a hidden character as it is: %q", name, data[max(0, i-40):min(len(data), i+40)])
		}
	}
	book.Close()
	f := openWorkbook(t, filepath.Join(out, GradebookFile))
	if got := cellOf(t, f, SheetStudents, "Matched authors", "Student", r.Students[0].ID); got != `Eve\u202elin\u200b` {
		t.Errorf("the Students sheet shows the author as %q, want it with escapes", got)
	}
}
