package scrape

import (
	"cmp"
	"context"
	"errors"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"handin/internal/github"
	"handin/workspace"
)

// newGitHubClient is the run's one client of GitHub's API, with the token;
// nil without a token (GitHub's API is not read then).
func newGitHubClient(opts Options) (*github.Client, error) {
	if opts.Token == "" {
		return nil, nil
	}
	return github.New(opts.GitHub.API, opts.Token)
}

// gitHubRepo is the group's repository on GitHub's host, when it is there
// and the token may be sent to that host (then also to its API).
func (r *runner) gitHubRepo(cloneURL string) (github.Repo, bool) {
	if r.gitHub == nil || tokenAuth(cloneURL, r.opts.Token, r.opts.TokenHosts) == nil {
		return github.Repo{}, false
	}
	return r.opts.GitHub.Repo(cloneURL)
}

// gitHubHome is the repository's home page on the course's GitHub host
// (github.com or an Enterprise server), "" for a repository elsewhere.
func (r *runner) gitHubHome(cloneURL string) string {
	repo, ok := r.opts.GitHub.Repo(cloneURL)
	if !ok {
		return ""
	}
	u, err := url.Parse(cloneURL)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host + "/" + repo.String()
}

// gitHubMargin: what the API is asked (rate-limit waits included) ends this
// long (at most half the time left) before the group's own timeout, which
// must leave time to analyse the clone.
const gitHubMargin = 30 * time.Second

// withMargin is ctx ending gitHubMargin before it would.
func withMargin(ctx context.Context) (context.Context, context.CancelFunc) {
	end, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	return context.WithDeadline(ctx, end.Add(-min(gitHubMargin, time.Until(end)/2)))
}

// Bounds on what one group asks GitHub's API about its accounts: a history
// may hold thousands of addresses.
const (
	maxAccountLookups = 100 // addresses and profiles not in the cache
	maxFailingChecks  = 20  // failing checks named
	maxCheckName      = 200 // runes of a check's name
	// ciSettledAfter: a commit without checks this long after the group's
	// deadline gets none (CI starts on a push, within minutes).
	ciSettledAfter = time.Hour
)

// gitHubFacts fills in what GitHub's API knows of the group's repository at
// the pinned commit: the CI status of the commit, and the accounts behind
// its commits' addresses with the names on their profiles. What the
// workspace's cache holds is not asked again (unless Refresh). A failure
// never fails the group: the CI status is unknown and says why, an account
// not read is left out. changed says whether snap changed.
func (r *runner) gitHubFacts(ctx context.Context, g Group, snap *workspace.Snapshot) (changed bool) {
	if snap.Pin.SHA == "" || !snap.Status.Pinned() {
		return false
	}
	ci, accounts := snap.CI, snap.Accounts
	repo, ok := r.gitHubRepo(g.URL)
	if !ok {
		if _, onGitHub := r.opts.GitHub.Repo(g.URL); onGitHub {
			snap.CI = &workspace.CI{State: workspace.CIUnknown, Reason: "no token for " + r.opts.GitHub.Host + ": GitHub's API was not asked"}
		}
		return !reflect.DeepEqual(ci, snap.CI)
	}
	ctx, cancel := withMargin(ctx)
	defer cancel()
	snap.CI = r.ciStatus(ctx, g, repo, snap)
	snap.Accounts = r.accounts(ctx, repo, snap.Commits)
	return !reflect.DeepEqual(ci, snap.CI) || !slices.Equal(accounts, snap.Accounts)
}

// ciStatus is the CI status of the pinned commit: its check runs and
// statuses, from the cache once settled.
func (r *runner) ciStatus(ctx context.Context, g Group, repo github.Repo, snap *workspace.Snapshot) *workspace.CI {
	key := repo.String() + "@" + snap.Pin.SHA
	if ci, ok := cached(r.cache, r.cache.data.CI, key); ok && !r.opts.Refresh {
		return &ci
	}
	checks, err := r.gitHub.CommitChecks(ctx, repo, snap.Pin.SHA)
	if err != nil {
		return &workspace.CI{State: workspace.CIUnknown, Reason: r.scrub(g, "GitHub's API: "+err.Error())}
	}
	ci := ciOf(checks)
	if ci.State == workspace.CIPassing || ci.State == workspace.CIFailing ||
		(ci.State == workspace.CINone && r.opts.Now().After(snap.Deadline.Add(ciSettledAfter))) {
		remember(r.cache, r.cache.data.CI, key, ci)
	}
	return &ci
}

// ciOf is what a commit's checks come to: failing when one failed (a check
// run's failure, timed_out, startup_failure or action_required; a status's
// failure or error), else pending when one has not finished, else passing
// when one succeeded, else none. Neutral, skipped, cancelled and stale
// checks count neither way.
func ciOf(checks []github.Check) workspace.CI {
	ci := workspace.CI{State: workspace.CINone}
	pending, passed := false, false
	for _, c := range checks {
		switch c.State {
		case "failure", "timed_out", "startup_failure", "action_required", "error":
			if len(ci.Checks) < maxFailingChecks {
				ci.Checks = append(ci.Checks, workspace.Check{Name: checkName(c.Name), URL: c.URL})
			}
		case "queued", "in_progress", "waiting", "requested", "pending":
			pending = true
		case "success":
			passed = true
		}
	}
	switch {
	case len(ci.Checks) > 0:
		ci.State = workspace.CIFailing
	case pending:
		ci.State = workspace.CIPending
	case passed:
		ci.State = workspace.CIPassing
	}
	return ci
}

// checkName is a check's name fit for a page: one line, not too long.
func checkName(name string) string {
	name = strings.Join(strings.Fields(strings.ToValidUTF8(name, "")), " ")
	if r := []rune(name); len(r) > maxCheckName {
		name = string(r[:maxCheckName]) + "…"
	}
	return cmp.Or(name, "(unnamed)")
}

// accounts are the GitHub accounts behind the addresses of commits (the
// login in a noreply address, or the author GitHub's API names for one of
// the address's commits) and the names on their profiles, by address.
func (r *runner) accounts(ctx context.Context, repo github.Repo, commits []workspace.Commit) []workspace.Account {
	firstCommit := map[string]string{} // address -> a commit of it
	var addresses []string
	for _, c := range commits {
		email := strings.ToLower(strings.TrimSpace(c.AuthorEmail))
		if _, seen := firstCommit[email]; !seen && strings.Contains(email, "@") {
			firstCommit[email] = c.SHA
			addresses = append(addresses, email)
		}
	}
	slices.Sort(addresses)
	asked := 0
	var out []workspace.Account
	for _, email := range addresses {
		login, ok := r.opts.GitHub.NoreplyLogin(email)
		if !ok {
			if login, ok = cached(r.cache, r.cache.data.Logins, email); !ok || r.opts.Refresh {
				if asked++; asked > maxAccountLookups {
					break
				}
				var err error
				if login, err = r.gitHub.CommitAuthor(ctx, repo, firstCommit[email]); err != nil {
					break // the API refuses or the time is up: what is known so far
				}
				remember(r.cache, r.cache.data.Logins, email, login)
			}
		}
		if login == "" || strings.HasSuffix(login, "[bot]") {
			continue
		}
		name, known := cached(r.cache, r.cache.data.Profiles, strings.ToLower(login))
		if !known || r.opts.Refresh {
			if asked++; asked > maxAccountLookups {
				break
			}
			var err error
			if name, err = r.gitHub.ProfileName(ctx, login); err != nil && !errors.Is(err, github.ErrNotFound) {
				break
			}
			remember(r.cache, r.cache.data.Profiles, strings.ToLower(login), name)
		}
		out = append(out, workspace.Account{Email: email, Login: login, Name: strings.Join(strings.Fields(name), " ")})
	}
	return out
}

// gitHubCache is the workspace's cache of GitHub's answers, shared by the
// run's workers.
type gitHubCache struct {
	mu      sync.Mutex
	ws      *workspace.Workspace
	data    *workspace.GitHubCache
	changed bool
}

// cached is what the cache's map m (one of c.data's) holds at key.
func cached[V any](c *gitHubCache, m map[string]V, key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := m[key]
	return v, ok
}

// remember puts v at key in the cache's map m (one of c.data's).
func remember[V any](c *gitHubCache, m map[string]V, key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m[key], c.changed = v, true
}

// save writes the cache when it changed since the last save (a run
// without a token has none).
func (c *gitHubCache) save() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.changed {
		return nil
	}
	c.changed = false
	return c.ws.SaveGitHubCache(c.data)
}
