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
// collect the instructor's token.
func tokenAuth(rawURL, token string, hosts []string) transport.AuthMethod {
	if token == "" {
		return nil
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return nil
	}
	for _, h := range hosts {
		if strings.EqualFold(h, u.Host) || strings.EqualFold(h, u.Hostname()) {
			return &githttp.BasicAuth{Username: "x-access-token", Password: token}
		}
	}
	return nil
}
