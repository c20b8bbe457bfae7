package grade

import (
	"context"
	"slices"
	"testing"
	"time"

	"handin/workspace"
)

// rosterCourse: four groups; groups.csv lists s1 on the rows of groups 1
// and 2, one repository on the rows of groups 1 and 3, s4 on group 3's
// row and on a row without a group number, and group 4 twice (the scrape
// refuses the second row as a duplicate number).
func rosterCourse(t *testing.T) *workspace.Workspace {
	t.Helper()
	ws := testWorkspace(t)
	day := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for g := 1; g <= 4; g++ {
		saveSnapshot(t, ws, &workspace.Snapshot{Group: g, Status: workspace.StatusOK, Commits: chain("", day, string(rune('a'+g)))},
			map[string]string{"reports/README.md": reportText(1, 2, 3)})
	}
	saveRoster(t, ws, []workspace.RosterRow{
		{Line: 2, Group: 1, Students: []string{"s1", "s2"}, Repo: "github.com/o/a", Folder: true},
		{Line: 3, Group: 2, Students: []string{"s3", "S1 "}, Repo: "github.com/o/b", Folder: true},
		{Line: 4, Group: 3, Students: []string{"s4"}, Repo: "github.com/o/a", Folder: true},
		{Line: 5, Group: 4, Students: []string{"s5"}, Repo: "github.com/o/d", Folder: true},
		{Line: 6, Group: 4, Students: []string{"s5"}, Repo: "github.com/o/d", Error: "groups.csv:6: duplicate group number 4 (first on line 5)"},
		{Line: 7, Students: []string{"s4"}, Error: "groups.csv:7: no group number"},
	})
	return ws
}

func saveRoster(t *testing.T, ws *workspace.Workspace, rows []workspace.RosterRow) {
	t.Helper()
	if err := ws.SaveRoster(workspace.Roster{File: "/course/groups.csv", Rows: rows}); err != nil {
		t.Fatal(err)
	}
}

// rosterMessages are a result's findings of roster clashes, as "level
// kind: message".
func rosterMessages(r *GroupResult) []string {
	var out []string
	for _, f := range r.Findings {
		if slices.Contains(rosterKinds, f.Kind) {
			out = append(out, string(f.Level)+" "+string(f.Kind)+": "+f.Message)
		}
	}
	return out
}

// A student on two rows of groups.csv and a repository on two rows are
// told to both groups, each naming both lines, for the instructor to act
// on; a row without a group number is named by its line.
func TestRosterClashesTellBothGroups(t *testing.T) {
	ws := rosterCourse(t)
	results, errs := runAll(context.Background(), ws, Options{Spec: loadSpec(t)})
	if len(errs) > 0 || len(results) != 4 {
		t.Fatalf("%d results, errors %v", len(results), errs)
	}
	want := map[int][]string{
		1: {"act same-repository: line 4 of groups.csv (group 3) names the same repository, github.com/o/a; this group is line 2",
			"act student-two-rows: s1 also on line 3 of groups.csv (group 2); this group is line 2"},
		2: {"act student-two-rows: s1 also on line 2 of groups.csv (group 1); this group is line 3"},
		3: {"act same-repository: line 2 of groups.csv (group 1) names the same repository, github.com/o/a; this group is line 4",
			"act student-two-rows: s4 also on line 7 of groups.csv (no group number); this group is line 4"},
		4: nil,
	}
	for _, r := range results {
		if got := rosterMessages(r); !slices.Equal(got, want[r.Group]) {
			t.Errorf("group %d: %q\nwant %q", r.Group, got, want[r.Group])
		}
		if want[r.Group] != nil && r.State != StateAct {
			t.Errorf("group %d: state %s, want act", r.Group, r.State)
		}
	}

	// Group 2's row is corrected: grading group 1 alone updates group 2's
	// saved result too.
	saveRoster(t, ws, []workspace.RosterRow{
		{Line: 2, Group: 1, Students: []string{"s1", "s2"}, Repo: "github.com/o/a", Folder: true},
		{Line: 3, Group: 2, Students: []string{"s3"}, Repo: "github.com/o/b", Folder: true},
		{Line: 4, Group: 3, Students: []string{"s4"}, Repo: "github.com/o/c", Folder: true},
		{Line: 5, Group: 4, Students: []string{"s5"}, Repo: "github.com/o/d", Folder: true},
	})
	if _, errs := runAll(context.Background(), ws, Options{Spec: loadSpec(t), Only: []int{1}}); len(errs) > 0 {
		t.Fatal(errs)
	}
	for g := 1; g <= 3; g++ {
		r, err := LoadResult(ws, g)
		if err != nil {
			t.Fatal(err)
		}
		if got := rosterMessages(r); got != nil {
			t.Errorf("group %d after the roster was corrected: %q", g, got)
		}
	}
}
