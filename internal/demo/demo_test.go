package demo

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"handin/grade"
	"handin/internal/slowtest"
	"handin/scrape"
	"handin/workspace"
)

// demoNow is a fixed clock: the course's deadline is 2026-01-20 23:59:59 CET.
var demoNow = time.Date(2026, 1, 23, 10, 0, 0, 0, time.UTC)

// TestCourseThroughScrapeAndGrade scrapes and grades the served demo course
// and checks that every group shows exactly the situation its case names.
func TestCourseThroughScrapeAndGrade(t *testing.T) {
	slowtest.Skip(t, "the demo course of 24 groups scraped and graded")
	if err := CheckGit(); err != nil {
		t.Skipf("SKIPPING: %v", err)
	}
	c, err := Build(t.TempDir(), demoNow)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 1, 20, 23, 59, 59, 0, Location()); !c.Deadline.Equal(want) {
		t.Fatalf("deadline %s, want %s", c.Deadline, want)
	}
	srv, err := Serve(c)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ws, err := workspace.Create(filepath.Join(t.TempDir(), "ws"))
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ctx := context.Background()
	replayed, err := c.ReplayDeadline(ctx, ws)
	if err != nil {
		t.Fatal(err)
	}
	if want := slices.Sorted(slices.Values(slices.Concat(c.GroupsWith(CaseBackdated), c.GroupsWith(CaseLastMinute), c.GroupsWith(CaseStopsAnswering)))); !slices.Equal(replayed, want) {
		t.Errorf("replayed groups %v, want %v", replayed, want)
	}
	groups, err := scrape.ReadGroupsFile(c.GroupsFile, Location())
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != DefaultGroups {
		t.Fatalf("groups.csv has %d rows, want %d", len(groups), DefaultGroups)
	}
	if _, err := scrape.Run(ctx, ws, scrape.Options{Groups: groups, Deadline: c.Deadline, RetryDelay: time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	spec, err := grade.LoadSpec("2026")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := grade.Run(ctx, ws, grade.Options{Spec: spec})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Errors) > 0 {
		t.Fatal(sum.Errors)
	}
	if len(sum.Groups) != DefaultGroups {
		t.Fatalf("%d groups graded, want %d", len(sum.Groups), DefaultGroups)
	}
	for _, graded := range sum.Groups {
		r, err := grade.LoadResult(ws, graded.Group)
		if err != nil {
			t.Fatal(err)
		}
		g, _ := c.Group(r.Group)
		t.Run(fmt.Sprintf("group %d %s", g.Number, g.Case), func(t *testing.T) {
			checkCase(t, g, r)
		})
	}
}

// checkCase asserts the graded result of one group against its case.
func checkCase(t *testing.T, g Group, r *grade.GroupResult) {
	t.Helper()
	if g.Case != CaseUnreachable && g.Case != CaseNoReport {
		if r.Status != workspace.StatusOK || r.Check == nil {
			t.Fatalf("status %s (%s), check %v", r.Status, r.Error, r.Check != nil)
		}
		if r.Stats.Contributors < 2 || r.Stats.Contributors > 4 || r.Stats.Commits < 12 {
			t.Errorf("contributors %d, commits %d: want 2-4 authors and a real history", r.Stats.Contributors, r.Stats.Commits)
		}
		if !r.Pin.Backdated && r.Stats.MergedPRs == 0 && g.Number%3 != 0 {
			t.Errorf("no merged pull request")
		}
		if got := len(r.Check.Checklist); got != 4 && g.Case != CaseNoChecklist {
			t.Errorf("%d checklist sections, want 4", got)
		}
		// Groups first scraped after the deadline cannot be shown
		// backdated; those scraped before it too can.
		replayed := g.Case == CaseBackdated || g.Case == CaseLastMinute || g.Case == CaseStopsAnswering
		if r.Pin.BackdatingKnown != replayed {
			t.Errorf("backdating known %v; first scraped before the deadline %v", r.Pin.BackdatingKnown, replayed)
		}
	}
	kinds := func(level grade.Level) []grade.Kind {
		var ks []grade.Kind
		for _, f := range r.Findings {
			if f.Level == level && !slices.Contains(ks, f.Kind) {
				ks = append(ks, f.Kind)
			}
		}
		return ks
	}
	failing := func() []int {
		var qs []int
		for _, q := range r.Check.Questions {
			if !q.Pass {
				qs = append(qs, q.Number)
			}
		}
		return qs
	}
	findings := func(kind grade.Kind) []int {
		var qs []int
		for _, q := range r.Check.Questions {
			for _, f := range q.Findings {
				if f.Kind == kind {
					qs = append(qs, q.Number)
				}
			}
		}
		return qs
	}
	switch g.Case {
	case CaseGood:
		if r.State != grade.StateOK || !r.Check.Pass || r.Pin.LateCommits != 0 || r.Pin.OutOfOrder {
			t.Errorf("a good group is %s with %+v (pass %v, late %d)", r.State, r.Reasons(), r.Check.Pass, r.Pin.LateCommits)
		}
		if len(r.Students) != len(g.Students) || len(r.UnmatchedAuthors) > 0 {
			t.Errorf("students %+v, unmatched %+v", r.Students, r.UnmatchedAuthors)
		}
	case CaseShortAnswers:
		if got := failing(); !slices.Equal(got, []int{4, 8, 11, 16, 24}) {
			t.Errorf("failing questions %v", got)
		}
	case CaseMissingFigures:
		if got := findings(grade.KindMissingFile); !slices.Equal(got, []int{14, 20}) {
			t.Errorf("missing files in %v", got)
		}
		if got := findings(grade.KindCaseMismatch); !slices.Equal(got, []int{29}) {
			t.Errorf("case mismatch in %v", got)
		}
	case CasePlaceholders:
		if got := findings(grade.KindUnanswered); !slices.Equal(got, []int{27, 28}) {
			t.Errorf("unanswered %v", got)
		}
		if got := findings(grade.KindPlaceholder); !slices.Equal(got, []int{31}) {
			t.Errorf("placeholder left in %v", got)
		}
	case CaseWrongGroup:
		if r.Roster.GroupOK || r.Roster.GroupWritten == nil || *r.Roster.GroupWritten != g.Number*10+1 {
			t.Errorf("roster %+v", r.Roster)
		}
	case CaseMissingStudent:
		if want := g.Students[len(g.Students)-1:]; !slices.Equal(r.Roster.Missing, want) {
			t.Errorf("missing students %v, want %v", r.Roster.Missing, want)
		}
	case CaseUnmatchedAuthor:
		// information, not a problem: the student may well be the unmapped identity
		last := g.Students[len(g.Students)-1]
		attribution := func(f grade.Finding) bool {
			return f.Kind == grade.KindAttribution && strings.Contains(f.Message, last)
		}
		if !slices.ContainsFunc(r.Findings, attribution) || r.State != grade.StateOK || len(r.UnmappedIdentities) != 1 {
			t.Errorf("state %s, findings %+v, unmapped %+v", r.State, r.Findings, r.UnmappedIdentities)
		}
	case CaseLate:
		if r.Pin.LateCommits != 2 || r.Check.Pass {
			t.Errorf("late commits %d, pass %v: the report was finished after the deadline", r.Pin.LateCommits, r.Check.Pass)
		}
	case CaseBackdated:
		if !r.Pin.Backdated || !r.Pin.OutOfOrder || r.Check.Pass || r.Pin.LateCommits != 1 {
			t.Fatalf("backdated %v, out of order %v, pass %v, late %d", r.Pin.Backdated, r.Pin.OutOfOrder, r.Check.Pass, r.Pin.LateCommits)
		}
		// The scrape right after the deadline proves it; the page lists it.
		late := r.Pin.Late[0]
		if !late.Backdated || !late.CommitTime.Before(r.Deadline) || late.Subject != "final report" ||
			!slices.Equal(late.Files, []workspace.LateFile{{Path: "reports/README.md", Report: true}}) {
			t.Errorf("late commit %+v", late)
		}
		if bound := r.Pin.Evidence[len(r.Pin.Evidence)-1]; bound.Role != workspace.RoleBound || !bound.Time.Equal(r.Deadline.Add(time.Minute)) {
			t.Errorf("evidence %+v: want the scrape a minute after the deadline as the bound", r.Pin.Evidence)
		}
	case CaseLastMinute:
		// Pushed after the cron scrape ten minutes before the deadline, and
		// there when the scrape a minute after it looked: it counts.
		if r.State != grade.StateOK || !r.Check.Pass || r.Pin.LateCommits != 0 || r.Pin.Backdated || r.Pin.By != workspace.PinnedByCommitterDate {
			t.Errorf("%s, pass %v, %d late, backdated %v, pinned by %s", r.State, r.Check.Pass, r.Pin.LateCommits, r.Pin.Backdated, r.Pin.By)
		}
		if ev := r.Pin.Evidence; len(ev) != 2 || !ev[0].Time.Equal(r.Deadline.Add(-10*time.Minute)) || !ev[1].Time.Equal(r.Deadline.Add(time.Minute)) {
			t.Errorf("evidence %+v: want the scrapes before and after the deadline", ev)
		}
	case CaseUnreachable:
		if r.Status != workspace.StatusNotFound || r.State != grade.StateFailed {
			t.Errorf("status %s, want not-found", r.Status)
		}
	case CaseNoReport:
		if r.Status != workspace.StatusNoReport || r.Check != nil {
			t.Errorf("status %s", r.Status)
		}
	case CaseReportAtRoot:
		if !r.WrongLocation || r.ReportPath != "README.md" || !r.Check.Pass {
			t.Errorf("report at %s (wrong location %v), pass %v", r.ReportPath, r.WrongLocation, r.Check.Pass)
		}
	case CaseLateFigures:
		// Missing at the deadline, added 32 s after it: said on Question 14,
		// and the late commit is late work, its figures kept as they arrived.
		var added []int64
		for _, q := range r.Check.Questions {
			for _, f := range q.Findings {
				if f.Kind == grade.KindMissingFile && f.AddedLate != nil && q.Number == 14 {
					added = append(added, f.AddedLate.After)
				}
			}
		}
		work := findingsOf(r, grade.KindLateWork)
		if r.State != grade.StateGrade || !slices.Equal(added, []int64{32, 32}) || len(work) != 1 ||
			!strings.Contains(work[0].Message, "2 figures changed after the deadline in 1 late commit, 32 s after the deadline") {
			t.Errorf("state %s, added late %v, late work %+v", r.State, added, work)
		}
		if len(r.Pin.Late) != 1 || !slices.ContainsFunc(r.Pin.Late[0].Files, func(f workspace.LateFile) bool { return f.Kept && f.Figure }) {
			t.Errorf("late commit %+v: want its figures kept", r.Pin.Late)
		}
	case CaseBotLate:
		late := findingsOf(r, grade.KindLateCommits)
		if r.State != grade.StateOK || r.Pin.LateCommits != 3 || len(late) != 1 || late[0].Level != grade.LevelInfo ||
			!strings.Contains(late[0].Message, "3 late commits after the commit that counts change neither the report nor its figures (3 by bots), 2 days to 2 weeks after the deadline") {
			t.Errorf("state %s, %d late, findings %+v", r.State, r.Pin.LateCommits, late)
		}
	case CasePlaceholderLeft:
		if got := findings(grade.KindPlaceholder); r.State != grade.StateCheck || len(got) != 29 || !r.Check.Pass {
			t.Errorf("state %s, placeholders in %v, pass %v: want check, 29 questions, every question passing", r.State, got, r.Check.Pass)
		}
	case CaseNoChecklist:
		if r.State != grade.StateCheck || !slices.Equal(kinds(grade.LevelCheck), []grade.Kind{grade.KindNoChecklist}) || r.Claims != nil {
			t.Errorf("state %s, to check %v", r.State, kinds(grade.LevelCheck))
		}
	case CaseQuestionDeleted:
		if r.State != grade.StateAct || !slices.Equal(kinds(grade.LevelAct), []grade.Kind{grade.KindMissing}) || !slices.Equal(failing(), []int{23}) {
			t.Errorf("state %s, to act on %v, failing %v", r.State, kinds(grade.LevelAct), failing())
		}
	case CaseCodeImages:
		if got := findings(grade.KindCodeImage); r.State != grade.StateCheck || !slices.Equal(got, []int{19, 21}) {
			t.Errorf("state %s, images in backticks in %v", r.State, got)
		}
	case CaseStopsAnswering:
		old := findingsOf(r, grade.KindOldData)
		if r.State != grade.StateAct || r.Status != workspace.StatusOK || len(old) != 1 || !strings.Contains(old[0].Message, "could not reach the repository (not-found") {
			t.Errorf("state %s, status %s, old data %+v", r.State, r.Status, old)
		}
	default:
		t.Fatalf("no check for case %s", g.Case)
	}
}

func TestBuildCoursesOfAnySize(t *testing.T) {
	c, err := Build(t.TempDir(), demoNow, WithGroups(3))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Groups) != 3 || c.Groups[2].Number != 3 || len(c.GroupsWith(CaseGood)) != 1 || len(c.GroupsWith(CaseLateFigures)) != 1 {
		t.Fatalf("groups %+v", c.Groups)
	}
	if caseOf(DefaultGroups+11) != CaseBackdated || caseOf(DefaultGroups) != caseCycle[DefaultGroups-1] {
		t.Error("larger courses do not repeat the case list")
	}
	if _, err := Build(c.Dir, demoNow); err == nil {
		t.Error("Build into a non-empty folder succeeded")
	}
	if _, err := Build(t.TempDir(), demoNow, WithGroups(0)); err == nil {
		t.Error("Build of 0 groups succeeded")
	}
}

func TestAnswersHaveTheirPlannedLength(t *testing.T) {
	spec, err := grade.LoadSpec("2026")
	if err != nil {
		t.Fatal(err)
	}
	for group := 1; group <= 40; group++ {
		p := newProject(group)
		for _, q := range spec.Questions {
			if q.Words == nil || q.Number <= 2 {
				continue
			}
			n := p.answerLength(q.Words, false)
			if !q.Words.Contains(n) {
				t.Fatalf("group %d question %d: length %d outside %+v", group, q.Number, n, *q.Words)
			}
			if got := len(strings.Fields(p.prose(q.Number, n))); got != n {
				t.Fatalf("group %d question %d: prose has %d words, want %d", group, q.Number, got, n)
			}
			if short := p.answerLength(q.Words, true); q.Words.Min > 0 && q.Words.Contains(short) {
				t.Fatalf("question %d: a short answer of %d words is within %+v", q.Number, short, *q.Words)
			}
		}
	}
}

func TestFiguresAreRealDistinctPNGs(t *testing.T) {
	seen := map[string]bool{}
	for kind := range []figureKind{figureCurves, figureBars, figureDiagram} {
		for seed := range uint64(3) {
			data, err := figurePNG(figureKind(kind), seed)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != figureWidth || b.Dy() != figureHeight {
				t.Fatalf("size %v", b)
			}
			if seen[string(data)] {
				t.Errorf("kind %d seed %d repeats another figure", kind, seed)
			}
			seen[string(data)] = true
		}
	}
	if _, err := figurePNG(figureKind(99), 1); err == nil {
		t.Error("unknown kind accepted")
	}
}

// findingsOf are the result's findings of a kind.
func findingsOf(r *grade.GroupResult, kind grade.Kind) []grade.Finding {
	var out []grade.Finding
	for _, f := range r.Findings {
		if f.Kind == kind {
			out = append(out, f)
		}
	}
	return out
}
