package scrape

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"handin/internal/github"
	"handin/internal/github/githubtest"
	"handin/scrape/gittest"
	"handin/workspace"
)

const testToken = "ghp_pushlogtesttoken"

var (
	shaA = strings.Repeat("a", 40)
	shaB = strings.Repeat("b", 40)
	shaC = strings.Repeat("c", 40)
	shaD = strings.Repeat("d", 40)
	zero = strings.Repeat("0", 40)
)

// newAPI is a GitHub API on loopback, closed when the test ends.
func newAPI(t *testing.T) *githubtest.Server {
	api := githubtest.NewServer()
	t.Cleanup(api.Close)
	return api
}

func TestPushLogPagesBackToTheDeadline(t *testing.T) {
	api := newAPI(t)
	api.PushLog("org/mlops",
		[]githubtest.Activity{
			{Type: "force_push", Before: shaC, After: shaD, Time: at(2 * time.Hour), Actor: "carol"},
			{Type: "push", Before: shaB, After: shaC, Time: at(time.Hour), Actor: "bob"},
		},
		[]githubtest.Activity{
			{Type: "pr_merge", Before: shaA, After: shaB, Time: at(-time.Hour), Actor: "alice"},
			{Type: "branch_creation", Before: zero, After: shaA, Time: at(-3 * time.Hour), Actor: "alice"},
		},
		[]githubtest.Activity{{Type: "push", Before: zero, After: shaA, Time: at(-48 * time.Hour), Actor: "never-read"}},
	)
	client, err := github.New(api.URL, testToken)
	if err != nil {
		t.Fatal(err)
	}
	entries, complete, err := readPushLog(context.Background(), client, github.Repo{Owner: "org", Name: "mlops"}, "main", testDeadline)
	if err != nil || !complete || len(entries) != 4 {
		t.Fatalf("read: %d entries, complete %v, %v", len(entries), complete, err)
	}
	if n := len(api.Requests()); n != 2 {
		t.Errorf("%d requests, want 2: the second page reaches back past the deadline", n)
	}

	sightings := pushSightings(entries, "main", testDeadline, complete)
	var got []string
	for _, s := range sightings {
		if s.Source != workspace.SourcePushLog {
			t.Errorf("sighting from %s", s.Source)
		}
		got = append(got, fmt.Sprintf("%s %s %s>%s %s", s.Time.Sub(testDeadline), s.Push, short(s.Before), short(s.TipSHA), s.Actor))
	}
	want := []string{
		"-3h0m0s branch_creation none>aaaaaaaaaa alice",
		"-1h0m0s pr_merge aaaaaaaaaa>bbbbbbbbbb alice",
		"1h0m0s push bbbbbbbbbb>cccccccccc bob",
		"2h0m0s force_push cccccccccc>dddddddddd carol",
		"0s at-deadline none>bbbbbbbbbb ", // what the first push after the deadline replaced
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("sightings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// A log that ends without reaching the deadline or the branch's creation
	// says nothing of the branch at the deadline.
	api.PushLog("org/mlops", []githubtest.Activity{{Type: "push", Before: shaA, After: shaB, Time: at(time.Hour)}})
	if _, complete, err := readPushLog(context.Background(), client, github.Repo{Owner: "org", Name: "mlops"}, "main", testDeadline); complete || err != nil {
		t.Errorf("a log of one push after the deadline: complete %v, %v", complete, err)
	}
}

func TestPushLogSightingsAreChecked(t *testing.T) {
	entries := []github.Activity{
		{Ref: "refs/heads/dev", Type: "push", After: shaA, Time: at(-time.Hour)},
		{Ref: "refs/heads/main", Type: "comment", After: shaA, Time: at(-time.Hour)},
		{Ref: "refs/heads/main", Type: "push", After: "../../etc", Before: "x", Time: at(-time.Hour)},
		{Ref: "refs/heads/main", Type: "push", Before: shaA, After: shaB, Time: at(-time.Minute), Actor: "<script>"},
	}
	got := pushSightings(entries, "main", testDeadline, false)
	if len(got) != 2 || got[0].TipSHA != "" || got[0].Before != "" || got[1].TipSHA != shaB || got[1].Actor != "" {
		t.Errorf("sightings %+v: want other refs and activities dropped, malformed names and logins emptied", got)
	}
	// Without the push before the deadline the log says nothing about it.
	if got := pushSightings(entries[3:], "main", testDeadline, false); len(got) != 1 {
		t.Errorf("an incomplete log gave %+v", got)
	}
}

func TestPushLogOnlyForItsHostWithAToken(t *testing.T) {
	api := newAPI(t)
	gitHub := github.Config{Host: "github.com", API: api.URL}
	g := Group{Number: 1, URL: "https://github.com/org/mlops.git", RawURL: "https://github.com/org/mlops"}
	for _, tc := range []struct {
		name  string
		opts  Options
		group Group
		asked bool
	}{
		{"no token", Options{GitHub: gitHub}, g, false},
		{"the token is not meant for github.com", Options{Token: testToken, TokenHosts: []string{"gitlab.com"}, GitHub: gitHub}, g, false},
		{"another host", Options{Token: testToken, GitHub: gitHub}, Group{Number: 2, URL: "https://gitlab.com/org/mlops.git"}, false},
		{"a GitHub repository", Options{Token: testToken, GitHub: gitHub}, g, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts.withDefaults()
			client, err := newGitHubClient(opts)
			if err != nil {
				t.Fatal(err)
			}
			r := &runner{opts: opts, gitHub: client}
			before := len(api.Requests())
			sightings, note := r.pushLogSightings(context.Background(), tc.group, "main", testDeadline)
			if asked := len(api.Requests()) > before; asked != tc.asked || len(sightings) > 0 {
				t.Errorf("API asked %v, sightings %v; want asked %v", asked, sightings, tc.asked)
			}
			if tc.asked && (!strings.Contains(note, "404") || strings.Contains(note, testToken)) {
				t.Errorf("note %q: want the 404 said, never the token", note)
			}
			if !tc.asked && note != "" {
				t.Errorf("note %q for a repository without push log", note)
			}
		})
	}
}

// TestRunWithPushLog scrapes a repository whose push log shows a commit
// dated before the deadline pushed ten minutes after it: with no cron
// scrape at all, the push log alone proves it late and backdated.
func TestRunWithPushLog(t *testing.T) {
	c := newCourse(t)
	c.repo("org/mlops.git")
	onTime := c.commit("org/mlops.git", "main", reportCommit(alice, at(-2*time.Hour), "report"))
	backdated := c.commit("org/mlops.git", "main", gittest.Commit{Message: "add figures", Author: bob, When: at(-5 * time.Minute),
		Files: map[string][]byte{"reports/figures/extra.png": []byte("\x89PNG")}})
	api := newAPI(t)
	api.PushLog("org/mlops", []githubtest.Activity{
		{Type: "push", Before: onTime, After: backdated, Time: at(10 * time.Minute), Actor: "bob"},
		{Type: "branch_creation", Before: zero, After: onTime, Time: at(-2 * time.Hour), Actor: "alice"},
	})
	gitHost, err := url.Parse(c.server.URL)
	if err != nil {
		t.Fatal(err)
	}
	opts := testOptions(t, c.group(1, "org/mlops.git"))
	opts.Token, opts.TokenHosts = testToken, []string{"http://" + gitHost.Host}
	opts.GitHub = github.Config{Host: gitHost.Host, API: api.URL}
	opts.Now = func() time.Time { return at(time.Hour) }
	o := outcomeOf(t, mustRun(t, opts), 1)
	s := loadSnap(t, opts.Workspace, 1)
	if o.Pin.SHA != onTime || o.Pin.By != workspace.PinnedByPushLog || !o.Pin.Backdated || o.Pin.LateCommits != 1 {
		t.Fatalf("pinned %s by %s, backdated %v, %d late; want %s by the push log, backdated, 1 late", o.Pin.SHA, o.Pin.By, o.Pin.Backdated, o.Pin.LateCommits, onTime)
	}
	late := s.Pin.Late[0]
	if late.SHA != backdated || !late.Backdated || late.SeenBy != workspace.SourcePushLog || !late.SeenAt.Equal(at(10*time.Minute)) ||
		len(late.Files) != 1 || !late.Files[0].Figure {
		t.Errorf("late commit %+v", late)
	}
	if len(s.Pin.Evidence) != 2 || s.Pin.Evidence[0].Push != workspace.PushAtDeadline || s.Pin.Evidence[1].Actor != "bob" {
		t.Errorf("evidence %+v", s.Pin.Evidence)
	}
	if s.HasFile("reports/figures/extra.png") {
		t.Error("the backdated figure is in the graded tree")
	}
}
