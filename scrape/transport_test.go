package scrape

import (
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"

	"handin/scrape/gittest"
	"handin/scrape/packstore"
	"handin/workspace"
)

// go-git keeps one table of transports for the whole process: a scrape
// installs its own under schemes of its own and leaves go-git's http and
// https transports as they were.
func TestRunLeavesGoGitTransportsAlone(t *testing.T) {
	c := newCourse(t)
	c.repo("plain.git")
	c.commit("plain.git", "main", reportCommit(alice, at(-time.Hour), "report"))
	if o := outcomeOf(t, mustRun(t, testOptions(t, c.group(1, "plain.git"))), 1); o.Status != workspace.StatusOK {
		t.Fatalf("status %s (%s)", o.Status, o.Error)
	}
	for _, scheme := range []string{"http", "https"} {
		if client.Protocols[scheme] != githttp.DefaultClient {
			t.Errorf("go-git's %s transport was replaced", scheme)
		}
	}
}

// A server answering a 404 with 1.5 GiB, listing branches forever,
// dripping a byte at a time, answering a fetch gzip-encoded (gigabytes
// once inflated) or with a delta chain git never sends costs each group a
// few KiB and at most its timeout, and leaves one short line in its
// message.
func TestRunAgainstHostileServer(t *testing.T) {
	hostile := gittest.NewHostile()
	defer hostile.Close()
	var deep gittest.Pack
	deep.Chain(plumbing.CommitObject, 300<<10, packstore.MaxStreamedDeltaDepth+1)
	hostile.ServePack("deltachain.git", strings.Repeat("2", 40), deep.Bytes())
	group := func(n int, name string) Group {
		u := hostile.RepoURL(name)
		return Group{Number: n, RawURL: u, URL: u}
	}
	// The two large answers end by their limits, well within a long
	// timeout; the drip by a short one.
	for _, tc := range []struct {
		group   Group
		timeout time.Duration
		status  workspace.Status
		says    string
	}{
		{group(1, "huge404.git"), time.Minute, workspace.StatusNotFound, gittest.HugeBodyMarker},
		{group(2, "endless.git"), time.Minute, workspace.StatusInternalError, "list of branches and tags over 16.0 MiB"},
		{group(3, "drip.git"), 2 * time.Second, workspace.StatusTimeout, "gave up after 2s"},
		{group(4, "gzip.git"), time.Minute, workspace.StatusInternalError, "the server encoded its answer"},
		{group(5, "deltachain.git"), time.Minute, workspace.StatusInternalError, "a commit of 307200 bytes built from a chain of 51 deltas, over the 50 git sends"},
	} {
		opts := testOptions(t, tc.group)
		opts.Timeout = tc.timeout
		o := outcomeOf(t, mustRun(t, opts), tc.group.Number)
		if o.Status != tc.status || !strings.Contains(o.Error, tc.says) {
			t.Errorf("%s: %s %q, want %s saying %q", tc.group.URL, o.Status, o.Error, tc.status, tc.says)
		}
		if len(o.Error) > maxMessageBytes+len("…") || strings.ContainsAny(o.Error, "\n\r") {
			t.Errorf("%s: message of %d bytes, or on several lines: %q", tc.group.URL, len(o.Error), o.Error)
		}
		if limit := min(tc.timeout, 20*time.Second) + time.Second; o.Duration > limit {
			t.Errorf("%s took %s, over %s", tc.group.URL, o.Duration, limit)
		}
	}
}
