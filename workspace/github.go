package workspace

import (
	"fmt"
	"path/filepath"
)

// Student is a roster student: the id, and what groups.csv or the students
// file say of them besides (each may be empty).
type Student struct {
	ID     string `json:"id"`
	Name   string `json:"name,omitempty"`
	Email  string `json:"email,omitempty"`
	GitHub string `json:"github,omitempty"` // GitHub login
}

// Account is the GitHub account behind a commit address: the login in a
// noreply address, or the account GitHub's API names as a commit's author.
type Account struct {
	Email string `json:"email"` // the commit address, lower case
	Login string `json:"login"`
	// Name is the name on the account's profile ("" when it shows none, or
	// the profile was not read).
	Name string `json:"name,omitempty"`
}

// CIState is what the checks of a commit came to, in the words every
// surface shows.
type CIState string

const (
	CIPassing CIState = "passing" // every check that ran succeeded
	CIFailing CIState = "failing" // some check failed (Checks names them)
	CIPending CIState = "pending" // some check has not finished, none failed
	CINone    CIState = "none"    // no check ran on the commit
	CIUnknown CIState = "unknown" // handin could not ask (Reason says why)
)

// CI is the CI status of a commit: its check runs and commit statuses on
// GitHub.
type CI struct {
	State CIState `json:"state"`
	// Checks are the failing checks, each with where to read it.
	Checks []Check `json:"checks,omitempty"`
	// Reason says why the state is unknown.
	Reason string `json:"reason,omitempty"`
}

// Check is one check of a commit: a check run or a commit status.
type Check struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"` // an http(s) URL, or ""
}

// githubFile keeps what GitHub's API answered, between runs.
const githubFile = "github.json"

// GitHubCache is what GitHub's API answered that is read once: the account
// behind each commit address, the name on each profile, the CI status of
// each commit once settled. Scrape keeps it so that a cron run every few
// minutes asks the API only what is new.
type GitHubCache struct {
	API      string            `json:"api"`      // the API that answered: another one starts afresh
	Logins   map[string]string `json:"logins"`   // commit address -> login ("" when it is no account's)
	Profiles map[string]string `json:"profiles"` // login, lower case -> the profile's name ("" for none)
	CI       map[string]CI     `json:"ci"`       // "owner/name@sha" -> settled CI status
}

// LoadGitHubCache reads what api answered earlier runs; an empty cache when
// none did, or when the file cannot be read (it is only a cache: what it
// lacks is asked again, and the file written anew).
func (w *Workspace) LoadGitHubCache(api string) *GitHubCache {
	c := &GitHubCache{}
	err := ReadJSON(filepath.Join(w.root, githubFile), c)
	if err != nil || c.API != api {
		c = &GitHubCache{API: api}
	}
	if c.Logins == nil {
		c.Logins = map[string]string{}
	}
	if c.Profiles == nil {
		c.Profiles = map[string]string{}
	}
	if c.CI == nil {
		c.CI = map[string]CI{}
	}
	return c
}

// SaveGitHubCache replaces the workspace's cache of GitHub's answers.
func (w *Workspace) SaveGitHubCache(c *GitHubCache) error {
	if err := WriteJSON(filepath.Join(w.root, githubFile), c); err != nil {
		return fmt.Errorf("save GitHub's answers: %w", err)
	}
	return nil
}
