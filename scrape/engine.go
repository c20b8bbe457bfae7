package scrape

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"handin/internal/github"
	"handin/workspace"
)

// runner scrapes groups for one Run.
type runner struct {
	opts      Options
	ws        *workspace.Workspace
	retry     retryPolicy
	dirOwners map[int]int    // group number -> index of the row owning its folder
	gitHub    *github.Client // nil without a token
	cache     *gitHubCache   // what GitHub's API answered; nil without a token
}

// workspaceError marks a failure to write the workspace, which ends the run.
type workspaceError struct{ err error }

func (e *workspaceError) Error() string { return e.err.Error() }
func (e *workspaceError) Unwrap() error { return e.err }

// diskFull reports whether err is the workspace's disk (or quota) being
// full: while cloning, that is the workspace failing, not the network,
// and retrying cannot help.
func diskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// workspaceFailure reports whether err ends the run: the workspace could
// not be written.
func workspaceFailure(err error) bool {
	var wsErr *workspaceError
	return errors.As(err, &wsErr) || diskFull(err)
}

// scrapeGroup scrapes one group (index i of the selected groups) and returns
// its outcome; the error is for fatal conditions only.
func (r *runner) scrapeGroup(ctx context.Context, i int, g Group) (Outcome, error) {
	started := time.Now()
	snap, resumed, err := r.snapshotGroupSafely(ctx, i, g)
	if err != nil {
		return Outcome{}, err
	}
	if err := r.cache.save(); err != nil {
		return Outcome{}, &workspaceError{err}
	}
	o := Outcome{
		Group:    g.Number,
		Status:   snap.Status,
		Error:    snap.Error,
		Pin:      snap.Pin,
		Resumed:  resumed,
		MovedTo:  snap.MovedTo,
		Duration: time.Since(started),
	}
	if !snap.Status.Pinned() && snap.Status != workspace.StatusInvalid {
		// Asked after the fact: once snap is stored, it is no earlier snapshot.
		if prev := r.earlierToKeep(snap); prev != nil {
			o.Kept = prev.Status
		}
	}
	if err := r.recordReach(g.Number, snap, o.Kept != ""); err != nil {
		return Outcome{}, &workspaceError{err}
	}
	return o, nil
}

// recordReach notes in the group's folder whether this scrape reached the
// repository: grading says a group is graded from old data while the last
// scrape could not reach it and kept its earlier snapshot. A row with an
// invalid number has no folder of its own to note it in.
func (r *runner) recordReach(group int, snap *workspace.Snapshot, kept bool) error {
	switch {
	case kept:
		return r.ws.SaveUnreached(group, workspace.Unreached{Time: snap.ScrapedAt, Status: snap.Status, Error: snap.Error})
	case snap.Status == workspace.StatusInvalid:
		return nil
	}
	return r.ws.ClearUnreached(group)
}

// snapshotGroupSafely is snapshotGroup, where a panic (go-git reading a
// hostile server's answer) becomes this group's error status instead of
// ending the whole run; an earlier good snapshot is kept.
func (r *runner) snapshotGroupSafely(ctx context.Context, i int, g Group) (snap *workspace.Snapshot, resumed bool, err error) {
	defer func() {
		if v := recover(); v != nil {
			snap, resumed = r.newSnapshot(g), false
			snap.Status, snap.Error = workspace.StatusInternalError, r.scrub(g, fmt.Sprintf("internal error: %v", v))
			err = r.storeUnlessKept(snap)
		}
	}()
	return r.snapshotGroup(ctx, i, g)
}

// newSnapshot is a group's snapshot before its repository is looked at.
func (r *runner) newSnapshot(g Group) *workspace.Snapshot {
	return &workspace.Snapshot{
		Group:     g.Number,
		Students:  g.Students,
		Roster:    withStudents(g, r.opts.Students),
		URL:       RedactURL(g.URL),
		WebURL:    g.WebURL,
		GitHub:    r.gitHubHome(g.URL),
		Branch:    g.Branch,
		Deadline:  r.deadlineFor(g),
		ScrapedAt: r.opts.Now(),
	}
}

// snapshotGroup produces the group's snapshot and stores it (unless the
// group has no folder of its own, or a failure must not replace a good one).
func (r *runner) snapshotGroup(ctx context.Context, i int, g Group) (snap *workspace.Snapshot, resumed bool, err error) {
	snap = r.newSnapshot(g)
	if g.Err != nil {
		snap.Status, snap.Error = workspace.StatusInvalid, r.scrub(g, g.Err.Error())
		if owner, ok := r.dirOwners[g.Number]; !ok || owner != i {
			return snap, false, nil // a duplicate, or no usable number
		}
		return snap, false, r.store(snap, "")
	}

	repoCtx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	auth := tokenAuth(g.URL, r.opts.Token, r.opts.TokenHosts)
	var remote remoteTip
	err = r.retry.do(repoCtx, func() (err error) {
		remote, err = listRemote(repoCtx, g, auth)
		return err
	})
	if err != nil {
		return r.failed(ctx, repoCtx, g, snap, auth != nil, err)
	}
	snap.Branch, snap.MovedTo = remote.Branch, remote.MovedTo
	if remote.Tip.IsZero() {
		if err := r.observe(snap, ""); err != nil {
			return nil, false, err
		}
		snap.Status, snap.Error = workspace.StatusEmptyRepo, "the repository has no commits"
		return snap, false, r.storeUnlessKept(snap)
	}
	if !r.opts.Refresh {
		if prev := r.current(snap, remote.Tip); prev != nil {
			if r.gitHubFacts(repoCtx, g, prev) {
				if err := r.ws.UpdateSnapshot(prev); err != nil {
					return nil, false, &workspaceError{err}
				}
			}
			return prev, true, r.observe(prev, prev.TipSHA)
		}
	}

	cl, err := r.fetch(repoCtx, g, remote, auth)
	if err != nil {
		return r.failed(ctx, repoCtx, g, snap, auth != nil, err)
	}
	tip, err := localTip(cl.repo, remote.Branch)
	if err != nil {
		return r.internalError(snap, err)
	}
	snap.TipSHA = tip.String()
	if err := r.observe(snap, snap.TipSHA); err != nil {
		return nil, false, err
	}
	pushLog, pushLogNote := r.pushLogSightings(repoCtx, g, snap.Branch, snap.Deadline)
	newFiles, err := r.analyse(repoCtx, cl, snap, pushLog, pushLogNote)
	var remoteErr *remoteError
	if errors.As(err, &remoteErr) {
		err = remoteErr.err
	}
	if remoteErr != nil || (err != nil && repoCtx.Err() != nil) { // the server failed us after the fetch, or the timeout (the run) ended the analysis
		failed := r.newSnapshot(g)
		failed.Branch, failed.MovedTo = snap.Branch, snap.MovedTo
		return r.failed(ctx, repoCtx, g, failed, auth != nil, err)
	}
	if err != nil {
		return r.internalError(snap, err)
	}
	snap.Notes = append(snap.Notes, cl.notes()...)
	snap.Notes = append(snap.Notes, omittedNote(cl.omissions())...)
	snap.Notes = append(snap.Notes, dateNotes(snap.Commits)...)
	r.gitHubFacts(repoCtx, g, snap)
	return snap, false, r.store(snap, newFiles)
}

func (r *runner) deadlineFor(g Group) time.Time {
	if g.Deadline != nil {
		return *g.Deadline
	}
	return r.opts.Deadline
}

// analyse pins the deadline commit of the fetched clone from the evidence
// (the group's evidence log and the push-log sightings read for this run),
// fills the snapshot and copies the files into a new folder of the group's
// (copyDeadlineTree), returned for store to move into place ("" when nothing
// was pinned).
func (r *runner) analyse(ctx context.Context, cl *clone, snap *workspace.Snapshot, pushLog []workspace.Evidence, pushLogNote string) (newFiles string, err error) {
	repo := cl.repo
	obs, err := r.ws.Observations(snap.Group)
	if err != nil {
		return "", err
	}
	sightings := append(logSightings(obs, snap.URL, snap.Branch), pushLog...)
	tips := map[plumbing.Hash]bool{plumbing.NewHash(snap.TipSHA): true}
	for _, s := range sightings {
		if s.TipSHA != "" {
			tips[plumbing.NewHash(s.TipSHA)] = true
		}
	}
	var cut cuts
	defer func() { snap.Cuts = cut.lines() }()
	h, err := loadHistory(ctx, repo, &cut, slices.Collect(maps.Keys(tips))...)
	if err != nil {
		return "", err
	}
	snap.Pin, snap.Commits = pinCommit(h, snap.TipSHA, snap.Deadline, sightings)
	if pushLogNote != "" {
		snap.Pin.Notes = append(snap.Pin.Notes, pushLogNote)
	}
	if err := addLateFiles(ctx, repo, snap.Pin.Late, &cut); err != nil {
		snap.Pin.Notes = append(snap.Pin.Notes, "files of the late commits not listed: "+err.Error())
	}
	if snap.Pin.SHA == "" {
		snap.Status = workspace.StatusNoCommit
		snap.Error = fmt.Sprintf("no commit on %s at or before the deadline (%d later commits)", snap.Branch, snap.Pin.LateCommits)
		return "", nil
	}
	if newFiles, err = r.copyDeadlineTree(ctx, cl, snap, &cut); err != nil {
		return "", err
	}
	notes, err := r.keepLateFigures(ctx, cl, snap, newFiles)
	if err != nil {
		os.RemoveAll(newFiles)
		return "", err
	}
	snap.Notes = append(snap.Notes, notes...)
	return newFiles, nil
}

// current returns the stored snapshot when it already answers this run:
// same deadline, URL and branch, the remote tip unchanged, and a result that
// is not a failure to look. Students, what the roster says of them and web
// URL follow groups.csv (and the students file), MovedTo the remote.
func (r *runner) current(snap *workspace.Snapshot, tip plumbing.Hash) *workspace.Snapshot {
	prev, err := r.ws.LoadSnapshot(snap.Group)
	if err != nil || prev.Status.Infrastructure() || prev.Status == workspace.StatusInvalid ||
		!prev.Deadline.Equal(snap.Deadline) || prev.URL != snap.URL || prev.Branch != snap.Branch ||
		prev.TipSHA != tip.String() {
		return nil
	}
	if !slices.Equal(prev.Students, snap.Students) || !slices.Equal(prev.Roster, snap.Roster) || prev.WebURL != snap.WebURL ||
		prev.GitHub != snap.GitHub || prev.MovedTo != snap.MovedTo {
		prev.Students, prev.Roster, prev.WebURL, prev.GitHub, prev.MovedTo = snap.Students, snap.Roster, snap.WebURL, snap.GitHub, snap.MovedTo
		if r.ws.UpdateSnapshot(prev) != nil {
			return nil // scrape it again; store will report a real write failure
		}
	}
	return prev
}

// failed turns a failed list or fetch into the group's status, stored
// unless an earlier result is kept (see storeUnlessKept).
func (r *runner) failed(ctx, repoCtx context.Context, g Group, snap *workspace.Snapshot, sentToken bool, err error) (*workspace.Snapshot, bool, error) {
	switch {
	case ctx.Err() != nil:
		return nil, false, ctx.Err()
	case workspaceFailure(err):
		return nil, false, &workspaceError{err}
	case errors.Is(repoCtx.Err(), context.DeadlineExceeded):
		snap.Status = workspace.StatusTimeout
		snap.Error = fmt.Sprintf("gave up after %s", r.opts.Timeout)
	default:
		snap.Status = remoteFailure(err, sentToken)
		msg, ok := unresolvedHost(err)
		if !ok {
			msg = err.Error()
		}
		snap.Error = r.scrub(g, msg)
	}
	return snap, false, r.storeUnlessKept(snap)
}

// storeUnlessKept stores snap, a result without a deadline commit, unless
// the group folder holds another result for the same deadline and URL: a
// repository emptied, made private or unreachable after an earlier run must
// not erase the evidence of what was handed in. A kept result is named in
// snap.Error.
func (r *runner) storeUnlessKept(snap *workspace.Snapshot) error {
	if prev := r.earlierToKeep(snap); prev != nil {
		snap.Error += fmt.Sprintf(" (kept the snapshot scraped at %s)", prev.ScrapedAt.Format(time.RFC3339))
		return nil
	}
	return r.store(snap, "")
}

// earlierToKeep is the group's stored snapshot when snap, a result without
// a deadline commit, must not replace it: same deadline and URL, another
// status, and not itself a failure to look. nil otherwise.
func (r *runner) earlierToKeep(snap *workspace.Snapshot) *workspace.Snapshot {
	prev, err := r.ws.LoadSnapshot(snap.Group)
	if err != nil || prev.Status.Infrastructure() || prev.Status == workspace.StatusInvalid || prev.Status == snap.Status ||
		!prev.Deadline.Equal(snap.Deadline) || prev.URL != snap.URL {
		return nil
	}
	return prev
}

// internalError records a failure reading the clone (corrupt objects), or
// ends the run when the workspace itself failed.
func (r *runner) internalError(snap *workspace.Snapshot, err error) (*workspace.Snapshot, bool, error) {
	if workspaceFailure(err) {
		return nil, false, &workspaceError{err}
	}
	snap.Status, snap.Error = workspace.StatusInternalError, oneLine(err.Error())
	return snap, false, r.store(snap, "")
}

// observe appends what this run saw to the group's observation log.
func (r *runner) observe(snap *workspace.Snapshot, tip string) error {
	o := workspace.Observation{Time: r.opts.Now(), URL: snap.URL, Branch: snap.Branch, TipSHA: tip, MovedTo: snap.MovedTo}
	if err := r.ws.AppendObservation(snap.Group, o); err != nil {
		return &workspaceError{err}
	}
	return nil
}

// store makes snap (and the files copied into newFiles, if any) the group's
// snapshot; a failure to write the workspace ends the run. A snapshot that
// cannot be written as JSON is this group's problem, not the run's: the
// group is stored as an error saying so, unless an earlier snapshot is kept
// (storeUnlessKept).
func (r *runner) store(snap *workspace.Snapshot, newFiles string) error {
	err := r.ws.SaveSnapshot(snap, newFiles)
	if errors.Is(err, workspace.ErrUnencodable) {
		*snap = workspace.Snapshot{
			Group: snap.Group, Students: snap.Students, Roster: snap.Roster, URL: snap.URL, WebURL: snap.WebURL, GitHub: snap.GitHub, MovedTo: snap.MovedTo,
			Branch: snap.Branch, Deadline: snap.Deadline, ScrapedAt: snap.ScrapedAt, TipSHA: snap.TipSHA,
			Status: workspace.StatusInternalError, Error: "the snapshot could not be saved: " + err.Error(),
		}
		return r.storeUnlessKept(snap)
	}
	if err != nil {
		return &workspaceError{err}
	}
	return nil
}

// scrub makes a message fit for the snapshot, the page and the terminal:
// one line (oneLine), without the token or credentials pasted into the
// group's URL.
func (r *runner) scrub(g Group, msg string) string {
	for _, raw := range []string{g.RawURL, g.URL} {
		if raw != "" {
			msg = strings.ReplaceAll(msg, raw, redactRepoURL(raw))
		}
	}
	if r.opts.Token != "" {
		msg = strings.ReplaceAll(msg, r.opts.Token, "[token]")
	}
	return oneLine(msg)
}
