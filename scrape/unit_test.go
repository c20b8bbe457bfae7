package scrape

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Copenhagen on machines without tzdata

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"

	"handin/scrape/gittest"
)

func TestParseDeadline(t *testing.T) {
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in, tz string
		want   time.Time
	}{
		{"2026-01-23T23:59:59+01:00", "", time.Date(2026, 1, 23, 22, 59, 59, 0, time.UTC)},
		{"2026-01-23T22:59:59Z", "Europe/Copenhagen", time.Date(2026, 1, 23, 22, 59, 59, 0, time.UTC)},
		{"2026-01-23T23:59:59", "Europe/Copenhagen", time.Date(2026, 1, 23, 23, 59, 59, 0, cph)},
		{" 2026-06-23 23:59 ", "Europe/Copenhagen", time.Date(2026, 6, 23, 21, 59, 0, 0, time.UTC)}, // summer time
	} {
		got, err := ParseDeadline(tc.in, tc.tz)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("ParseDeadline(%q, %q) = %v, %v; want %v", tc.in, tc.tz, got, err, tc.want)
		}
	}
	for _, tc := range []struct{ in, tz, wantErr string }{
		{"2026-01-23T23:59:59", "", "no UTC offset"},
		{"2026-01-23", "Europe/Copenhagen", "no time of day"},
		{"23/01/2026", "Europe/Copenhagen", "want RFC 3339"},
		{"2026-01-23T23:59", "Mars/Olympus", "time zone"},
		{"", "", "empty"},
	} {
		if _, err := ParseDeadline(tc.in, tc.tz); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("ParseDeadline(%q, %q) error %v, want one saying %q", tc.in, tc.tz, err, tc.wantErr)
		}
	}
}

func TestExportSelection(t *testing.T) {
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
		if got := exportPriority(p) >= 0; got != want {
			t.Errorf("export %q = %v, want %v", p, got, want)
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
		want      Status
		transient bool
	}{
		{wrap(transport.ErrRepositoryNotFound), false, StatusNotFound, false},
		{wrap(transport.ErrAuthenticationRequired), false, StatusNotFound, false},
		{wrap(transport.ErrAuthenticationRequired), true, StatusAuthFailed, false},
		{wrap(transport.ErrAuthorizationFailed), true, StatusAuthFailed, false},
		{wrap(transport.ErrEmptyRemoteRepository), false, StatusEmptyRepo, false},
		{wrap(errBranchNotFound), false, StatusNotFound, false},
		{wrap(io.ErrUnexpectedEOF), false, StatusNetworkError, true},
		{wrap(syscall.ECONNRESET), false, StatusNetworkError, true},
		{&net.DNSError{Err: "no such host", Name: "gihtub.com", IsNotFound: true}, false, StatusNotFound, false},
		{wrap(context.DeadlineExceeded), false, StatusTimeout, false},
		{errors.New("corrupt pack"), false, StatusInternalError, false},
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

func TestLastObservationBy(t *testing.T) {
	u, b := "https://h/r.git", "main"
	obs := []Observation{
		{Time: at(-2 * time.Hour), URL: u, Branch: b, TipSHA: "a"},
		{Time: at(-time.Hour), URL: u, Branch: "dev", TipSHA: "other-branch"},
		{Time: at(-30 * time.Minute), URL: "https://h/old.git", Branch: b, TipSHA: "other-url"},
		{Time: at(0), URL: u, Branch: b, TipSHA: "b"},
		{Time: at(time.Second), URL: u, Branch: b, TipSHA: "after"},
	}
	if got, ok := lastObservationBy(obs, u, b, testDeadline); !ok || got.TipSHA != "b" {
		t.Errorf("got %+v %v, want the observation made exactly at the deadline", got, ok)
	}
	if _, ok := lastObservationBy(obs, u, b, at(-3*time.Hour)); ok {
		t.Error("found an observation before any was made")
	}
	// groups.csv now names where the old URL redirected to.
	obs[2].MovedTo = u
	if got, ok := lastObservationBy(obs, u, b, at(-20*time.Minute)); !ok || got.TipSHA != "other-url" {
		t.Errorf("got %+v %v, want the observation of the URL that redirected here", got, ok)
	}
}

func TestNonMonotonicToleratesClockSkew(t *testing.T) {
	base := time.Date(2026, 1, 20, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name string
		back time.Duration // how far the last commit is dated before its parent
		want bool
	}{
		{"laptop clocks a few minutes apart", 3 * time.Minute, false},
		{"history dated back by hours", 3 * time.Hour, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			repo, err := gittest.NewRepo(dir)
			if err != nil {
				t.Fatal(err)
			}
			ann := gittest.Signature{Name: "Ann", Email: "s111111@dtu.dk"}
			var tip string
			for i, when := range []time.Time{base, base.Add(time.Hour), base.Add(time.Hour - tt.back)} {
				tip, err = repo.Commit("main", gittest.Commit{Message: fmt.Sprint("c", i), Author: ann, When: when,
					Files: map[string][]byte{"f.txt": []byte(fmt.Sprint(i))}})
				if err != nil {
					t.Fatal(err)
				}
			}
			r, err := git.PlainOpen(dir)
			if err != nil {
				t.Fatal(err)
			}
			p, err := pinDeadlineCommit(r, plumbing.NewHash(tip), base.Add(48*time.Hour), nil)
			if err != nil {
				t.Fatal(err)
			}
			if p.NonMonotonic != tt.want {
				t.Errorf("NonMonotonic = %v, want %v", p.NonMonotonic, tt.want)
			}
		})
	}
}
