package githubtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// Issue is an issue (or, with PullRequest, a pull request) of a repository.
type Issue struct {
	Number      int
	Title, Body string
	State       string // open (default) or closed
	PullRequest bool
}

// Issues sets the issues of repository "owner/name", oldest first (numbered
// from 1 where Number is 0); a repository the server has no issues of
// answers 404, as a private one does to a token that cannot read it.
func (s *Server) Issues(repo string, issues ...Issue) {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := make([]Issue, len(issues))
	for i, is := range issues {
		if is.Number == 0 {
			is.Number = i + 1
		}
		list[i] = is
	}
	s.issues[repo] = list
}

// IssuesOf are the issues of a repository now, oldest first.
func (s *Server) IssuesOf(repo string) []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Issue(nil), s.issues[repo]...)
}

// serveIssues lists a repository's issues, state=all or open (the
// default), oldest first, a page at a time (GET), or opens one (POST).
func (s *Server) serveIssues(w http.ResponseWriter, r *http.Request, repo string) {
	issues, ok := s.issues[repo]
	if !ok {
		notFound(w)
		return
	}
	if r.Method == http.MethodPost {
		var req struct{ Title, Body string }
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Title == "" {
			http.Error(w, `{"message":"Invalid request"}`, http.StatusUnprocessableEntity)
			return
		}
		is := Issue{Number: len(issues) + 1, Title: req.Title, Body: req.Body, State: "open"}
		s.issues[repo] = append(issues, is)
		w.WriteHeader(http.StatusCreated)
		writeJSON(w, issueJSON(r, repo, is))
		return
	}
	var listed []Issue
	for _, is := range issues {
		if r.URL.Query().Get("state") == "all" || is.State != "closed" {
			listed = append(listed, is)
		}
	}
	from, to := paginate(w, r, len(listed))
	out := []map[string]any{}
	for _, is := range listed[from:to] {
		out = append(out, issueJSON(r, repo, is))
	}
	writeJSON(w, out)
}

// serveIssueEdit changes an issue's title and body (PATCH).
func (s *Server) serveIssueEdit(w http.ResponseWriter, r *http.Request, repo, number string) {
	n, err := strconv.Atoi(number)
	issues, ok := s.issues[repo]
	if !ok || err != nil || n < 1 || n > len(issues) || r.Method != http.MethodPatch {
		notFound(w)
		return
	}
	var req struct{ Title, Body *string }
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, `{"message":"Invalid request"}`, http.StatusUnprocessableEntity)
		return
	}
	is := &issues[n-1]
	if req.Title != nil {
		is.Title = *req.Title
	}
	if req.Body != nil {
		is.Body = *req.Body
	}
	writeJSON(w, issueJSON(r, repo, *is))
}

func issueJSON(r *http.Request, repo string, is Issue) map[string]any {
	state := is.State
	if state == "" {
		state = "open"
	}
	out := map[string]any{"id": is.Number, "number": is.Number, "title": is.Title, "body": nullable(is.Body), "state": state,
		"html_url": fmt.Sprintf("http://%s/%s/issues/%d", r.Host, repo, is.Number),
		"user":     map[string]any{"login": "instructor", "id": 1, "type": "User"}}
	if is.PullRequest {
		out["pull_request"] = map[string]any{"url": fmt.Sprintf("http://%s/repos/%s/pulls/%d", r.Host, repo, is.Number)}
	}
	return out
}
