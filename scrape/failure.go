package scrape

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"syscall"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"

	"handin/workspace"
)

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
	var pathErr *fs.PathError
	if errors.Is(err, errEncodedAnswer) || errors.Is(err, errBranchName) || errors.As(err, &pathErr) {
		return false // the server's choice, or a file of the clone's: not the network
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
