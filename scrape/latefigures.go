package scrape

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"handin/workspace"
)

// Limits on the late figures a snapshot keeps: the figures a group added
// after the deadline are a few; a late commit of a whole dataset's images
// is not what the page shows.
const (
	maxLateFigures    = 50
	maxLateFigureSize = 10 << 20
	maxLateTotalSize  = 50 << 20
)

// lateFigure is an image a late commit added that the deadline tree lacks:
// its file of the late commit, and its contents' hash.
type lateFigure struct {
	file *workspace.LateFile // marked Kept once kept
	blob plumbing.Hash
}

// keepLateFigures keeps, in the new files folder dst, each image a late
// commit added that the deadline tree lacks, as the first late commit to
// touch it had it (the late commits are listed newest first): a figure
// missing at the deadline that arrived late, which the page shows as such.
// A partial clone fetches their contents first. Each one kept is marked on
// its LateFile; what is left out is said in the notes returned. The error
// is the workspace's only (a full disk): late figures never fail a group.
func (r *runner) keepLateFigures(ctx context.Context, cl *clone, snap *workspace.Snapshot, dst string) ([]string, error) {
	figures, notes := lateFigures(cl, snap)
	if len(figures) == 0 {
		return notes, nil
	}
	if cl.remote != nil {
		var missing []plumbing.Hash
		for _, f := range figures {
			if cl.repo.Storer.HasEncodedObject(f.blob) != nil {
				missing = append(missing, f.blob)
			}
		}
		if len(missing) > 0 {
			if err := r.fetchContents(ctx, cl, uniqueHashes(missing)); workspaceFailure(err) {
				return notes, err
			} else if err != nil {
				return append(notes, "late figures not kept: "+err.Error()), nil
			}
		}
	}
	var total int64
	for _, f := range figures {
		size, err := keepLateFile(cl, f, dst, maxLateTotalSize-total)
		switch {
		case workspaceFailure(err):
			return notes, err
		case err != nil:
			notes = append(notes, fmt.Sprintf("late figure %s not kept: %v", f.file.Path, err))
		default:
			f.file.Kept, total = true, total+size
		}
	}
	return notes, nil
}

// lateFigures are the images late commits added that the deadline tree
// lacks, each once, the first commit to touch it first, at most
// maxLateFigures; the notes say what was left out.
func lateFigures(cl *clone, snap *workspace.Snapshot) ([]lateFigure, []string) {
	inTree := make(map[string]bool, len(snap.Tree))
	for _, f := range snap.Tree {
		inTree[f.Path] = true
	}
	done := map[string]bool{}
	var figures []lateFigure
	var notes []string
	for i := len(snap.Pin.Late) - 1; i >= 0; i-- {
		c := &snap.Pin.Late[i]
		var tree *object.Tree
		for j := range c.Files {
			f := &c.Files[j]
			if !f.Figure || inTree[f.Path] || done[f.Path] {
				continue
			}
			done[f.Path] = true
			if len(figures) == maxLateFigures {
				notes = append(notes, fmt.Sprintf("late figure %s not kept: more than %d late figures", f.Path, maxLateFigures))
				continue
			}
			if tree == nil {
				var err error
				if tree, err = commitTree(cl, c.SHA); err != nil {
					notes = append(notes, fmt.Sprintf("late figures of %s not kept: %v", short(c.SHA), err))
					break
				}
			}
			// The tree, not the contents: a partial clone has it.
			entry, err := tree.FindEntry(f.Path)
			switch {
			case errors.Is(err, object.ErrEntryNotFound), errors.Is(err, object.ErrDirectoryNotFound): // the commit deleted it
			case err != nil:
				notes = append(notes, fmt.Sprintf("late figure %s not kept: %v", f.Path, err))
			case entry.Mode.IsFile():
				figures = append(figures, lateFigure{file: f, blob: entry.Hash})
			}
		}
	}
	return figures, notes
}

// commitTree is the tree of a commit of the clone.
func commitTree(cl *clone, sha string) (*object.Tree, error) {
	c, err := cl.repo.CommitObject(plumbing.NewHash(sha))
	if err != nil {
		return nil, err
	}
	return c.Tree()
}

// keepLateFile writes a late figure's contents into dst's late folder,
// refusing one larger than maxLateFigureSize or room; it returns its size.
// Only a failure to write is the workspace's.
func keepLateFile(cl *clone, f lateFigure, dst string, room int64) (int64, error) {
	blob, err := cl.repo.BlobObject(f.blob)
	if err != nil {
		return 0, err
	}
	if blob.Size > min(maxLateFigureSize, room) {
		return 0, fmt.Errorf("%d bytes, too large to keep", blob.Size)
	}
	r, err := blob.Reader()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, blob.Size))
	if err != nil {
		return 0, err
	}
	name := filepath.Join(workspace.LateFilesDir(dst), filepath.FromSlash(f.file.Path))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return 0, &workspaceError{err}
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		return 0, &workspaceError{err}
	}
	return int64(len(data)), nil
}
