package github

import (
	"context"
	"net/url"

	gh "github.com/google/go-github/v84/github"
)

// Check is one check run or commit status on a commit, as GitHub reports it.
type Check struct {
	Name string
	// State is a check run's conclusion once completed (success, failure,
	// neutral, cancelled, skipped, timed_out, action_required, stale,
	// startup_failure), else its status (queued, in_progress, waiting,
	// requested, pending); a commit status's state (success, failure,
	// error, pending).
	State string
	// Run: a check run (GitHub Actions, GitHub Apps), as opposed to a
	// commit status (older CI services).
	Run bool
	URL string // where to read it: an http(s) URL, or ""
}

// maxCheckPages bounds the pages of a commit's check runs (of 100 each).
const maxCheckPages = 5

// CommitChecks lists the check runs (GET .../commits/{sha}/check-runs, the
// latest of each name) and the commit statuses (GET .../commits/{sha}/status,
// the latest of each context) of a commit.
func (c *Client) CommitChecks(ctx context.Context, r Repo, sha string) ([]Check, error) {
	var out []Check
	opts := &gh.ListCheckRunsOptions{ListOptions: gh.ListOptions{PerPage: 100}}
	for range maxCheckPages {
		var runs *gh.ListCheckRunsResults
		var resp *gh.Response
		err := c.do(ctx, func() (*gh.Response, error) {
			var err error
			runs, resp, err = c.api.Checks.ListCheckRunsForRef(ctx, r.Owner, r.Name, sha, opts)
			return resp, err
		})
		if err != nil {
			return nil, err
		}
		for _, run := range runs.CheckRuns {
			state := run.GetConclusion()
			if run.GetStatus() != "completed" || state == "" {
				state = run.GetStatus()
			}
			out = append(out, Check{Name: run.GetName(), State: state, Run: true, URL: webURL(run.GetHTMLURL(), run.GetDetailsURL())})
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	var combined *gh.CombinedStatus
	err := c.do(ctx, func() (*gh.Response, error) {
		var resp *gh.Response
		var err error
		combined, resp, err = c.api.Repositories.GetCombinedStatus(ctx, r.Owner, r.Name, sha, &gh.ListOptions{PerPage: 100})
		return resp, err
	})
	if err != nil {
		return nil, err
	}
	for _, s := range combined.Statuses {
		out = append(out, Check{Name: s.GetContext(), State: s.GetState(), URL: webURL(s.GetTargetURL())})
	}
	return out, nil
}

// webURL is the first of urls that is an absolute http(s) URL: a status's
// target is whatever its author wrote.
func webURL(urls ...string) string {
	for _, s := range urls {
		if u, err := url.Parse(s); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil {
			return u.String()
		}
	}
	return ""
}
