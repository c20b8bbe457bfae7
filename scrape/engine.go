package scrape

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"

	"handin/internal/atomicfile"
)

// runner scrapes groups for one Run.
type runner struct {
	opts      Options
	ws        *workspace
	retry     retryPolicy
	dirOwners map[int]int // group number -> index of the row owning its folder
}

// workspaceError marks a failure to write the workspace, which ends the run.
type workspaceError struct{ err error }

func (e *workspaceError) Error() string { return e.err.Error() }
func (e *workspaceError) Unwrap() error { return e.err }

// scrapeGroup scrapes one group (index i of the selected groups) and returns
// its outcome; the error is for fatal conditions only.
func (r *runner) scrapeGroup(ctx context.Context, i int, g Group) (Outcome, error) {
	started := time.Now()
	snap, resumed, err := r.snapshotGroupSafely(ctx, i, g)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{
		Group:        g.Number,
		Status:       snap.Status,
		Error:        snap.Error,
		DeadlineSHA:  snap.DeadlineSHA,
		LateCommits:  snap.LateCommits,
		Backdated:    snap.Backdated,
		NonMonotonic: snap.NonMonotonic,
		Resumed:      resumed,
		MovedTo:      snap.MovedTo,
		Duration:     time.Since(started),
	}
	return out, nil
}

// snapshotGroupSafely is snapshotGroup, where a panic (go-git reading a
// hostile server's answer) becomes this group's error status instead of
// ending the whole run; an earlier good snapshot is kept.
func (r *runner) snapshotGroupSafely(ctx context.Context, i int, g Group) (snap *Snapshot, resumed bool, err error) {
	defer func() {
		if v := recover(); v != nil {
			snap, resumed = r.newSnapshot(g), false
			snap.Status, snap.Error = StatusInternalError, r.scrub(g, fmt.Sprintf("internal error: %v", v))
			err = r.storeUnlessKept(GroupDir(r.ws.root, g.Number), snap)
		}
	}()
	return r.snapshotGroup(ctx, i, g)
}

// newSnapshot is a group's snapshot before its repository is looked at.
func (r *runner) newSnapshot(g Group) *Snapshot {
	return &Snapshot{
		Group:     g.Number,
		Students:  g.Students,
		URL:       RedactURL(g.URL),
		WebURL:    g.WebURL,
		Branch:    g.Branch,
		Deadline:  r.deadlineFor(g),
		ScrapedAt: r.opts.Now(),
	}
}

// snapshotGroup produces the group's snapshot and stores it (unless the
// group has no folder of its own, or a failure must not replace a good one).
func (r *runner) snapshotGroup(ctx context.Context, i int, g Group) (snap *Snapshot, resumed bool, err error) {
	dir := GroupDir(r.ws.root, g.Number)
	snap = r.newSnapshot(g)
	if g.Err != nil {
		snap.Status, snap.Error = StatusInvalid, r.scrub(g, g.Err.Error())
		if owner, ok := r.dirOwners[g.Number]; !ok || owner != i {
			return snap, false, nil // a duplicate, or no usable number
		}
		return snap, false, r.store(dir, snap, "")
	}
	if err := removeStaleTemps(dir); err != nil {
		return nil, false, err
	}

	repoCtx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	auth := tokenAuth(g.URL, r.opts.Token, r.opts.TokenHosts)
	var remote remoteTip
	err = r.retry.do(repoCtx, func() (err error) {
		remote, err = listRemote(repoCtx, g.URL, auth, g.Branch)
		return err
	})
	if err != nil {
		return r.failed(ctx, repoCtx, g, dir, snap, auth != nil, err)
	}
	snap.Branch, snap.MovedTo = remote.Branch, remote.MovedTo
	if remote.Tip.IsZero() {
		if err := r.observe(dir, snap, ""); err != nil {
			return nil, false, err
		}
		snap.Status, snap.Error = StatusEmptyRepo, "the repository has no commits"
		return snap, false, r.storeUnlessKept(dir, snap)
	}
	if !r.opts.Refresh {
		if prev := r.current(dir, snap, remote.Tip); prev != nil {
			return prev, true, r.observe(dir, prev, prev.TipSHA)
		}
	}

	repo, err := r.fetch(repoCtx, g, remote.Branch, auth)
	if err != nil {
		return r.failed(ctx, repoCtx, g, dir, snap, auth != nil, err)
	}
	tip, err := localTip(repo, remote.Branch)
	if err != nil {
		return r.internalError(dir, snap, err)
	}
	snap.TipSHA = tip.String()
	if err := r.observe(dir, snap, snap.TipSHA); err != nil {
		return nil, false, err
	}
	filesTmp, err := r.analyse(repo, dir, snap)
	if err != nil {
		return r.internalError(dir, snap, err)
	}
	return snap, false, r.store(dir, snap, filesTmp)
}

func (r *runner) deadlineFor(g Group) time.Time {
	if g.Deadline != nil {
		return *g.Deadline
	}
	return r.opts.Deadline
}

// analyse pins the deadline commit of the fetched clone, fills the snapshot
// and exports the files into a new temporary folder inside dir, returned
// for store to move into place ("" when nothing was pinned).
func (r *runner) analyse(repo *git.Repository, dir string, snap *Snapshot) (filesTmp string, err error) {
	obs, err := ReadObservations(dir)
	if err != nil {
		return "", err
	}
	var observed *Observation
	if last, ok := lastObservationBy(obs, snap.URL, snap.Branch, snap.Deadline); ok {
		observed = &last
	}
	p, err := pinDeadlineCommit(repo, plumbing.NewHash(snap.TipSHA), snap.Deadline, observed)
	if err != nil {
		return "", err
	}
	snap.PinnedBy, snap.ObservedAt = p.PinnedBy, p.ObservedAt
	snap.NonMonotonic, snap.Backdated, snap.LateCommits = p.NonMonotonic, p.Backdated, p.LateCommits
	snap.Commits, snap.Notes = p.Commits, p.Notes
	if p.DateBased != p.Pinned && !p.DateBased.IsZero() {
		snap.DateBasedSHA = p.DateBased.String()
	}
	if p.Pinned.IsZero() {
		snap.Status = StatusNoCommit
		snap.Error = fmt.Sprintf("no commit on %s at or before the deadline (%d later commits)", snap.Branch, p.LateCommits)
		return "", nil
	}
	snap.DeadlineSHA = p.Pinned.String()
	pinned, err := repo.CommitObject(p.Pinned)
	if err != nil {
		return "", fmt.Errorf("read pinned commit: %w", err)
	}
	snap.DeadlineTime = pinned.Committer.When

	tree, err := treeFiles(repo, p.Pinned)
	if err != nil {
		return "", err
	}
	snap.Tree = make([]File, len(tree))
	for i, e := range tree {
		snap.Tree[i] = e.File
	}
	filesTmp, err = os.MkdirTemp(dir, tempFilesPrefix)
	if err == nil {
		err = os.Chmod(filesTmp, 0o755) // MkdirTemp's 0700 would hide files/ from other readers
	}
	if err != nil {
		return "", &workspaceError{fmt.Errorf("export: %w", err)}
	}
	res, err := exportFiles(repo, tree, filesTmp)
	if err != nil {
		os.RemoveAll(filesTmp)
		return "", err
	}
	snap.Exported = res.Exported
	snap.Notes = append(snap.Notes, res.Notes...)
	snap.Status = StatusOK
	if !res.HasReport {
		snap.Status = StatusNoReport
		snap.Error = "no exported README.md has a \"### Question\" heading"
	}
	return filesTmp, nil
}

// current returns the stored snapshot when it already answers this run:
// same deadline, URL and branch, the remote tip unchanged, and a result that
// is not a failure to look. Students and web URL follow groups.csv, MovedTo
// the remote.
func (r *runner) current(dir string, snap *Snapshot, tip plumbing.Hash) *Snapshot {
	prev, err := LoadSnapshotDir(dir)
	if err != nil || prev.Status.Infrastructure() || prev.Status == StatusInvalid ||
		!prev.Deadline.Equal(snap.Deadline) || prev.URL != snap.URL || prev.Branch != snap.Branch ||
		prev.TipSHA != tip.String() {
		return nil
	}
	if !slices.Equal(prev.Students, snap.Students) || prev.WebURL != snap.WebURL || prev.MovedTo != snap.MovedTo {
		prev.Students, prev.WebURL, prev.MovedTo = snap.Students, snap.WebURL, snap.MovedTo
		if atomicfile.WriteJSON(filepath.Join(dir, SnapshotFile), prev) != nil {
			return nil // scrape it again; store will report a real write failure
		}
	}
	return prev
}

// fetch brings the branch into the group's workspace clone: incrementally
// into an existing clone, or as a fresh bare clone built in the workspace's
// tmp folder and renamed into place once complete.
func (r *runner) fetch(ctx context.Context, g Group, branch string, auth transport.AuthMethod) (*git.Repository, error) {
	final := r.ws.clonePath(g.Number)
	redacted := RedactURL(g.URL)
	if repo, ok := openClone(final, redacted); ok {
		return repo, r.retry.do(ctx, func() error { return fetchBranch(ctx, repo, g.URL, auth, branch) })
	}
	tmp, err := os.MkdirTemp(r.ws.tmp, fmt.Sprintf("%03d-*.git", g.Number))
	if err != nil {
		return nil, &workspaceError{fmt.Errorf("clone: %w", err)}
	}
	defer os.RemoveAll(tmp) // no-op once renamed
	repo, err := initClone(tmp, redacted, branch)
	if err != nil {
		return nil, &workspaceError{err}
	}
	if err := r.retry.do(ctx, func() error { return fetchBranch(ctx, repo, g.URL, auth, branch) }); err != nil {
		return nil, err
	}
	if err := os.RemoveAll(final); err != nil {
		return nil, &workspaceError{fmt.Errorf("clone: replace %s: %w", final, err)}
	}
	if err := os.Rename(tmp, final); err != nil {
		return nil, &workspaceError{fmt.Errorf("clone: %w", err)}
	}
	repo, ok := openClone(final, redacted)
	if !ok {
		return nil, &workspaceError{fmt.Errorf("clone: %s unreadable after rename", final)}
	}
	return repo, nil
}

// failed turns a failed list or fetch into the group's status, stored
// unless an earlier result is kept (see storeUnlessKept).
func (r *runner) failed(ctx, repoCtx context.Context, g Group, dir string, snap *Snapshot, sentToken bool, err error) (*Snapshot, bool, error) {
	var wsErr *workspaceError
	switch {
	case ctx.Err() != nil:
		return nil, false, ctx.Err()
	case errors.As(err, &wsErr):
		return nil, false, err
	case errors.Is(repoCtx.Err(), context.DeadlineExceeded):
		snap.Status = StatusTimeout
		snap.Error = fmt.Sprintf("gave up after %s", r.opts.Timeout)
	default:
		snap.Status = remoteFailure(err, sentToken)
		snap.Error = r.scrub(g, err.Error())
	}
	return snap, false, r.storeUnlessKept(dir, snap)
}

// storeUnlessKept stores snap, a result without a deadline commit, unless
// the group folder holds another result for the same deadline and URL: a
// repository emptied, made private or unreachable after an earlier run must
// not erase the evidence of what was handed in. A kept result is named in
// snap.Error.
func (r *runner) storeUnlessKept(dir string, snap *Snapshot) error {
	prev, err := LoadSnapshotDir(dir)
	if err == nil && !prev.Status.Infrastructure() && prev.Status != StatusInvalid && prev.Status != snap.Status &&
		prev.Deadline.Equal(snap.Deadline) && prev.URL == snap.URL {
		snap.Error += fmt.Sprintf(" (kept the snapshot scraped at %s)", prev.ScrapedAt.Format(time.RFC3339))
		return nil
	}
	return r.store(dir, snap, "")
}

// internalError records a failure reading the clone (corrupt objects), or
// ends the run when the workspace itself failed.
func (r *runner) internalError(dir string, snap *Snapshot, err error) (*Snapshot, bool, error) {
	var wsErr *workspaceError
	if errors.As(err, &wsErr) {
		return nil, false, err
	}
	snap.Status, snap.Error = StatusInternalError, err.Error()
	return snap, false, r.store(dir, snap, "")
}

// observe appends what this run saw to the group's observation log.
func (r *runner) observe(dir string, snap *Snapshot, tip string) error {
	err := appendObservation(dir, Observation{Time: r.opts.Now(), URL: snap.URL, Branch: snap.Branch, TipSHA: tip, MovedTo: snap.MovedTo})
	if err != nil {
		return &workspaceError{err}
	}
	return nil
}

// tempFilesPrefix names export folders being written; oldFilesPrefix the
// previous export being replaced. Neither is ever read.
const (
	tempFilesPrefix = ".files-new-"
	oldFilesPrefix  = ".files-old-"
)

// store makes snap (and the export in filesTmp, if any) the group's result.
// The old snapshot goes first, so a crash in between leaves a group without
// snapshot (scraped again next run), never one whose files/ do not match.
func (r *runner) store(dir string, snap *Snapshot, filesTmp string) error {
	if err := r.replaceResult(dir, snap, filesTmp); err != nil {
		if filesTmp != "" {
			os.RemoveAll(filesTmp)
		}
		return &workspaceError{fmt.Errorf("store snapshot: %w", err)}
	}
	return nil
}

func (r *runner) replaceResult(dir string, snap *Snapshot, filesTmp string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(dir, SnapshotFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	files := filepath.Join(dir, FilesDir)
	if _, err := os.Lstat(files); err == nil {
		old, err := os.MkdirTemp(dir, oldFilesPrefix)
		if err != nil {
			return err
		}
		if err := os.Rename(files, filepath.Join(old, FilesDir)); err != nil {
			return err
		}
		if err := os.RemoveAll(old); err != nil {
			return err
		}
	}
	if filesTmp != "" {
		if err := os.Rename(filesTmp, files); err != nil {
			return err
		}
	}
	return atomicfile.WriteJSON(filepath.Join(dir, SnapshotFile), snap)
}

// removeStaleTemps deletes export folders left by an interrupted run.
func removeStaleTemps(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return &workspaceError{fmt.Errorf("group folder: %w", err)}
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tempFilesPrefix) || strings.HasPrefix(e.Name(), oldFilesPrefix) {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return &workspaceError{fmt.Errorf("group folder: %w", err)}
			}
		}
	}
	return nil
}

// scrub removes secrets from a message: the token, and credentials pasted
// into the group's URL.
func (r *runner) scrub(g Group, msg string) string {
	for _, raw := range []string{g.RawURL, g.URL} {
		if raw != "" {
			msg = strings.ReplaceAll(msg, raw, redactRepoURL(raw))
		}
	}
	if r.opts.Token != "" {
		msg = strings.ReplaceAll(msg, r.opts.Token, "[token]")
	}
	return msg
}
