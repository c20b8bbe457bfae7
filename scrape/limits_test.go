package scrape

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"handin/scrape/gittest"
)

// store writes a go-git object into the served repository name.
func (c *course) store(name string, o gittest.Object) plumbing.Hash {
	c.t.Helper()
	sha, err := c.repos[name].Store(o)
	if err != nil {
		c.t.Fatal(err)
	}
	return plumbing.NewHash(sha)
}

// blob stores content in the served repository name.
func (c *course) blob(name, content string) plumbing.Hash {
	c.t.Helper()
	sha, err := c.repos[name].StoreBlob([]byte(content))
	if err != nil {
		c.t.Fatal(err)
	}
	return plumbing.NewHash(sha)
}

// commitOn commits tree on top of parents as branch main, dated when.
func (c *course) commitOn(name string, tree plumbing.Hash, when time.Time, who gittest.Signature, parents ...plumbing.Hash) plumbing.Hash {
	c.t.Helper()
	sig := object.Signature{Name: who.Name, Email: who.Email, When: when}
	h := c.store(name, &object.Commit{Author: sig, Committer: object.Signature{Name: "c", Email: "c@x", When: when}, Message: "work",
		TreeHash: tree, ParentHashes: parents})
	if err := c.repos[name].SetBranch("main", h.String()); err != nil {
		c.t.Fatal(err)
	}
	return h
}

// A history is read up to its limits, and the snapshot says what was cut:
// author names and addresses over 256 bytes, parents past 100.
func TestRunCutsCommitFieldsOverTheirLimits(t *testing.T) {
	c := newCourse(t)
	c.repo("big.git")
	report := c.commit("big.git", "main", reportCommit(alice, at(-3*time.Hour), "report"))
	reportCommit, err := c.repos["big.git"].CommitObject(report)
	if err != nil {
		t.Fatal(err)
	}
	tree := reportCommit.TreeHash
	long := gittest.Signature{Name: strings.Repeat("N", 1000), Email: strings.Repeat("e", 1000) + "@x.org"}
	named := c.commitOn("big.git", tree, at(-2*time.Hour), long, plumbing.NewHash(report))
	parents := []plumbing.Hash{named}
	for i := range maxParents + 49 {
		parents = append(parents, c.commitOn("big.git", tree, at(-time.Duration(i+200)*time.Hour), bob))
	}
	c.commitOn("big.git", tree, at(-time.Hour), alice, parents...)

	opts := testOptions(t, c.group(1, "big.git"))
	if o := outcomeOf(t, mustRun(t, opts), 1); o.Status != "ok" {
		t.Fatalf("status %s (%s), want ok", o.Status, o.Error)
	}
	s := loadSnap(t, opts.Workspace, 1)
	want := []string{"1 commits whose author address is cut to 256 bytes", "1 commits whose author name is cut to 256 bytes",
		fmt.Sprintf("1 commits with more than %d parents: the others were not read", maxParents)}
	if !slices.Equal(s.Cuts, want) {
		t.Errorf("cuts %q\nwant %q", s.Cuts, want)
	}
	for _, commit := range s.Commits {
		if len(commit.AuthorName) > maxIdentity || len(commit.AuthorEmail) > maxIdentity || len(commit.Parents) > maxParents {
			t.Errorf("commit %s kept a name of %d bytes, an address of %d, %d parents", commit.SHA, len(commit.AuthorName), len(commit.AuthorEmail), len(commit.Parents))
		}
	}
	if len(s.Commits) != 1+1+maxParents-1+1 {
		t.Errorf("%d commits kept, want the merge, the commits of its first %d parents and the report", len(s.Commits), maxParents)
	}
}

// A tree is listed up to its limits: a name over 255 bytes cannot be a
// file, a path over 4096 bytes is not listed; the files of a late commit
// that names one folder under every name of another (billions of paths)
// are compared up to maxLateEntries, and the snapshot says so.
func TestRunCutsTreesOverTheirLimits(t *testing.T) {
	c := newCourse(t)
	c.repo("trees.git")
	commit := reportCommit(alice, at(-2*time.Hour), "report")
	deep := strings.Repeat(strings.Repeat("d", 200)+"/", 25) + "bottom.txt" // 5,035 bytes
	commit.Files[deep] = []byte("down here\n")
	commit.RawEntries = []object.TreeEntry{{Name: strings.Repeat("n", 300), Mode: filemode.Regular, Hash: c.blob("trees.git", "x")}}
	c.commit("trees.git", "main", commit)
	fan, err := c.repos["trees.git"].FanOut(16, 8) // 16^8 paths
	if err != nil {
		t.Fatal(err)
	}
	c.commit("trees.git", "main", gittest.Commit{Message: "add the data", Author: bob, When: at(time.Hour),
		RawEntries: []object.TreeEntry{{Name: "data", Mode: filemode.Dir, Hash: plumbing.NewHash(fan)}}})

	opts := testOptions(t, c.group(1, "trees.git"))
	if o := outcomeOf(t, mustRun(t, opts), 1); o.Status != "ok" {
		t.Fatalf("status %s (%s), want ok", o.Status, o.Error)
	}
	s := loadSnap(t, opts.Workspace, 1)
	cuts := strings.Join(s.Cuts, "\n")
	for _, want := range []string{"1 tree entries whose path is over 4096 bytes not listed", "the late commits' trees have more than 100000 entries to compare"} {
		if !strings.Contains(cuts, want) {
			t.Errorf("the cuts do not say %q:\n%s", want, cuts)
		}
	}
	if notes := strings.Join(s.Notes, "\n"); !strings.Contains(notes, "names cannot be file names") || len(notes) > 4096 {
		t.Errorf("notes (%d bytes) do not say a name was skipped: %.500s", len(notes), notes)
	}
	if s.HasFile(deep) || !s.HasFile("reports/README.md") {
		t.Errorf("the deep file listed %v, the report %v", s.HasFile(deep), s.HasFile("reports/README.md"))
	}
	late := s.Pin.Late
	if len(late) != 1 || len(late[0].Files) == 0 || late[0].FilesOmitted < 1000 {
		t.Errorf("late commits %+v: want one, its first files listed and the rest counted", late)
	}
}
