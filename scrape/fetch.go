package scrape

import (
	"context"
	"fmt"
	"os"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/transport"
)

// fetch brings the listed branch into the group's workspace clone:
// incrementally into an existing clone, or as a fresh bare clone built in
// the workspace's tmp folder and renamed into place once complete. A fresh
// clone is partial when the server can serve one (see partial.go), and
// stays as it began.
func (r *runner) fetch(ctx context.Context, g Group, remote remoteTip, auth transport.AuthMethod) (*clone, error) {
	srv := remote.server
	if existing, ok := openClone(ctx, r.ws.ClonePath(g.Number), RedactURL(g.URL)); ok {
		if isPartial(existing) {
			return &clone{repo: existing, remote: srv}, r.retry.do(ctx, func() error { return srv.fetchHistory(ctx, existing) })
		}
		err := r.retry.do(ctx, func() error { return fetchBranch(ctx, existing, g.URL, auth, remote.Branch) })
		return &clone{repo: existing, whole: wholeReason(existing)}, err
	}
	return r.freshClone(ctx, g, remote.Branch, func(repo *git.Repository) (*clone, error) {
		if why := srv.cannotServePartially(); why != "" {
			return r.fetchWhole(ctx, repo, g, remote.Branch, auth, why)
		}
		if err := r.retry.do(ctx, func() error { return srv.fetchHistory(ctx, repo) }); err != nil {
			return nil, err
		}
		return &clone{repo: repo, remote: srv}, markClone(repo, "")
	})
}

// fetchWhole fetches the branch with every file's contents into repo, a
// fresh clone, as go-git fetches, and records why in its config.
func (r *runner) fetchWhole(ctx context.Context, repo *git.Repository, g Group, branch string, auth transport.AuthMethod, why string) (*clone, error) {
	if err := r.retry.do(ctx, func() error { return fetchBranch(ctx, repo, g.URL, auth, branch) }); err != nil {
		return nil, err
	}
	return &clone{repo: repo, whole: why}, markClone(repo, why)
}

// refetchWhole replaces a partial clone whose server would not send the
// file contents asked for by a whole one, fetched afresh.
func (r *runner) refetchWhole(ctx context.Context, cl *clone, why string) error {
	srv := cl.remote
	whole, err := r.freshClone(ctx, srv.group, srv.branch, func(repo *git.Repository) (*clone, error) {
		return r.fetchWhole(ctx, repo, srv.group, srv.branch, srv.auth, why)
	})
	if err != nil {
		return err
	}
	*cl = *whole
	return nil
}

// freshClone builds a new clone of the group's branch in the workspace's
// tmp folder (fill fetches into it), then moves it into place, replacing
// any clone there, and opens it there.
func (r *runner) freshClone(ctx context.Context, g Group, branch string, fill func(*git.Repository) (*clone, error)) (*clone, error) {
	final := r.ws.ClonePath(g.Number)
	redacted := RedactURL(g.URL)
	tmp, err := r.ws.NewCloneDir(g.Number)
	if err != nil {
		return nil, &workspaceError{fmt.Errorf("clone: %w", err)}
	}
	defer os.RemoveAll(tmp) // no-op once renamed
	repo, err := initClone(ctx, tmp, redacted, branch)
	if err != nil {
		return nil, &workspaceError{err}
	}
	cl, err := fill(repo)
	if err != nil {
		return nil, err
	}
	cl.omitted = omissions(repo) // the storage opened on tmp: the clone is opened again once moved
	if err := os.RemoveAll(final); err != nil {
		return nil, &workspaceError{fmt.Errorf("clone: replace %s: %w", final, err)}
	}
	if err := os.Rename(tmp, final); err != nil {
		return nil, &workspaceError{fmt.Errorf("clone: %w", err)}
	}
	if cl.repo, _ = openClone(ctx, final, redacted); cl.repo == nil {
		return nil, &workspaceError{fmt.Errorf("clone: %s unreadable after rename", final)}
	}
	return cl, nil
}
