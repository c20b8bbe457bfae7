package scrape

import (
	"context"
	"time"

	"handin/internal/github"
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
