package scrape

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	"github.com/go-git/go-git/v5/storage/memory"

	"handin/scrape/packstore"
	"handin/workspace"
)

// remoteName is the remote every workspace clone fetches from.
const remoteName = "origin"

// remoteTip is what the remote advertised for the branch to scrape.
type remoteTip struct {
	Branch string
	Tip    plumbing.Hash // zero when the remote has no commits
	// MovedTo is the clone URL the remote redirected to (a renamed
	// repository), "" when it answered at the URL asked.
	MovedTo string
}

// errBranchNotFound: the remote has commits but not the requested branch.
var errBranchNotFound = errors.New("branch not found on the remote")

// listRemote asks the remote for its references (one small request, no
// objects) and picks the branch to scrape: want, or the remote's default.
func listRemote(ctx context.Context, rawURL string, auth transport.AuthMethod, want string) (remoteTip, error) {
	remote := git.NewRemote(memory.NewStorage(), &config.RemoteConfig{Name: remoteName, URLs: []string{gitURL(rawURL)}})
	var redirectedTo string
	refs, err := remote.ListContext(context.WithValue(ctx, redirectKey{}, &redirectedTo), &git.ListOptions{Auth: auth})
	if errors.Is(err, transport.ErrEmptyRemoteRepository) {
		refs, err = nil, nil
	}
	if err != nil {
		return remoteTip{}, err
	}
	tip, err := pickBranch(refs, want)
	if err != nil {
		return remoteTip{}, err
	}
	tip.MovedTo = movedRepository(rawURL, redirectedTo)
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

// openClone opens an existing workspace clone; ok is false when there is
// none, when it is damaged, or when it was cloned from another URL (the
// group changed its repository), in which case the caller clones afresh.
func openClone(ctx context.Context, dir, redactedURL string) (repo *git.Repository, ok bool) {
	if _, err := os.Stat(filepath.Join(dir, "HEAD")); err != nil {
		return nil, false
	}
	repo, err := git.Open(packstore.Open(ctx, dir), nil)
	if err != nil {
		return nil, false
	}
	remote, err := repo.Remote(remoteName)
	if err != nil || len(remote.Config().URLs) == 0 || remote.Config().URLs[0] != redactedURL {
		return nil, false
	}
	return repo, true
}

// initClone creates an empty bare repository at dir whose origin is the
// redacted URL: credentials pasted into groups.csv never reach the disk, the
// real URL is passed to each fetch instead.
func initClone(ctx context.Context, dir, redactedURL, branch string) (*git.Repository, error) {
	repo, err := git.Init(packstore.Open(ctx, dir), nil)
	if err != nil {
		return nil, fmt.Errorf("init clone: %w", err)
	}
	if _, err := repo.CreateRemote(&config.RemoteConfig{
		Name:  remoteName,
		URLs:  []string{redactedURL},
		Fetch: []config.RefSpec{branchRefSpec(branch)},
	}); err != nil {
		return nil, fmt.Errorf("init clone: %w", err)
	}
	head := plumbing.NewSymbolicReference(plumbing.HEAD, plumbing.NewBranchReferenceName(branch))
	if err := repo.Storer.SetReference(head); err != nil {
		return nil, fmt.Errorf("init clone: %w", err)
	}
	return repo, nil
}

// omissions lists what the pack store of a clone (opened by openClone or
// initClone) left out of the packs fetched through it.
func omissions(repo *git.Repository) []packstore.Omission {
	return repo.Storer.(*packstore.Storage).Omissions()
}

// omittedNote is the snapshot's note on the objects of the packs just
// fetched that the clone's pack store left out of their index.
func omittedNote(omitted []packstore.Omission) []string {
	if len(omitted) == 0 {
		return nil
	}
	objects := make([]string, len(omitted))
	for i, o := range omitted {
		switch o.Reason {
		case packstore.LongDelta:
			objects[i] = fmt.Sprintf("a delta of %s building %s", mib(o.Cost), mib(o.Size))
		case packstore.LargeBase:
			objects[i] = fmt.Sprintf("an object of %s built from one of %s", mib(o.Size), mib(o.Cost))
		default:
			objects[i] = fmt.Sprintf("an object at %d built on one left out", o.Offset)
		}
	}
	return []string{fmt.Sprintf("%d objects of the fetched pack were left out, as git never writes them: %s", len(objects), quotedList(objects))}
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

// localTip is the branch tip in a workspace clone.
func localTip(repo *git.Repository, branch string) (plumbing.Hash, error) {
	ref, err := repo.Reference(plumbing.NewBranchReferenceName(branch), true)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("branch %s after fetch: %w", branch, err)
	}
	return ref.Hash(), nil
}

// retryPolicy: how often and how patiently transient failures are retried.
type retryPolicy struct {
	Attempts  int
	BaseDelay time.Duration // doubled after each failure
}

// do runs op until it succeeds, fails for a reason retrying cannot fix, the
// attempts are used up, or ctx ends.
func (p retryPolicy) do(ctx context.Context, op func() error) error {
	for attempt := 1; ; attempt++ {
		err := op()
		if err == nil || attempt >= p.Attempts || ctx.Err() != nil || !transient(err) {
			return err
		}
		select {
		case <-time.After(p.BaseDelay << (attempt - 1)):
		case <-ctx.Done():
			return err
		}
	}
}

// httpStatus is the HTTP status code go-git saw, or 0.
func httpStatus(err error) int {
	var herr *githttp.Err
	if errors.As(err, &herr) {
		return herr.StatusCode()
	}
	// go-git wraps unexpected statuses in an UnexpectedError without Unwrap.
	var unexpected *plumbing.UnexpectedError
	if errors.As(err, &unexpected) && errors.As(unexpected.Err, &herr) {
		return herr.StatusCode()
	}
	return 0
}

// transient reports whether a failure may go away by itself: server errors,
// rate limits, resets, truncated answers, refused or timed-out connections.
func transient(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || diskFull(err) {
		return false // our own timeout or cancellation, or our disk: nothing to wait out
	}
	if code := httpStatus(err); code != 0 {
		return code >= 500 || code == 429 || code == 408
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return !dnsErr.IsNotFound
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.EPIPE)
}

// remoteFailure maps a failed list or fetch to a status. hasToken tells a
// private repository seen without credentials (not-found, as GitHub answers
// for both) from credentials that were refused (auth-failed).
func remoteFailure(err error, hasToken bool) workspace.Status {
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return workspace.StatusTimeout
	case errors.Is(err, transport.ErrRepositoryNotFound), errors.Is(err, errBranchNotFound):
		return workspace.StatusNotFound
	case errors.Is(err, transport.ErrAuthenticationRequired):
		if hasToken {
			return workspace.StatusAuthFailed
		}
		return workspace.StatusNotFound
	case errors.Is(err, transport.ErrAuthorizationFailed):
		return workspace.StatusAuthFailed
	case errors.Is(err, transport.ErrEmptyRemoteRepository):
		return workspace.StatusEmptyRepo
	case httpStatus(err) == 410:
		return workspace.StatusNotFound
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		// A mistyped host and a resolver that cannot answer (no network)
		// look alike: handin could not reach the server, which is no fact
		// about what the group handed in (see unresolvedHost).
		return workspace.StatusNetworkError
	case transient(err):
		return workspace.StatusNetworkError
	}
	return workspace.StatusInternalError
}

// unresolvedHost explains a host name that does not resolve, for the
// group's page and the run's summary: what happened and what to do. ok is
// false for any other error.
func unresolvedHost(err error) (msg string, ok bool) {
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
		return "", false
	}
	return fmt.Sprintf("could not resolve the host %s (no such host): check the repository URL in groups.csv, or this machine's network", dnsErr.Name), true
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
