package scrape

import (
	"slices"
	"strings"
	"testing"
	"time"

	"handin/scrape/gittest"
	"handin/workspace"
)

// Tree entries whose names cannot be file names are skipped with a note;
// the report next to them is copied and the group is ok.
func TestRunSkipsUnsafeTreeNames(t *testing.T) {
	c := newCourse(t)
	c.repo("names.git")
	commit := reportCommit(alice, at(-time.Hour), "report")
	commit.Files["Icon\r"] = []byte{}                             // what macOS Finder writes for a folder icon
	commit.Files["reports/figures/a\nb.png"] = []byte("\x89PNG")  // newline
	commit.Files["docs/tab\tname/notes.md"] = []byte("# notes\n") // a folder with a tab: skipped with its content
	commit.Files["src/ok.py"] = []byte("print(1)\n")
	commit.RawNames = map[string][]byte{"..": []byte("up"), ".git": []byte("x"), `a\b.png`: []byte("\x89PNG"), "\xff.md": []byte("#")}
	c.commit("names.git", "main", commit)
	opts := testOptions(t, c.group(1, "names.git"))
	if o := outcomeOf(t, mustRun(t, opts), 1); o.Status != workspace.StatusOK {
		t.Fatalf("status %s (%s), want ok", o.Status, o.Error)
	}
	s := loadSnap(t, opts.Workspace, 1)
	var paths []string
	for _, f := range s.Tree {
		paths = append(paths, f.Path)
	}
	for _, want := range []string{"reports/README.md", "src/ok.py", "reports/figures/loss.PNG"} {
		if !slices.Contains(paths, want) {
			t.Errorf("the tree lacks %s: %q", want, paths)
		}
	}
	for _, p := range paths {
		if !safeEntryName(p[strings.LastIndex(p, "/")+1:]) || strings.Contains(p, "tab\t") {
			t.Errorf("the tree lists %q", p)
		}
	}
	if !slices.Contains(s.Copied, "reports/README.md") {
		t.Errorf("the report was not copied: %q", s.Copied)
	}
	notes := strings.Join(s.Notes, "\n")
	// Seven names; the note quotes the first five in tree order.
	for _, quoted := range []string{`"Icon\r"`, `"docs/tab\tname"`, `".."`, `".git"`, `"a\\b.png"`, "and 2 more"} {
		if !strings.Contains(notes, quoted) {
			t.Errorf("the notes do not name %s: %s", quoted, notes)
		}
	}
	if !strings.Contains(notes, "skipped 7 tree entries") {
		t.Errorf("the notes do not count the 7 skipped entries: %s", notes)
	}
}

// Folders nested deeper than maxTreeDepth are not entered; the rest is
// listed.
func TestRunSkipsDeepFolders(t *testing.T) {
	c := newCourse(t)
	c.repo("deep.git")
	commit := reportCommit(alice, at(-time.Hour), "report")
	deep := strings.Repeat("d/", maxTreeDepth+3) + "bottom.txt"
	commit.Files[deep] = []byte("down here\n")
	c.commit("deep.git", "main", commit)
	opts := testOptions(t, c.group(1, "deep.git"))
	if o := outcomeOf(t, mustRun(t, opts), 1); o.Status != workspace.StatusOK {
		t.Fatalf("status %s (%s), want ok", o.Status, o.Error)
	}
	s := loadSnap(t, opts.Workspace, 1)
	if s.HasFile(deep) || !s.HasFile("reports/README.md") {
		t.Errorf("tree of %d files lists the deep file %v, the report %v", len(s.Tree), s.HasFile(deep), s.HasFile("reports/README.md"))
	}
	if !strings.Contains(strings.Join(s.Cuts, "\n"), "1 folder(s) nested more than 256 deep not listed") {
		t.Errorf("cuts %q", s.Cuts)
	}
}

// The files of a late commit are listed by the names the tree would keep:
// a name with a control character is counted, not shown. The figure the
// deadline tree lacks is kept.
func TestLateCommitFilesSkipUnsafeNames(t *testing.T) {
	c := newCourse(t)
	c.repo("late.git")
	c.commit("late.git", "main", reportCommit(alice, at(-time.Hour), "report"))
	c.commit("late.git", "main", gittest.Commit{Message: "late figures", Author: bob, When: at(time.Hour),
		Files: map[string][]byte{"reports/figures/new.png": []byte("\x89PNG"), "Icon\r": {}, "docs/a\nb.md": []byte("x")}})
	opts := testOptions(t, c.group(1, "late.git"))
	mustRun(t, opts)
	s := loadSnap(t, opts.Workspace, 1)
	if len(s.Pin.Late) != 1 {
		t.Fatalf("late commits %+v, want one", s.Pin.Late)
	}
	late := s.Pin.Late[0]
	if !slices.Equal(late.Files, []workspace.LateFile{{Path: "reports/figures/new.png", Figure: true, Kept: true}}) || late.FilesOmitted != 2 {
		t.Errorf("late files %+v, %d omitted; want the figure and 2 omitted", late.Files, late.FilesOmitted)
	}
}
