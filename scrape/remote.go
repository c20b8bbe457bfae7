package scrape

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

// remoteTip is what the remote advertised for the branch to scrape.
type remoteTip struct {
	Branch string
	Tip    plumbing.Hash // zero when the remote has no commits
	// MovedTo is the clone URL the remote redirected to (a renamed
	// repository), "" when it answered at the URL asked.
	MovedTo string
	// server is the upload-pack session the listing was read from, for
	// the fetch that follows (nil when the remote has no commits).
	server *server
}

// errBranchNotFound: the remote has commits but not the requested branch.
var errBranchNotFound = errors.New("branch not found on the remote")

// maxBranchBytes bounds a branch name: a workspace clone keeps a branch as
// a file named by it, each part between slashes a file name
// (maxNameBytes).
const maxBranchBytes = 1024

// errBranchName: a branch name no workspace clone can keep.
var errBranchName = errors.New("the branch name is too long to keep")

// checkBranchName refuses a branch name a clone cannot keep as a file.
func checkBranchName(branch string) error {
	if len(branch) > maxBranchBytes {
		return fmt.Errorf("%w: %d bytes, over %d (%.40q…)", errBranchName, len(branch), maxBranchBytes, branch)
	}
	for part := range strings.SplitSeq(branch, "/") {
		if len(part) > maxNameBytes {
			return fmt.Errorf("%w: a part of %d bytes, over the %d a file name may take (%.40q…)", errBranchName, len(part), maxNameBytes, part)
		}
	}
	return nil
}

// listRemote asks the group's remote for its references (one small
// request, no objects) and picks the branch to scrape: the group's, or the
// remote's default.
func listRemote(ctx context.Context, g Group, auth transport.AuthMethod) (remoteTip, error) {
	var redirectedTo string
	srv, err := openServer(context.WithValue(ctx, redirectKey{}, &redirectedTo), g, auth)
	if errors.Is(err, transport.ErrEmptyRemoteRepository) {
		return remoteTip{Branch: g.Branch}, nil
	}
	if err != nil {
		return remoteTip{}, err
	}
	refs, err := srv.adv.AllReferences() // HEAD as the symbolic reference it is
	if err != nil {
		return remoteTip{}, err
	}
	tip, err := pickBranch(slices.Collect(maps.Values(refs)), g.Branch)
	if err != nil {
		return remoteTip{}, err
	}
	if err := checkBranchName(tip.Branch); err != nil { // the remote's default branch, named by the students
		return remoteTip{}, err
	}
	tip.MovedTo = movedRepository(g.URL, redirectedTo)
	if !tip.Tip.IsZero() {
		srv.branch, tip.server = tip.Branch, srv
	}
	return tip, nil
}

// pickBranch finds want, or the default branch, among the remote's refs.
func pickBranch(refs []*plumbing.Reference, want string) (remoteTip, error) {
	heads := map[string]plumbing.Hash{}
	var headTarget string
	for _, ref := range refs {
		switch {
		case ref.Name() == plumbing.HEAD && ref.Type() == plumbing.SymbolicReference:
			headTarget = ref.Target().Short()
		case ref.Name().IsBranch():
			heads[ref.Name().Short()] = ref.Hash()
		}
	}
	if len(heads) == 0 {
		return remoteTip{Branch: want}, nil
	}
	if want != "" {
		tip, ok := heads[want]
		if !ok {
			return remoteTip{}, fmt.Errorf("branch %q: %w", want, errBranchNotFound)
		}
		return remoteTip{Branch: want, Tip: tip}, nil
	}
	// The default branch is what HEAD points at; a HEAD pointing at a branch
	// that was never pushed falls back to the usual names, then to the only
	// branch there is.
	candidates := []string{headTarget, "main", "master"}
	if len(heads) == 1 {
		for name := range heads {
			candidates = append(candidates, name)
		}
	}
	for _, name := range candidates {
		if tip, ok := heads[name]; ok && name != "" {
			return remoteTip{Branch: name, Tip: tip}, nil
		}
	}
	return remoteTip{}, fmt.Errorf("no default branch (HEAD -> %q, branches %s): %w",
		headTarget, strings.Join(slices.Sorted(maps.Keys(heads)), ", "), errBranchNotFound)
}

// movedRepository is the clone URL (normalised, without credentials) of the
// repository a ref listing of cloneURL was redirected to, or "" when the
// listing was not redirected or ended where it started.
func movedRepository(cloneURL, redirectedTo string) string {
	repoURL, isListing := strings.CutSuffix(strings.SplitN(redirectedTo, "?", 2)[0], "/info/refs")
	if !isListing {
		return ""
	}
	moved, _, err := NormalizeURL(repoURL)
	if err != nil || moved == cloneURL {
		return ""
	}
	return moved
}

// branchRefSpec maps the remote branch onto the same local branch, forced:
// a force-pushed branch replaces ours (old objects stay in the clone).
func branchRefSpec(branch string) config.RefSpec {
	return config.RefSpec(fmt.Sprintf("+refs/heads/%s:refs/heads/%s", branch, branch))
}

// fetchBranch fetches one branch, no tags, into a workspace clone.
func fetchBranch(ctx context.Context, repo *git.Repository, rawURL string, auth transport.AuthMethod, branch string) error {
	err := repo.FetchContext(ctx, &git.FetchOptions{
		RemoteName: remoteName,
		RemoteURL:  gitURL(rawURL),
		RefSpecs:   []config.RefSpec{branchRefSpec(branch)},
		Tags:       git.NoTags,
		Auth:       auth,
		Force:      true,
	})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return err
	}
	return nil
}

// tokenAuth sends the token only to the hosts it is meant for: groups.csv is
// written by students, and a URL pointing at their own server must not
// collect the instructor's token. It goes over https only, unless the
// instructor names the host with "http://" (a server on the instructor's
// own network): over plain http anyone on the way reads it.
func tokenAuth(rawURL, token string, hosts []string) transport.AuthMethod {
	if token == "" {
		return nil
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return nil
	}
	for _, h := range hosts {
		host, plain := cutPrefixFold(h, "http://")
		if !plain {
			host, _ = cutPrefixFold(h, "https://")
		}
		if !strings.EqualFold(host, u.Host) && !strings.EqualFold(host, u.Hostname()) {
			continue
		}
		if u.Scheme == "http" && !plain {
			return nil
		}
		return &githttp.BasicAuth{Username: "x-access-token", Password: token}
	}
	return nil
}

// cutPrefixFold is strings.CutPrefix, ignoring case.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
