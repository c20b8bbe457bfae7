// Package githubtest serves the parts of GitHub's REST API that handin
// reads, on loopback, in the shapes GitHub documents: a repository's push
// log, the author account of a commit, user profiles, a commit's check runs
// and statuses, and a repository's issues (listed, opened, edited). It
// records every request, so that tests see where the token went.
package githubtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Activity is one push-log entry (GET /repos/{owner}/{repo}/activity).
type Activity struct {
	Type          string // push, force_push, branch_creation, pr_merge, ...
	Before, After string
	Ref           string // default refs/heads/main
	Time          time.Time
	Actor         string // login; "" for none
}

// CheckRun is one check run of a commit.
type CheckRun struct {
	Name, Status, Conclusion string // Status "" is completed
	URL                      string // html_url
}

// Status is one commit status.
type Status struct {
	Context, State, TargetURL string
}

// Request is one request the server received.
type Request struct {
	Method, Path, Query string
	Authorization       string
}

// Server is a GitHub API on 127.0.0.1. Its zero state knows nothing: every
// repository, commit and user answers 404 until a test adds it.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	requests []Request
	activity map[string][][]Activity // repository -> pages, newest first
	authors  map[string]string       // repository@sha -> login ("" for no account)
	users    map[string]string       // login -> profile name
	runs     map[string][]CheckRun   // repository@sha
	statuses map[string][]Status     // repository@sha
	issues   map[string][]Issue      // repository -> its issues, oldest first
	// intercept answers a request instead of the API while it returns true.
	intercept func(w http.ResponseWriter, r *http.Request) bool
}

// NewServer starts a server; close it with Close.
func NewServer() *Server {
	s := &Server{activity: map[string][][]Activity{}, authors: map[string]string{}, users: map[string]string{},
		runs: map[string][]CheckRun{}, statuses: map[string][]Status{}, issues: map[string][]Issue{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// PushLog sets the push log of repository "owner/name": pages of entries,
// newest first, linked by cursors as GitHub's Link header does.
func (s *Server) PushLog(repo string, pages ...[]Activity) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.activity[repo] = pages
}

// Commit sets the login of the account a commit's author address belongs
// to ("" for an address that is no account's).
func (s *Server) Commit(repo, sha, login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.authors[repo+"@"+sha] = login
}

// User sets the name on an account's profile.
func (s *Server) User(login, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[strings.ToLower(login)] = name
}

// Checks sets a commit's check runs and statuses.
func (s *Server) Checks(repo, sha string, runs []CheckRun, statuses []Status) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runs[repo+"@"+sha], s.statuses[repo+"@"+sha] = runs, statuses
}

// Intercept lets answer answer requests before the API does, while it
// returns true; nil ends that.
func (s *Server) Intercept(answer func(w http.ResponseWriter, r *http.Request) bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.intercept = answer
}

// Requests are the requests received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Authorization: r.Header.Get("Authorization")})
	intercept := s.intercept
	s.mu.Unlock()
	if intercept != nil && intercept(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case len(parts) == 2 && parts[0] == "users":
		name, ok := s.users[strings.ToLower(parts[1])]
		if !ok {
			notFound(w)
			return
		}
		writeJSON(w, map[string]any{"login": parts[1], "id": 1, "type": "User", "name": nullable(name)})
	case len(parts) < 4 || parts[0] != "repos":
		notFound(w)
	case len(parts) == 4 && parts[3] == "issues":
		s.serveIssues(w, r, parts[1]+"/"+parts[2])
	case len(parts) == 5 && parts[3] == "issues":
		s.serveIssueEdit(w, r, parts[1]+"/"+parts[2], parts[4])
	case len(parts) == 4 && parts[3] == "activity":
		s.serveActivity(w, r, parts[1]+"/"+parts[2])
	case len(parts) == 4 && parts[3] == "commits":
		s.serveCommit(w, r, parts[1]+"/"+parts[2])
	case len(parts) == 6 && parts[3] == "commits" && parts[5] == "check-runs":
		s.serveCheckRuns(w, r, parts[1]+"/"+parts[2]+"@"+parts[4])
	case len(parts) == 6 && parts[3] == "commits" && parts[5] == "status":
		s.serveStatus(w, parts[1]+"/"+parts[2]+"@"+parts[4])
	default:
		notFound(w)
	}
}

func (s *Server) serveActivity(w http.ResponseWriter, r *http.Request, repo string) {
	pages, ok := s.activity[repo]
	if !ok {
		notFound(w)
		return
	}
	page := 0
	if cursor := r.URL.Query().Get("after"); cursor != "" {
		fmt.Sscanf(cursor, "cursor%d", &page)
	}
	var entries []map[string]any
	if page < len(pages) {
		for _, a := range pages[page] {
			entries = append(entries, activityJSON(a))
		}
	}
	if page+1 < len(pages) {
		q := r.URL.Query()
		q.Set("after", fmt.Sprintf("cursor%d", page+1))
		w.Header().Set("Link", fmt.Sprintf(`<http://%s%s?%s>; rel="next"`, r.Host, r.URL.Path, q.Encode()))
	}
	writeJSON(w, entries)
}

func activityJSON(a Activity) map[string]any {
	var actor any
	if a.Actor != "" {
		actor = map[string]any{"login": a.Actor, "id": 1, "node_id": "MDQ6VXNlcjE=", "type": "User", "site_admin": false}
	}
	ref := a.Ref
	if ref == "" {
		ref = "refs/heads/main"
	}
	return map[string]any{"id": a.Time.Unix(), "node_id": "MDEwOlJlcG9zaXRvcnkx", "before": a.Before, "after": a.After,
		"ref": ref, "timestamp": a.Time.UTC().Format(time.RFC3339), "activity_type": a.Type, "actor": actor}
}

// serveCommit answers GET /repos/{o}/{r}/commits?sha=SHA&per_page=1 with
// that commit alone.
func (s *Server) serveCommit(w http.ResponseWriter, r *http.Request, repo string) {
	sha := r.URL.Query().Get("sha")
	login, ok := s.authors[repo+"@"+sha]
	if !ok {
		notFound(w)
		return
	}
	var author any
	if login != "" {
		author = map[string]any{"login": login, "id": 1, "type": "User"}
	}
	writeJSON(w, []map[string]any{{"sha": sha, "author": author, "commit": map[string]any{"message": "m"}}})
}

func (s *Server) serveCheckRuns(w http.ResponseWriter, r *http.Request, key string) {
	runs, ok := s.runs[key]
	if !ok {
		notFound(w)
		return
	}
	from, to := paginate(w, r, len(runs))
	out := []map[string]any{}
	for _, run := range runs[from:to] {
		status, conclusion := run.Status, any(nil)
		if status == "" {
			status, conclusion = "completed", run.Conclusion
		}
		out = append(out, map[string]any{"id": 1, "name": run.Name, "status": status, "conclusion": conclusion,
			"html_url": run.URL, "details_url": run.URL})
	}
	writeJSON(w, map[string]any{"total_count": len(runs), "check_runs": out})
}

// paginate is the part [from, to) of n items that the request's page and
// per_page ask for; when more follow, the Link header names the next page,
// as GitHub's does.
func paginate(w http.ResponseWriter, r *http.Request, n int) (from, to int) {
	perPage, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	if perPage <= 0 {
		perPage = 30
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	from, to = min(n, (page-1)*perPage), min(n, page*perPage)
	if to < n {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(page+1))
		w.Header().Set("Link", fmt.Sprintf(`<http://%s%s?%s>; rel="next"`, r.Host, r.URL.Path, q.Encode()))
	}
	return from, to
}

// serveStatus answers as GitHub does: state "pending" also when there is
// no status at all.
func (s *Server) serveStatus(w http.ResponseWriter, key string) {
	statuses, ok := s.statuses[key]
	if !ok {
		notFound(w)
		return
	}
	state, out := "success", []map[string]any{}
	for _, st := range statuses {
		out = append(out, map[string]any{"context": st.Context, "state": st.State, "target_url": nullable(st.TargetURL)})
		switch {
		case st.State == "failure" || st.State == "error":
			state = "failure"
		case st.State == "pending" && state != "failure":
			state = "pending"
		}
	}
	if len(statuses) == 0 {
		state = "pending"
	}
	writeJSON(w, map[string]any{"state": state, "total_count": len(statuses), "statuses": out})
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func notFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusNotFound)
	w.Write([]byte(`{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}`))
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}
