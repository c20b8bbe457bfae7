package export

import (
	"fmt"

	"handin/grade"
	"handin/workspace"
)

// failure is what a failed group's page says instead of a grade: only what
// handin observed, and what the instructor can do about it.
type failure struct {
	Short  string // a few words, for the index
	What   string // what happened
	Detail string // the scrape's own message
	Do     string // what to do
}

// failureOf describes a group without a deadline commit; nil for a graded
// group.
func failureOf(r *grade.GroupResult) *failure {
	if r.Status.Pinned() {
		return nil
	}
	again := fmt.Sprintf("'handin run --group %d'", r.Group)
	f := &failure{Detail: r.Error}
	switch r.Status {
	case workspace.StatusInvalid:
		f.Short = "invalid groups.csv row"
		f.What = "The group's row of groups.csv could not be used, so its repository was not looked at."
		f.Do = "Correct the row in groups.csv (the message names its line), then run " + again + "."
	case workspace.StatusNotFound:
		f.Short = "repository not found"
		f.What = "The repository was not found at this URL: it does not exist there, or it is private and handin had no token for it (GitHub answers both alike)."
		f.Do = "If it is private, give handin a token that can read it (GITHUB_TOKEN, or token_file in handin.toml); otherwise ask the group for the right URL and correct it in groups.csv. Then run " + again + "."
	case workspace.StatusAuthFailed:
		f.Short = "token refused"
		f.What = "The server refused handin's token for this repository."
		f.Do = "Use a token that can read the repository (the group may have to add its owner as a collaborator), then run " + again + "."
	case workspace.StatusTimeout:
		f.Short = "timed out"
		f.What = "handin gave up on the repository after the time it may take."
		f.Do = "Run " + again + "; for a very large repository, raise timeout in handin.toml."
	case workspace.StatusNetworkError:
		f.Short = "could not be reached"
		f.What = "handin could not reach the repository's server (after retrying)."
		f.Do = "Check the URL in groups.csv and this machine's network, then run " + again + "."
	case workspace.StatusEmptyRepo:
		f.Short = "empty repository"
		f.What = "The repository exists but holds no commit: nothing was pushed to it."
		f.Do = "Ask the group where their work is; if it is in another repository, correct the URL in groups.csv and run " + again + "."
	case workspace.StatusNoCommit:
		f.Short = "no commit by the deadline"
		f.What = "No commit on the branch counts for the deadline: every one came after it (they are listed below)."
		f.Do = "If the group has an extension, give its row its own deadline in groups.csv; if it worked on another branch, name that branch in the row. Then run " + again + "."
	case workspace.StatusInternalError:
		f.Short = "handin failed"
		f.What = "handin failed while reading the repository."
		f.Do = "Run " + again + "; if it fails the same way, report the message above."
	default:
		f.Short = string(r.Status)
		f.What = fmt.Sprintf("The repository was not graded (scrape status %s).", r.Status)
		f.Do = "Run " + again + "."
	}
	return f
}
