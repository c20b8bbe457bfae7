package scrape

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"handin/internal/github"
	"handin/internal/github/githubtest"
	"handin/scrape/gittest"
	"handin/workspace"
)

// gitHubCourse is a course of one repository, org/mlops, on a host that is
// GitHub's as far as the scrape knows (a GitHub API on loopback serves it),
// with a token for it.
func gitHubCourse(t *testing.T) (c *course, api *githubtest.Server, opts testRun) {
	t.Helper()
	c = newCourse(t)
	c.repo("org/mlops.git")
	api = newAPI(t)
	gitHost, err := url.Parse(c.server.URL)
	if err != nil {
		t.Fatal(err)
	}
	opts = testOptions(t, c.group(1, "org/mlops.git"))
	opts.Token, opts.TokenHosts = testToken, []string{"http://" + gitHost.Host}
	opts.GitHub = github.Config{Host: gitHost.Host, API: api.URL}
	return c, api, opts
}

// TestRunReadsAccountsAndCIOnce: the snapshot carries the accounts behind
// the commit addresses, their profile names and the CI status of the
// commit that counts; a second run asks the API nothing it answered.
func TestRunReadsAccountsAndCIOnce(t *testing.T) {
	c, api, opts := gitHubCourse(t)
	anna := c.commit("org/mlops.git", "main", reportCommit(gittest.Signature{Name: "anna", Email: "Anna.B@gmail.com"}, at(-3*time.Hour), "report"))
	bo := c.commit("org/mlops.git", "main", gittest.Commit{Message: "fix", When: at(-2 * time.Hour),
		Author: gittest.Signature{Name: "bo", Email: "7+bo-ek@users.noreply.github.com"}, Files: map[string][]byte{"a.py": []byte("1")}})
	pinned := c.commit("org/mlops.git", "main", gittest.Commit{Message: "tidy", When: at(-time.Hour),
		Author: gittest.Signature{Name: "cy", Email: "cy@laptop.local"}, Files: map[string][]byte{"b.py": []byte("2")}})
	api.Commit("org/mlops", anna, "annab")
	api.Commit("org/mlops", bo, "bo-ek") // a noreply address of github.com: this host's API names its account
	api.Commit("org/mlops", pinned, "")  // an address that is no account's
	api.User("annab", "Anna Berg")
	api.User("bo-ek", "Bo  Ek")
	api.Checks("org/mlops", pinned, []githubtest.CheckRun{
		{Name: "tests (3.11)", Conclusion: "failure", URL: "https://github.com/org/mlops/actions/runs/1"},
		{Name: "lint", Conclusion: "success"},
		{Name: "deploy", Conclusion: "skipped"},
	}, nil)

	mustRun(t, opts)
	s := loadSnap(t, opts.Workspace, 1)
	// the loopback host is the course's GitHub host, as an Enterprise server is
	if want := "http://" + opts.GitHub.Host + "/org/mlops"; s.GitHub != want {
		t.Errorf("the repository's GitHub home %q, want %q", s.GitHub, want)
	}
	wantAccounts := []workspace.Account{
		{Email: "7+bo-ek@users.noreply.github.com", Login: "bo-ek", Name: "Bo Ek"},
		{Email: "anna.b@gmail.com", Login: "annab", Name: "Anna Berg"},
	}
	if !reflect.DeepEqual(s.Accounts, wantAccounts) {
		t.Errorf("accounts %+v, want %+v", s.Accounts, wantAccounts)
	}
	wantCI := &workspace.CI{State: workspace.CIFailing, Checks: []workspace.Check{{Name: "tests (3.11)", URL: "https://github.com/org/mlops/actions/runs/1"}}}
	if !reflect.DeepEqual(s.CI, wantCI) {
		t.Errorf("CI %+v, want %+v", s.CI, wantCI)
	}
	asked := len(api.Requests())
	for _, r := range api.Requests() {
		if r.Authorization != "Bearer "+testToken {
			t.Errorf("%s: Authorization %q", r.Path, r.Authorization)
		}
	}

	// The same tip again: the snapshot is current, the answers cached.
	o := outcomeOf(t, mustRun(t, opts), 1)
	if !o.Resumed || len(api.Requests()) != asked {
		t.Errorf("second run: resumed %v, %d requests more", o.Resumed, len(api.Requests())-asked)
	}
	if s := loadSnap(t, opts.Workspace, 1); !reflect.DeepEqual(s.CI, wantCI) || len(s.Accounts) != 2 {
		t.Errorf("second run: CI %+v, accounts %+v", s.CI, s.Accounts)
	}
}

// TestCIStatus: each state from the API's answers, and unknown when it
// cannot be asked; what is settled is cached, the rest asked again.
func TestCIStatus(t *testing.T) {
	api := newAPI(t)
	const repo = "org/mlops"
	runs := func(states ...string) []githubtest.CheckRun {
		var out []githubtest.CheckRun
		for i, s := range states {
			run := githubtest.CheckRun{Name: fmt.Sprintf("job %d", i), Conclusion: s, URL: fmt.Sprintf("https://github.com/org/mlops/runs/%d", i)}
			if s == "in_progress" || s == "queued" {
				run.Status, run.Conclusion = s, ""
			}
			out = append(out, run)
		}
		return out
	}
	for _, tc := range []struct {
		name     string
		runs     []githubtest.CheckRun
		statuses []githubtest.Status
		answer   func(w http.ResponseWriter, r *http.Request) bool
		want     workspace.CIState
		failing  []string // names of the failing checks
		says     string   // in the reason
		cached   bool
	}{
		{name: "passing", runs: runs("success", "skipped", "neutral"), want: workspace.CIPassing, cached: true},
		{name: "failing, with names", runs: runs("success", "failure", "timed_out", "cancelled"),
			statuses: []githubtest.Status{{Context: "ci/circleci", State: "error", TargetURL: "https://circleci.com/1"}},
			want:     workspace.CIFailing, failing: []string{"job 1", "job 2", "ci/circleci"}, cached: true},
		{name: "pending", runs: runs("success", "in_progress"), statuses: []githubtest.Status{{Context: "ci", State: "pending"}},
			want: workspace.CIPending},
		{name: "none: no check, no status", want: workspace.CINone},
		{name: "none: only cancelled", runs: runs("cancelled"), want: workspace.CINone},
		{name: "404", answer: func(w http.ResponseWriter, r *http.Request) bool { http.NotFound(w, r); return true },
			want: workspace.CIUnknown, says: "404"},
		{name: "rate limited beyond the group's time", answer: func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", fmt.Sprint(time.Now().Add(time.Hour).Unix()))
			http.Error(w, `{"message":"API rate limit exceeded"}`, http.StatusForbidden)
			return true
		}, want: workspace.CIUnknown, says: "rate limited for"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sha := strings.Repeat(fmt.Sprint(len(tc.name)%10), 40)
			api.Checks(repo, sha, tc.runs, tc.statuses)
			api.Intercept(tc.answer)
			opts := Options{Token: testToken, GitHub: github.Config{Host: "github.com", API: api.URL},
				Now: func() time.Time { return testDeadline.Add(10 * time.Minute) }}.withDefaults()
			r := gitHubRunner(t, opts)
			snap := &workspace.Snapshot{Group: 1, Status: workspace.StatusOK, Deadline: testDeadline, Pin: workspace.Pin{SHA: sha}}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			if !r.gitHubFacts(ctx, Group{Number: 1, URL: "https://github.com/org/mlops.git"}, snap) {
				t.Error("the snapshot did not change")
			}
			var failing []string
			for _, c := range snap.CI.Checks {
				failing = append(failing, c.Name)
				if c.URL == "" {
					t.Errorf("failing check %q without its link", c.Name)
				}
			}
			if snap.CI.State != tc.want || strings.Join(failing, ", ") != strings.Join(tc.failing, ", ") ||
				!strings.Contains(snap.CI.Reason, tc.says) || strings.Contains(snap.CI.Reason, testToken) {
				t.Errorf("CI %+v, want %s failing %v saying %q", snap.CI, tc.want, tc.failing, tc.says)
			}
			if _, cached := cached(r.cache, r.cache.data.CI, repo+"@"+sha); cached != tc.cached {
				t.Errorf("cached %v, want %v", cached, tc.cached)
			}
		})
	}

	// A commit without checks an hour after the deadline gets none.
	api.Intercept(nil)
	opts := Options{Token: testToken, GitHub: github.Config{Host: "github.com", API: api.URL},
		Now: func() time.Time { return testDeadline.Add(2 * time.Hour) }}.withDefaults()
	r := gitHubRunner(t, opts)
	sha := strings.Repeat("e", 40)
	api.Checks(repo, sha, nil, nil)
	r.gitHubFacts(context.Background(), Group{Number: 1, URL: "https://github.com/org/mlops.git"},
		&workspace.Snapshot{Status: workspace.StatusOK, Deadline: testDeadline, Pin: workspace.Pin{SHA: sha}})
	if ci, cached := cached(r.cache, r.cache.data.CI, repo+"@"+sha); !cached || ci.State != workspace.CINone {
		t.Errorf("none after the deadline: %+v, cached %v", ci, cached)
	}

	// Without a token a GitHub repository's CI is unknown, and says why.
	r = gitHubRunner(t, Options{}.withDefaults())
	snap := &workspace.Snapshot{Status: workspace.StatusOK, Pin: workspace.Pin{SHA: sha}}
	r.gitHubFacts(context.Background(), Group{Number: 1, URL: "https://github.com/org/mlops.git"}, snap)
	if snap.CI == nil || snap.CI.State != workspace.CIUnknown || !strings.Contains(snap.CI.Reason, "no token") {
		t.Errorf("without a token: %+v", snap.CI)
	}
	snap = &workspace.Snapshot{Status: workspace.StatusOK, Pin: workspace.Pin{SHA: sha}}
	r.gitHubFacts(context.Background(), Group{Number: 1, URL: "https://gitlab.com/org/mlops.git"}, snap)
	if snap.CI != nil {
		t.Errorf("a repository elsewhere has a CI status: %+v", snap.CI)
	}
}

// gitHubRunner is a runner with the GitHub client and cache of opts, on a
// workspace of its own.
func gitHubRunner(t *testing.T, opts Options) *runner {
	t.Helper()
	ws, err := workspace.Create(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	client, err := newGitHubClient(opts)
	if err != nil {
		t.Fatal(err)
	}
	r := &runner{opts: opts, ws: ws, gitHub: client}
	if client != nil {
		r.cache = &gitHubCache{ws: ws, data: ws.LoadGitHubCache(opts.GitHub.API)}
	}
	return r
}
