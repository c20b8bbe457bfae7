package scrape

import (
	"slices"
	"strings"
	"testing"
	"time"

	"handin/workspace"
)

// chain builds a linear history c1 <- c2 <- ... dated by the given offsets
// from the deadline; it returns the SHAs, oldest first.
func chain(h history, prefix string, parent string, offsets ...time.Duration) []string {
	var shas []string
	for i, off := range offsets {
		sha := prefix + string(rune('1'+i))
		var parents []string
		if parent != "" {
			parents = []string{parent}
		}
		h[sha] = workspace.Commit{SHA: sha, Parents: parents, CommitTime: testDeadline.Add(off), Message: "work " + sha + "\n\nbody"}
		shas = append(shas, sha)
		parent = sha
	}
	return shas
}

// seen is a sighting of the evidence log; pushed one of the push log.
func seen(tip string, off time.Duration) workspace.Evidence {
	return workspace.Evidence{Source: workspace.SourceEvidenceLog, Time: testDeadline.Add(off), TipSHA: tip}
}

func pushed(before, tip string, off time.Duration) workspace.Evidence {
	return workspace.Evidence{Source: workspace.SourcePushLog, Time: testDeadline.Add(off), TipSHA: tip, Before: before, Push: "push"}
}

func atDeadline(tip string) workspace.Evidence {
	return workspace.Evidence{Source: workspace.SourcePushLog, Time: testDeadline, TipSHA: tip, Push: workspace.PushAtDeadline}
}

func TestPinCommit(t *testing.T) {
	h := history{}
	c := chain(h, "c", "", -3*time.Hour, -2*time.Hour, -time.Hour, time.Hour, 2*time.Hour) // c1..c5: c4, c5 dated after
	// A side branch merged after the deadline: s1 dated before it.
	side := chain(h, "s", c[2], -30*time.Minute)
	h["merge"] = workspace.Commit{SHA: "merge", Parents: []string{c[4], side[0]}, CommitTime: testDeadline.Add(3 * time.Hour)}
	// A commit dated before the deadline on top of c3 (a last-minute push,
	// or a backdated one: only the sightings tell which).
	b := chain(h, "b", c[2], -3*time.Minute)
	// Dated before the deadline on top of c5: pushed after c5 was seen.
	x := chain(h, "x", c[4], -10*time.Minute)
	// Rewritten history sharing no commit with c: what a force-push leaves.
	r := chain(h, "r", "", -5*time.Hour, -4*time.Hour)
	// Skewed clocks: a commit dated 3 minutes before its parent; then one
	// dated 3 hours before its parent.
	k := chain(h, "k", "", -5*time.Hour, -4*time.Hour, -4*time.Hour-3*time.Minute)
	kb := chain(h, "kb", k[2], -7*time.Hour)
	late := chain(h, "l", "", time.Minute)

	type want struct {
		sha, by     string
		late        []string // SHAs of the late commits, newest first
		backdated   []string // those flagged backdated
		dateBased   string
		notOnBranch bool
		outOfOrder  bool
		evidence    []string // role/source of each piece of evidence, oldest first
		notes       []string // each is in one note
	}
	const (
		byDate = string(workspace.PinnedByCommitterDate)
		byObs  = string(workspace.PinnedByObservation)
		byPush = string(workspace.PinnedByPushLog)
	)
	for _, tc := range []struct {
		name      string
		tip       string
		sightings []workspace.Evidence
		want      want
	}{
		{name: "no sightings: committer dates", tip: c[4],
			want: want{sha: c[2], by: byDate, late: []string{c[4], c[3]}}},
		{name: "no sightings: a late merge of a commit dated before the deadline is late, not backdated", tip: "merge",
			want: want{sha: c[2], by: byDate, late: []string{"merge", c[4], c[3], side[0]}}},
		{name: "no sightings: nothing dated before the deadline", tip: late[0],
			want: want{by: byDate, late: []string{late[0]}}},
		{name: "only before: the tip seen counts, later pushes dated after are late", tip: c[4],
			sightings: []workspace.Evidence{seen(c[1], -2*time.Hour), seen(c[2], -time.Minute)},
			want:      want{sha: c[2], by: byObs, late: []string{c[4], c[3]}, evidence: []string{"on-time/evidence-log"}}},
		{name: "only after: committer dates below the tip it saw", tip: c[3],
			sightings: []workspace.Evidence{seen(c[3], 30*time.Minute)},
			want:      want{sha: c[2], by: byDate, late: []string{c[3]}, evidence: []string{"bound/evidence-log"}}},
		{name: "only after: a commit dated before the deadline pushed after it is backdated", tip: x[0],
			sightings: []workspace.Evidence{seen(c[4], 30*time.Minute), seen(x[0], time.Hour)},
			want: want{sha: c[2], by: byDate, late: []string{c[4], c[3], x[0]}, backdated: []string{x[0]}, dateBased: x[0], outOfOrder: true,
				evidence: []string{"bound/evidence-log"}}},
		{name: "an honest push in the gap between a sighting before and one after counts", tip: b[0],
			sightings: []workspace.Evidence{seen(c[2], -10*time.Minute), seen(b[0], time.Minute)},
			want:      want{sha: b[0], by: byDate, evidence: []string{"on-time/evidence-log", "bound/evidence-log"}}},
		{name: "a commit dated before the deadline pushed after the first sighting after it is backdated", tip: b[0],
			sightings: []workspace.Evidence{seen(c[2], -10*time.Minute), seen(c[2], time.Minute), seen(b[0], time.Hour)},
			want: want{sha: c[2], by: byObs, late: []string{b[0]}, backdated: []string{b[0]}, dateBased: b[0],
				evidence: []string{"on-time/evidence-log", "bound/evidence-log"}}},
		{name: "clock ahead: a tip dated after the deadline seen before it counts", tip: c[4],
			sightings: []workspace.Evidence{seen(c[3], -time.Minute), seen(c[4], time.Hour)},
			want: want{sha: c[3], by: byObs, late: []string{c[4]}, dateBased: c[2],
				evidence: []string{"on-time/evidence-log", "bound/evidence-log"}}},
		{name: "force-push after the deadline: the commit seen stays pinned", tip: r[1],
			sightings: []workspace.Evidence{seen(c[2], -time.Minute), seen(c[2], 30*time.Minute), seen(r[1], time.Hour)},
			want: want{sha: c[2], by: byObs, late: []string{r[1], r[0]}, backdated: []string{r[1], r[0]}, dateBased: r[1], notOnBranch: true,
				evidence: []string{"on-time/evidence-log", "bound/evidence-log"}}},
		{name: "force-push in the gap: the rewritten branch gets the benefit of the doubt", tip: r[1],
			sightings: []workspace.Evidence{seen(c[2], -time.Hour), seen(r[1], time.Hour)},
			want:      want{sha: r[1], by: byDate, evidence: []string{"on-time/evidence-log", "bound/evidence-log"}}},
		{name: "an empty branch seen before the deadline: pushes in the gap count", tip: c[2],
			sightings: []workspace.Evidence{seen("", -time.Hour), seen(c[2], time.Hour)},
			want:      want{sha: c[2], by: byDate, evidence: []string{"on-time/evidence-log", "bound/evidence-log"}}},
		{name: "an empty branch at the deadline by the push log: nothing handed in", tip: c[2],
			sightings: []workspace.Evidence{atDeadline(""), pushed("", c[2], time.Hour)},
			want: want{by: byDate, late: []string{c[2], c[1], c[0]}, backdated: []string{c[2], c[1], c[0]}, dateBased: c[2],
				evidence: []string{"on-time/push-log", "bound/push-log"}}},
		{name: "an observed tip missing from the clone is not used", tip: c[4],
			sightings: []workspace.Evidence{seen("gone", -time.Hour)},
			want:      want{sha: c[2], by: byDate, late: []string{c[4], c[3]}, notes: []string{"clone does not hold"}}},
		{name: "push log: the tip at the deadline counts, a commit dated before it in the first push after is backdated", tip: b[0],
			sightings: []workspace.Evidence{pushed("", c[1], -3*time.Hour), pushed(c[1], c[2], -time.Hour), atDeadline(c[2]), pushed(c[2], b[0], time.Hour)},
			want: want{sha: c[2], by: byPush, late: []string{b[0]}, backdated: []string{b[0]}, dateBased: b[0],
				evidence: []string{"on-time/push-log", "bound/push-log"}}},
		{name: "push log disagrees with the evidence log: the tip seen before the deadline counts", tip: b[0],
			sightings: []workspace.Evidence{pushed("", c[2], -3*time.Hour), seen(b[0], -30*time.Second), atDeadline(c[2]), pushed(c[2], b[0], 10*time.Second)},
			want: want{sha: b[0], by: byObs, evidence: []string{"on-time/evidence-log", "bound/push-log"},
				notes: []string{"disagree"}}},
		{name: "push log explains the evidence log: a reset before the deadline stands", tip: c[1],
			sightings: []workspace.Evidence{pushed(c[1], c[2], -40*time.Minute), seen(c[2], -30*time.Minute),
				{Source: workspace.SourcePushLog, Time: testDeadline.Add(-20 * time.Minute), TipSHA: c[1], Before: c[2], Push: "force_push"},
				atDeadline(c[1]), seen(c[1], time.Hour)},
			want: want{sha: c[1], by: byPush, evidence: []string{"on-time/push-log", "bound/evidence-log"}}},
		{name: "laptop clocks minutes apart are not out of order", tip: k[2],
			want: want{sha: k[2], by: byDate}},
		{name: "history dated back by hours is out of order, not backdated", tip: kb[0],
			want: want{sha: kb[0], by: byDate, outOfOrder: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, commits := pinCommit(h, tc.tip, testDeadline, tc.sightings)
			var lateSHAs, backdated []string
			for _, c := range got.Late {
				lateSHAs = append(lateSHAs, c.SHA)
				if c.Backdated {
					backdated = append(backdated, c.SHA)
				}
			}
			var evidence []string
			for _, e := range got.Evidence {
				evidence = append(evidence, string(e.Role)+"/"+string(e.Source))
			}
			w := tc.want
			if got.SHA != w.sha || string(got.By) != w.by || got.DateBasedSHA != w.dateBased ||
				got.NotOnBranch != w.notOnBranch || got.OutOfOrder != w.outOfOrder {
				t.Errorf("pinned %q by %s, date-based %q, not on branch %v, out of order %v; want %q by %s, %q, %v, %v",
					got.SHA, got.By, got.DateBasedSHA, got.NotOnBranch, got.OutOfOrder, w.sha, w.by, w.dateBased, w.notOnBranch, w.outOfOrder)
			}
			if !slices.Equal(lateSHAs, w.late) || got.LateCommits != len(w.late) {
				t.Errorf("late %v (%d), want %v", lateSHAs, got.LateCommits, w.late)
			}
			if !slices.Equal(backdated, w.backdated) || got.Backdated != (len(w.backdated) > 0) {
				t.Errorf("backdated %v (%v), want %v", backdated, got.Backdated, w.backdated)
			}
			if !slices.Equal(evidence, w.evidence) {
				t.Errorf("evidence %v, want %v", evidence, w.evidence)
			}
			if len(got.Notes) != len(w.notes) {
				t.Errorf("notes %q, want %d", got.Notes, len(w.notes))
			}
			for _, want := range w.notes {
				if !slices.ContainsFunc(got.Notes, func(n string) bool { return strings.Contains(n, want) }) {
					t.Errorf("no note saying %q in %q", want, got.Notes)
				}
			}
			if w.sha != "" && !got.Time.Equal(h[w.sha].CommitTime) {
				t.Errorf("pin time %v, want %v", got.Time, h[w.sha].CommitTime)
			}
			if pinned := h.reachSet(w.sha); len(commits) != len(pinned) {
				t.Errorf("%d commits reachable from the pin, want %d", len(commits), len(pinned))
			}
			if !slices.IsSortedFunc(commits, func(a, b workspace.Commit) int { return b.CommitTime.Compare(a.CommitTime) }) {
				t.Errorf("commits not newest first: %v", commits)
			}
		})
	}
}

func TestPinCommitLateCommitDetails(t *testing.T) {
	h := history{}
	c := chain(h, "c", "", -time.Hour, time.Hour, 2*time.Hour)
	got, _ := pinCommit(h, c[2], testDeadline, []workspace.Evidence{
		seen(c[0], -time.Minute), seen(c[1], 90*time.Minute), pushed(c[1], c[2], 150*time.Minute),
	})
	if len(got.Late) != 2 {
		t.Fatalf("late %+v", got.Late)
	}
	newest, older := got.Late[0], got.Late[1]
	if newest.Subject != "work c3" || !newest.CommitTime.Equal(testDeadline.Add(2*time.Hour)) {
		t.Errorf("newest late commit %+v", newest)
	}
	// Each late commit says when a sighting first had it on the branch.
	if !older.SeenAt.Equal(testDeadline.Add(90*time.Minute)) || older.SeenBy != workspace.SourceEvidenceLog ||
		!newest.SeenAt.Equal(testDeadline.Add(150*time.Minute)) || newest.SeenBy != workspace.SourcePushLog {
		t.Errorf("first seen: %v by %s, %v by %s", older.SeenAt, older.SeenBy, newest.SeenAt, newest.SeenBy)
	}

	// Weeks of work after the deadline: the count is exact, the list bounded.
	offsets := make([]time.Duration, workspace.MaxLateListed+5)
	for i := range offsets {
		offsets[i] = time.Duration(i+1) * time.Hour
	}
	long := chain(h, "w", c[0], offsets...)
	got, _ = pinCommit(h, long[len(long)-1], testDeadline, nil)
	if got.LateCommits != len(offsets) || len(got.Late) != workspace.MaxLateListed || got.Late[0].SHA != long[len(long)-1] {
		t.Errorf("%d late commits, %d listed, newest %s", got.LateCommits, len(got.Late), got.Late[0].SHA)
	}
}
