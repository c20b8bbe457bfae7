// Package scrape clones every group's repository (listed in groups.csv) in
// parallel, pins the commit that counts at the deadline, and leaves in the
// workspace a plain snapshot of it: the pin, the commit metadata, the file
// tree and the report and figure files. It is the only package that touches
// git; every later stage reads the snapshot.
package scrape

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"

	"handin/internal/github"
	"handin/workspace"
)

// Options configure a scrape run. Only Groups and a deadline (Deadline, or
// every group's own) are required.
type Options struct {
	Groups []Group
	// GroupsFile names the file Groups were read from, kept with the roster.
	GroupsFile string
	// Students is the students file (ReadStudentsFile): what it says of a
	// student fills in what groups.csv's columns leave empty.
	Students []workspace.Student
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
	// GitHub is where GitHub's API is, for the groups whose repository is
	// on its host when the token is meant for that host: their push log,
	// the accounts behind their commits and the CI status of the commit
	// that counts. Empty fields take github.Config's defaults. Without a
	// token the API is not asked.
	GitHub github.Config
	// RetryDelay is the wait before the first retry of a transient failure,
	// doubled for each further one; default 1s. Three attempts in all.
	RetryDelay time.Duration
	Logger     *slog.Logger     // one line per group; nil: no logs
	Progress   Progress         // told as groups start and finish; nil: nobody
	Now        func() time.Time // clock for observations and snapshots
}

// Progress follows a run group by group (a live display on a terminal).
// Its methods are called from the worker goroutines.
type Progress interface {
	Started(group int)
	// Finished reports a group's outcome, or nil when the run stopped it
	// (cancelled, or the workspace failed) before it had one.
	Finished(group int, o *Outcome)
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
	Group   int              `json:"group"`
	Status  workspace.Status `json:"status"`
	Error   string           `json:"error,omitempty"`
	Pin     workspace.Pin    `json:"pin"`
	Resumed bool             `json:"resumed,omitempty"`  // snapshot current: nothing fetched
	MovedTo string           `json:"moved_to,omitempty"` // the repository redirects here
	// Kept is the status of the group's earlier snapshot (same deadline and
	// URL) when this scrape failed and that snapshot was kept: the group is
	// graded from it. "" when nothing was kept.
	Kept     workspace.Status `json:"kept,omitempty"`
	Duration time.Duration    `json:"duration_ns"`
}

// Failed reports whether the group has no deadline commit to grade after
// this scrape: the run's "failed". A failed scrape whose earlier snapshot
// with a deadline commit was kept is graded from that snapshot.
func (o Outcome) Failed() bool { return !o.Status.Pinned() && !o.Kept.Pinned() }

// Fetched reports whether this run fetched the repository (as opposed to
// finding its snapshot current, or not reaching it).
func (o Outcome) Fetched() bool {
	return !o.Resumed && (o.Pin.SHA != "" || o.Status == workspace.StatusEmptyRepo || o.Status == workspace.StatusNoCommit)
}

// Summary lists the outcome of every group that finished, in input order.
type Summary struct {
	Outcomes []Outcome `json:"outcomes"`
}

// InfrastructureFailures counts the groups handin could not look at this
// run (timeouts, network, unresolvable hosts, credentials, internal
// errors), whether or not an earlier snapshot was kept.
func (s *Summary) InfrastructureFailures() int {
	return s.count(func(o Outcome) bool { return o.Status.Infrastructure() })
}

// Failed counts the groups without a deadline commit to grade (the run's
// "failed", whatever the reason): Outcome.Failed.
func (s *Summary) Failed() int { return s.count(Outcome.Failed) }

// Kept counts the groups whose scrape failed this run and whose earlier
// snapshot was kept.
func (s *Summary) Kept() int {
	return s.count(func(o Outcome) bool { return o.Kept != "" })
}

func (s *Summary) count(match func(Outcome) bool) int {
	n := 0
	for _, o := range s.Outcomes {
		if match(o) {
			n++
		}
	}
	return n
}

// Run scrapes every selected group into the workspace. A group's failure is
// that group's Outcome; Run returns an error only when it cannot go on (the
// workspace cannot be written, ctx was cancelled) or the options are wrong,
// and then still returns the outcomes of the groups that finished.
func Run(ctx context.Context, ws *workspace.Workspace, opts Options) (*Summary, error) {
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
	client, err := newGitHubClient(opts)
	if err != nil {
		return nil, err
	}
	if err := ws.SaveRoster(roster(opts)); err != nil {
		return nil, err
	}
	installTransport()
	r := &runner{opts: opts, ws: ws, retry: retryPolicy{Attempts: retryAttempts, BaseDelay: opts.RetryDelay}, dirOwners: dirOwners(groups),
		gitHub: client}
	if client != nil {
		r.cache = &gitHubCache{ws: ws, data: ws.LoadGitHubCache(opts.GitHub.API)}
	}
	opts.Logger.Info("scrape started", "groups", len(groups), "workers", opts.Workers, "workspace", ws.Root())

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
			opts.Progress.Started(g.Number)
			out, err := r.scrapeGroup(poolCtx, i, g)
			if err != nil {
				opts.Progress.Finished(g.Number, nil)
				return fmt.Errorf("group %d: %w", g.Number, err)
			}
			outcomes[i] = &out
			opts.Progress.Finished(g.Number, &out)
			r.logOutcome(poolCtx, out)
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
	opts.Logger.Info("scrape finished", "groups", len(sum.Outcomes), "failed", sum.Failed(), "unreachable", sum.InfrastructureFailures(), "kept", sum.Kept())
	return sum, err
}

// roster is every row of groups.csv (not only those selected), as the
// workspace keeps it for later stages.
func roster(opts Options) workspace.Roster {
	r := workspace.Roster{File: opts.GroupsFile, ReadAt: opts.Now(), Rows: make([]workspace.RosterRow, len(opts.Groups))}
	owners := dirOwners(opts.Groups)
	for i, g := range opts.Groups {
		owner, ok := owners[g.Number]
		r.Rows[i] = workspace.RosterRow{Line: g.Line, Group: g.Number, Students: g.Students, URL: redactRepoURL(g.RawURL),
			Repo: repositoryKey(g.URL), Folder: ok && owner == i}
		if g.Err != nil {
			r.Rows[i].Error = redactRepoURL(g.Err.Error())
		}
	}
	return r
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
	o.GitHub = o.GitHub.WithDefaults()
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Progress == nil {
		o.Progress = noProgress{}
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

// logOutcome logs a group's outcome in the run's context.
func (r *runner) logOutcome(ctx context.Context, o Outcome) {
	attrs := []any{"group", o.Group, "status", o.Status, "duration", o.Duration.Round(time.Millisecond)}
	if o.Pin.SHA != "" {
		attrs = append(attrs, "sha", o.Pin.SHA, "late", o.Pin.LateCommits)
	}
	if o.Resumed {
		attrs = append(attrs, "resumed", true)
	}
	if o.MovedTo != "" {
		attrs = append(attrs, "moved_to", o.MovedTo)
	}
	if o.Kept != "" {
		attrs = append(attrs, "kept", o.Kept)
	}
	if o.Error != "" {
		attrs = append(attrs, "error", o.Error)
	}
	level := slog.LevelInfo
	if o.Status.Infrastructure() {
		level = slog.LevelWarn
	}
	r.opts.Logger.Log(ctx, level, "group scraped", attrs...)
}

// noProgress is the Progress of a run nobody watches.
type noProgress struct{}

func (noProgress) Started(int)            {}
func (noProgress) Finished(int, *Outcome) {}
