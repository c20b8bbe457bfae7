package scrape

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"handin/workspace"
)

// maxLateEntries bounds the tree entries compared to list the files of all
// late commits together: a late commit's tree can name one folder under
// every name of another, billions of paths in a few KB.
const maxLateEntries = 100_000

// addLateFiles fills in which files each listed late commit changed against
// its first parent (the whole tree for a root commit): "add figures"
// pushed after the deadline is why figures are missing, and the page shows
// it. What maxLateEntries cuts goes into c.
func addLateFiles(ctx context.Context, repo *git.Repository, late []workspace.LateCommit, c *cuts) error {
	d := &treeDiff{ctx: ctx, repo: repo, left: maxLateEntries}
	for i := range late {
		d.first, d.changed = nil, 0
		err := d.commit(plumbing.NewHash(late[i].SHA))
		late[i].Files, late[i].FilesOmitted = filesOf(d.first), d.changed-len(d.first)
		if errors.Is(err, errLateEntries) {
			c.say("the late commits' trees have more than %d entries to compare: the files of late commit %s and older ones are not all listed",
				maxLateEntries, short(late[i].SHA))
			return nil
		}
		if err != nil {
			return fmt.Errorf("files of late commit %s: %w", short(late[i].SHA), err)
		}
	}
	return nil
}

func filesOf(paths []string) []workspace.LateFile {
	files := make([]workspace.LateFile, len(paths))
	for i, p := range paths {
		files[i] = lateFile(p)
	}
	return files
}

// errLateEntries: maxLateEntries reached.
var errLateEntries = errors.New("too many tree entries to compare")

// treeDiff lists the paths a commit added, changed or deleted against its
// first parent, comparing trees entry by entry and skipping the folders
// both hold alike. Only the first MaxLateFiles paths (in path order) are
// kept, the others counted. An entry whose name the snapshot's tree would
// skip (control characters, "..", too long) is counted as one path and
// not named: a page lists what it can name safely.
type treeDiff struct {
	ctx     context.Context
	repo    *git.Repository
	left    int      // entries that may still be compared
	first   []string // the first paths changed, sorted
	changed int      // paths changed
}

func (d *treeDiff) commit(sha plumbing.Hash) error {
	c, err := d.repo.CommitObject(sha)
	if err != nil {
		return err
	}
	tree, err := c.Tree()
	if err != nil {
		return err
	}
	var parentTree *object.Tree
	if len(c.ParentHashes) > 0 {
		parent, err := d.repo.CommitObject(c.ParentHashes[0])
		if err != nil {
			return err
		}
		if parentTree, err = parent.Tree(); err != nil {
			return err
		}
	}
	return d.trees(parentTree, tree, "")
}

// trees compares two folders (nil: none) at dir.
func (d *treeDiff) trees(from, to *object.Tree, dir string) error {
	before := map[string]object.TreeEntry{}
	if from != nil {
		for _, e := range from.Entries {
			before[e.Name] = e
		}
	}
	var after []object.TreeEntry
	if to != nil {
		after = to.Entries
	}
	for _, e := range after {
		old, existed := before[e.Name]
		delete(before, e.Name)
		if existed && old.Hash == e.Hash && old.Mode == e.Mode {
			continue
		}
		if err := d.entry(dir, e, old, existed); err != nil {
			return err
		}
	}
	for _, name := range slices.Sorted(maps.Keys(before)) { // deleted
		if err := d.entry(dir, before[name], object.TreeEntry{}, false); err != nil {
			return err
		}
	}
	return nil
}

// entry compares one entry e at dir with what was there (old, when
// existed): a file is a path changed, a folder is compared within.
func (d *treeDiff) entry(dir string, e, old object.TreeEntry, existed bool) error {
	if d.left--; d.left < 0 {
		return errLateEntries
	}
	if d.left%4096 == 0 {
		if err := d.ctx.Err(); err != nil {
			return err
		}
	}
	if !safeEntryName(e.Name) || len(dir)+1+len(e.Name) > maxPathBytes {
		d.changed++ // counted, not named (nor what is under it)
		return nil
	}
	p := path.Join(dir, e.Name)
	isDir, wasDir := e.Mode == filemode.Dir, existed && old.Mode == filemode.Dir
	if !isDir && !wasDir {
		d.add(p)
		return nil
	}
	var from, to *object.Tree
	var err error
	if isDir {
		if to, err = d.repo.TreeObject(e.Hash); err != nil {
			return fmt.Errorf("read folder %s: %w", p, err)
		}
	} else {
		d.add(p) // a file where a folder was
	}
	if wasDir {
		if from, err = d.repo.TreeObject(old.Hash); err != nil {
			return fmt.Errorf("read folder %s: %w", p, err)
		}
	} else if existed {
		d.add(p) // a folder where a file was
	}
	return d.trees(from, to, p)
}

// add counts a path changed, keeping it when it is among the first
// MaxLateFiles in path order.
func (d *treeDiff) add(p string) {
	d.changed++
	i, found := slices.BinarySearch(d.first, p)
	if found || i >= workspace.MaxLateFiles {
		return
	}
	d.first = slices.Insert(d.first, i, p)
	d.first = d.first[:min(len(d.first), workspace.MaxLateFiles)]
}

// lateFile marks a path as part of the report (a README, as the report may
// live in any, reports/README.md first) or a figure (an image file).
func lateFile(p string) workspace.LateFile {
	base := strings.ToLower(path.Base(p))
	return workspace.LateFile{
		Path:   p,
		Report: base == "readme.md",
		Figure: slices.Contains(imageExtensions, path.Ext(base)),
	}
}
