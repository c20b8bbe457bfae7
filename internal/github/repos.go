package github

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	gh "github.com/google/go-github/v84/github"

	"handin/internal/lazyregexp"
)

var (
	// name is an owner or repository name as GitHub allows them.
	name = &lazyregexp.Regexp{Expr: `^[A-Za-z0-9_.-]+$`}
	// login is a GitHub account name (bots end in [bot]).
	login = &lazyregexp.Regexp{Expr: `^[A-Za-z0-9-]{1,39}(\[bot\])?$`}
)

// ValidLogin reports whether s is a GitHub account name as GitHub allows
// them (an account's, or a bot's ending in [bot]).
func ValidLogin(s string) bool { return login.MatchString(s) }

// Repo is a repository the API serves.
type Repo struct{ Owner, Name string }

func (r Repo) String() string { return r.Owner + "/" + r.Name }

// Repo is the repository of a clone URL (https://HOST/OWNER/NAME[.git]) on
// the config's host; ok is false for any other URL.
func (c Config) Repo(cloneURL string) (r Repo, ok bool) {
	u, err := url.Parse(cloneURL)
	if err != nil || !strings.EqualFold(u.Host, c.Host) {
		return Repo{}, false
	}
	segments := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(segments) != 2 {
		return Repo{}, false
	}
	r = Repo{Owner: segments[0], Name: strings.TrimSuffix(segments[1], ".git")}
	for _, s := range []string{r.Owner, r.Name} {
		if !name.MatchString(s) || strings.Trim(s, ".") == "" {
			return Repo{}, false
		}
	}
	return r, true
}

// Activity is one entry of a repository's push log: a change of one ref.
type Activity struct {
	Before, After string // the ref's object before and after; all zeros when there was none
	Ref           string // refs/heads/BRANCH
	Time          time.Time
	Type          string // push, force_push, branch_creation, branch_deletion, pr_merge, ...
	Actor         string // the login of who did it ("" when the API names none)
}

// maxPushLogPages bounds the pages of one push log (of 100 entries each).
const maxPushLogPages = 10

// PushLog reads the push log of a branch (GET /repos/{owner}/{repo}/activity),
// newest first, a page at a time: each page goes to page, until it returns
// false, the log ends (end is true) or maxPushLogPages were read.
func (c *Client) PushLog(ctx context.Context, r Repo, branch string, page func([]Activity) bool) (end bool, err error) {
	opts := &gh.ListRepositoryActivityOptions{Ref: "refs/heads/" + branch, PerPage: 100}
	for range maxPushLogPages {
		var batch []*gh.RepositoryActivity
		var resp *gh.Response
		err := c.do(ctx, func() (*gh.Response, error) {
			var err error
			batch, resp, err = c.api.Repositories.ListRepositoryActivities(ctx, r.Owner, r.Name, opts)
			return resp, err
		})
		if err != nil {
			return false, err
		}
		entries := make([]Activity, 0, len(batch))
		for _, a := range batch {
			if a == nil {
				continue
			}
			e := Activity{Before: a.Before, After: a.After, Ref: a.Ref, Type: a.ActivityType}
			if a.Timestamp != nil {
				e.Time = a.Timestamp.Time
			}
			if a.Actor != nil {
				e.Actor = a.Actor.GetLogin()
			}
			entries = append(entries, e)
		}
		if !page(entries) {
			return false, nil
		}
		if resp.After == "" {
			return true, nil
		}
		opts.After = resp.After
	}
	return false, nil
}

// CommitAuthor is the login of the GitHub account a commit's author address
// belongs to (GET /repos/{owner}/{repo}/commits?sha=SHA&per_page=1, the
// commit without its files); "" when the address is no account's.
func (c *Client) CommitAuthor(ctx context.Context, r Repo, sha string) (string, error) {
	var commits []*gh.RepositoryCommit
	err := c.do(ctx, func() (*gh.Response, error) {
		var resp *gh.Response
		var err error
		commits, resp, err = c.api.Repositories.ListCommits(ctx, r.Owner, r.Name,
			&gh.CommitsListOptions{SHA: sha, ListOptions: gh.ListOptions{PerPage: 1}})
		return resp, err
	})
	if err != nil || len(commits) == 0 || commits[0].GetSHA() != sha {
		return "", err
	}
	return commits[0].GetAuthor().GetLogin(), nil
}

// ProfileName is the name on an account's profile (GET /users/{login}); ""
// when it shows none.
func (c *Client) ProfileName(ctx context.Context, login string) (string, error) {
	if !ValidLogin(login) {
		return "", fmt.Errorf("%q is not a GitHub login", login)
	}
	var user *gh.User
	err := c.do(ctx, func() (*gh.Response, error) {
		var resp *gh.Response
		var err error
		user, resp, err = c.api.Users.Get(ctx, login)
		return resp, err
	})
	return user.GetName(), err
}

// NoreplyLogin is the login in a noreply address of the config's host
// (ID+LOGIN@users.noreply.github.com, or LOGIN@... as older accounts have
// it); ok is false for any other address.
func (c Config) NoreplyLogin(email string) (login string, ok bool) {
	user, domain, found := strings.Cut(strings.ToLower(strings.TrimSpace(email)), "@")
	if !found || domain != "users.noreply."+strings.ToLower(c.Host) {
		return "", false
	}
	if _, after, plus := strings.Cut(user, "+"); plus {
		user = after
	}
	return user, ValidLogin(user)
}
