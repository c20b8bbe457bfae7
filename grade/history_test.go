package grade

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"handin/workspace"
)

// chain is a linear history on top of parent ("" for a new root): one
// commit per name, an hour apart from start, newest first as in a snapshot.
func chain(parent string, start time.Time, names ...string) []workspace.Commit {
	var out []workspace.Commit
	for i, name := range names {
		c := workspace.Commit{SHA: fmt.Sprintf("%040x", []byte(name)), AuthorName: "A", AuthorEmail: "a@example.org",
			CommitTime: start.Add(time.Duration(i) * time.Hour), Message: name}
		c.AuthorTime = c.CommitTime
		if parent != "" {
			c.Parents = []string{parent}
		}
		parent = c.SHA
		out = append([]workspace.Commit{c}, out...)
	}
	return out
}

func sha(name string) string { return fmt.Sprintf("%040x", []byte(name)) }

// historyCourse: group 2 forked group 1 after its second commit, groups 3
// and 4 share only their first commit, group 5 shares nothing.
func historyCourse(t *testing.T) *workspace.Workspace {
	t.Helper()
	day := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	g1 := chain("", day, "a1", "a2", "a3")
	g2 := slices.Concat(chain(sha("a2"), day.Add(24*time.Hour), "b3", "b4"), g1[1:])
	g3 := chain("", day, "r", "x1")
	g4 := slices.Concat(chain(sha("r"), day.Add(48*time.Hour), "y1", "y2"), g3[1:])
	g5 := chain("", day, "solo")
	ws := testWorkspace(t)
	for g, commits := range map[int][]workspace.Commit{1: g1, 2: g2, 3: g3, 4: g4, 5: g5} {
		saveSnapshot(t, ws, &workspace.Snapshot{Group: g, Status: workspace.StatusOK, Commits: commits},
			map[string]string{"reports/README.md": reportText(1, 2, 3, 4)})
	}
	return ws
}

func sharedGroups(r *GroupResult) []string {
	var out []string
	for _, f := range findingsOf(r, KindSharedHistory) {
		out = append(out, f.Message)
	}
	return out
}

// Two groups whose repositories share history are told so, both of them:
// a fork shares every commit up to where it parted, two repositories
// started from one first commit share that commit.
func TestSharedHistoryAcrossGroups(t *testing.T) {
	ws := historyCourse(t)
	results, errs := runAll(context.Background(), ws, Options{Spec: loadSpec(t)})
	if len(errs) > 0 || len(results) != 5 {
		t.Fatalf("%d results, errors %v", len(results), errs)
	}
	forkedAt := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	rootAt := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	want := map[int]struct {
		shared   []SharedHistory
		messages []string
	}{
		1: {[]SharedHistory{{Group: 2, Commits: 2, SameRoot: true, Newest: sha("a2"), NewestTime: forkedAt}},
			[]string{"shares git history with group 2: 2 commits in common, from the same first commit, the newest " + sha("a2")[:12] + " of 2026-01-05"}},
		2: {[]SharedHistory{{Group: 1, Commits: 2, SameRoot: true, Newest: sha("a2"), NewestTime: forkedAt}},
			[]string{"shares git history with group 1: 2 commits in common, from the same first commit, the newest " + sha("a2")[:12] + " of 2026-01-05"}},
		3: {[]SharedHistory{{Group: 4, Commits: 1, SameRoot: true, Newest: sha("r"), NewestTime: rootAt}},
			[]string{"shares git history with group 4: the same first commit " + sha("r")[:12] + " of 2026-01-05, nothing after it"}},
		4: {[]SharedHistory{{Group: 3, Commits: 1, SameRoot: true, Newest: sha("r"), NewestTime: rootAt}},
			[]string{"shares git history with group 3: the same first commit " + sha("r")[:12] + " of 2026-01-05, nothing after it"}},
		5: {},
	}
	for _, r := range results {
		w := want[r.Group]
		if !slices.EqualFunc(r.SharedHistory, w.shared, SharedHistory.equal) || !slices.Equal(sharedGroups(r), w.messages) {
			t.Errorf("group %d: shared %+v, findings %q; want %+v, %q", r.Group, r.SharedHistory, sharedGroups(r), w.shared, w.messages)
		}
		for _, f := range findingsOf(r, KindSharedHistory) {
			if f.Level != LevelCheck {
				t.Errorf("group %d: shared history at %s; it is for the instructor to check", r.Group, f.Level)
			}
		}
		loaded, err := LoadResult(ws, r.Group)
		if err != nil || !slices.EqualFunc(loaded.SharedHistory, w.shared, SharedHistory.equal) {
			t.Errorf("group %d: saved shared history %+v (%v), want %+v", r.Group, loaded.SharedHistory, err, w.shared)
		}
	}
}

// Grading one group compares it with every group of the workspace, and
// updates the saved results of the groups whose shared history changed, so
// that re-rendering their pages alone tells them too.
func TestSharedHistoryWhenGradingOneGroup(t *testing.T) {
	ws := historyCourse(t)
	opts := Options{Spec: loadSpec(t)}
	if _, errs := runAll(context.Background(), ws, opts); len(errs) > 0 {
		t.Fatal(errs)
	}
	full := map[int][]byte{}
	for _, g := range []int{1, 2, 5} {
		data, err := os.ReadFile(ws.ResultPath(g))
		if err != nil {
			t.Fatal(err)
		}
		full[g] = data
	}

	// Regrading group 2 alone writes what the full run wrote.
	opts.Only = []int{2}
	if results, errs := runAll(context.Background(), ws, opts); len(errs) > 0 || len(results) != 1 {
		t.Fatalf("only group 2: %d results, errors %v", len(results), errs)
	}
	for g, want := range full {
		if got, err := os.ReadFile(ws.ResultPath(g)); err != nil || !bytes.Equal(got, want) {
			t.Errorf("group %d: result changed by regrading group 2 alone (err %v)", g, err)
		}
	}

	// Group 4 starts its repository anew, group 5 copies group 1's: after
	// regrading 4 and 5, group 3 no longer shares history, group 1 shares
	// with 2 and 5.
	s4, err := ws.LoadSnapshot(4)
	if err != nil {
		t.Fatal(err)
	}
	s4.Commits = chain("", time.Date(2026, 1, 8, 9, 0, 0, 0, time.UTC), "new-root")
	s5, err := ws.LoadSnapshot(5)
	if err != nil {
		t.Fatal(err)
	}
	s1, err := ws.LoadSnapshot(1)
	if err != nil {
		t.Fatal(err)
	}
	s5.Commits = s1.Commits
	for _, s := range []*workspace.Snapshot{s4, s5} {
		if err := ws.UpdateSnapshot(s); err != nil {
			t.Fatal(err)
		}
	}
	opts.Only = []int{4, 5}
	if _, errs := runAll(context.Background(), ws, opts); len(errs) > 0 {
		t.Fatal(errs)
	}
	for g, want := range map[int][]int{1: {2, 5}, 2: {1, 5}, 3: nil, 4: nil, 5: {1, 2}} {
		r, err := LoadResult(ws, g)
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for _, h := range r.SharedHistory {
			got = append(got, h.Group)
		}
		if !slices.Equal(got, want) || len(findingsOf(r, KindSharedHistory)) != len(want) {
			t.Errorf("group %d after regrading 4 and 5: shares with %v (findings %q), want %v", g, got, sharedGroups(r), want)
		}
	}
}
