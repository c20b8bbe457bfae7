package scrape

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing/transport"

	"handin/workspace"
)

func TestCopySelection(t *testing.T) {
	for p, want := range map[string]bool{
		"reports/README.md":        true,
		"reports/notes.txt":        true,
		"reports/figures/a.JPEG":   true,
		"docs/readme.MD":           true,
		"figures/loss.webp":        true,
		"src/train.py":             false,
		"README.txt":               false,
		"data/images.png.gz":       false,
		"myreports/README.md":      true, // a README anywhere
		"myreports/notes.txt":      false,
		"reportsREADME.md/foo.txt": false,
	} {
		if got := copyPriority(p) >= 0; got != want {
			t.Errorf("copy %q = %v, want %v", p, got, want)
		}
	}
	for p, want := range map[string]bool{
		"reports/README.md": true,
		"../etc/passwd":     false,
		"reports/../../x":   false,
		"/etc/passwd":       false,
		"reports//x.png":    false,
		`reports\..\x.png`:  false,
		"a/./b.png":         false,
		"nul\x00.png":       false,
		"":                  false,
	} {
		if got := safeRepoPath(p); got != want {
			t.Errorf("safeRepoPath(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestRemoteFailureStatus(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("fetch: %w", err) }
	for _, tc := range []struct {
		err       error
		token     bool
		want      workspace.Status
		transient bool
	}{
		{wrap(transport.ErrRepositoryNotFound), false, workspace.StatusNotFound, false},
		{wrap(transport.ErrAuthenticationRequired), false, workspace.StatusNotFound, false},
		{wrap(transport.ErrAuthenticationRequired), true, workspace.StatusAuthFailed, false},
		{wrap(transport.ErrAuthorizationFailed), true, workspace.StatusAuthFailed, false},
		{wrap(transport.ErrEmptyRemoteRepository), false, workspace.StatusEmptyRepo, false},
		{wrap(errBranchNotFound), false, workspace.StatusNotFound, false},
		{wrap(io.ErrUnexpectedEOF), false, workspace.StatusNetworkError, true},
		{wrap(syscall.ECONNRESET), false, workspace.StatusNetworkError, true},
		{&net.DNSError{Err: "no such host", Name: "gihtub.com", IsNotFound: true}, false, workspace.StatusNotFound, false},
		{wrap(context.DeadlineExceeded), false, workspace.StatusTimeout, false},
		{errors.New("corrupt pack"), false, workspace.StatusInternalError, false},
	} {
		if got := remoteFailure(tc.err, tc.token); got != tc.want {
			t.Errorf("remoteFailure(%v, token %v) = %s, want %s", tc.err, tc.token, got, tc.want)
		}
		if got := transient(tc.err); got != tc.transient {
			t.Errorf("transient(%v) = %v, want %v", tc.err, got, tc.transient)
		}
	}
}

func TestTokenAuthHosts(t *testing.T) {
	hosts := []string{"github.com", "127.0.0.1:8080"}
	for u, want := range map[string]bool{
		"https://github.com/o/r.git":    true,
		"https://GitHub.com/o/r.git":    true,
		"https://evil.example/o/r.git":  false,
		"https://github.com.evil/o/r":   false,
		"http://127.0.0.1:8080/g1.git":  true,
		"http://127.0.0.1:9999/g1.git":  false,
		"ssh://github.com/o/r.git":      false,
		"https://x@evil.example/github": false,
	} {
		if got := tokenAuth(u, "tok", hosts) != nil; got != want {
			t.Errorf("token sent to %s = %v, want %v", u, got, want)
		}
	}
	if tokenAuth("https://github.com/o/r", "", hosts) != nil {
		t.Error("empty token sent")
	}
}

func TestLogSightings(t *testing.T) {
	u, b := "https://h/r.git", "main"
	obs := []workspace.Observation{
		{Time: at(-2 * time.Hour), URL: u, Branch: b, TipSHA: "a"},
		{Time: at(-time.Hour), URL: u, Branch: "dev", TipSHA: "other-branch"},
		{Time: at(-30 * time.Minute), URL: "https://h/old.git", Branch: b, TipSHA: "other-url"},
		{Time: at(time.Second), URL: u, Branch: b, TipSHA: ""},
	}
	tips := func(sightings []workspace.Evidence) (out []string) {
		for _, s := range sightings {
			if s.Source != workspace.SourceEvidenceLog {
				t.Errorf("sighting from %s", s.Source)
			}
			out = append(out, s.TipSHA)
		}
		return out
	}
	if got := tips(logSightings(obs, u, b)); !slices.Equal(got, []string{"a", ""}) {
		t.Errorf("sightings of %s %s: %q", u, b, got)
	}
	// groups.csv now names where the old URL redirected to.
	obs[2].MovedTo = u
	if got := tips(logSightings(obs, u, b)); !slices.Equal(got, []string{"a", "other-url", ""}) {
		t.Errorf("sightings with the redirect: %q, want the observation of the URL that redirected here too", got)
	}
}
