package scrape

import (
	"context"

	"github.com/go-git/go-git/v5/plumbing"

	"handin/workspace"
)

// copyDeadlineTree lists the tree of the pinned commit into the snapshot
// (what is cut goes into c) and copies the files later stages read into a
// new folder of the group's (fetching their contents first into a partial
// clone), returned for store to move into place; the status says whether a
// report was among them.
func (r *runner) copyDeadlineTree(ctx context.Context, cl *clone, snap *workspace.Snapshot, c *cuts) (newFiles string, err error) {
	tree, notes, err := treeFiles(ctx, cl.repo, plumbing.NewHash(snap.Pin.SHA), cl.remote != nil, c)
	if err != nil {
		return "", err
	}
	snap.Notes = append(snap.Notes, notes...)
	res, newFiles, err := r.copyFetching(ctx, cl, snap.Group, tree)
	if err != nil {
		return "", err
	}
	snap.Tree = make([]workspace.File, len(tree))
	for i, e := range tree {
		snap.Tree[i] = e.File
	}
	snap.Copied = res.Copied
	snap.Notes = append(snap.Notes, res.Notes...)
	snap.Status = workspace.StatusOK
	if !res.HasReport {
		snap.Status = workspace.StatusNoReport
		snap.Error = "no copied README.md has a \"### Question\" heading"
	}
	return newFiles, nil
}
