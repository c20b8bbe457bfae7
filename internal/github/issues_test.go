package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"handin/internal/github/githubtest"
)

// TestIssuesAreFoundByMarkerOpenedAndEdited: the issue holding the marker
// is found past the first page and among closed ones, pull requests never;
// a new one is opened, an old one edited; a repository the token cannot
// read is ErrNotFound.
func TestIssuesAreFoundByMarkerOpenedAndEdited(t *testing.T) {
	api := githubtest.NewServer()
	defer api.Close()
	var issues []githubtest.Issue
	for i := range 130 {
		issues = append(issues, githubtest.Issue{Title: fmt.Sprintf("bug %d", i), Body: "it breaks"})
	}
	issues[3] = githubtest.Issue{Title: "a pull request", Body: "<!-- marker -->", PullRequest: true}
	issues[120] = githubtest.Issue{Title: "Feedback", Body: "old\n<!-- marker -->", State: "closed"}
	api.Issues("org/mlops", issues...)
	var waits []time.Duration
	c := testClient(t, api, &waits)
	ctx := context.Background()

	found, err := c.FindIssue(ctx, repo, "<!-- marker -->")
	if err != nil || found == nil || found.Number != 121 || found.Title != "Feedback" || !strings.HasSuffix(found.URL, "/org/mlops/issues/121") {
		t.Fatalf("FindIssue = %+v, %v; want issue 121", found, err)
	}
	edited, err := c.EditIssue(ctx, repo, found.Number, "Feedback", "new\n<!-- marker -->")
	if err != nil || edited.Body != "new\n<!-- marker -->" {
		t.Fatalf("EditIssue = %+v, %v", edited, err)
	}
	if got := api.IssuesOf("org/mlops")[120]; got.Body != "new\n<!-- marker -->" || got.State != "closed" {
		t.Errorf("after the edit the server holds %+v: want the new body, still closed", got)
	}

	api.Issues("org/other", githubtest.Issue{Title: "bug", Body: "no marker"})
	other := Repo{Owner: "org", Name: "other"}
	if found, err := c.FindIssue(ctx, other, "<!-- marker -->"); found != nil || err != nil {
		t.Fatalf("FindIssue without the marker = %+v, %v", found, err)
	}
	created, err := c.CreateIssue(ctx, other, "Feedback", "hello <!-- marker -->")
	if err != nil || created.Number != 2 {
		t.Fatalf("CreateIssue = %+v, %v", created, err)
	}
	if found, err := c.FindIssue(ctx, other, "<!-- marker -->"); err != nil || found == nil || found.Number != 2 {
		t.Errorf("the issue just opened is found again: %+v, %v", found, err)
	}

	if _, err := c.FindIssue(ctx, Repo{Owner: "org", Name: "private"}, "<!-- marker -->"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a repository the token cannot read: %v, want ErrNotFound", err)
	}
	if _, err := c.CreateIssue(ctx, other, "Feedback", strings.Repeat("x", MaxIssueBody+1)); err == nil {
		t.Error("a body GitHub would refuse was sent")
	}
	for _, r := range api.Requests() {
		if r.Authorization != "Bearer "+testToken {
			t.Errorf("%s %s: Authorization %q", r.Method, r.Path, r.Authorization)
		}
	}
}

// TestIssueOpenedAfterARateLimit: a create refused by a secondary rate
// limit is made again after the wait GitHub names, once.
func TestIssueOpenedAfterARateLimit(t *testing.T) {
	api := githubtest.NewServer()
	defer api.Close()
	api.Issues("org/mlops")
	limited := 1
	api.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost || limited == 0 {
			return false
		}
		limited--
		w.Header().Set("Retry-After", "3")
		http.Error(w, `{"message":"You have exceeded a secondary rate limit"}`, http.StatusForbidden)
		return true
	})
	var waits []time.Duration
	c := testClient(t, api, &waits)
	if _, err := c.CreateIssue(context.Background(), repo, "Feedback", "body"); err != nil || len(waits) != 1 || waits[0] != 3*time.Second {
		t.Fatalf("CreateIssue after a 403 with Retry-After: %v, waits %v", err, waits)
	}
	if n := len(api.IssuesOf("org/mlops")); n != 1 {
		t.Errorf("%d issues opened, want 1", n)
	}
}
