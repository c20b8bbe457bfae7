package grade

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"handin/internal/corpus"
	"handin/workspace"
)

// TestCorpusAsOneCourse grades the 25 real repositories of the corpus (real
// histories, real reports, the students each report names) as one course,
// with a groups.csv row each, and adds group 26: a fork of one of them
// (its history up to halfway, then a commit of its own, its report with
// one line changed). No two real groups share history, a student or a
// repository; the fork and its original are told so, and of nothing else.
func TestCorpusAsOneCourse(t *testing.T) {
	dir := corpus.Dir(t)
	ws := testWorkspace(t)
	repos := loadCorpusRepos(t)
	var rows []workspace.RosterRow
	for i, r := range repos {
		s := r.snap
		s.Group = i + 1
		report, _ := os.ReadFile(filepath.Join(dir, "reports", r.name+".md")) // one group has none
		files := map[string]string{}
		if len(report) > 0 {
			files[r.meta.ReportPath] = string(report)
		}
		saveSnapshot(t, ws, &s, files)
		rows = append(rows, workspace.RosterRow{Line: i + 2, Group: s.Group, Students: s.Students,
			Repo: strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(s.URL, "https://"), ".git")), Folder: true})
	}

	// The fork: a repository with a report, forked halfway through its
	// history.
	i := slices.IndexFunc(repos, func(r corpusRepo) bool { return r.meta.ReportPath != "" && len(r.snap.Commits) >= 10 })
	orig := repos[i]
	origReport, err := os.ReadFile(filepath.Join(dir, "reports", orig.name+".md"))
	if err != nil || len(origReport) == 0 {
		t.Fatalf("%s: no report (%v)", orig.name, err)
	}
	half := len(orig.snap.Commits) / 2 // newest first: the older half
	forkedAt := orig.snap.Commits[half]
	own := workspace.Commit{SHA: strings.Repeat("f", 40), Parents: []string{forkedAt.SHA}, AuthorName: "Fork", AuthorEmail: "fork@example.org",
		AuthorTime: forkedAt.CommitTime.Add(time.Hour), CommitTime: forkedAt.CommitTime.Add(time.Hour), Message: "our own"}
	fork := orig.snap
	fork.Group, fork.URL, fork.WebURL = len(repos)+1, "https://github.com/forker/copy.git", "https://github.com/forker/copy"
	fork.Commits = append([]workspace.Commit{own}, orig.snap.Commits[half:]...)
	fork.Students = []string{"s999901", "s999902"}
	fork.Pin.SHA = own.SHA
	saveSnapshot(t, ws, &fork, map[string]string{orig.meta.ReportPath: "# A line of the fork's own\n" + string(origReport)})
	rows = append(rows, workspace.RosterRow{Line: len(repos) + 2, Group: fork.Group, Students: fork.Students, Repo: "github.com/forker/copy", Folder: true})
	if err := ws.SaveRoster(workspace.Roster{File: "groups.csv", Rows: rows}); err != nil {
		t.Fatal(err)
	}

	results, errs := runAll(context.Background(), ws, Options{Spec: mustSpec(t, "2026")})
	if len(errs) > 0 || len(results) != len(repos)+1 {
		t.Fatalf("%d results, errors %v", len(results), errs)
	}
	for _, r := range results {
		var told []string
		for _, f := range r.Findings {
			switch f.Kind {
			case KindSharedHistory, KindSameRepository, KindStudentTwoRows:
				told = append(told, f.Message)
			}
		}
		var want []int
		switch r.Group {
		case i + 1:
			want = []int{fork.Group}
		case fork.Group:
			want = []int{i + 1}
		}
		var with []int
		for _, h := range r.SharedHistory {
			with = append(with, h.Group)
		}
		if !slices.Equal(with, want) || len(told) != len(want) {
			t.Errorf("group %d: shares history with %v, findings %q; want %v", r.Group, with, told, want)
		}
		if r.Group == fork.Group && len(r.SharedHistory) == 1 {
			h := r.SharedHistory[0]
			if h.Commits != len(orig.snap.Commits)-half || h.Own != 1 || h.OtherOwn != half || h.Newest != forkedAt.SHA ||
				h.First != h.OtherFirst || h.Reports == nil || h.Reports.Same || h.Reports.SameLines < 95 {
				t.Errorf("the fork's shared history %+v", h)
			}
			t.Logf("the fork of %d commits of a real repository: %s", len(fork.Commits), told[0])
			t.Logf("  %s", h.Facts(r.Group)[1])
		}
	}
	t.Logf("%d real repositories, %d commits: no two share history, a student or a repository", len(repos), commitCount(repos))
}

func commitCount(repos []corpusRepo) int {
	n := 0
	for _, r := range repos {
		n += len(r.snap.Commits)
	}
	return n
}
