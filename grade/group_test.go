package grade

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"handin/scrape"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/course")

const courseDir = "testdata/course"

func loadSpec(t testing.TB) *Spec {
	t.Helper()
	spec, err := LoadSpec(DefaultSpec)
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func courseOptions(t testing.TB) Options {
	t.Helper()
	authors, err := ReadAuthorsCSV(filepath.Join(courseDir, "authors.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return Options{Authors: authors}
}

func marshal(t testing.TB, v any) []byte {
	t.Helper()
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(data, '\n')
}

// TestCourseGolden grades the synthetic course and compares every result
// with its golden JSON (go test ./grade -run Golden -update rewrites them).
func TestCourseGolden(t *testing.T) {
	snaps, errs := scrape.LoadAll(courseDir)
	if len(errs) > 0 || len(snaps) == 0 {
		t.Fatalf("load course: %d snapshots, errors %v", len(snaps), errs)
	}
	spec, opts := loadSpec(t), courseOptions(t)
	for _, s := range snaps {
		got := marshal(t, Group(s, spec, opts))
		golden := filepath.Join(courseDir, "golden", fmt.Sprintf("%03d.json", s.Group))
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("group %d: result differs from %s (run with -update after checking the diff):\n%s",
				s.Group, golden, firstDifference(want, got))
		}
	}
}

func firstDifference(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := range min(len(w), len(g)) {
		if w[i] != g[i] {
			return fmt.Sprintf("line %d:\nwant %s\ngot  %s", i+1, w[i], g[i])
		}
	}
	return fmt.Sprintf("want %d lines, got %d", len(w), len(g))
}

func TestRosterCheck(t *testing.T) {
	roster := []string{"s111111", "S222222", "s333333"}
	tests := []struct {
		name     string
		group    *int
		students []string
		want     RosterCheck
		problems []string
	}{
		{
			name: "all right", group: intPtr(7), students: []string{"s111111", "s222222", "S333333"},
			want: RosterCheck{GroupWritten: intPtr(7), GroupOK: true},
		},
		{
			name: "wrong group", group: intPtr(41), students: []string{"s111111", "s222222", "s333333"},
			want:     RosterCheck{GroupWritten: intPtr(41)},
			problems: []string{"group number 41 written, roster says 7"},
		},
		{
			name: "no group", students: []string{"s111111", "s222222", "s333333"},
			problems: []string{"Q1: no group number written (roster says 7)"},
		},
		{
			name: "missing, extra, duplicated", group: intPtr(7),
			students: []string{"s111111", "s999999", "s111111", "s111111", "s222222"},
			want: RosterCheck{GroupWritten: intPtr(7), GroupOK: true, Missing: []string{"s333333"},
				Extra: []string{"s999999"}, Duplicated: []string{"s111111"}},
			problems: []string{"student s333333 missing from Question 2", "student s111111 written 3 times in Question 2",
				"student s999999 in Question 2 is not on the roster"},
		},
		{
			name: "nobody written", group: intPtr(7),
			want:     RosterCheck{GroupWritten: intPtr(7), GroupOK: true, Missing: []string{"s111111", "s222222", "s333333"}},
			problems: []string{"Q2: no student ids written (roster: s111111, s222222, s333333)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, problems := rosterCheck(&CheckResult{Group: tt.group, Students: tt.students}, 7, roster)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("roster %+v, want %+v", got, tt.want)
			}
			if !sameSet(problems, tt.problems) {
				t.Errorf("problems %q, want %q", problems, tt.problems)
			}
		})
	}
}

// TestContributionProblem: students without commits make one line, and
// only a gap in the author mapping (not the students) when some authors are
// unmatched.
func TestContributionProblem(t *testing.T) {
	ann, bo := StudentStats{ID: "s111111", Commits: 3}, StudentStats{ID: "s222222"}
	cy := StudentStats{ID: "s333333"}
	laptop := []Author{{Names: []string{"laptop"}, Commits: 2}}
	tests := []struct {
		name      string
		students  []StudentStats
		unmatched []Author
		want      string
	}{
		{name: "everyone committed", students: []StudentStats{ann}},
		{name: "everyone committed, a stranger too", students: []StudentStats{ann}, unmatched: laptop},
		{name: "no roster", unmatched: laptop},
		{name: "all authors matched", students: []StudentStats{ann, bo, cy}, want: "students without commits: s222222, s333333"},
		{
			name: "some authors unmatched", students: []StudentStats{ann, bo, cy}, unmatched: laptop,
			want: "students without matched commits: s222222, s333333 (1 commit author(s) unmatched: map them in authors.csv)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := contributionProblem(tt.students, tt.unmatched); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func intPtr(n int) *int { return &n }

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestCheckProblems(t *testing.T) {
	c := &CheckResult{
		Spec:        "2026",
		InvalidUTF8: 12,
		Drift:       Drift{Duplicated: []int{4}, Extra: []int{32, 33}, OutOfOrder: []int{9}},
		Questions: []QuestionResult{
			{Number: 1, Pass: true},
			{Number: 5, Problems: []Problem{{Kind: KindWords, Got: intPtr(3), Min: intPtr(100), Max: intPtr(200)}},
				Findings: []Problem{{Kind: FindUnanswered, Message: "unanswered"}}},
			{Number: 7, Problems: []Problem{{Kind: KindWords, Got: intPtr(34), Min: intPtr(50), Max: intPtr(100)}},
				Findings: []Problem{{Kind: FindNoMarker, Message: "no marker"}, {Kind: FindHTMLImage, Target: "a.png"}}},
			{Number: 12, Problems: []Problem{{Kind: KindMissing, Message: "Question 12 is not in the report"}}},
			{Number: 19, Problems: []Problem{{Kind: KindImages, Got: intPtr(0), Min: intPtr(1), Max: intPtr(2)}},
				Findings: []Problem{{Kind: FindMissingFile, Target: "figures/bucket.png", Message: "not there"},
					{Kind: FindBadFormat, Target: "figures/x.bmp", Message: "unsupported image format"}}},
		},
	}
	want := []string{
		"report is not valid UTF-8 from line 12 on (invalid bytes replaced)",
		"Q4: heading written more than once",
		"questions out of order: 9",
		"questions not in spec 2026: 32, 33",
		"Q5: unanswered",
		"Q7: 34 words, expected 50-100",
		"Q12: missing from the report",
		"Q19: 0 images, expected 1-2",
		"Q19: figure figures/bucket.png missing",
		"Q19: figure figures/x.bmp: unsupported image format",
	}
	if got := checkProblems(c); !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestGroupBadInput: broken snapshots give a result with clear problems.
func TestGroupBadInput(t *testing.T) {
	deadline := at("2026-01-23T14:00:00+01:00")
	report := reportText(1, 2, 3)
	good := func(msg string) scrape.Commit {
		return scrape.Commit{SHA: "abc", AuthorName: "Ann", AuthorEmail: "s111111@student.dtu.dk",
			AuthorTime: deadline.Add(-time.Hour), CommitTime: deadline.Add(-time.Hour), Message: msg}
	}
	bigTree := make([]scrape.File, 100_000)
	for i := range bigTree {
		bigTree[i] = scrape.File{Path: fmt.Sprintf("pkg%d/reports/README.md", i), Size: 1000, Mode: "file"}
		if i%2 == 0 {
			bigTree[i].Path = fmt.Sprintf("src/m%d.py", i)
		}
	}
	tests := []struct {
		name     string
		snap     scrape.Snapshot
		files    map[string]string
		noSpec   bool
		problems []string // each must be a substring of some problem
		check    bool     // a check result is expected
	}{
		{
			name:     "not found",
			snap:     scrape.Snapshot{Status: scrape.StatusNotFound, Error: "repository not found:\n404 page not found\n"},
			problems: []string{"status not-found: repository not found: 404 page not found"},
		},
		{
			name:     "empty repository",
			snap:     scrape.Snapshot{Status: scrape.StatusEmptyRepo},
			problems: []string{"status empty-repo: no detail"},
		},
		{
			name:     "no report",
			snap:     scrape.Snapshot{Status: scrape.StatusOK, Commits: []scrape.Commit{good("x")}},
			files:    map[string]string{"README.md": "# project\n"},
			problems: []string{"no report: no reports/README.md", "students without commits: s222222"},
		},
		{
			name: "200 MB report and README",
			snap: scrape.Snapshot{Status: scrape.StatusOK, Tree: []scrape.File{
				{Path: "reports/README.md", Size: 200_000_000, Mode: "file"}, {Path: "README.md", Size: 200_000_000, Mode: "file"}}},
			problems: []string{"report not read: reports/README.md is 200.0 MB: file too large",
				"README words not counted: README.md is 200.0 MB"},
		},
		{
			name:     "binary report",
			snap:     scrape.Snapshot{Status: scrape.StatusOK},
			files:    map[string]string{"reports/README.md": "### Question 1\x00\x01"},
			problems: []string{"report reports/README.md: binary file"},
		},
		{
			name:     "empty report",
			snap:     scrape.Snapshot{Status: scrape.StatusOK},
			files:    map[string]string{"reports/README.md": ""},
			problems: []string{"report reports/README.md: empty file"},
		},
		{
			name:     "invalid UTF-8 report",
			snap:     scrape.Snapshot{Status: scrape.StatusOK},
			files:    map[string]string{"reports/README.md": report + "caf\xe9\n"},
			problems: []string{"report is not valid UTF-8", "Q4: missing from the report"},
			check:    true,
		},
		{
			name:     "no spec",
			snap:     scrape.Snapshot{Status: scrape.StatusOK},
			files:    map[string]string{"reports/README.md": report},
			noSpec:   true,
			problems: []string{"report not checked: no spec"},
		},
		{
			name:     "100 000 files",
			snap:     scrape.Snapshot{Status: scrape.StatusOK, Tree: bigTree},
			files:    map[string]string{"reports/README.md": report},
			problems: []string{"Q4: missing from the report"},
			check:    true,
		},
		{
			name: "empty and non-UTF-8 commit metadata",
			snap: scrape.Snapshot{Status: scrape.StatusOK, Commits: []scrape.Commit{
				{AuthorName: "", AuthorEmail: "", Message: ""},
				{AuthorName: "J\xf6rg", AuthorEmail: "j\xf6rg@x.de", Message: "\xff\xfe", AuthorTime: deadline.Add(-time.Hour)},
			}},
			problems: []string{"1 commit(s) with implausible dates", "students without matched commits: s111111, s222222 (2 commit author(s) unmatched"},
		},
		{
			name: "clock skew",
			snap: scrape.Snapshot{Status: scrape.StatusOK, Commits: []scrape.Commit{
				{AuthorName: "Ann", AuthorEmail: "s111111@dtu.dk", AuthorTime: at("2099-01-01T00:00:00Z")},
				{AuthorName: "Ann", AuthorEmail: "s111111@dtu.dk", AuthorTime: at("1970-01-01T00:00:00Z")},
			}},
			problems: []string{"2 commit(s) with implausible dates"},
		},
		{
			name:     "backdated",
			snap:     scrape.Snapshot{Status: scrape.StatusOK, Backdated: true, DeadlineSHA: "0123456789abcdef0123", PinnedBy: "observation", Commits: []scrape.Commit{good("x")}},
			problems: []string{"backdated: commits dated before the deadline were pushed after it (graded 0123456789ab, pinned by observation)"},
		},
		{
			name:     "dates out of order",
			snap:     scrape.Snapshot{Status: scrape.StatusOK, NonMonotonic: true, Commits: []scrape.Commit{good("x")}},
			problems: []string{"history out of date order: committer dates go backwards on the branch"},
		},
	}
	spec := loadSpec(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.snap.Group, tt.snap.Students, tt.snap.Deadline = 7, []string{"s111111", "s222222"}, deadline
			s := saveSnapshot(t, t.TempDir(), &tt.snap, tt.files)
			useSpec := spec
			if tt.noSpec {
				useSpec = nil
			}
			r := Group(s, useSpec, Options{})
			all := strings.Join(r.Problems, "\n")
			for _, want := range tt.problems {
				if !strings.Contains(all, want) {
					t.Errorf("problems:\n%s\nwant one containing %q", all, want)
				}
			}
			if (r.Check != nil) != tt.check {
				t.Errorf("check result present: %v, want %v", r.Check != nil, tt.check)
			}
			if len(r.Stats.Activity) > maxActivityDays {
				t.Errorf("activity has %d days", len(r.Stats.Activity))
			}
			data := marshal(t, r)
			if !utf8.Valid(data) {
				t.Error("result JSON is not valid UTF-8")
			}
			if again := marshal(t, Group(s, useSpec, Options{})); !bytes.Equal(data, again) {
				t.Error("grading the same snapshot twice gives different JSON")
			}
		})
	}
}

func TestGroupTimeZoneOption(t *testing.T) {
	s := &scrape.Snapshot{Status: scrape.StatusOK, Deadline: at("2026-01-23T14:00:00+01:00"),
		Commits: commitsAt("2026-01-22T23:30:00Z")}
	cph := Group(s, nil, Options{})
	utc := Group(s, nil, Options{TimeZone: time.UTC})
	if cph.Stats.Activity[0][0] != 1 || utc.Stats.Activity[0][23] != 1 {
		t.Errorf("Copenhagen day 0 hour 0 = %d, UTC day 0 hour 23 = %d; want 1 and 1",
			cph.Stats.Activity[0][0], utc.Stats.Activity[0][23])
	}
}

func TestWriteLoadResultAndGradeWorkspace(t *testing.T) {
	ws := t.TempDir()
	for _, g := range []int{3, 1, 2} {
		dir := scrape.GroupDir(ws, g)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		saveSnapshot(t, dir, &scrape.Snapshot{Group: g, Status: scrape.StatusOK, Students: []string{"s111111"}},
			map[string]string{"reports/README.md": reportText(1, 2, 3)})
	}
	spec := loadSpec(t)
	results, errs := GradeWorkspace(context.Background(), ws, spec, Options{}, nil)
	if len(errs) > 0 || len(results) != 3 {
		t.Fatalf("%d results, errors %v", len(results), errs)
	}
	for i, r := range results {
		if r.Group != i+1 {
			t.Errorf("result %d is group %d: want sorted by group", i, r.Group)
		}
		loaded, err := LoadResult(ws, r.Group)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(marshal(t, loaded), marshal(t, r)) {
			t.Errorf("group %d: loaded result differs from the graded one", r.Group)
		}
	}
	first, err := os.ReadFile(ResultPath(ws, 2))
	if err != nil {
		t.Fatal(err)
	}
	results, errs = GradeWorkspace(context.Background(), ws, spec, Options{}, []int{2, 9, 2})
	if len(results) != 1 || results[0].Group != 2 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "group 9") {
		t.Fatalf("only 2 and 9: %d results, errors %v", len(results), errs)
	}
	second, err := os.ReadFile(ResultPath(ws, 2))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Error("regrading changed result.json")
	}
	misplaced := filepath.Join(ws, "groups", "004")
	if err := os.MkdirAll(misplaced, 0o755); err != nil {
		t.Fatal(err)
	}
	saveSnapshot(t, misplaced, &scrape.Snapshot{Group: 2, Status: scrape.StatusOK}, nil)
	results, errs = GradeWorkspace(context.Background(), ws, spec, Options{}, nil)
	if len(results) != 3 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "is for group 2") {
		t.Errorf("a snapshot of group 2 in folder 004: %d results, errors %v", len(results), errs)
	}
	if third, err := os.ReadFile(ResultPath(ws, 2)); err != nil || !bytes.Equal(first, third) {
		t.Errorf("group 2's result was overwritten by a misplaced snapshot (err %v)", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, errs := GradeWorkspace(ctx, ws, spec, Options{}, nil); len(errs) == 0 || !errors.Is(errs[len(errs)-1], context.Canceled) {
		t.Errorf("cancelled: errors %v", errs)
	}
	if _, err := LoadResult(ws, 9); err == nil {
		t.Error("LoadResult of a group without result: want an error")
	}
}
