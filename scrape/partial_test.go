package scrape

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"handin/scrape/gittest"
	"handin/workspace"
)

// noise is incompressible content of n bytes.
func noise(seed uint64, n int) []byte {
	b := make([]byte, n)
	rng := rand.New(rand.NewPCG(seed, seed))
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// The servers a course meets, one name of the same repository behind
// each: partial fetch and object-info (as GitHub), no filter, fetching by
// id refused, protocol v0 only (no object-info). handin reads the same at
// every one of them.
var serverKinds = []struct {
	name  string
	limit func(*gittest.Server, string)
}{
	{"class.git", func(*gittest.Server, string) {}},
	{"nofilter.git", (*gittest.Server).WithoutFilter},
	{"refusing.git", (*gittest.Server).RefusingObjectWants},
	{"v0.git", (*gittest.Server).ProtocolV0Only},
}

// TestRunFetchesWhatItReads scrapes one history from four kinds of server,
// twice (the second time after a push): a partial clone holds the history
// and the files handin reads at the commit that counts, not the data
// committed along the way; every snapshot says the same as one fetched
// whole.
func TestRunFetchesWhatItReads(t *testing.T) {
	c := newCourse(t)
	r := c.repo("class.git")
	dataset, weights := noise(1, 1<<20), noise(2, 300<<10)
	c.commit("class.git", "main", gittest.Commit{Message: "data", Author: alice, When: at(-72 * time.Hour), Files: map[string][]byte{
		"data/train.csv": dataset, "README.md": []byte("# project\n"),
	}})
	c.commit("class.git", "main", gittest.Commit{Message: "model", Author: bob, When: at(-48 * time.Hour), Files: map[string][]byte{
		"data": nil, "models/weights.bin": weights,
	}})
	report := reportText + "![architecture](../docs/Architecture%20v2.png)\n"
	c.commit("class.git", "main", gittest.Commit{Message: "report", Author: alice, When: at(-time.Hour), Files: map[string][]byte{
		"reports/README.md":          []byte(report),
		"reports/figures/loss.PNG":   noise(3, 40<<10),
		"reports/figures/unused.png": noise(4, 50<<10),
		"docs/Architecture v2.png":   noise(5, 30<<10),
		"src/train.py":               []byte("print('train')\n"),
		"notebooks/eda.ipynb":        []byte(`{"cells": [], "nbformat": 4}` + "\n"),
	}, Symlinks: map[string]string{"latest.bin": "models/weights.bin"}})
	c.commit("class.git", "main", gittest.Commit{Message: "late", Author: bob, When: at(time.Hour), Files: map[string][]byte{
		"src/train.py": []byte("print('late')\n"),
	}})

	var groups []Group
	for i, kind := range serverKinds {
		if kind.name != "class.git" {
			if err := os.Symlink(r.Dir, filepath.Join(c.root, kind.name)); err != nil {
				t.Fatal(err)
			}
		}
		kind.limit(c.server, kind.name)
		groups = append(groups, c.group(i+1, kind.name))
	}
	opts := testOptions(t, groups...)
	opts.Now = func() time.Time { return at(150 * time.Minute) }
	var pinned string
	for _, o := range mustRun(t, opts).Outcomes {
		if o.Status != workspace.StatusOK {
			t.Fatalf("group %d: status %s (%s)", o.Group, o.Status, o.Error)
		}
		pinned = o.Pin.SHA
	}
	read := []string{"reports/README.md", "reports/figures/loss.PNG", "docs/Architecture v2.png", "src/train.py", "README.md", "notebooks/eda.ipynb"}
	unread := []string{"reports/figures/unused.png", "models/weights.bin"}
	checkClones(t, opts.Workspace, r, pinned, read, unread, "data/train.csv")
	checkSameSnapshots(t, opts.Workspace, weights)

	// A push after the deadline moves the branch: the partial clones fetch
	// the new history, and contents only for what changed at the commit
	// that counts (an extension makes it the new one).
	later := c.commit("class.git", "main", gittest.Commit{Message: "new figure", Author: carol, When: at(160 * time.Minute), Files: map[string][]byte{
		"reports/README.md":       []byte(report + "![new](figures/new.png)\n"),
		"reports/figures/new.png": noise(6, 20<<10),
		"models/weights.bin":      noise(7, 400<<10),
	}})
	extension := at(3 * time.Hour)
	for i := range opts.Groups {
		opts.Groups[i].Deadline = &extension
	}
	opts.Now = func() time.Time { return at(72 * time.Hour) }
	for _, o := range mustRun(t, opts).Outcomes {
		if o.Status != workspace.StatusOK || o.Pin.SHA != later {
			t.Fatalf("group %d: status %s (%s), pinned %s, want %s", o.Group, o.Status, o.Error, o.Pin.SHA, later)
		}
	}
	checkClones(t, opts.Workspace, r, later, append(read, "reports/figures/new.png"), unread, "data/train.csv")
	checkSameSnapshots(t, opts.Workspace, noise(7, 400<<10))
}

// checkClones: group 1 and 4's clones are partial, holding the blobs of the
// pinned commit's read files and none of the unread ones or of history;
// groups 2 and 3's are whole, holding history's too.
func checkClones(t *testing.T, ws string, served *gittest.Repo, pinned string, read, unread []string, history string) {
	t.Helper()
	blobs := map[string]plumbing.Hash{}
	src, err := git.PlainOpen(served.Dir)
	if err != nil {
		t.Fatal(err)
	}
	tip, err := src.CommitObject(plumbing.NewHash(pinned))
	if err != nil {
		t.Fatal(err)
	}
	tree, _ := tip.Tree()
	for _, p := range slices.Concat(read, unread) {
		f, err := tree.File(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		blobs[p] = f.Hash
	}
	first, _ := src.CommitObject(tip.ParentHashes[0])
	for first.NumParents() > 0 {
		first, _ = first.Parent(0)
	}
	firstTree, _ := first.Tree()
	old, err := firstTree.File(history)
	if err != nil {
		t.Fatal(err)
	}
	blobs[history] = old.Hash

	for group, whole := range map[int]bool{1: false, 2: true, 3: true, 4: false} {
		repo, err := git.PlainOpen(filepath.Join(ws, "repos", fmt.Sprintf("%03d.git", group)))
		if err != nil {
			t.Fatal(err)
		}
		for p, h := range blobs {
			want := whole || slices.Contains(read, p)
			if held := repo.Storer.HasEncodedObject(h) == nil; held != want {
				t.Errorf("group %d (whole %v): the clone holds %s: %v, want %v", group, whole, p, held, want)
			}
		}
	}
}

// checkSameSnapshots: every group's snapshot says what group 2's (fetched
// whole) says, but for the notes on how it was fetched, and group 4's sizes
// of the files it did not fetch (its server answers no object-info).
func checkSameSnapshots(t *testing.T, ws string, weights []byte) {
	t.Helper()
	whole := loadSnap(t, ws, 2)
	if f, ok := whole.File("models/weights.bin"); !ok || f.Size != int64(len(weights)) || f.SizeUnknown {
		t.Errorf("whole: weights listed as %+v", f)
	}
	for group, wantNote := range map[int]string{
		1: "",
		2: "fetched whole, every file of its history: the server does not offer partial fetch",
		3: "fetched whole, every file of its history: the server refused to send the files asked for by id",
		4: "the sizes of 2 files are unknown, as their contents were not fetched and the server does not offer object-info (git protocol v2)",
	} {
		s := loadSnap(t, ws, group)
		got := slices.IndexFunc(s.Notes, func(n string) bool { return wantNote != "" && strings.Contains(n, wantNote) })
		if (got >= 0) != (wantNote != "") || (wantNote == "" && len(s.Notes) > 0) {
			t.Errorf("group %d notes %q, want one saying %q", group, s.Notes, wantNote)
		}
		tree := slices.Clone(s.Tree)
		if group == 4 {
			for i, f := range tree {
				if f.SizeUnknown {
					tree[i].SizeUnknown, tree[i].Size = false, mustFile(t, whole, f.Path).Size
				}
			}
		}
		if !reflect.DeepEqual(tree, whole.Tree) || !slices.Equal(s.Copied, whole.Copied) ||
			!reflect.DeepEqual(s.Commits, whole.Commits) || !reflect.DeepEqual(s.Pin, whole.Pin) {
			t.Errorf("group %d's snapshot differs from the whole clone's:\ntree %+v\nwant %+v\ncopied %q, want %q", group, s.Tree, whole.Tree, s.Copied, whole.Copied)
		}
		for _, p := range s.Copied {
			got, err1 := s.ReadFile(p)
			want, err2 := whole.ReadFile(p)
			if err1 != nil || err2 != nil || !bytes.Equal(got, want) {
				t.Errorf("group %d: copied %s differs (%v, %v)", group, p, err1, err2)
			}
		}
	}
}

func mustFile(t *testing.T, s *workspace.Snapshot, p string) workspace.File {
	t.Helper()
	f, ok := s.File(p)
	if !ok {
		t.Fatalf("%s not in the tree", p)
	}
	return f
}
