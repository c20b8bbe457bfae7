package scrape

import (
	"slices"
	"strings"
	"testing"
	"time"

	"handin/workspace"
)

// chain builds a linear history c1 <- c2 <- ... dated by the given offsets
// from the deadline; it returns the history and the SHAs, oldest first.
func chain(h history, prefix string, parent string, offsets ...time.Duration) []string {
	var shas []string
	for i, off := range offsets {
		sha := prefix + string(rune('1'+i))
		var parents []string
		if parent != "" {
			parents = []string{parent}
		}
		h[sha] = workspace.Commit{SHA: sha, Parents: parents, CommitTime: testDeadline.Add(off)}
		shas = append(shas, sha)
		parent = sha
	}
	return shas
}

func TestPinCommit(t *testing.T) {
	h := history{}
	c := chain(h, "c", "", -3*time.Hour, -2*time.Hour, -time.Hour, time.Hour, 2*time.Hour) // c1..c5, c4 c5 late
	// A side branch merged after the deadline: m1 dated before it.
	side := chain(h, "s", c[2], -30*time.Minute)
	h["merge"] = workspace.Commit{SHA: "merge", Parents: []string{c[4], side[0]}, CommitTime: testDeadline.Add(3 * time.Hour)}
	// Rewritten history sharing no commit with c: what a force-push leaves.
	r := chain(h, "r", "", -5*time.Hour, -4*time.Hour)
	// Skewed clocks: a commit dated 3 minutes before its parent, another
	// dated 3 hours before its parent.
	k := chain(h, "k", "", -5*time.Hour, -4*time.Hour, -4*time.Hour-3*time.Minute)
	b := chain(h, "b", k[2], -7*time.Hour)
	late := chain(h, "l", "", time.Minute)

	observe := func(tip string, off time.Duration) *workspace.Observation {
		return &workspace.Observation{TipSHA: tip, Time: testDeadline.Add(off)}
	}
	for _, tc := range []struct {
		name     string
		tip      string
		observed *workspace.Observation
		want     workspace.Pin
		commits  int      // reachable from the pinned commit
		notes    []string // each is in one note
	}{
		{name: "by committer date", tip: c[4],
			want: workspace.Pin{SHA: c[2], By: workspace.PinnedByCommitterDate, LateCommits: 2}, commits: 3},
		{name: "a late merge of a commit dated before the deadline", tip: "merge",
			want: workspace.Pin{SHA: c[2], By: workspace.PinnedByCommitterDate, LateCommits: 3}, commits: 3},
		{name: "observed before the deadline, nothing since", tip: c[2], observed: observe(c[2], -time.Minute),
			want: workspace.Pin{SHA: c[2], By: workspace.PinnedByObservation, LateCommits: 0}, commits: 3},
		{name: "observed an earlier tip: later commits dated before are backdated", tip: c[4], observed: observe(c[1], -90*time.Minute),
			want:    workspace.Pin{SHA: c[1], By: workspace.PinnedByObservation, DateBasedSHA: c[2], LateCommits: 3, Backdated: true},
			commits: 2, notes: []string{"backdated"}},
		{name: "observed a tip dated after the deadline (clock ahead)", tip: c[4], observed: observe(c[3], -time.Minute),
			want:    workspace.Pin{SHA: c[3], By: workspace.PinnedByObservation, DateBasedSHA: c[2], LateCommits: 1},
			commits: 4, notes: []string{"clock ahead"}},
		{name: "observed an empty branch", tip: c[4], observed: observe("", -time.Hour),
			want: workspace.Pin{By: workspace.PinnedByObservation, DateBasedSHA: c[2], LateCommits: 5, Backdated: true}, notes: []string{"backdated"}},
		{name: "observed tip missing from the clone", tip: c[4], observed: observe("gone", -time.Hour),
			want: workspace.Pin{SHA: c[2], By: workspace.PinnedByCommitterDate, LateCommits: 2}, commits: 3, notes: []string{"missing from the clone"}},
		{name: "force-push after the deadline", tip: r[1], observed: observe(c[2], -time.Minute),
			want:    workspace.Pin{SHA: c[2], By: workspace.PinnedByObservation, DateBasedSHA: r[1], LateCommits: 2, Backdated: true},
			commits: 3, notes: []string{"backdated", "rewritten"}},
		{name: "nothing before the deadline", tip: late[0],
			want: workspace.Pin{By: workspace.PinnedByCommitterDate, LateCommits: 1}},
		{name: "laptop clocks minutes apart are not out of order", tip: k[2],
			want: workspace.Pin{SHA: k[2], By: workspace.PinnedByCommitterDate}, commits: 3},
		{name: "history dated back by hours is out of order", tip: b[0],
			want: workspace.Pin{SHA: b[0], By: workspace.PinnedByCommitterDate, OutOfOrder: true}, commits: 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, commits := pinCommit(h, tc.tip, testDeadline, tc.observed)
			if tc.want.SHA != "" {
				tc.want.Time = h[tc.want.SHA].CommitTime
			}
			if tc.observed != nil && tc.want.By == workspace.PinnedByObservation {
				tc.want.ObservedAt = tc.observed.Time
			}
			notes := got.Notes
			got.Notes = nil
			if !pinsEqual(got, tc.want) {
				t.Errorf("pin\n got %+v\nwant %+v", got, tc.want)
			}
			if len(commits) != tc.commits {
				t.Errorf("%d commits reachable from the pin, want %d", len(commits), tc.commits)
			}
			if !slices.IsSortedFunc(commits, func(a, b workspace.Commit) int { return b.CommitTime.Compare(a.CommitTime) }) {
				t.Errorf("commits not newest first: %v", commits)
			}
			if len(notes) != len(tc.notes) {
				t.Errorf("notes %q, want %d", notes, len(tc.notes))
			}
			for _, want := range tc.notes {
				if !slices.ContainsFunc(notes, func(n string) bool { return strings.Contains(n, want) }) {
					t.Errorf("no note saying %q in %q", want, notes)
				}
			}
		})
	}
}

func pinsEqual(a, b workspace.Pin) bool {
	return a.SHA == b.SHA && a.Time.Equal(b.Time) && a.By == b.By && a.ObservedAt.Equal(b.ObservedAt) &&
		a.DateBasedSHA == b.DateBasedSHA && a.LateCommits == b.LateCommits && a.Backdated == b.Backdated && a.OutOfOrder == b.OutOfOrder
}
