package scrape

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"
)

// Options configure a scrape run. Only Groups, Workspace and a deadline
// (Deadline, or every group's own) are required.
type Options struct {
	Groups    []Group
	Workspace string
	// Deadline applies to every group without its own (Group.Deadline).
	Deadline time.Time
	Workers  int           // parallel clones; default 4
	Timeout  time.Duration // per repository, retries included; default 5m
	// Refresh re-scrapes groups whose snapshot is current.
	Refresh bool
	// Only restricts the run to these group numbers (all when empty).
	Only []int
	// Token is sent as HTTP basic auth to TokenHosts only (default
	// github.com): groups.csv is student input and may name any server.
	Token      string
	TokenHosts []string
	// RetryDelay is the wait before the first retry of a transient failure,
	// doubled for each further one; default 1s. Three attempts in all.
	RetryDelay time.Duration
	Logger     *slog.Logger // nil: no logs
	// Progress gets a live status line when it is a terminal; otherwise
	// nothing (the logger reports each group, which suits cron).
	Progress io.Writer
	Now      func() time.Time // clock for observations and snapshots
}

// Defaults for Options.
const (
	DefaultWorkers    = 4
	DefaultTimeout    = 5 * time.Minute
	DefaultRetryDelay = time.Second
	retryAttempts     = 3
)

// DefaultTokenHosts are the hosts a token is sent to unless Options say otherwise.
var DefaultTokenHosts = []string{"github.com"}

// Outcome is how one group's scrape ended.
type Outcome struct {
	Group        int           `json:"group"`
	Status       Status        `json:"status"`
	Error        string        `json:"error,omitempty"`
	DeadlineSHA  string        `json:"deadline_sha,omitempty"`
	LateCommits  int           `json:"late_commits"`
	Backdated    bool          `json:"backdated,omitempty"`
	NonMonotonic bool          `json:"non_monotonic,omitempty"`
	Resumed      bool          `json:"resumed,omitempty"`  // snapshot current: nothing fetched
	MovedTo      string        `json:"moved_to,omitempty"` // the repository redirects here
	Duration     time.Duration `json:"duration_ns"`
}

// Summary lists the outcome of every group that finished, in input order.
type Summary struct {
	Outcomes []Outcome `json:"outcomes"`
}

// InfrastructureFailures counts the groups handin could not look at
// (timeouts, network, credentials, internal errors).
func (s *Summary) InfrastructureFailures() int {
	n := 0
	for _, o := range s.Outcomes {
		if o.Status.Infrastructure() {
			n++
		}
	}
	return n
}

// Run scrapes every selected group into the workspace. A group's failure is
// that group's Outcome; Run returns an error only when it cannot go on (the
// workspace cannot be written, ctx was cancelled) or the options are wrong,
// and then still returns the outcomes of the groups that finished.
func Run(ctx context.Context, opts Options) (*Summary, error) {
	opts = opts.withDefaults()
	groups, err := selectGroups(opts.Groups, opts.Only)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		if g.Err == nil && g.Deadline == nil && opts.Deadline.IsZero() {
			return nil, fmt.Errorf("group %d has no deadline: give a default deadline", g.Number)
		}
	}
	ws, err := openWorkspace(opts.Workspace)
	if err != nil {
		return nil, err
	}
	defer ws.close()

	r := &runner{opts: opts, ws: ws, retry: retryPolicy{Attempts: retryAttempts, BaseDelay: opts.RetryDelay}, dirOwners: dirOwners(groups)}
	prog := newProgress(opts.Progress, len(groups))
	defer prog.finish()
	opts.Logger.Info("scrape started", "groups", len(groups), "workers", opts.Workers, "workspace", opts.Workspace)

	outcomes := make([]*Outcome, len(groups))
	pool, poolCtx := errgroup.WithContext(ctx)
	pool.SetLimit(opts.Workers)
	for i, g := range groups {
		if poolCtx.Err() != nil {
			break
		}
		pool.Go(func() error {
			if poolCtx.Err() != nil {
				return poolCtx.Err()
			}
			prog.started()
			out, err := r.scrapeGroup(poolCtx, i, g)
			if err != nil {
				prog.stopped()
				return fmt.Errorf("group %d: %w", g.Number, err)
			}
			outcomes[i] = &out
			prog.finished(out)
			r.logOutcome(out)
			return nil
		})
	}
	err = pool.Wait()
	if ctx.Err() != nil {
		err = ctx.Err() // the caller cancelled: say so, not which group noticed
	}
	sum := &Summary{}
	for _, o := range outcomes {
		if o != nil {
			sum.Outcomes = append(sum.Outcomes, *o)
		}
	}
	opts.Logger.Info("scrape finished", "groups", len(sum.Outcomes), "failed", sum.InfrastructureFailures())
	return sum, err
}

func (o Options) withDefaults() Options {
	if o.Workers <= 0 {
		o.Workers = DefaultWorkers
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.RetryDelay <= 0 {
		o.RetryDelay = DefaultRetryDelay
	}
	if o.TokenHosts == nil {
		o.TokenHosts = DefaultTokenHosts
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// selectGroups keeps the groups named in only (all when empty).
func selectGroups(groups []Group, only []int) ([]Group, error) {
	if len(only) == 0 {
		return groups, nil
	}
	var selected []Group
	for _, n := range only {
		i := slices.IndexFunc(groups, func(g Group) bool { return g.Number == n })
		if i < 0 {
			return nil, fmt.Errorf("group %d is not in the groups file", n)
		}
		selected = append(selected, groups[i])
	}
	slices.SortStableFunc(selected, func(a, b Group) int { return a.Number - b.Number })
	return slices.CompactFunc(selected, func(a, b Group) bool { return a.Number == b.Number }), nil
}

// dirOwners maps each group number to the index of the one group allowed to
// write its folder: the first valid row with that number. Invalid rows whose
// number is taken (duplicates) or unusable get an outcome but no folder.
func dirOwners(groups []Group) map[int]int {
	owners := map[int]int{}
	for pass := range 2 { // valid rows first, then invalid rows for free numbers
		for i, g := range groups {
			if _, taken := owners[g.Number]; taken || g.Number <= 0 || (g.Err == nil) != (pass == 0) {
				continue
			}
			owners[g.Number] = i
		}
	}
	return owners
}

func (r *runner) logOutcome(o Outcome) {
	attrs := []any{"group", o.Group, "status", o.Status, "duration", o.Duration.Round(time.Millisecond)}
	if o.DeadlineSHA != "" {
		attrs = append(attrs, "sha", o.DeadlineSHA, "late", o.LateCommits)
	}
	if o.Resumed {
		attrs = append(attrs, "resumed", true)
	}
	if o.MovedTo != "" {
		attrs = append(attrs, "moved_to", o.MovedTo)
	}
	if o.Error != "" {
		attrs = append(attrs, "error", o.Error)
	}
	level := slog.LevelInfo
	if o.Status.Infrastructure() {
		level = slog.LevelWarn
	}
	r.opts.Logger.Log(context.Background(), level, "group scraped", attrs...)
}

// workspace is an open, locked workspace folder.
type workspace struct {
	root string
	tmp  string // in-progress clones; emptied on open and close
	lock *os.File
}

func openWorkspace(root string) (*workspace, error) {
	if root == "" {
		return nil, errors.New("workspace: no folder given")
	}
	for _, sub := range []string{"repos", "groups"} {
		if err := os.MkdirAll(filepath.Join(root, sub), 0o755); err != nil {
			return nil, fmt.Errorf("workspace: %w", err)
		}
	}
	lock, err := lockWorkspace(root)
	if err != nil {
		return nil, err
	}
	ws := &workspace{root: root, tmp: filepath.Join(root, "tmp"), lock: lock}
	// Leftovers of an interrupted run: nothing in tmp is ever complete.
	if err := os.RemoveAll(ws.tmp); err != nil {
		ws.close()
		return nil, fmt.Errorf("workspace: clean %s: %w", ws.tmp, err)
	}
	if err := os.Mkdir(ws.tmp, 0o755); err != nil {
		ws.close()
		return nil, fmt.Errorf("workspace: %w", err)
	}
	return ws, nil
}

func (w *workspace) close() {
	os.RemoveAll(w.tmp)
	unlockWorkspace(w.lock)
}

func (w *workspace) clonePath(group int) string {
	return filepath.Join(w.root, "repos", fmt.Sprintf("%03d.git", group))
}
