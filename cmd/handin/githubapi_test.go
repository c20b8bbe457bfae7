package main

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"handin/internal/github/githubtest"
)

// githubAPIKey holds a script's GitHub API server (see githubAPI).
const githubAPIKey = "githubapi"

// githubAPIHolder is the GitHub API server of one script, started by
// "githubapi start".
type githubAPIHolder struct{ api *githubtest.Server }

// githubAPI is the testscript command that serves GitHub's API
// (internal/github/githubtest) on loopback for the script:
//
//	githubapi start REPO...       serve these repositories' issues (none yet; any other repository answers 404), set $GITHUB_API
//	githubapi ratelimit S         answer the next request to open or edit an issue 403 with Retry-After: S
//	githubapi issues REPO         print the repository's issues: number, state and title, then the body
//	githubapi requests            print every request so far: method, path and whether it carried $GITHUB_TOKEN
func githubAPI(ts *testscript.TestScript, neg bool, args []string) {
	holder := ts.Value(githubAPIKey).(*githubAPIHolder)
	if neg || len(args) == 0 || (args[0] != "start" && holder.api == nil) {
		ts.Fatalf("usage: githubapi start REPO... | ratelimit SECONDS | issues REPO | requests (after start)")
	}
	switch args[0] {
	case "start":
		holder.api = githubtest.NewServer()
		ts.Defer(holder.api.Close)
		for _, repo := range args[1:] {
			holder.api.Issues(repo)
		}
		ts.Setenv("GITHUB_API", holder.api.URL)
	case "ratelimit":
		seconds, err := strconv.Atoi(args[1])
		ts.Check(err)
		limited := false
		holder.api.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
			if limited || r.Method == http.MethodGet {
				return false
			}
			limited = true
			w.Header().Set("Retry-After", strconv.Itoa(seconds))
			http.Error(w, `{"message":"You have exceeded a secondary rate limit"}`, http.StatusForbidden)
			return true
		})
	case "issues":
		for _, is := range holder.api.IssuesOf(args[1]) {
			fmt.Fprintf(ts.Stdout(), "#%d %s %s\n%s\n", is.Number, is.State, is.Title, is.Body)
		}
	case "requests":
		token := ts.Getenv("GITHUB_TOKEN")
		for _, r := range holder.api.Requests() {
			fmt.Fprintf(ts.Stdout(), "%s %s token=%v\n", r.Method, r.Path, token != "" && strings.HasSuffix(r.Authorization, " "+token))
		}
	default:
		ts.Fatalf("githubapi: unknown subcommand %q", args[0])
	}
}
