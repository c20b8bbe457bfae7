package scrape

import (
	"strings"
	"testing"
	"time"

	"handin/scrape/gittest"
	"handin/workspace"
)

// A server answering a 404 with 1.5 GiB, listing branches forever or
// dripping a byte at a time costs each group a few KiB and at most its
// timeout, and leaves one short line in its message.
func TestRunAgainstHostileServer(t *testing.T) {
	hostile := gittest.NewHostile()
	defer hostile.Close()
	group := func(n int, name string) Group {
		u := hostile.RepoURL(name)
		return Group{Number: n, RawURL: u, URL: u}
	}
	opts := testOptions(t, group(1, "huge404.git"), group(2, "endless.git"), group(3, "drip.git"))
	opts.Timeout = 3 * time.Second
	started := time.Now()
	sum := mustRun(t, opts)
	took := time.Since(started)

	for _, tc := range []struct {
		group  int
		status workspace.Status
		says   string
	}{
		{1, workspace.StatusNotFound, gittest.HugeBodyMarker},
		{2, workspace.StatusInternalError, "list of branches and tags over 16.0 MiB"},
		{3, workspace.StatusTimeout, "gave up after 3s"},
	} {
		o := outcomeOf(t, sum, tc.group)
		if o.Status != tc.status || !strings.Contains(o.Error, tc.says) {
			t.Errorf("group %d: %s %q, want %s saying %q", tc.group, o.Status, o.Error, tc.status, tc.says)
		}
		if len(o.Error) > maxMessageBytes+len("…") || strings.ContainsAny(o.Error, "\n\r") {
			t.Errorf("group %d: message of %d bytes, or on several lines: %q", tc.group, len(o.Error), o.Error)
		}
		if o.Duration > opts.Timeout+2*time.Second {
			t.Errorf("group %d took %s, over its timeout of %s", tc.group, o.Duration, opts.Timeout)
		}
	}
	if took > opts.Timeout+5*time.Second {
		t.Errorf("the run took %s", took)
	}
}
