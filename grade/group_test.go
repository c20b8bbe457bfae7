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

	"handin/grade/identity"
	"handin/workspace"
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
	authors, err := identity.ReadAuthorsCSV(filepath.Join(courseDir, "authors.csv"))
	if err != nil {
		t.Fatal(err)
	}
	spec := loadSpec(t)
	rules, err := LoadClaims("", spec)
	if err != nil {
		t.Fatal(err)
	}
	return Options{Spec: spec, Authors: authors, Claims: rules}
}

// openCourse opens a copy of the synthetic course's workspace (opening
// takes its lock, which must not write into the source tree).
func openCourse(t testing.TB) *workspace.Workspace {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(courseDir)); err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

// runAll grades the workspace and loads every result it saved, by group;
// the errors are the summary's, then Run's.
func runAll(ctx context.Context, ws *workspace.Workspace, opts Options) ([]*GroupResult, []error) {
	sum, err := Run(ctx, ws, opts)
	var results []*GroupResult
	var errs []error
	if sum != nil {
		errs = sum.Errors
		for _, g := range sum.Groups {
			r, err := LoadResult(ws, g.Group)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			results = append(results, r)
		}
	}
	if err != nil {
		errs = append(errs, err)
	}
	return results, errs
}

// texts are the findings as one line each.
func texts(findings []Finding) []string {
	out := make([]string, len(findings))
	for i, f := range findings {
		out[i] = f.Text()
	}
	return out
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
	snaps, errs := openCourse(t).Snapshots(nil)
	if len(errs) > 0 || len(snaps) == 0 {
		t.Fatalf("load course: %d snapshots, errors %v", len(snaps), errs)
	}
	opts := courseOptions(t)
	for _, s := range snaps {
		got := marshal(t, Grade(s, opts))
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
			problems: []string{"Q1: group number 41 written, roster says 7"},
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
			problems: []string{"Q2: student s333333 is on the roster but not in the answer", "Q2: student s111111 written 3 times",
				"Q2: student s999999 is not on the roster"},
		},
		{
			name: "nobody written", group: intPtr(7),
			want:     RosterCheck{GroupWritten: intPtr(7), GroupOK: true, Missing: []string{"s111111", "s222222", "s333333"}},
			problems: []string{"Q2: no student ids written (roster: s111111, s222222, s333333)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, findings := rosterCheck(&CheckResult{Group: tt.group, Students: tt.students}, 7, roster)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("roster %+v, want %+v", got, tt.want)
			}
			if problems := texts(findings); !sameSet(problems, tt.problems) {
				t.Errorf("problems %q, want %q", problems, tt.problems)
			}
		})
	}
}

// TestContributionFinding: students without commits make one line: to
// check when every identity is mapped, or when fewer people are unmapped
// than students lack commits; information, naming every unmapped identity
// in full, while the unmapped people may be them.
func TestContributionFinding(t *testing.T) {
	ann, bo := StudentStats{ID: "s111111", Commits: 3}, StudentStats{ID: "s222222"}
	cy := StudentStats{ID: "s333333"}
	laptop := []UnmappedIdentity{{Key: "nick@u-laptop", Name: `U-LAPTOP\nick`, Email: "nick@u-laptop", Commits: 2},
		{Key: "unknown", Name: "unknown", Commits: 1}}
	var many []UnmappedIdentity
	for i := range 12 {
		many = append(many, UnmappedIdentity{Name: fmt.Sprintf("laptop%d", i), Email: fmt.Sprintf("u%d@laptop", i), Commits: 1})
	}
	tests := []struct {
		name     string
		students []StudentStats
		unmapped []UnmappedIdentity
		people   int // unmapped people (merged identities)
		kind     Kind
		level    Level
		want     string
	}{
		{name: "everyone committed", students: []StudentStats{ann}},
		{name: "everyone committed, a stranger too", students: []StudentStats{ann}, unmapped: laptop},
		{name: "no roster", unmapped: laptop},
		{name: "all authors matched", students: []StudentStats{ann, bo, cy}, kind: KindNoCommits, level: LevelCheck, want: "students without commits: s222222, s333333"},
		{
			name: "some identities unmapped", students: []StudentStats{ann, bo, cy}, unmapped: laptop, people: 2, kind: KindAttribution, level: LevelInfo,
			want: `attribution incomplete: no commits mapped to s222222, s333333; commit identities mapped to no student (2): ` +
				`U-LAPTOP\nick <nick@u-laptop>, 2 commit(s); unknown, 1 commit(s); map them in authors.csv ('handin authors' lists them)`,
		},
		{
			name: "fewer people unmapped than students without commits", students: []StudentStats{ann, bo, cy}, unmapped: laptop, people: 1,
			kind: KindAttribution, level: LevelCheck,
			want: `attribution incomplete: no commits mapped to s222222, s333333; commit identities mapped to no student (2): ` +
				`U-LAPTOP\nick <nick@u-laptop>, 2 commit(s); unknown, 1 commit(s); map them in authors.csv ('handin authors' lists them)`,
		},
		{
			name: "many identities unmapped", students: []StudentStats{ann, bo}, unmapped: many, people: 12, kind: KindAttribution, level: LevelInfo,
			want: "attribution incomplete: no commits mapped to s222222; commit identities mapped to no student (12): " +
				"laptop0 <u0@laptop>, 1 commit(s); laptop1 <u1@laptop>, 1 commit(s); laptop2 <u2@laptop>, 1 commit(s); " +
				"laptop3 <u3@laptop>, 1 commit(s); laptop4 <u4@laptop>, 1 commit(s); laptop5 <u5@laptop>, 1 commit(s); " +
				"laptop6 <u6@laptop>, 1 commit(s); laptop7 <u7@laptop>, 1 commit(s); laptop8 <u8@laptop>, 1 commit(s); " +
				"laptop9 <u9@laptop>, 1 commit(s); 2 more (all in the result's unmapped identities); map them in authors.csv ('handin authors' lists them)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := contributionFinding(tt.students, tt.unmapped, tt.people)
			if got.Message != tt.want || ok != (tt.want != "") || got.Kind != tt.kind {
				t.Errorf("got %s %q (%v), want %s %q", got.Kind, got.Message, ok, tt.kind, tt.want)
			}
			if ok && got.Level != tt.level {
				t.Errorf("%s: level %s, want %s", got.Kind, got.Level, tt.level)
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

func TestCheckFindings(t *testing.T) {
	words := func(q, got, lo, hi int) Finding {
		return rangeProblem(KindWords, q, "words", got, Range{lo, hi})
	}
	located := func(kind Kind, q int, target, msg string) Finding {
		f := newFinding(kind, q, "%s", msg)
		f.Target = target
		return f
	}
	c := &CheckResult{
		Spec:        "2026",
		InvalidUTF8: 12,
		Drift:       Drift{Duplicated: []int{4}, Extra: []int{32, 33}, OutOfOrder: []int{9}},
		Questions: []QuestionResult{
			{Number: 1, Pass: true},
			{Number: 5, Problems: []Finding{words(5, 3, 100, 200)}, Findings: []Finding{newFinding(KindUnanswered, 5, "unanswered")}},
			{Number: 7, Problems: []Finding{words(7, 34, 50, 100)},
				Findings: []Finding{newFinding(KindNoMarker, 7, "no marker"), located(KindHTMLImage, 7, "a.png", "HTML image")}},
			{Number: 12, Problems: []Finding{newFinding(KindMissing, 12, "Question 12 is not in the report")}},
			{Number: 19, Problems: []Finding{rangeProblem(KindImages, 19, "images", 0, Range{1, 2})},
				Findings: []Finding{located(KindMissingFile, 19, "figures/bucket.png", "not there"),
					located(KindBadFormat, 19, "figures/x.bmp", "unsupported image format")}},
		},
	}
	want := []string{
		"report is not valid UTF-8 from line 12 on (invalid bytes replaced)",
		"Q4: heading written more than once",
		"questions out of order: 9",
		"questions not in spec 2026: 32, 33",
		"Q5: unanswered", // nothing more about an unanswered question
		"Q7: too few words: 34, expected 50-100",
		"Q7: no marker",
		"Q7: a.png: HTML image",
		"Q12: Question 12 is not in the report",
		"Q19: too few images: 0, expected 1-2",
		"Q19: figures/bucket.png: not there",
		"Q19: figures/x.bmp: unsupported image format",
	}
	got := checkFindings(c)
	if !slices.Equal(texts(got), want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(texts(got), "\n"), strings.Join(want, "\n"))
	}
	var info []string
	for _, f := range got {
		if !f.Reason() {
			info = append(info, f.Text())
		}
	}
	wantInfo := []string{"report is not valid UTF-8 from line 12 on (invalid bytes replaced)",
		"questions out of order: 9", "questions not in spec 2026: 32, 33", "Q7: no marker", "Q7: a.png: HTML image"}
	if !slices.Equal(info, wantInfo) {
		t.Errorf("information, not problems: %q", info)
	}
}

// TestGroupBadInput: broken snapshots give a result with clear problems.
func TestGroupBadInput(t *testing.T) {
	deadline := at("2026-01-23T14:00:00+01:00")
	report := reportText(1, 2, 3)
	good := func(msg string) workspace.Commit {
		return workspace.Commit{SHA: "abc", AuthorName: "Ann", AuthorEmail: "s111111@student.dtu.dk",
			AuthorTime: deadline.Add(-time.Hour), CommitTime: deadline.Add(-time.Hour), Message: msg}
	}
	bigTree := make([]workspace.File, 100_000)
	for i := range bigTree {
		bigTree[i] = workspace.File{Path: fmt.Sprintf("pkg%d/reports/README.md", i), Size: 1000, Mode: workspace.ModeFile}
		if i%2 == 0 {
			bigTree[i].Path = fmt.Sprintf("src/m%d.py", i)
		}
	}
	tests := []struct {
		name     string
		snap     workspace.Snapshot
		files    map[string]string
		noSpec   bool
		problems []string // each must be a substring of some problem
		info     []string // each must be a substring of some finding that is no problem
		check    bool     // a check result is expected
	}{
		{
			name:     "not found",
			snap:     workspace.Snapshot{Status: workspace.StatusNotFound, Error: "repository not found:\n404 page not found\n"},
			problems: []string{"status not-found: repository not found: 404 page not found"},
		},
		{
			name:     "empty repository",
			snap:     workspace.Snapshot{Status: workspace.StatusEmptyRepo},
			problems: []string{"status empty-repo: no detail"},
		},
		{
			name:     "no report",
			snap:     workspace.Snapshot{Status: workspace.StatusOK, Commits: []workspace.Commit{good("x")}},
			files:    map[string]string{"README.md": "# project\n"},
			problems: []string{"no report: no reports/README.md", "students without commits: s222222"},
		},
		{
			name: "200 MB report and README",
			snap: workspace.Snapshot{Status: workspace.StatusOK, Tree: []workspace.File{
				{Path: "reports/README.md", Size: 200_000_000, Mode: workspace.ModeFile}, {Path: "README.md", Size: 200_000_000, Mode: workspace.ModeFile}}},
			problems: []string{"report not read: reports/README.md is 200.0 MB: file too large"},
			info:     []string{"README words not counted: README.md is 200.0 MB"},
		},
		{
			name:     "binary report",
			snap:     workspace.Snapshot{Status: workspace.StatusOK},
			files:    map[string]string{"reports/README.md": "### Question 1\x00\x01"},
			problems: []string{"report reports/README.md: binary file"},
		},
		{
			name:     "empty report",
			snap:     workspace.Snapshot{Status: workspace.StatusOK},
			files:    map[string]string{"reports/README.md": ""},
			problems: []string{"report reports/README.md: empty file"},
		},
		{
			name:     "invalid UTF-8 report",
			snap:     workspace.Snapshot{Status: workspace.StatusOK},
			files:    map[string]string{"reports/README.md": report + "caf\xe9\n"},
			problems: []string{"Q4: Question 4 is not in the report"},
			info:     []string{"report is not valid UTF-8", "the course checker (report.py check, 2026-01-09 e3622b4) would stop with UnicodeDecodeError"},
			check:    true,
		},
		{
			name:     "no spec",
			snap:     workspace.Snapshot{Status: workspace.StatusOK},
			files:    map[string]string{"reports/README.md": report},
			noSpec:   true,
			problems: []string{"report not checked: no spec"},
		},
		{
			name:     "100 000 files",
			snap:     workspace.Snapshot{Status: workspace.StatusOK, Tree: bigTree},
			files:    map[string]string{"reports/README.md": report},
			problems: []string{"Q4: Question 4 is not in the report"},
			check:    true,
		},
		{
			name: "empty and non-UTF-8 commit metadata",
			snap: workspace.Snapshot{Status: workspace.StatusOK, Commits: []workspace.Commit{
				{AuthorName: "", AuthorEmail: "", Message: ""},
				{AuthorName: "J\xf6rg", AuthorEmail: "j\xf6rg@x.de", Message: "\xff\xfe", AuthorTime: deadline.Add(-time.Hour)},
			}},
			info: []string{"1 commit(s) with implausible dates",
				"attribution incomplete: no commits mapped to s111111, s222222; commit identities mapped to no student (2): (unknown), 1 commit(s); J\uFFFDrg <j\uFFFDrg@x.de>, 1 commit(s); map"},
		},
		{
			name: "clock skew",
			snap: workspace.Snapshot{Status: workspace.StatusOK, Commits: []workspace.Commit{
				{AuthorName: "Ann", AuthorEmail: "s111111@dtu.dk", AuthorTime: at("2099-01-01T00:00:00Z")},
				{AuthorName: "Ann", AuthorEmail: "s111111@dtu.dk", AuthorTime: at("1970-01-01T00:00:00Z")},
			}},
			info: []string{"2 commit(s) with implausible dates"},
		},
		{
			name: "backdated, shown by the push log",
			snap: workspace.Snapshot{Status: workspace.StatusOK, Commits: []workspace.Commit{good("x")},
				Pin: workspace.Pin{Backdated: true, SHA: "0123456789abcdef0123", By: workspace.PinnedByPushLog, LateCommits: 2,
					Late: []workspace.LateCommit{{SHA: "b", Backdated: true}, {SHA: "a"}},
					Evidence: []workspace.Evidence{
						{Source: workspace.SourceEvidenceLog, Role: workspace.RoleOnTime},
						{Source: workspace.SourcePushLog, Role: workspace.RoleBound},
					}}},
			problems: []string{"backdated: 1 commit(s) dated at or before the deadline were pushed after it, as GitHub's push log shows (graded 0123456789ab)"},
		},
		{
			name: "CI failing at the commit that counts",
			snap: workspace.Snapshot{Status: workspace.StatusOK, Commits: []workspace.Commit{good("x")}, Pin: workspace.Pin{SHA: "0123456789abcdef0123"},
				CI: &workspace.CI{State: workspace.CIFailing, Checks: []workspace.Check{{Name: "tests (3.11)", URL: "https://github.com/o/r/runs/1"}, {Name: "lint"}}}},
			problems: []string{"CI failing at the commit that counts (0123456789ab): tests (3.11), lint"},
		},
		{
			name: "CI passing, pending, none or unknown is no finding",
			snap: workspace.Snapshot{Status: workspace.StatusOK, Commits: []workspace.Commit{good("x")},
				CI: &workspace.CI{State: workspace.CIUnknown, Reason: "GitHub's API: 404"}},
		},
		{
			name:     "dates out of order is to check, not an accusation",
			snap:     workspace.Snapshot{Status: workspace.StatusOK, Pin: workspace.Pin{OutOfOrder: true}, Commits: []workspace.Commit{good("x")}},
			problems: []string{"history out of date order: committer dates go backwards on the branch (clock skew or a rebase; not evidence of backdating)"},
		},
	}
	spec := loadSpec(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.snap.Group, tt.snap.Students, tt.snap.Deadline = 7, []string{"s111111", "s222222"}, deadline
			s := saveSnapshot(t, testWorkspace(t), &tt.snap, tt.files)
			opts := Options{Spec: spec}
			if tt.noSpec {
				opts.Spec = nil
			}
			r := Grade(s, opts)
			if ci := tt.snap.CI; ci != nil {
				failing := slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Kind == KindCIFailing })
				if r.CI == nil || r.CI.State != ci.State || failing != (ci.State == workspace.CIFailing) {
					t.Errorf("CI %+v with ci-failing %v, want %s with a finding only when failing", r.CI, failing, ci.State)
				}
			}
			var info []Finding
			for _, f := range r.Findings {
				if !f.Reason() {
					info = append(info, f)
				}
			}
			for _, want := range []struct {
				level    string
				findings []Finding
				texts    []string
			}{{"reasons (above information)", r.Reasons(), tt.problems}, {"information", info, tt.info}} {
				all := strings.Join(texts(want.findings), "\n")
				for _, text := range want.texts {
					if !strings.Contains(all, text) {
						t.Errorf("%s:\n%s\nwant one containing %q", want.level, all, text)
					}
				}
			}
			problems := strings.Join(texts(r.Reasons()), "\n")
			for _, text := range tt.info {
				if strings.Contains(problems, text) {
					t.Errorf("%q is a problem too, want information only", text)
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
			if again := marshal(t, Grade(s, opts)); !bytes.Equal(data, again) {
				t.Error("grading the same snapshot twice gives different JSON")
			}
		})
	}
}

func TestGroupTimeZoneOption(t *testing.T) {
	s := &workspace.Snapshot{Status: workspace.StatusOK, Deadline: at("2026-01-23T14:00:00+01:00"),
		Commits: commitsAt("2026-01-22T23:30:00Z")}
	cph := Grade(s, Options{})
	utc := Grade(s, Options{TimeZone: time.UTC})
	if cph.Stats.Activity[0][0] != 1 || utc.Stats.Activity[0][23] != 1 {
		t.Errorf("Copenhagen day 0 hour 0 = %d, UTC day 0 hour 23 = %d; want 1 and 1",
			cph.Stats.Activity[0][0], utc.Stats.Activity[0][23])
	}
}

// TestRunSummary: a line per group graded, in group order, saying what
// its saved result says.
func TestRunSummary(t *testing.T) {
	ws := testWorkspace(t)
	for _, g := range []int{3, 1, 2} {
		saveSnapshot(t, ws, &workspace.Snapshot{Group: g, Status: workspace.StatusOK, Students: []string{"s111111"}},
			map[string]string{"reports/README.md": reportText(1, 2, 3)})
	}
	sum, err := Run(context.Background(), ws, Options{Spec: loadSpec(t)})
	if err != nil || len(sum.Errors) > 0 || len(sum.Groups) != 3 {
		t.Fatalf("Run: %v, summary %+v", err, sum)
	}
	for i, g := range sum.Groups {
		r, err := LoadResult(ws, g.Group)
		if err != nil {
			t.Fatal(err)
		}
		if g.Group != i+1 || g.State != r.State || g.Status != r.Status || g.Report != r.ReportPath ||
			g.Passed != r.Check.Passed || g.Questions != len(r.Check.Questions) || !slices.Equal(g.Reasons, texts(r.Reasons())) {
			t.Errorf("line %d: %+v, result: group %d %s %s %s %d/%d %v", i, g, r.Group, r.State, r.Status, r.ReportPath,
				r.Check.Passed, len(r.Check.Questions), texts(r.Reasons()))
		}
	}
	if sum.Count(StateAct) != 3 || sum.Count(StateOK) != 0 {
		t.Errorf("counts: %d act, %d ok", sum.Count(StateAct), sum.Count(StateOK))
	}
}

func TestSaveLoadResultAndRun(t *testing.T) {
	ws := testWorkspace(t)
	for _, g := range []int{3, 1, 2} {
		saveSnapshot(t, ws, &workspace.Snapshot{Group: g, Status: workspace.StatusOK, Students: []string{"s111111"}},
			map[string]string{"reports/README.md": reportText(1, 2, 3)})
	}
	opts := Options{Spec: loadSpec(t)}
	results, errs := runAll(context.Background(), ws, opts)
	if len(errs) > 0 || len(results) != 3 {
		t.Fatalf("%d results, errors %v", len(results), errs)
	}
	for i, r := range results {
		if r.Group != i+1 {
			t.Errorf("result %d is group %d: want sorted by group", i, r.Group)
		}
		if r.Schema != SchemaVersion || r.State != StateAct {
			t.Errorf("group %d: schema %d state %q, want %d and act", r.Group, r.Schema, r.State, SchemaVersion)
		}
		snap, err := ws.LoadSnapshot(r.Group)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(marshal(t, Grade(snap, opts)), marshal(t, r)) {
			t.Errorf("group %d: the saved result differs from the snapshot's grade", r.Group)
		}
	}
	first, err := os.ReadFile(ws.ResultPath(2))
	if err != nil {
		t.Fatal(err)
	}
	opts.Only = []int{2, 9, 2}
	results, errs = runAll(context.Background(), ws, opts)
	if len(results) != 1 || results[0].Group != 2 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "group 9") {
		t.Fatalf("only 2 and 9: %d results, errors %v", len(results), errs)
	}
	second, err := os.ReadFile(ws.ResultPath(2))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Error("regrading changed result.json")
	}
	// A snapshot of group 2 copied into group 4's folder.
	if err := os.MkdirAll(ws.GroupDir(4), 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(ws.SnapshotPath(2))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ws.SnapshotPath(4), data, 0o644); err != nil {
		t.Fatal(err)
	}
	opts.Only = nil
	results, errs = runAll(context.Background(), ws, opts)
	if len(results) != 3 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "is for group 2") {
		t.Errorf("a snapshot of group 2 in folder 004: %d results, errors %v", len(results), errs)
	}
	if third, err := os.ReadFile(ws.ResultPath(2)); err != nil || !bytes.Equal(first, third) {
		t.Errorf("group 2's result was overwritten by a misplaced snapshot (err %v)", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, errs := runAll(ctx, ws, opts); len(errs) == 0 || !errors.Is(errs[len(errs)-1], context.Canceled) {
		t.Errorf("cancelled: errors %v", errs)
	}
	if _, err := LoadResult(ws, 9); err == nil {
		t.Error("LoadResult of a group without result: want an error")
	}
}

// A group whose grading takes longer than the time a group may take gets
// a result saying so, with what the scrape found, and the course goes on.
func TestRunGivesAGroupOverItsTimeAResult(t *testing.T) {
	ws := testWorkspace(t)
	pin := workspace.Pin{SHA: "a1b2c3d4e5f6", LateCommits: 1}
	for _, g := range []int{1, 2} {
		saveSnapshot(t, ws, &workspace.Snapshot{Group: g, Status: workspace.StatusOK, Students: []string{"s111111"}, Pin: pin,
			Cuts: []string{"3 commits whose author name is cut to 256 bytes"}},
			map[string]string{"reports/README.md": reportText(1, 2, 3)})
	}
	// No grading is done within a nanosecond.
	sum, err := Run(context.Background(), ws, Options{Spec: loadSpec(t), GroupTimeout: time.Nanosecond})
	if err != nil || len(sum.Errors) > 0 || len(sum.Groups) != 2 {
		t.Fatalf("Run: %v, summary %+v", err, sum)
	}
	for _, g := range []int{1, 2} {
		r, err := LoadResult(ws, g)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[Kind]bool{}
		for _, f := range r.Findings {
			kinds[f.Kind] = true
		}
		if r.State != StateAct || r.Check != nil || !kinds[KindOverBudget] || !kinds[KindLateCommits] || !kinds[KindCut] || r.Pin.SHA != pin.SHA {
			t.Errorf("group %d: state %s, checked %v, findings %v; want act, the report not checked, over-budget, late-commits and cut",
				g, r.State, r.Check != nil, r.Findings)
		}
	}
}
