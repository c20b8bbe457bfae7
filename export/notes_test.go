package export

import (
	"path/filepath"
	"strings"
	"testing"

	"handin/workspace"
)

// The scrape's notes reach the page header, a few of them, and a figure
// the scrape did not copy says why instead of only that it was not copied.
func TestPageShowsScrapeNotes(t *testing.T) {
	dir := t.TempDir()
	g := newGroup(1)
	g.files["reports/README.md"] = append(g.files["reports/README.md"], "\n![big](figures/big.png)\n"...)
	writeWorkspace(t, dir, g)
	ws := openWorkspace(t, dir)
	snap, err := ws.LoadSnapshot(1)
	if err != nil {
		t.Fatal(err)
	}
	snap.Tree = append(snap.Tree, workspaceFile("reports/figures/big.png", "25.0 MiB, over the 20.0 MiB a file may take"))
	snap.Notes = []string{`skipped 1 tree entries whose names cannot be file names: "Icon\r"`}
	for i := range 10 {
		snap.Notes = append(snap.Notes, "a note numbered "+string(rune('a'+i)))
	}
	if err := ws.UpdateSnapshot(snap); err != nil {
		t.Fatal(err)
	}
	ws.Close()
	out := filepath.Join(dir, "out")
	export(t, dir, out)
	page := string(readFile(t, filepath.Join(out, "groups", "001.html")))
	for _, want := range []string{
		"figure reports/figures/big.png is in the repository but was not copied into the snapshot: 25.0 MiB, over the 20.0 MiB a file may take",
		"skipped 1 tree entries whose names cannot be file names: &#34;Icon\\r&#34;",
		"a note numbered g",
		"3 more notes in snapshot.json",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "a note numbered h") {
		t.Error("the page lists every note")
	}
}

func workspaceFile(p, notCopied string) workspace.File {
	return workspace.File{Path: p, Size: 25 << 20, Mode: workspace.ModeFile, NotCopied: notCopied}
}
