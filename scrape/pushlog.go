package scrape

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"handin/internal/lazyregexp"
	"handin/workspace"
)

// PushLog says where GitHub's push log (the repository activity API,
// GET /repos/{owner}/{repo}/activity) is read: for repositories on Host,
// from the REST API at API. It records when each push moved a branch, by
// GitHub's clock: sightings of the branch that need no cron.
type PushLog struct {
	Host string // web host of the repositories, e.g. github.com
	API  string // REST API base URL, e.g. https://api.github.com
}

// DefaultPushLog is GitHub's.
var DefaultPushLog = PushLog{Host: "github.com", API: "https://api.github.com"}

// Bounds on reading one repository's push log: it is evidence worth having,
// never worth failing or stalling a group for.
const (
	maxPushLogPages       = 10      // of 100 entries each
	maxPushLogPageSize    = 4 << 20 // bytes of one page's body
	pushLogRequestTimeout = 30 * time.Second
	// The push log (rate-limit waits included) ends this long (at most half
	// the time left) before the group's own timeout, which must leave time
	// to analyse the clone.
	pushLogMargin     = 30 * time.Second
	maxRateLimitWaits = 2
	// GitHub's advice when a secondary rate limit names no time.
	defaultRateLimitWait = time.Minute
)

var (
	// objectName is a SHA-1 or SHA-256 object name as the API writes it.
	objectName = &lazyregexp.Regexp{Expr: `^([0-9a-f]{40}|[0-9a-f]{64})$`}
	// githubLogin is a GitHub account name (bots end in [bot]).
	githubLogin = &lazyregexp.Regexp{Expr: `^[A-Za-z0-9-]{1,39}(\[bot\])?$`}
)

// pushActivities are the activity types that move a branch.
var pushActivities = []string{"push", "force_push", "branch_creation", "branch_deletion", "pr_merge", "merge_queue_merge"}

// activity is one entry of the push log, as the API writes it.
type activity struct {
	Before       string    `json:"before"`
	After        string    `json:"after"`
	Ref          string    `json:"ref"`
	Timestamp    time.Time `json:"timestamp"`
	ActivityType string    `json:"activity_type"`
	Actor        *struct {
		Login string `json:"login"`
	} `json:"actor"`
}

// pushLogClient reads push logs from one API with one token.
type pushLogClient struct {
	http  *http.Client
	api   *url.URL
	token string
	now   func() time.Time
	// sleep waits out a rate limit (or returns ctx's error).
	sleep func(context.Context, time.Duration) error
}

// newPushLogClient is a client for api that sends token to api's host
// only: it follows no redirect to another host.
func newPushLogClient(api, token string) (*pushLogClient, error) {
	base, err := url.Parse(api)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" || base.User != nil {
		return nil, fmt.Errorf("push log API %q is not an http(s) URL", api)
	}
	c := &pushLogClient{api: base, token: token, now: time.Now, sleep: sleepContext}
	c.http = &http.Client{Timeout: pushLogRequestTimeout, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if !c.sameHost(req.URL) || len(via) >= 5 {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return c, nil
}

func (c *pushLogClient) sameHost(u *url.URL) bool {
	return u.Scheme == c.api.Scheme && strings.EqualFold(u.Host, c.api.Host)
}

// errNoPushLog: the API answered, but gives no push log for this
// repository (no access, no such repository, refused token).
var errNoPushLog = errors.New("no push log")

// read returns the push log of branch in the repository at repoPath
// ("/owner/repo"), oldest first, back to the last push at or before the
// deadline. complete says whether it reaches that far (or to the branch's
// creation): then the branch as it stood at the deadline is known.
func (c *pushLogClient) read(ctx context.Context, repoPath, branch string, deadline time.Time) (entries []activity, complete bool, err error) {
	next := c.api.JoinPath("repos", repoPath, "activity")
	next.RawQuery = url.Values{"ref": {"refs/heads/" + branch}, "per_page": {"100"}}.Encode()
	for page := 0; page < maxPushLogPages; page++ {
		batch, link, err := c.page(ctx, next)
		if err != nil {
			return nil, false, err
		}
		entries = append(entries, batch...)
		if i := len(batch) - 1; i >= 0 && !batch[i].Timestamp.After(deadline) {
			complete = true // newest first: this page reaches back past the deadline
			break
		}
		if link == "" {
			// The log's end: complete if it goes back to the branch's creation.
			complete = len(entries) > 0 && entries[len(entries)-1].ActivityType == "branch_creation"
			break
		}
		if next, err = next.Parse(link); err != nil || !c.sameHost(next) {
			return nil, false, fmt.Errorf("push log: next page %q is not on %s", link, c.api.Host)
		}
	}
	slices.Reverse(entries)
	return entries, complete, nil
}

// page fetches one page, waiting out rate limits while the group's time
// allows; it returns the entries and the Link header's next page.
func (c *pushLogClient) page(ctx context.Context, u *url.URL) ([]activity, string, error) {
	for waits := 0; ; waits++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return nil, "", err
		}
		req.Header.Set("Accept", "application/vnd.github+json")
		req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
		req.Header.Set("Authorization", "Bearer "+c.token)
		resp, err := c.http.Do(req)
		if err != nil {
			return nil, "", err
		}
		body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxPushLogPageSize+1))
		resp.Body.Close()
		switch {
		case resp.StatusCode == http.StatusOK:
			if readErr != nil {
				return nil, "", readErr
			}
			if len(body) > maxPushLogPageSize {
				return nil, "", fmt.Errorf("push log page larger than %d bytes", maxPushLogPageSize)
			}
			var batch []activity
			if err := json.Unmarshal(body, &batch); err != nil {
				return nil, "", fmt.Errorf("push log: %w", err)
			}
			return batch, nextPage(resp.Header.Get("Link")), nil
		case resp.StatusCode == http.StatusNotFound:
			return nil, "", fmt.Errorf("%w: 404 (a private repository the token cannot read, or none by that name)", errNoPushLog)
		case resp.StatusCode == http.StatusUnauthorized:
			return nil, "", fmt.Errorf("%w: 401 (the token was refused)", errNoPushLog)
		}
		wait, limited := c.rateLimitWait(resp)
		if !limited {
			return nil, "", fmt.Errorf("%w: HTTP %d", errNoPushLog, resp.StatusCode)
		}
		if end, ok := ctx.Deadline(); waits >= maxRateLimitWaits || (ok && c.now().Add(wait).After(end)) {
			return nil, "", fmt.Errorf("%w: rate limited for %s more, beyond this group's time", errNoPushLog, wait.Round(time.Second))
		}
		if err := c.sleep(ctx, wait); err != nil {
			return nil, "", err
		}
	}
}

// rateLimitWait reads how long GitHub asks to wait before the next request:
// Retry-After seconds, or until X-RateLimit-Reset when no request is left,
// or a minute for a 429 that names no time. limited is false for any other
// refusal (a 403 for lack of permission).
func (c *pushLogClient) rateLimitWait(resp *http.Response) (wait time.Duration, limited bool) {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return 0, false
	}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		if reset, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			return max(0, time.Unix(reset, 0).Sub(c.now())), true
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		return defaultRateLimitWait, true
	}
	return 0, false
}

// nextPage is the rel="next" target of a Link header ("" when none):
// <https://api.github.com/...&before=X>; rel="next", <...>; rel="prev".
func nextPage(link string) string {
	for part := range strings.SplitSeq(link, ",") {
		target, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		target, ok := strings.CutPrefix(strings.TrimSpace(target), "<")
		if target, ok2 := strings.CutSuffix(target, ">"); ok && ok2 {
			for param := range strings.SplitSeq(params, ";") {
				if strings.ReplaceAll(strings.TrimSpace(param), " ", "") == `rel="next"` {
					return target
				}
			}
		}
	}
	return ""
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// pushSightings turns the push log of branch (oldest first) into
// sightings: each push shows the tip it left at its time. When the log is
// complete around the deadline, one more shows the branch as it stood at
// the deadline: what the first push after it replaced, or what the last
// push before it left. Entries of other refs or with malformed names are
// skipped.
func pushSightings(entries []activity, branch string, deadline time.Time, complete bool) []workspace.Evidence {
	var out []workspace.Evidence
	for _, a := range entries {
		if a.Ref != "refs/heads/"+branch || !slices.Contains(pushActivities, a.ActivityType) || a.Timestamp.IsZero() {
			continue
		}
		e := workspace.Evidence{Source: workspace.SourcePushLog, Time: a.Timestamp, TipSHA: objectOrEmpty(a.After),
			Push: a.ActivityType, Before: objectOrEmpty(a.Before)}
		if a.Actor != nil && githubLogin.MatchString(a.Actor.Login) {
			e.Actor = a.Actor.Login
		}
		out = append(out, e)
	}
	if !complete || len(out) == 0 {
		return out
	}
	atDeadline := workspace.Evidence{Source: workspace.SourcePushLog, Time: deadline, Push: workspace.PushAtDeadline}
	if i := slices.IndexFunc(out, func(e workspace.Evidence) bool { return e.Time.After(deadline) }); i >= 0 {
		atDeadline.TipSHA = out[i].Before
	} else {
		atDeadline.TipSHA = out[len(out)-1].TipSHA
	}
	return append(out, atDeadline)
}

// objectOrEmpty is a well-formed object name, "" for the zero name (no
// branch) and anything malformed.
func objectOrEmpty(name string) string {
	if !objectName.MatchString(name) || strings.Trim(name, "0") == "" {
		return ""
	}
	return name
}

// pushLogSightings reads the group's push log when its repository is on
// the push log's host and the token is meant for it, within ctx (the
// group's time). Failures never fail the group: they become the note saying
// why there is no push-log evidence.
func (r *runner) pushLogSightings(ctx context.Context, g Group, branch string, deadline time.Time) (sightings []workspace.Evidence, note string) {
	repoPath, ok := r.pushLogRepo(g.URL)
	if !ok {
		return nil, ""
	}
	client, err := newPushLogClient(r.opts.PushLog.API, r.opts.Token)
	if err != nil {
		return nil, "GitHub's push log not read: " + err.Error()
	}
	if end, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, end.Add(-min(pushLogMargin, time.Until(end)/2)))
		defer cancel()
	}
	entries, complete, err := client.read(ctx, repoPath, branch, deadline)
	if err != nil {
		return nil, r.scrub(g, "GitHub's push log not read: "+err.Error())
	}
	return pushSightings(entries, branch, deadline, complete), ""
}

// pushLogRepo is the repository's path on the push log's host
// ("/owner/repo"), when the repository is there and the token may be sent
// to it.
func (r *runner) pushLogRepo(cloneURL string) (string, bool) {
	if r.opts.Token == "" || r.opts.PushLog.API == "" || tokenAuth(cloneURL, r.opts.Token, r.opts.TokenHosts) == nil {
		return "", false
	}
	u, err := url.Parse(cloneURL)
	if err != nil || !strings.EqualFold(u.Host, r.opts.PushLog.Host) {
		return "", false
	}
	repoPath := strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), ".git")
	for seg := range strings.SplitSeq(strings.TrimPrefix(repoPath, "/"), "/") {
		if !githubName.MatchString(seg) || strings.Trim(seg, ".") == "" {
			return "", false
		}
	}
	return repoPath, true
}
