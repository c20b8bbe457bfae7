package scrape

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"handin/scrape/gittest"
	"handin/workspace"
)

const testToken = "ghp_pushlogtesttoken"

// apiEntry is one push-log entry in the shape GitHub documents for
// GET /repos/{owner}/{repo}/activity.
func apiEntry(kind, before, after string, when time.Time, login string) map[string]any {
	var actor any
	if login != "" {
		actor = map[string]any{"login": login, "id": 1, "node_id": "MDQ6VXNlcjE=", "type": "User", "site_admin": false}
	}
	return map[string]any{
		"id": when.Unix(), "node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5", "before": before, "after": after,
		"ref": "refs/heads/main", "timestamp": when.UTC().Format(time.RFC3339), "activity_type": kind, "actor": actor,
	}
}

// apiServer serves pages of push-log entries for /repos/org/mlops/activity,
// newest first, linked by cursors as GitHub's Link header does, and records
// every request.
type apiServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []*http.Request
	pages    [][]map[string]any
	// before answers a request instead of the pages while it returns true.
	before func(w http.ResponseWriter, r *http.Request) bool
}

func newAPIServer(t *testing.T, repoPath string, pages ...[]map[string]any) *apiServer {
	s := &apiServer{pages: pages}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r)
		before := s.before
		s.mu.Unlock()
		if before != nil && before(w, r) {
			return
		}
		if r.URL.Path != "/repos"+repoPath+"/activity" {
			http.NotFound(w, r)
			return
		}
		page := 0
		if cursor := r.URL.Query().Get("before"); cursor != "" {
			fmt.Sscanf(cursor, "cursor%d", &page)
		}
		if page+1 < len(s.pages) {
			next := *r.URL
			q := next.Query()
			q.Set("before", fmt.Sprintf("cursor%d", page+1))
			next.RawQuery = q.Encode()
			w.Header().Set("Link", fmt.Sprintf(`<http://%s%s>; rel="next", <http://%s%s>; rel="prev"`, r.Host, next.RequestURI(), r.Host, r.URL.RequestURI()))
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(s.pages[page])
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *apiServer) requestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// testClient is a push-log client of s whose rate-limit waits are recorded,
// not slept.
func testClient(t *testing.T, s *apiServer, waits *[]time.Duration) *pushLogClient {
	t.Helper()
	c, err := newPushLogClient(s.URL, testToken)
	if err != nil {
		t.Fatal(err)
	}
	c.now = func() time.Time { return testDeadline.Add(time.Hour) }
	c.sleep = func(_ context.Context, d time.Duration) error { *waits = append(*waits, d); return nil }
	return c
}

var (
	shaA = strings.Repeat("a", 40)
	shaB = strings.Repeat("b", 40)
	shaC = strings.Repeat("c", 40)
	shaD = strings.Repeat("d", 40)
	zero = strings.Repeat("0", 40)
)

func TestPushLogPagesBackToTheDeadline(t *testing.T) {
	api := newAPIServer(t, "/org/mlops",
		[]map[string]any{
			apiEntry("force_push", shaC, shaD, at(2*time.Hour), "carol"),
			apiEntry("push", shaB, shaC, at(time.Hour), "bob"),
		},
		[]map[string]any{
			apiEntry("pr_merge", shaA, shaB, at(-time.Hour), "alice"),
			apiEntry("branch_creation", zero, shaA, at(-3*time.Hour), "alice"),
		},
		[]map[string]any{apiEntry("push", zero, shaA, at(-48*time.Hour), "never-read")},
	)
	var waits []time.Duration
	entries, complete, err := testClient(t, api, &waits).read(context.Background(), "/org/mlops", "main", testDeadline)
	if err != nil || !complete || len(entries) != 4 {
		t.Fatalf("read: %d entries, complete %v, %v", len(entries), complete, err)
	}
	if n := api.requestCount(); n != 2 {
		t.Errorf("%d requests, want 2: the second page reaches back past the deadline", n)
	}
	for _, r := range api.requests {
		if got := r.Header.Get("Authorization"); got != "Bearer "+testToken {
			t.Errorf("Authorization %q", got)
		}
		if r.Header.Get("Accept") != "application/vnd.github+json" || r.URL.Query().Get("ref") != "refs/heads/main" || r.URL.Query().Get("per_page") != "100" {
			t.Errorf("request %s %v", r.URL, r.Header)
		}
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
}

func TestPushLogSightingsAreChecked(t *testing.T) {
	entries := []activity{
		{Ref: "refs/heads/dev", ActivityType: "push", After: shaA, Timestamp: at(-time.Hour)},
		{Ref: "refs/heads/main", ActivityType: "comment", After: shaA, Timestamp: at(-time.Hour)},
		{Ref: "refs/heads/main", ActivityType: "push", After: "../../etc", Before: "x", Timestamp: at(-time.Hour)},
		{Ref: "refs/heads/main", ActivityType: "push", Before: shaA, After: shaB, Timestamp: at(-time.Minute),
			Actor: &struct {
				Login string `json:"login"`
			}{Login: "<script>"}},
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

func TestPushLogRateLimits(t *testing.T) {
	entries := []map[string]any{apiEntry("push", shaA, shaB, at(-time.Hour), "alice")}
	limited := 1
	api := newAPIServer(t, "/org/mlops", entries)
	api.before = func(w http.ResponseWriter, r *http.Request) bool {
		if limited == 0 {
			return false
		}
		limited--
		w.Header().Set("Retry-After", "7")
		http.Error(w, `{"message":"You have exceeded a secondary rate limit"}`, http.StatusTooManyRequests)
		return true
	}
	var waits []time.Duration
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	client := testClient(t, api, &waits)
	client.now = time.Now // the wait is checked against ctx's deadline
	got, _, err := client.read(ctx, "/org/mlops", "main", testDeadline)
	if err != nil || len(got) != 1 || len(waits) != 1 || waits[0] != 7*time.Second {
		t.Fatalf("after a 429 with Retry-After: %d entries, waits %v, %v", len(got), waits, err)
	}

	// The primary limit resets in 20 minutes; the group has 5 left: give up.
	reset := time.Now().Add(20*time.Minute + time.Second)
	api.before = func(w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", fmt.Sprint(reset.Unix()))
		http.Error(w, `{"message":"API rate limit exceeded"}`, http.StatusForbidden)
		return true
	}
	waits = nil
	patient := testClient(t, api, &waits)
	patient.now = time.Now
	deadlineCtx, cancel2 := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel2()
	_, _, err = patient.read(deadlineCtx, "/org/mlops", "main", testDeadline)
	if !errors.Is(err, errNoPushLog) || !strings.Contains(err.Error(), "rate limited for 20m") || len(waits) != 0 {
		t.Errorf("rate limited beyond the group's time: %v, waits %v", err, waits)
	}

	// A 403 that is no rate limit (no permission) is not waited for.
	api.before = func(w http.ResponseWriter, r *http.Request) bool {
		http.Error(w, `{"message":"Resource not accessible by personal access token"}`, http.StatusForbidden)
		return true
	}
	if _, _, err := patient.read(context.Background(), "/org/mlops", "main", testDeadline); !errors.Is(err, errNoPushLog) || !strings.Contains(err.Error(), "403") || len(waits) != 0 {
		t.Errorf("403: %v, waits %v", err, waits)
	}
}

func TestPushLogRefusals(t *testing.T) {
	// Another server, where neither a redirect nor a next page may take the token.
	var elsewhere []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere = append(elsewhere, r.Header.Get("Authorization"))
		w.Write([]byte("[]"))
	}))
	defer other.Close()
	api := newAPIServer(t, "/org/mlops")
	var waits []time.Duration
	for _, tc := range []struct {
		name   string
		answer func(w http.ResponseWriter, r *http.Request)
		want   string
	}{
		{"private repository without access", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, "404"},
		{"token refused", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "Bad credentials", http.StatusUnauthorized)
		}, "401"},
		{"redirect to another host", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/steal", http.StatusMovedPermanently)
		}, "HTTP 301"},
		{"next page on another host", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Link", fmt.Sprintf(`<%s/steal>; rel="next"`, other.URL))
			w.Write([]byte(`[]`))
		}, "not on"},
		{"oversized answer", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("[" + strings.Repeat(" ", maxPushLogPageSize) + "]"))
		}, "larger than"},
		{"not the documented shape", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"message":"x"}`)) }, "push log:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api.before = func(w http.ResponseWriter, r *http.Request) bool { tc.answer(w, r); return true }
			_, _, err := testClient(t, api, &waits).read(context.Background(), "/org/mlops", "main", testDeadline)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
	if len(elsewhere) > 0 {
		t.Errorf("another host was asked %d times (Authorization %q)", len(elsewhere), elsewhere)
	}
}

func TestPushLogOnlyForItsHostWithAToken(t *testing.T) {
	api := newAPIServer(t, "/org/mlops")
	api.before = func(w http.ResponseWriter, r *http.Request) bool { http.NotFound(w, r); return true }
	g := Group{Number: 1, URL: "https://github.com/org/mlops.git", RawURL: "https://github.com/org/mlops"}
	for _, tc := range []struct {
		name  string
		opts  Options
		group Group
		asked bool
	}{
		{"no token", Options{PushLog: PushLog{Host: "github.com", API: api.URL}}, g, false},
		{"the token is not meant for github.com", Options{Token: testToken, TokenHosts: []string{"gitlab.com"}, PushLog: PushLog{Host: "github.com", API: api.URL}}, g, false},
		{"another host", Options{Token: testToken, PushLog: PushLog{Host: "github.com", API: api.URL}},
			Group{Number: 2, URL: "https://gitlab.com/org/mlops.git"}, false},
		{"a GitHub repository", Options{Token: testToken, PushLog: PushLog{Host: "github.com", API: api.URL}}, g, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &runner{opts: tc.opts.withDefaults()}
			before := api.requestCount()
			sightings, note := r.pushLogSightings(context.Background(), tc.group, "main", testDeadline)
			if asked := api.requestCount() > before; asked != tc.asked || len(sightings) > 0 {
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
	c.repo("mlops.git")
	onTime := c.commit("mlops.git", "main", reportCommit(alice, at(-2*time.Hour), "report"))
	backdated := c.commit("mlops.git", "main", gittest.Commit{Message: "add figures", Author: bob, When: at(-5 * time.Minute),
		Files: map[string][]byte{"reports/figures/extra.png": []byte("\x89PNG")}})
	api := newAPIServer(t, "/mlops", []map[string]any{
		apiEntry("push", onTime, backdated, at(10*time.Minute), "bob"),
		apiEntry("branch_creation", zero, onTime, at(-2*time.Hour), "alice"),
	})
	gitHost, err := url.Parse(c.server.URL)
	if err != nil {
		t.Fatal(err)
	}
	opts := testOptions(t, c.group(1, "mlops.git"))
	opts.Token, opts.TokenHosts = testToken, []string{"http://" + gitHost.Host}
	opts.PushLog = PushLog{Host: gitHost.Host, API: api.URL}
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
