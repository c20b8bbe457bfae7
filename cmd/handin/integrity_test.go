package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"handin/grade"
	"handin/scrape/gittest"
)

// integrityReport is a synthetic report whose Question 3 answer varies.
func integrityReport(group, answer string) map[string][]byte {
	return map[string][]byte{"reports/README.md": []byte("# Report\n\n### Question 1\n> **Group number?**\n\nAnswer:\n\n" + group +
		"\n\n### Question 2\n> **Student ids?**\n\nAnswer:\n\ns100001, s100002\n\n### Question 3\n> **What did you build?**\n\nAnswer:\n\n" +
		answer + "\n\nWe trained a small model and served it behind an API.\n")}
}

// TestCourseIntegrityThroughARun runs a course of real repositories served
// over loopback HTTP in which group 2 is a fork of group 1 (the same
// students, the history copied, then work of its own), groups 3 and 4 list
// one repository written two ways, and a student of group 3 is also on
// group 5's row. Every group concerned is told, at act, naming the other
// group and the lines of groups.csv; the fork's page tells which history
// began where, where they part, how alike the reports are and the
// students, in a section of its own.
func TestCourseIntegrityThroughARun(t *testing.T) {
	dir, served, server := loopbackCourse(t)

	at := func(h int) time.Time { return courseDeadline.Add(time.Duration(h) * time.Hour) }
	anna := gittest.Signature{Name: "Anna Berg", Email: "anna@example.org"}
	newRepo := func(name string) *gittest.Repo {
		repo, err := gittest.NewRepo(filepath.Join(served, name))
		if err != nil {
			t.Fatal(err)
		}
		return repo
	}
	commit := func(repo *gittest.Repo, who gittest.Signature, when time.Time, files map[string][]byte) string {
		sha, err := repo.Commit("main", gittest.Commit{Message: "work", Author: who, When: when, Files: files})
		if err != nil {
			t.Fatal(err)
		}
		return sha
	}
	// The fork: group 1's first three commits, written into both
	// repositories, are the same commits (git names a commit by its
	// content); then each goes on alone.
	orig, fork := newRepo("org/orig.git"), newRepo("org/fork.git")
	var shared []string
	for i, files := range []map[string][]byte{
		{"README.md": []byte("# Project\n")},
		integrityReport("1", "A first draft."),
		integrityReport("1", "We built a pipeline for training."),
	} {
		a, b := commit(orig, anna, at(-72+i), files), commit(fork, anna, at(-72+i), files)
		if a != b {
			t.Fatalf("commit %d differs in the fork: %s, %s", i, a, b)
		}
		shared = append(shared, a)
	}
	commit(orig, anna, at(-10), integrityReport("1", "We built a pipeline for training, tested in CI."))
	bo := gittest.Signature{Name: "Bo Ek", Email: "bo@example.org"}
	commit(fork, bo, at(-20), map[string][]byte{"src/app.py": []byte("print('api')\n")})
	commit(fork, bo, at(-5), integrityReport("2", "We built a pipeline for training, and an API."))
	other, five := newRepo("org/other.git"), newRepo("org/five.git")
	commit(other, gittest.Signature{Name: "Cy", Email: "cy@example.org"}, at(-30), integrityReport("3", "Our own work."))
	commit(five, gittest.Signature{Name: "Di", Email: "di@example.org"}, at(-30), integrityReport("5", "Work of group five."))

	otherAgain := strings.Replace(server.RepoURL("org/other.git"), "http://", "HTTP://", 1) + "/"
	writeFile(t, "groups.csv", "group_number,student_1,student_2,repo_url\n"+
		"1,s100001,s100002,"+server.RepoURL("org/orig.git")+"\n"+
		"2,s100001,s100002,"+server.RepoURL("org/fork.git")+"\n"+
		"3,s100003,,"+server.RepoURL("org/other.git")+"\n"+
		"4,s100004,,"+otherAgain+"\n"+
		"5,s100005,s100003,"+server.RepoURL("org/five.git")+"\n")
	results := runCourse(t, dir)

	short := shared[2][:12]
	// The fork's report differs from group 1's in 2 of its 14 lines (the
	// group number and an answer): 12/14 is 85 %.
	courseFindings := map[int][]string{
		1: {"shares git history with group 2: 3 commits in common, reports 85% the same lines, the same students",
			"s100001, s100002 also on line 3 of groups.csv (group 2); this group is line 2"},
		2: {"shares git history with group 1: 3 commits in common, reports 85% the same lines, the same students",
			"s100001, s100002 also on line 2 of groups.csv (group 1); this group is line 3"},
		3: {"shares git history with group 4: 1 commit in common, the same report",
			"line 5 of groups.csv (group 4) names the same repository, 127.0.0.1:",
			"s100003 also on line 6 of groups.csv (group 5); this group is line 4"},
		4: {"shares git history with group 3: 1 commit in common, the same report",
			"line 4 of groups.csv (group 3) names the same repository, 127.0.0.1:"},
		5: {"s100003 also on line 4 of groups.csv (group 3); this group is line 6"},
	}
	for _, r := range results {
		var got []string
		for _, f := range r.Findings {
			switch f.Kind {
			case grade.KindSharedHistory, grade.KindSameRepository, grade.KindStudentTwoRows:
				if f.Level != grade.LevelAct {
					t.Errorf("group %d: %s at %s, want act", r.Group, f.Kind, f.Level)
				}
				got = append(got, f.Message)
			}
		}
		want := courseFindings[r.Group]
		if len(got) != len(want) {
			t.Errorf("group %d: %q, want %d findings starting %q", r.Group, got, len(want), want)
			continue
		}
		slices.Sort(got)
		slices.Sort(want)
		for i := range want {
			if !strings.HasPrefix(got[i], want[i]) {
				t.Errorf("group %d: %q, want it to start %q", r.Group, got[i], want[i])
			}
		}
		if r.State != grade.StateAct {
			t.Errorf("group %d: state %s, want act", r.Group, r.State)
		}
	}

	// The fork's facts: the same first commit, where they part, what each
	// did after, the reports compared, the students.
	g2 := results[1]
	if len(g2.SharedHistory) != 1 {
		t.Fatalf("group 2 shares history with %+v", g2.SharedHistory)
	}
	h := g2.SharedHistory[0]
	if h.Group != 1 || h.Commits != 3 || !h.SameRoot || h.Newest != shared[2] || h.Own != 2 || h.OtherOwn != 1 ||
		h.First.SHA != shared[0] || h.OtherFirst.SHA != shared[0] || h.First.Author != "Anna Berg" ||
		h.Reports == nil || h.Reports.Same || h.Reports.SameLines != 85 ||
		!slices.Equal(h.Students, []string{"s100001", "s100002"}) || !slices.Equal(h.OtherStudents, h.Students) {
		t.Errorf("group 2's shared history %+v", h)
	}
	page := readIn(t, dir, "site/groups/002.html")
	section := page[strings.Index(page, `id="shared-history"`):]
	section = section[:strings.Index(section, `id="deadline-commit"`)]
	for _, want := range []string{
		`<a href="001.html">Group 1</a>`,
		"Both start from the same first commit: " + shared[0][:12] + " of ",
		"3 commits in common, to " + short + " of ",
		"after it group 2 has 2 commits of its own, group 1 1",
		"Reports at the deadline: different; ",
		"Students: group 2 s100001, s100002; group 1 s100001, s100002",
	} {
		if !strings.Contains(section, want) {
			t.Errorf("group 2's shared history section lacks %q:\n%s", want, section)
		}
	}
	header := page[:strings.Index(page, "</header>")]
	if !strings.Contains(header, "shares git history with group 1") || !strings.Contains(header, "s100001, s100002 also on line 2 of groups.csv") {
		t.Errorf("group 2's reasons do not name the fork and the roster:\n%s", header)
	}
	claims, _, _ := strings.Cut(page[strings.Index(page, `id="claims"`):], `id="statistics"`)
	if strings.Contains(claims, "shares git history") || strings.Contains(claims, "001.html") {
		t.Error("the shared history is still told under the checklist")
	}
}
