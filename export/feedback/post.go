package feedback

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"handin/internal/github"
)

// Outcome is what releasing one group's feedback did.
type Outcome string

// Outcomes, as the summary counts them.
const (
	Posted    Outcome = "posted"    // a new issue was opened
	Updated   Outcome = "updated"   // the group's issue was edited
	Unchanged Outcome = "unchanged" // the group's issue already said it: no request made
	Failed    Outcome = "failed"    // the error says why
)

// Poster posts feedback as one issue on each group's repository.
type Poster struct {
	API    *github.Client
	GitHub github.Config // whose host the repositories are on
	Title  string        // the issue's title
}

// ErrNotOnHost: the group's repository is not on the API's host.
var ErrNotOnHost = errors.New("not a repository on the GitHub host")

// Post opens the group's feedback issue on the repository of cloneURL, or
// updates the issue holding Marker, unless it holds body and Title
// already. It returns the issue's page.
func (p *Poster) Post(ctx context.Context, cloneURL, body string) (Outcome, string, error) {
	repo, ok := p.GitHub.Repo(cloneURL)
	if !ok {
		return Failed, "", fmt.Errorf("%w %s", ErrNotOnHost, p.GitHub.Host)
	}
	found, err := p.API.FindIssue(ctx, repo, Marker)
	if err != nil {
		return Failed, "", fmt.Errorf("%s: looking for its feedback issue: %w", repo, err)
	}
	if found == nil {
		is, err := p.API.CreateIssue(ctx, repo, p.Title, body)
		if err != nil {
			return Failed, "", fmt.Errorf("%s: opening its feedback issue: %w", repo, err)
		}
		return Posted, is.URL, nil
	}
	// An issue edited on GitHub's web page comes back with CRLF lines.
	if strings.ReplaceAll(found.Body, "\r\n", "\n") == body && found.Title == p.Title {
		return Unchanged, found.URL, nil
	}
	is, err := p.API.EditIssue(ctx, repo, found.Number, p.Title, body)
	if err != nil {
		return Failed, found.URL, fmt.Errorf("%s: updating its feedback issue #%d: %w", repo, found.Number, err)
	}
	return Updated, is.URL, nil
}
