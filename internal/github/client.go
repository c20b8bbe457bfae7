// Package github is handin's one client of GitHub's REST API (github.com or
// a GitHub Enterprise server), built on go-github: the push log, the account
// behind a commit's address and the name on its profile, the checks and
// statuses of a commit, and whatever else later needs the API.
//
// What it adds to go-github is the course's rules for talking to a server
// about students' repositories: the token goes to the API's host only (no
// redirect and no next page takes it elsewhere), every answer is capped, and
// a rate limit is waited out while the caller's time allows, never beyond.
package github

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	gh "github.com/google/go-github/v84/github"
)

// Config says where the API is: for the repositories on Host, the REST API
// at API.
type Config struct {
	Host string // web host of the repositories: github.com, or an Enterprise server's
	API  string // REST API base URL: https://api.github.com, or https://HOST/api/v3
}

// DefaultHost is GitHub's own web host.
const DefaultHost = "github.com"

// Default is GitHub's.
var Default = Config{Host: DefaultHost, API: "https://api.github.com"}

// WithDefaults fills what is left empty: the host github.com, and the API of
// the host (api.github.com for github.com, https://HOST/api/v3 for an
// Enterprise server).
func (c Config) WithDefaults() Config {
	if c.Host == "" {
		c.Host = DefaultHost
	}
	if c.API == "" {
		c.API = "https://" + c.Host + "/api/v3"
		if strings.EqualFold(c.Host, DefaultHost) {
			c.API = Default.API
		}
	}
	return c
}

// Check reports an API that is not an http(s) URL.
func (c Config) Check() error {
	_, err := apiURL(c.API)
	return err
}

func apiURL(api string) (*url.URL, error) {
	base, err := url.Parse(api)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" || base.User != nil {
		return nil, fmt.Errorf("GitHub API %q is not an http(s) URL", api)
	}
	base.Path = strings.TrimSuffix(base.Path, "/") + "/" // go-github joins paths onto it
	return base, nil
}

// Bounds on one client's requests: the API is evidence worth having, never
// worth stalling a course for.
const (
	// MaxBody caps one answer's body; a larger one is an error.
	MaxBody        = 4 << 20
	requestTimeout = 30 * time.Second
	maxRedirects   = 5
	// maxRateLimitWaits bounds the waits of one request.
	maxRateLimitWaits = 2
	// defaultRateLimitWait is GitHub's advice when a secondary rate limit
	// names no time.
	defaultRateLimitWait = time.Minute
)

// Errors the API answers with, besides what it was asked for.
var (
	// ErrNotFound: no such repository, commit or account, or one the
	// token cannot read (GitHub answers 404 for both).
	ErrNotFound = errors.New("404 (a private repository the token cannot read, or none by that name)")
	// ErrRefused: the token was refused (401).
	ErrRefused = errors.New("401 (the token was refused)")
	// ErrRateLimited: the rate limit lasts beyond the time the caller has.
	ErrRateLimited = errors.New("rate limited")
	// ErrTooLarge: an answer longer than MaxBody.
	ErrTooLarge = fmt.Errorf("answer larger than %d bytes", MaxBody)
)

// Client asks one API with one token. It is safe for concurrent use.
type Client struct {
	api *gh.Client
	// now and sleep are the clock rate limits are waited on (tests replace
	// them); sleep returns ctx's error when ctx ends first.
	now   func() time.Time
	sleep func(context.Context, time.Duration) error
}

// New is a client of the REST API at api that sends token (when not empty)
// to api's host only.
func New(api, token string) (*Client, error) {
	base, err := apiURL(api)
	if err != nil {
		return nil, err
	}
	httpClient := &http.Client{
		Timeout:   requestTimeout,
		Transport: &apiTransport{base: http.DefaultTransport, api: base, token: token},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if !sameHost(req.URL, base) || len(via) >= maxRedirects {
				return http.ErrUseLastResponse // go-github then reports the redirect
			}
			return nil
		},
	}
	c := gh.NewClient(httpClient)
	c.BaseURL = base
	// The client waits out rate limits itself, on its own clock: go-github
	// must not refuse a request on what an earlier answer said.
	c.DisableRateLimitCheck = true
	return &Client{api: c, now: time.Now, sleep: sleepContext}, nil
}

// apiTransport adds the token to requests for the API's host only and caps
// every answer's body.
type apiTransport struct {
	base  http.RoundTripper
	api   *url.URL
	token string
}

func (t *apiTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Del("Authorization")
	if t.token != "" && sameHost(req.URL, t.api) {
		req.Header.Set("Authorization", "Bearer "+t.token)
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &cappedBody{ReadCloser: resp.Body, left: MaxBody}
	return resp, nil
}

func sameHost(u, api *url.URL) bool {
	return u.Scheme == api.Scheme && strings.EqualFold(u.Host, api.Host)
}

// cappedBody reads a body up to a cap, then fails with ErrTooLarge.
type cappedBody struct {
	io.ReadCloser
	left int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, ErrTooLarge
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1] // one byte more than allowed tells a body that is too long
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return 0, ErrTooLarge
	}
	return n, err
}

// do makes one request through call, waiting out rate limits (at most
// maxRateLimitWaits, and never past ctx's deadline), and turns the API's
// refusals into this package's errors.
func (c *Client) do(ctx context.Context, call func() (*gh.Response, error)) error {
	for waits := 0; ; waits++ {
		resp, err := call()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if resp == nil || resp.Response == nil {
			return err // no answer: the network, or a body too large
		}
		wait, limited := c.rateLimitWait(resp.Response)
		if !limited {
			return refusal(resp.StatusCode, err)
		}
		if end, ok := ctx.Deadline(); waits >= maxRateLimitWaits || (ok && c.now().Add(wait).After(end)) {
			return fmt.Errorf("%w for %s more, beyond the time left", ErrRateLimited, wait.Round(time.Second))
		}
		if err := c.sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// refusal is the error of an answer with this status.
func refusal(status int, err error) error {
	switch status {
	case http.StatusNotFound:
		return ErrNotFound
	case http.StatusUnauthorized:
		return ErrRefused
	}
	if errors.Is(err, ErrTooLarge) {
		return ErrTooLarge
	}
	if status/100 == 2 {
		return fmt.Errorf("not the documented answer: %w", err)
	}
	return fmt.Errorf("HTTP %d", status)
}

// rateLimitWait reads how long GitHub asks to wait before the next request:
// Retry-After seconds, or until X-RateLimit-Reset when no request is left,
// or a minute for a 429 that names no time. limited is false for any other
// refusal (a 403 for lack of permission).
func (c *Client) rateLimitWait(resp *http.Response) (wait time.Duration, limited bool) {
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
