package scrape

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"

	"handin/scrape/packstore"
)

// remoteName is the remote every workspace clone fetches from.
const remoteName = "origin"

// openClone opens an existing workspace clone; ok is false when there is
// none, when it is damaged, or when it was cloned from another URL (the
// group changed its repository), in which case the caller clones afresh.
func openClone(ctx context.Context, dir, redactedURL string) (repo *git.Repository, ok bool) {
	if _, err := os.Stat(filepath.Join(dir, "HEAD")); err != nil {
		return nil, false
	}
	repo, err := git.Open(packstore.Open(ctx, dir), nil)
	if err != nil {
		return nil, false
	}
	remote, err := repo.Remote(remoteName)
	if err != nil || len(remote.Config().URLs) == 0 || remote.Config().URLs[0] != redactedURL {
		return nil, false
	}
	return repo, true
}

// initClone creates an empty bare repository at dir whose origin is the
// redacted URL: credentials pasted into groups.csv never reach the disk, the
// real URL is passed to each fetch instead.
func initClone(ctx context.Context, dir, redactedURL, branch string) (*git.Repository, error) {
	repo, err := git.Init(packstore.Open(ctx, dir), nil)
	if err != nil {
		return nil, fmt.Errorf("init clone: %w", err)
	}
	if _, err := repo.CreateRemote(&config.RemoteConfig{
		Name:  remoteName,
		URLs:  []string{redactedURL},
		Fetch: []config.RefSpec{branchRefSpec(branch)},
	}); err != nil {
		return nil, fmt.Errorf("init clone: %w", err)
	}
	head := plumbing.NewSymbolicReference(plumbing.HEAD, plumbing.NewBranchReferenceName(branch))
	if err := repo.Storer.SetReference(head); err != nil {
		return nil, fmt.Errorf("init clone: %w", err)
	}
	return repo, nil
}

// omissions lists what the pack store of a clone (opened by openClone or
// initClone) left out of the packs fetched through it.
func omissions(repo *git.Repository) []packstore.Omission {
	return repo.Storer.(*packstore.Storage).Omissions()
}

// omittedNote is the snapshot's note on the objects of the packs just
// fetched that the clone's pack store left out of their index.
func omittedNote(omitted []packstore.Omission) []string {
	if len(omitted) == 0 {
		return nil
	}
	objects := make([]string, len(omitted))
	for i, o := range omitted {
		switch o.Reason {
		case packstore.LongDelta:
			objects[i] = fmt.Sprintf("a delta of %s building %s", mib(o.Cost), mib(o.Size))
		case packstore.LargeBase:
			objects[i] = fmt.Sprintf("an object of %s built from one of %s", mib(o.Size), mib(o.Cost))
		case packstore.DeepDelta:
			objects[i] = fmt.Sprintf("a file of %s built through %d deltas", mib(o.Size), o.Cost)
		default:
			objects[i] = fmt.Sprintf("an object at %d built on one left out", o.Offset)
		}
	}
	return []string{fmt.Sprintf("%d objects of the fetched pack were left out, as git never writes them: %s", len(objects), quotedList(objects))}
}

// localTip is the branch tip in a workspace clone.
func localTip(repo *git.Repository, branch string) (plumbing.Hash, error) {
	ref, err := repo.Reference(plumbing.NewBranchReferenceName(branch), true)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("branch %s after fetch: %w", branch, err)
	}
	return ref.Hash(), nil
}
