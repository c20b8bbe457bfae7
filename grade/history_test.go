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

// historyCourse: group 2 forked group 1 after its second commit (the same
// two students, a report with one answer changed), groups 3 and 4 share
// only their first commit (and hand in the same report), group 5 shares
// nothing.
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
		students, report := []string{fmt.Sprintf("s%d00001", g)}, reportText(1, 2, 3, 4)
		switch g {
		case 1, 2:
			students = []string{"s100001", "s100002"}
		}
		if g == 2 {
			report = reportText(1, 2, 3, 5)
		}
		saveSnapshot(t, ws, &workspace.Snapshot{Group: g, Status: workspace.StatusOK, Commits: commits, Students: students},
			map[string]string{"reports/README.md": report})
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

// Two groups whose repositories share history are told so, both of them,
// for the instructor to act on: a fork shares every commit up to where it
// parted, two repositories started from one first commit share that
// commit. Each is told which history began where, how far they go
// together, how alike the reports are and who the students are.
func TestSharedHistoryAcrossGroups(t *testing.T) {
	ws := historyCourse(t)
	results, errs := runAll(context.Background(), ws, Options{Spec: loadSpec(t)})
	if len(errs) > 0 || len(results) != 5 {
		t.Fatalf("%d results, errors %v", len(results), errs)
	}
	day := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	forkedAt := day.Add(time.Hour)
	a1 := FirstCommit{SHA: sha("a1"), Time: day, Author: "A"}
	r := FirstCommit{SHA: sha("r"), Time: day, Author: "A"}
	pair := []string{"s100001", "s100002"}
	// Group 2's report has two of the 20 lines of group 1's changed.
	fork := &ReportComparison{SameLines: 90}
	same := &ReportComparison{Same: true, SameLines: 100}
	want := map[int]struct {
		shared   []SharedHistory
		messages []string
	}{
		1: {[]SharedHistory{{Group: 2, Commits: 2, SameRoot: true, Newest: sha("a2"), NewestTime: forkedAt, Own: 1, OtherOwn: 2,
			First: a1, OtherFirst: a1, Students: pair, OtherStudents: pair, Reports: fork}},
			[]string{"shares git history with group 2: 2 commits in common, reports 90% the same lines, the same students"}},
		2: {[]SharedHistory{{Group: 1, Commits: 2, SameRoot: true, Newest: sha("a2"), NewestTime: forkedAt, Own: 2, OtherOwn: 1,
			First: a1, OtherFirst: a1, Students: pair, OtherStudents: pair, Reports: fork}},
			[]string{"shares git history with group 1: 2 commits in common, reports 90% the same lines, the same students"}},
		3: {[]SharedHistory{{Group: 4, Commits: 1, SameRoot: true, Newest: sha("r"), NewestTime: day, Own: 1, OtherOwn: 2,
			First: r, OtherFirst: r, Students: []string{"s300001"}, OtherStudents: []string{"s400001"}, Reports: same}},
			[]string{"shares git history with group 4: 1 commit in common, the same report"}},
		4: {[]SharedHistory{{Group: 3, Commits: 1, SameRoot: true, Newest: sha("r"), NewestTime: day, Own: 2, OtherOwn: 1,
			First: r, OtherFirst: r, Students: []string{"s400001"}, OtherStudents: []string{"s300001"}, Reports: same}},
			[]string{"shares git history with group 3: 1 commit in common, the same report"}},
		5: {},
	}
	for _, r := range results {
		w := want[r.Group]
		if !slices.EqualFunc(r.SharedHistory, w.shared, SharedHistory.equal) || !slices.Equal(sharedGroups(r), w.messages) {
			t.Errorf("group %d: shared %+v, findings %q; want %+v, %q", r.Group, r.SharedHistory, sharedGroups(r), w.shared, w.messages)
		}
		for _, f := range findingsOf(r, KindSharedHistory) {
			if f.Level != LevelAct || r.State != StateAct {
				t.Errorf("group %d: shared history at %s, state %s; want act", r.Group, f.Level, r.State)
			}
		}
		loaded, err := LoadResult(ws, r.Group)
		if err != nil || !slices.EqualFunc(loaded.SharedHistory, w.shared, SharedHistory.equal) {
			t.Errorf("group %d: saved shared history %+v (%v), want %+v", r.Group, loaded.SharedHistory, err, w.shared)
		}
	}
}

// The page's account of a shared history names the older one by its first
// commit, where the histories part and what each did after, the reports
// and both groups' students.
func TestSharedHistoryFacts(t *testing.T) {
	jan5, jan9 := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), time.Date(2026, 1, 9, 14, 30, 0, 0, time.UTC)
	h := SharedHistory{Group: 7, Commits: 12, Newest: sha("part"), NewestTime: jan9, Own: 4, OtherOwn: 1,
		First: FirstCommit{SHA: sha("mine"), Time: jan9, Author: "Ada"}, OtherFirst: FirstCommit{SHA: sha("theirs"), Time: jan5, Author: "Bo", PushedBy: "bo-gh"},
		Students: []string{"s1", "s2"}, OtherStudents: []string{"s2", "s3"}, Reports: &ReportComparison{SameLines: 41}}
	want := []string{
		"Older: group 7, first commit " + sha("theirs")[:12] + " of 2026-01-05 by Bo, pushed by bo-gh; group 3's " + sha("mine")[:12] + " of 2026-01-09 by Ada",
		"12 commits in common, to " + sha("part")[:12] + " of 2026-01-09 14:30 +00:00; after it group 3 has 4 commits of its own, group 7 1",
		"Reports at the deadline: different; 41% of the lines of the longer are in the other",
		"Students: group 3 s1, s2; group 7 s2, s3",
	}
	if got := h.Facts(3); !slices.Equal(got, want) {
		t.Errorf("facts\n%q\nwant\n%q", got, want)
	}
	if got, want := h.Brief(), "12 commits in common, reports 41% the same lines, 1 student in both"; got != want {
		t.Errorf("brief %q, want %q", got, want)
	}
	h.OtherFirst, h.Reports = h.First, &ReportComparison{Same: true, SameLines: 100}
	if got := h.Facts(3); got[0] != "Both start from the same first commit: "+sha("mine")[:12]+" of 2026-01-09 by Ada" ||
		got[2] != "Reports at the deadline: the same text, byte for byte" {
		t.Errorf("same first commit and report: %q", got)
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

// In a course where every group cloned the course's starter repository,
// the starter's commits are the course's start, not a shared history: only
// the fork among them is told, and of the commits beyond the start.
func TestSharedHistoryBeyondTheCourseStart(t *testing.T) {
	day := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	starter := chain("", day.Add(-24*time.Hour), "course-1", "course-2")
	var groups []lineage
	for g := 1; g <= 6; g++ {
		own := chain(sha("course-2"), day, fmt.Sprintf("g%d-1", g), fmt.Sprintf("g%d-2", g))
		if g == 2 { // a fork of group 1 after its first commit
			own = chain(sha("g1-1"), day.Add(time.Hour), "g2-own")
			own = append(own, chain(sha("course-2"), day, "g1-1")...)
		}
		commits := slices.Concat(own, starter)
		l := lineage{group: g, distinct: len(commits), first: firstCommit(commits)}
		for _, c := range commits {
			l.commits = append(l.commits, lineCommit{sha: c.SHA, root: len(c.Parents) == 0, time: c.CommitTime})
		}
		groups = append(groups, l)
	}
	shared := sharedHistories(groups)
	if len(shared) != 2 || len(shared[1]) != 1 || len(shared[2]) != 1 {
		t.Fatalf("shared %+v, want groups 1 and 2 only", shared)
	}
	if h := shared[2][0]; h.Group != 1 || h.Commits != 1 || h.SameRoot || h.Newest != sha("g1-1") || h.Own != 1 || h.OtherOwn != 1 {
		t.Errorf("group 2 shares %+v, want group 1's first own commit only", h)
	}
	// Five groups are too few to tell a course's start from a few groups
	// alike: there every pair shares the starter.
	if shared := sharedHistories(groups[1:]); len(shared) != 5 || len(shared[3]) != 4 {
		t.Errorf("a course of five: %d groups share, group 3 with %d", len(shared), len(shared[3]))
	}
}
