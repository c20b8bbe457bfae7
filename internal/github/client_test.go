package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"handin/internal/github/githubtest"
)

const testToken = "ghp_clienttesttoken"

var (
	shaA = strings.Repeat("a", 40)
	shaB = strings.Repeat("b", 40)
	shaC = strings.Repeat("c", 40)
	repo = Repo{Owner: "org", Name: "mlops"}
	t0   = time.Date(2026, 1, 23, 23, 59, 59, 0, time.UTC)
)

// testClient is a client of s whose rate-limit waits are recorded, not
// slept, on a clock an hour after t0.
func testClient(t *testing.T, s *githubtest.Server, waits *[]time.Duration) *Client {
	t.Helper()
	c, err := New(s.URL, testToken)
	if err != nil {
		t.Fatal(err)
	}
	c.now = func() time.Time { return t0.Add(time.Hour) }
	c.sleep = func(_ context.Context, d time.Duration) error { *waits = append(*waits, d); return nil }
	return c
}

func TestConfigDefaultsAndRepositories(t *testing.T) {
	for _, tc := range []struct{ in, want Config }{
		{Config{}, Default},
		{Config{Host: "github.example.edu"}, Config{Host: "github.example.edu", API: "https://github.example.edu/api/v3"}},
		{Config{Host: "github.example.edu", API: "https://api.example.edu"}, Config{Host: "github.example.edu", API: "https://api.example.edu"}},
	} {
		if got := tc.in.WithDefaults(); got != tc.want {
			t.Errorf("%+v: %+v, want %+v", tc.in, got, tc.want)
		}
	}
	for url, want := range map[string]string{
		"https://github.com/org/mlops.git":       "org/mlops",
		"https://github.com/org/mlops":           "org/mlops",
		"https://gitlab.com/org/mlops.git":       "", // another host
		"https://github.com/org/group/mlops.git": "",
		"https://github.com/org/...":             "",
		"https://github.com/org/a b":             "",
	} {
		r, ok := Default.Repo(url)
		if got := map[bool]string{true: r.String(), false: ""}[ok]; got != want {
			t.Errorf("Repo(%q) = %q, want %q", url, got, want)
		}
	}
}

func TestPushLogPagesUntilTold(t *testing.T) {
	api := githubtest.NewServer()
	defer api.Close()
	api.PushLog("org/mlops",
		[]githubtest.Activity{{Type: "force_push", Before: shaB, After: shaC, Time: t0.Add(time.Hour), Actor: "carol"}},
		[]githubtest.Activity{{Type: "push", Before: shaA, After: shaB, Time: t0.Add(-time.Hour), Actor: "bob"}},
		[]githubtest.Activity{{Type: "branch_creation", After: shaA, Time: t0.Add(-48 * time.Hour)}},
	)
	var waits []time.Duration
	c := testClient(t, api, &waits)
	var got []string
	end, err := c.PushLog(context.Background(), repo, "main", func(page []Activity) bool {
		for _, a := range page {
			got = append(got, fmt.Sprintf("%s %s>%s %s %s", a.Type, a.Before[:min(1, len(a.Before))], a.After[:1], a.Actor, a.Time.Sub(t0)))
		}
		return page[len(page)-1].Time.After(t0) // stop once a page reaches back past t0
	})
	want := "force_push b>c carol 1h0m0s|push a>b bob -1h0m0s"
	if err != nil || end || strings.Join(got, "|") != want {
		t.Errorf("read %q, end %v, %v; want %q", strings.Join(got, "|"), end, err, want)
	}
	requests := api.Requests()
	if len(requests) != 2 || !strings.Contains(requests[1].Query, "after=cursor1") || !strings.Contains(requests[0].Query, "ref=refs%2Fheads%2Fmain") {
		t.Errorf("requests %+v: want two pages of refs/heads/main", requests)
	}
	end, err = c.PushLog(context.Background(), repo, "main", func([]Activity) bool { return true })
	if err != nil || !end {
		t.Errorf("the whole log: end %v, %v", end, err)
	}
}

// TestTokenGoesToTheAPIOnly: every request to the API carries the token; a
// redirect to another host is not followed, a next page elsewhere is asked
// of the API, and the token never reaches the other host.
func TestTokenGoesToTheAPIOnly(t *testing.T) {
	var elsewhere []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere = append(elsewhere, r.Header.Get("Authorization"))
		w.Write([]byte("[]"))
	}))
	defer other.Close()
	api := githubtest.NewServer()
	defer api.Close()
	var waits []time.Duration
	c := testClient(t, api, &waits)

	api.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		http.Redirect(w, r, other.URL+"/steal", http.StatusMovedPermanently)
		return true
	})
	if _, err := c.ProfileName(context.Background(), "alice"); err == nil || !strings.Contains(err.Error(), "HTTP 301") {
		t.Errorf("redirect to another host: %v", err)
	}
	api.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.Contains(r.URL.RawQuery, "after=") {
			return false // the next page is asked of the API
		}
		w.Header().Set("Link", fmt.Sprintf(`<%s/steal?after=x>; rel="next"`, other.URL))
		w.Write([]byte(`[]`))
		return true
	})
	c.PushLog(context.Background(), repo, "main", func([]Activity) bool { return true })
	if len(elsewhere) > 0 {
		t.Errorf("another host was asked %d times (Authorization %q)", len(elsewhere), elsewhere)
	}
	for _, r := range api.Requests() {
		if r.Authorization != "Bearer "+testToken {
			t.Errorf("%s %s: Authorization %q", r.Method, r.Path, r.Authorization)
		}
	}
}

func TestRateLimitsAreWaitedOutWithinTheCallersTime(t *testing.T) {
	api := githubtest.NewServer()
	defer api.Close()
	api.User("alice", "Alice Berg")
	limited := 1
	api.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if limited == 0 {
			return false
		}
		limited--
		w.Header().Set("Retry-After", "7")
		http.Error(w, `{"message":"You have exceeded a secondary rate limit"}`, http.StatusTooManyRequests)
		return true
	})
	var waits []time.Duration
	c := testClient(t, api, &waits)
	c.now = time.Now // the wait is checked against ctx's deadline
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if name, err := c.ProfileName(ctx, "alice"); err != nil || name != "Alice Berg" || len(waits) != 1 || waits[0] != 7*time.Second {
		t.Fatalf("after a 429 with Retry-After: %q, waits %v, %v", name, waits, err)
	}

	// The primary limit resets in 20 minutes; the caller has 5 left: give up.
	reset := time.Now().Add(20*time.Minute + time.Second)
	api.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", fmt.Sprint(reset.Unix()))
		http.Error(w, `{"message":"API rate limit exceeded"}`, http.StatusForbidden)
		return true
	})
	waits = nil
	short, cancel2 := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel2()
	if _, err := c.ProfileName(short, "alice"); !errors.Is(err, ErrRateLimited) || !strings.Contains(err.Error(), "for 20m") || len(waits) != 0 {
		t.Errorf("rate limited beyond the caller's time: %v, waits %v", err, waits)
	}
	// Without a deadline it waits, at most twice, then gives up.
	if _, err := c.ProfileName(context.Background(), "alice"); !errors.Is(err, ErrRateLimited) || len(waits) != maxRateLimitWaits {
		t.Errorf("rate limited again and again: %v, waits %v", err, waits)
	}

	// A 403 that is no rate limit (no permission) is not waited for.
	waits = nil
	api.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		http.Error(w, `{"message":"Resource not accessible by personal access token"}`, http.StatusForbidden)
		return true
	})
	if _, err := c.ProfileName(context.Background(), "alice"); err == nil || !strings.Contains(err.Error(), "HTTP 403") || len(waits) != 0 {
		t.Errorf("403: %v, waits %v", err, waits)
	}
}

func TestRefusalsAndMalformedAnswers(t *testing.T) {
	api := githubtest.NewServer()
	defer api.Close()
	var waits []time.Duration
	c := testClient(t, api, &waits)
	for _, tc := range []struct {
		name   string
		answer func(w http.ResponseWriter, r *http.Request)
		want   error
		says   string
	}{
		{"no such account", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, ErrNotFound, "404"},
		{"token refused", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, `{"message":"Bad credentials"}`, http.StatusUnauthorized)
		}, ErrRefused, "401"},
		{"oversized answer", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"name":"` + strings.Repeat("x", MaxBody) + `"}`))
		}, ErrTooLarge, "larger than"},
		{"not the documented shape", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`[1,2]`)) }, nil, "not the documented answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api.Intercept(func(w http.ResponseWriter, r *http.Request) bool { tc.answer(w, r); return true })
			_, err := c.ProfileName(context.Background(), "alice")
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) || !strings.Contains(err.Error(), tc.says) || strings.Contains(err.Error(), testToken) {
				t.Errorf("error %v, want %v saying %q", err, tc.want, tc.says)
			}
		})
	}
	if _, err := c.ProfileName(context.Background(), "../repos/x"); err == nil {
		t.Error("a malformed login was asked for")
	}
}

func TestCommitAuthorsProfilesAndChecks(t *testing.T) {
	api := githubtest.NewServer()
	defer api.Close()
	api.Commit("org/mlops", shaA, "aberg")
	api.Commit("org/mlops", shaB, "")
	api.User("aberg", "Anna Berg")
	api.User("nameless", "")
	var runs []githubtest.CheckRun
	for i := range 120 { // two pages of 100
		runs = append(runs, githubtest.CheckRun{Name: fmt.Sprintf("test %d", i), Conclusion: "success", URL: "https://github.com/org/mlops/runs/1"})
	}
	runs = append(runs, githubtest.CheckRun{Name: "lint", Status: "in_progress"})
	api.Checks("org/mlops", shaA, runs, []githubtest.Status{
		{Context: "ci/circle", State: "failure", TargetURL: "javascript:alert(1)"},
		{Context: "ci/other", State: "success", TargetURL: "https://ci.example.com/1"},
	})
	var waits []time.Duration
	c := testClient(t, api, &waits)
	ctx := context.Background()
	if login, err := c.CommitAuthor(ctx, repo, shaA); login != "aberg" || err != nil {
		t.Errorf("author of A: %q, %v", login, err)
	}
	if login, err := c.CommitAuthor(ctx, repo, shaB); login != "" || err != nil {
		t.Errorf("author of B (no account): %q, %v", login, err)
	}
	if _, err := c.CommitAuthor(ctx, repo, shaC); !errors.Is(err, ErrNotFound) {
		t.Errorf("author of an unknown commit: %v", err)
	}
	if name, err := c.ProfileName(ctx, "aberg"); name != "Anna Berg" || err != nil {
		t.Errorf("profile: %q, %v", name, err)
	}
	if name, err := c.ProfileName(ctx, "nameless"); name != "" || err != nil {
		t.Errorf("profile without a name: %q, %v", name, err)
	}
	checks, err := c.CommitChecks(ctx, repo, shaA)
	if err != nil || len(checks) != 123 {
		t.Fatalf("%d checks, %v", len(checks), err)
	}
	if lint := checks[120]; lint.Name != "lint" || lint.State != "in_progress" || !lint.Run {
		t.Errorf("unfinished run %+v", lint)
	}
	if circle := checks[121]; circle.State != "failure" || circle.Run || circle.URL != "" {
		t.Errorf("status with a script for a link %+v: want its link dropped", circle)
	}
	if other := checks[122]; other.URL != "https://ci.example.com/1" {
		t.Errorf("status %+v", other)
	}
	if _, err := c.CommitChecks(ctx, repo, shaC); !errors.Is(err, ErrNotFound) {
		t.Errorf("checks of an unknown commit: %v", err)
	}
}
