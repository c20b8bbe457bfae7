package github

import (
	"context"
	"fmt"
	"strings"

	gh "github.com/google/go-github/v84/github"
)

// Issue is an issue of a repository, as far as handin writes them.
type Issue struct {
	Number      int
	Title, Body string
	URL         string // the issue's page
}

// maxIssuePages bounds the pages of issues looked through (of 100 each): a
// student repository has a few dozen issues, not thousands.
const maxIssuePages = 10

// MaxIssueBody is the longest issue body GitHub accepts, in characters.
const MaxIssueBody = 65536

// FindIssue is the oldest issue of the repository, open or closed, whose
// body holds marker (GET /repos/{owner}/{repo}/issues?state=all, pull
// requests skipped); nil when there is none among the first
// maxIssuePages pages.
func (c *Client) FindIssue(ctx context.Context, r Repo, marker string) (*Issue, error) {
	opts := &gh.IssueListByRepoOptions{State: "all", Sort: "created", Direction: "asc", ListOptions: gh.ListOptions{PerPage: 100}}
	for range maxIssuePages {
		var batch []*gh.Issue
		var resp *gh.Response
		err := c.do(ctx, func() (*gh.Response, error) {
			var err error
			batch, resp, err = c.api.Issues.ListByRepo(ctx, r.Owner, r.Name, opts)
			return resp, err
		})
		if err != nil {
			return nil, err
		}
		for _, is := range batch {
			if is != nil && !is.IsPullRequest() && strings.Contains(is.GetBody(), marker) {
				return issueOf(is), nil
			}
		}
		if resp.NextPage == 0 {
			return nil, nil
		}
		opts.ListOptions.Page = resp.NextPage
	}
	return nil, nil
}

// CreateIssue opens an issue (POST /repos/{owner}/{repo}/issues).
func (c *Client) CreateIssue(ctx context.Context, r Repo, title, body string) (*Issue, error) {
	return c.writeIssue(ctx, body, func() (*gh.Issue, *gh.Response, error) {
		return c.api.Issues.Create(ctx, r.Owner, r.Name, &gh.IssueRequest{Title: &title, Body: &body})
	})
}

// EditIssue replaces an issue's title and body (PATCH
// /repos/{owner}/{repo}/issues/{number}); whether it is open or closed
// stays as the students left it.
func (c *Client) EditIssue(ctx context.Context, r Repo, number int, title, body string) (*Issue, error) {
	return c.writeIssue(ctx, body, func() (*gh.Issue, *gh.Response, error) {
		return c.api.Issues.Edit(ctx, r.Owner, r.Name, number, &gh.IssueRequest{Title: &title, Body: &body})
	})
}

// writeIssue makes a request that writes an issue with this body, after
// refusing a body GitHub would refuse.
func (c *Client) writeIssue(ctx context.Context, body string, call func() (*gh.Issue, *gh.Response, error)) (*Issue, error) {
	if n := len([]rune(body)); n > MaxIssueBody {
		return nil, fmt.Errorf("issue body of %d characters, over GitHub's %d", n, MaxIssueBody)
	}
	var is *gh.Issue
	err := c.do(ctx, func() (*gh.Response, error) {
		var resp *gh.Response
		var err error
		is, resp, err = call()
		return resp, err
	})
	if err != nil {
		return nil, err
	}
	return issueOf(is), nil
}

func issueOf(is *gh.Issue) *Issue {
	return &Issue{Number: is.GetNumber(), Title: is.GetTitle(), Body: is.GetBody(), URL: webURL(is.GetHTMLURL())}
}
