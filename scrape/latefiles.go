package scrape

import (
	"cmp"
	"context"
	"fmt"
	"path"
	"slices"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"handin/workspace"
)

// addLateFiles fills in which files each listed late commit changed against
// its first parent (the whole tree for a root commit): "add figures"
// pushed after the deadline is why figures are missing, and the page shows
// it.
func addLateFiles(ctx context.Context, repo *git.Repository, late []workspace.LateCommit) error {
	for i := range late {
		paths, err := changedPaths(ctx, repo, plumbing.NewHash(late[i].SHA))
		if err != nil {
			return fmt.Errorf("files of late commit %s: %w", short(late[i].SHA), err)
		}
		// Names the snapshot's tree would skip (control characters, "..")
		// are left out here too: a page lists what it can name safely.
		all := len(paths)
		paths = slices.DeleteFunc(paths, func(p string) bool { return !allSafe(strings.Split(p, "/")) })
		slices.Sort(paths)
		late[i].FilesOmitted = all - min(len(paths), workspace.MaxLateFiles)
		for _, p := range paths[:min(len(paths), workspace.MaxLateFiles)] {
			late[i].Files = append(late[i].Files, lateFile(p))
		}
	}
	return nil
}

func allSafe(names []string) bool {
	for _, n := range names {
		if !safeEntryName(n) {
			return false
		}
	}
	return true
}

// changedPaths lists the paths a commit added, changed or deleted against
// its first parent.
func changedPaths(ctx context.Context, repo *git.Repository, sha plumbing.Hash) ([]string, error) {
	c, err := repo.CommitObject(sha)
	if err != nil {
		return nil, err
	}
	tree, err := c.Tree()
	if err != nil {
		return nil, err
	}
	var parentTree *object.Tree
	if len(c.ParentHashes) > 0 {
		parent, err := repo.CommitObject(c.ParentHashes[0])
		if err != nil {
			return nil, err
		}
		if parentTree, err = parent.Tree(); err != nil {
			return nil, err
		}
	}
	changes, err := object.DiffTreeContext(ctx, parentTree, tree)
	if err != nil {
		return nil, err
	}
	paths := make([]string, 0, len(changes))
	for _, ch := range changes {
		paths = append(paths, cmp.Or(ch.To.Name, ch.From.Name))
	}
	return paths, nil
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
