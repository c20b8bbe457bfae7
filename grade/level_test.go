package grade

import (
	"slices"
	"strings"
	"testing"
	"time"

	"handin/workspace"
)

// gradeWith grades a group of a 2026 report with these answers (see
// synthReport), tree files and pin, at these levels.
func gradeWith(t *testing.T, answers map[int]string, files []string, pin workspace.Pin, levels Levels) *GroupResult {
	t.Helper()
	spec := loadSpec(t)
	snap := &workspace.Snapshot{Group: 7, Students: []string{"s111111"}, Status: workspace.StatusOK,
		Deadline: at("2026-01-23T23:59:59+01:00"), ScrapedAt: at("2026-01-24T00:10:00+01:00"), Pin: pin,
		Commits: []workspace.Commit{{SHA: "a1", AuthorName: "Ann", AuthorEmail: "s111111@student.dtu.dk",
			AuthorTime: at("2026-01-20T10:00:00Z"), CommitTime: at("2026-01-20T10:00:00Z")}}}
	if answers == nil {
		answers = map[int]string{}
	}
	if _, ok := answers[1]; !ok {
		answers[1] = "7"
	}
	if _, ok := answers[2]; !ok {
		answers[2] = "s111111"
	}
	for _, f := range append(files, "reports/figures/f0.png", "reports/figures/f1.png") {
		snap.Tree = append(snap.Tree, workspace.File{Path: f, Size: 10, Mode: workspace.ModeFile})
	}
	s := saveSnapshot(t, testWorkspace(t), snap, map[string]string{"reports/README.md": synthReport(spec, answers)})
	return Grade(s, Options{Spec: spec, Levels: levels})
}

// The state is the highest level of the findings, and the course's levels
// decide each kind's: a kind made information no longer counts.
func TestStateIsTheHighestLevel(t *testing.T) {
	r := gradeWith(t, map[int]string{1: "41", 4: "too short", 19: "[plot](figures/f0.png)"}, nil, workspace.Pin{SHA: "a1"}, Levels{})
	levels := map[Kind]Level{}
	for _, f := range r.Findings {
		levels[f.Kind] = f.Level
	}
	if levels[KindGroupNumber] != LevelAct || levels[KindWords] != LevelGrade || levels[KindLinkImage] != LevelCheck || r.State != StateAct {
		t.Errorf("state %s, levels %v: want act (another group's number), grade, check", r.State, levels)
	}
	if got := CompareFindings(r.Reasons()[0], r.Reasons()[len(r.Reasons())-1]); got > 0 || r.Reasons()[0].Kind != KindGroupNumber {
		t.Errorf("reasons %q: want the most pressing first", texts(r.Reasons()))
	}

	course, err := NewLevels(map[string]string{"group-number": "info", "words": "check", "images": "check"})
	if err != nil {
		t.Fatal(err)
	}
	r = gradeWith(t, map[int]string{1: "41", 4: "too short", 19: "[plot](figures/f0.png)"}, nil, workspace.Pin{SHA: "a1"}, course)
	if r.State != StateCheck {
		t.Errorf("with group numbers information and counts to check, the state is %s: %q", r.State, texts(r.Reasons()))
	}
	for _, q := range r.Check.Questions {
		for _, f := range slices.Concat(q.Problems, q.Findings) {
			if f.Kind == KindWords && f.Level != LevelCheck {
				t.Errorf("Q%d's own finding %s is at %s, not the course's level", q.Number, f.Kind, f.Level)
			}
		}
	}
	for _, bad := range []map[string]string{{"nope": "act"}, {"words": "urgent"}} {
		if _, err := NewLevels(bad); err == nil {
			t.Errorf("NewLevels(%v) accepted", bad)
		}
	}
}

// A word count just outside its range is the lesser case: a level lower,
// and so titled.
func TestWordCountJustOutOfRangeIsMinor(t *testing.T) {
	for _, tc := range []struct {
		got   int
		minor bool
	}{{90, true}, {89, false}, {220, true}, {221, false}} {
		f := rangeProblem(KindWords, 3, "words", tc.got, Range{Min: 100, Max: 200})
		if f.Minor != tc.minor || (f.Level == LevelCheck) != tc.minor {
			t.Errorf("%d words of 100-200: minor %v at %s, want minor %v", tc.got, f.Minor, f.Level, tc.minor)
		}
		if tc.minor && TitleOf(f) != "word count just out of range" {
			t.Errorf("%d words: titled %q", tc.got, TitleOf(f))
		}
	}
	if f := rangeProblem(KindImages, 3, "images", 0, Range{Min: 1, Max: 1}); f.Minor {
		t.Error("an image count is never minor")
	}
}

// A checklist deleted, or nothing ticked, is to check; a group number left
// out of an answered Question 1 too, while another group's is to act on; an
// unanswered Question 1 or 2 is only unanswered.
func TestChecklistAndGroupInformation(t *testing.T) {
	spec := loadSpec(t)
	noChecklist := strings.Replace(synthReport(spec, map[int]string{1: "7", 2: "s111111"}), "* [x] a task", "", 1)
	nothingTicked := strings.Replace(synthReport(spec, map[int]string{1: "7", 2: "s111111"}), "* [x] a task", "* [ ] a task\n* [ ] another", 1)
	for _, tc := range []struct {
		name, report string
		want         map[Kind]Level
		not          []Kind
	}{
		{"checklist deleted", noChecklist, map[Kind]Level{KindNoChecklist: LevelCheck}, []Kind{KindNothingTicked}},
		{"nothing ticked", nothingTicked, map[Kind]Level{KindNothingTicked: LevelCheck}, []Kind{KindNoChecklist}},
		{"no group number", synthReport(spec, map[int]string{1: "our group", 2: "s111111"}), map[Kind]Level{KindNoGroupNumber: LevelCheck}, []Kind{KindGroupNumber}},
		{"another group's number", synthReport(spec, map[int]string{1: "41", 2: "s111111"}), map[Kind]Level{KindGroupNumber: LevelAct}, nil},
		{"Questions 1 and 2 unanswered", synthReport(spec, map[int]string{1: "--- question 1 fill here ---", 2: "--- question 2 fill here ---"}),
			map[Kind]Level{KindUnanswered: LevelGrade}, []Kind{KindNoGroupNumber, KindNoStudentIDs, KindGroupNumber}},
		{"Question 2 deleted", synthReport(spec, map[int]string{1: "7", 2: "-"}), map[Kind]Level{KindMissing: LevelAct}, []Kind{KindNoStudentIDs}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snap := &workspace.Snapshot{Group: 7, Students: []string{"s111111"}, Status: workspace.StatusOK, Pin: workspace.Pin{SHA: "a1"}}
			r := Grade(saveSnapshot(t, testWorkspace(t), snap, map[string]string{"reports/README.md": tc.report}), Options{Spec: spec})
			for k, level := range tc.want {
				if fs := findingsOf(r, k); len(fs) == 0 || fs[0].Level != level {
					t.Errorf("%s: %+v, want one at %s", k, fs, level)
				}
			}
			for _, k := range tc.not {
				if fs := findingsOf(r, k); len(fs) > 0 {
					t.Errorf("%s: %+v, want none", k, fs)
				}
			}
		})
	}
}

// A group whose repository this run could not reach is graded from the
// snapshot an earlier run scraped, and is to act on; once a scrape reaches
// it again, it is not.
func TestOldDataIsToActOn(t *testing.T) {
	ws := testWorkspace(t)
	snap := &workspace.Snapshot{Group: 7, Students: []string{"s111111"}, Status: workspace.StatusOK, Pin: workspace.Pin{SHA: "a1"},
		ScrapedAt: at("2026-01-24T00:05:00+01:00")}
	files := map[string]string{"reports/README.md": synthReport(loadSpec(t), map[int]string{1: "7", 2: "s111111"})}
	saveSnapshot(t, ws, snap, files)
	if err := ws.SaveUnreached(7, workspace.Unreached{Time: at("2026-01-25T09:00:00+01:00"), Status: workspace.StatusTimeout, Error: "gave up after 5m"}); err != nil {
		t.Fatal(err)
	}
	s, err := ws.LoadSnapshot(7)
	if err != nil {
		t.Fatal(err)
	}
	r := Grade(s, Options{Spec: loadSpec(t)})
	old := findingsOf(r, KindOldData)
	want := "graded from the snapshot scraped at 2026-01-24 00:05:00: the scrape at 2026-01-25 09:00:00 could not reach the repository (timeout: gave up after 5m)"
	if r.State != StateAct || len(old) != 1 || old[0].Message != want {
		t.Errorf("state %s, old data %+v, want act and %q", r.State, old, want)
	}
	if err := ws.ClearUnreached(7); err != nil {
		t.Fatal(err)
	}
	if s, err = ws.LoadSnapshot(7); err != nil {
		t.Fatal(err)
	}
	if r := Grade(s, Options{Spec: loadSpec(t)}); len(findingsOf(r, KindOldData)) != 0 {
		t.Errorf("reached again, still old data: %+v", r.Findings)
	}
}

// Late commits are characterised: the report's own path is the report (a
// README elsewhere is not), an image it shows a figure; those commits are
// late work (grade), the rest late commits (information), bots counted
// apart; a figure missing at the deadline says which late commit added it
// and when. Backdating is unknown without a sighting before the deadline or
// the push log.
func TestLateCommitsAreCharacterised(t *testing.T) {
	deadline := at("2026-01-23T23:59:59+01:00")
	late := []workspace.LateCommit{ // newest first, as the pin lists them
		{SHA: "d4" + strings.Repeat("0", 38), AuthorName: "dependabot[bot]", CommitTime: deadline.Add(20 * 24 * time.Hour), Subject: "bump torch",
			Files: []workspace.LateFile{{Path: "requirements.txt"}}},
		{SHA: "c3" + strings.Repeat("0", 38), AuthorName: "Ann", CommitTime: deadline.Add(3 * time.Hour), Subject: "readme",
			Files: []workspace.LateFile{{Path: "README.md", Report: true}, {Path: "docs/diagram.png", Figure: true}}},
		{SHA: "b2" + strings.Repeat("0", 38), AuthorName: "Ann", CommitTime: deadline.Add(32 * time.Second), Subject: "add figures",
			Files: []workspace.LateFile{{Path: "reports/figures/f2.png", Figure: true}, {Path: "reports/README.md", Report: true}}},
	}
	pin := workspace.Pin{SHA: "a1", LateCommits: 3, Late: late,
		Evidence: []workspace.Evidence{{Source: workspace.SourceEvidenceLog, Time: deadline.Add(time.Hour), TipSHA: late[0].SHA, Role: workspace.RoleBound}}}
	r := gradeWith(t, map[int]string{14: "word\n\n![a](figures/f2.png)"}, nil, pin, Levels{})

	work, other := findingsOf(r, KindLateWork), findingsOf(r, KindLateCommits)
	if len(work) != 1 || work[0].Level != LevelGrade ||
		work[0].Message != "the report and 1 figure changed after the deadline in 1 late commit, 32 s after the deadline (b200000)" {
		t.Errorf("late work %+v", work)
	}
	if len(other) != 1 || other[0].Level != LevelInfo ||
		other[0].Message != "2 late commits after the commit that counts change neither the report nor its figures (1 by bots), 3 h to 2 weeks after the deadline" {
		t.Errorf("late commits %+v", other)
	}
	if !r.Pin.Late[0].Bot || r.Pin.Late[1].Bot || r.Pin.Late[1].Files[0].Report || r.Pin.Late[1].Files[1].Figure {
		t.Errorf("late commits %+v: want the bot marked, the root README and an image the report does not show unmarked", r.Pin.Late)
	}
	missing := findingsOf(r, KindMissingFile)
	if len(missing) != 1 || missing[0].AddedLate == nil || missing[0].AddedLate.After != 32 ||
		!strings.HasSuffix(missing[0].Message, "; added 32 s after the deadline in b200000") || missing[0].Level != LevelGrade {
		t.Errorf("missing figure %+v", missing)
	}
	q := r.Check.Questions[13]
	if i := slices.IndexFunc(q.Findings, func(f Finding) bool { return f.Kind == KindMissingFile }); i < 0 || q.Findings[i].AddedLate == nil {
		t.Errorf("Q14's own finding does not say the figure was added late: %+v", q.Findings)
	}
	if r.Pin.BackdatingKnown {
		t.Error("backdating known from a first sighting after the deadline alone")
	}
	pin.Evidence = append(pin.Evidence, workspace.Evidence{Source: workspace.SourceEvidenceLog, Time: deadline.Add(-time.Hour), TipSHA: "a1", Role: workspace.RoleOnTime})
	if r := gradeWith(t, nil, nil, pin, Levels{}); !r.Pin.BackdatingKnown {
		t.Error("backdating unknown with a sighting before the deadline")
	}
}
