package scrape

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	git "github.com/go-git/go-git/v5"
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

// keepLateFigures keeps, in the new files folder dst, each image a late
// commit added that the deadline tree lacks, as the first late commit to
// touch it had it (the late commits are listed newest first): a figure
// missing at the deadline that arrived late, which the page shows as such.
// Each one kept is marked on its LateFile; what the limits leave out is
// said in the notes returned. The error is the workspace's only (a full
// disk).
func keepLateFigures(repo *git.Repository, snap *workspace.Snapshot, dst string) ([]string, error) {
	inTree := make(map[string]bool, len(snap.Tree))
	for _, f := range snap.Tree {
		inTree[f.Path] = true
	}
	done := map[string]bool{}
	var total int64
	var notes []string
	for i := len(snap.Pin.Late) - 1; i >= 0; i-- {
		c := &snap.Pin.Late[i]
		var commit *object.Commit
		for j := range c.Files {
			f := &c.Files[j]
			if !f.Figure || inTree[f.Path] || done[f.Path] {
				continue
			}
			done[f.Path] = true
			if len(done) > maxLateFigures {
				notes = append(notes, fmt.Sprintf("late figure %s not kept: more than %d late figures", f.Path, maxLateFigures))
				continue
			}
			if commit == nil {
				var err error
				if commit, err = repo.CommitObject(plumbing.NewHash(c.SHA)); err != nil {
					notes = append(notes, fmt.Sprintf("late figures of %s not kept: %v", short(c.SHA), err))
					break
				}
			}
			size, err := keepLateFile(commit, f.Path, dst, maxLateTotalSize-total)
			switch {
			case errors.Is(err, object.ErrFileNotFound): // the commit deleted it
			case workspaceFailure(err):
				return notes, err
			case err != nil:
				notes = append(notes, fmt.Sprintf("late figure %s not kept: %v", f.Path, err))
			default:
				f.Kept, total = true, total+size
			}
		}
	}
	return notes, nil
}

// keepLateFile writes the file at p of commit into dst's late folder,
// refusing one larger than maxLateFigureSize or room; it returns its size.
func keepLateFile(commit *object.Commit, p, dst string, room int64) (int64, error) {
	file, err := commit.File(p)
	if err != nil {
		return 0, err
	}
	if file.Size > min(maxLateFigureSize, room) {
		return 0, fmt.Errorf("%d bytes, too large to keep", file.Size)
	}
	r, err := file.Reader()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	name := filepath.Join(workspace.LateFilesDir(dst), filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return 0, &workspaceError{err}
	}
	out, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return 0, &workspaceError{err}
	}
	n, err := io.Copy(out, io.LimitReader(r, file.Size))
	if closeErr := out.Close(); err == nil {
		err = closeErr
	}
	return n, err
}
