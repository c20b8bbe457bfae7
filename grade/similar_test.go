package grade

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"handin/archive"
	"handin/grade/similarity/prosetest"
	"handin/workspace"
)

// similarPrompt is the prompt every report of similarCourse quotes, and
// two of them in their answers too.
const similarPrompt = "> Explain how you set up continuous integration for your project: which operating systems, which Python\n> versions, and whether you cache dependencies. Recommended answer length: 100-200 words."

// answersReport is a report with the prompt under each question and the
// answers given.
func answersReport(answers map[int]string) string {
	var b strings.Builder
	for _, q := range slices.Sorted(maps.Keys(answers)) {
		fmt.Fprintf(&b, "### Question %d\n\n%s\n>\n> Answer:\n\n%s\n\n", q, similarPrompt, answers[q])
	}
	return b.String()
}

// ownAnswers are a group's answers to questions 1..10, written on its own
// (Questions 1 and 2: its number and students).
func ownAnswers(group int) map[int]string {
	out := map[int]string{1: fmt.Sprint("Group ", group), 2: fmt.Sprintf("s26%04d, s26%04d", group, group+1)}
	for q := 3; q <= 10; q++ {
		out[q] = prosetest.Prose(uint64(group*100+q), 8)
	}
	return out
}

// similarCourse: group 3 copies three answers of group 1 (one verbatim,
// one with a word changed in every sentence, one with its sentences
// reordered); groups 2 and 4 quote the prompt in an answer and write the
// same short command; group 5 hands in archived group 7's report of
// mlops 2025 with its answers moved one question on.
func similarCourse(t *testing.T) (*workspace.Workspace, string) {
	t.Helper()
	deadline := time.Date(2026, 1, 23, 23, 59, 0, 0, time.UTC)
	answers := map[int]map[int]string{}
	for g := 1; g <= 5; g++ {
		answers[g] = ownAnswers(g)
	}
	answers[3][4] = answers[1][4]
	var changed []string
	for _, s := range prosetest.Sentences(answers[1][6]) {
		w := strings.Fields(s)
		w[len(w)/2] = "altered"
		changed = append(changed, strings.Join(w, " "))
	}
	answers[3][6] = strings.Join(changed, " ")
	s := prosetest.Sentences(answers[1][8])
	answers[3][8] = strings.Join([]string{s[5], s[2], s[7], s[0], s[3], s[6], s[1], s[4]}, " ")
	command := "\n\n```\ndocker build -t api:latest -f dockerfiles/api.dockerfile .\n```"
	answers[2][5] += "\n\n" + similarPrompt + command
	answers[4][5] += "\n\n" + similarPrompt + command

	archived := ownAnswers(7)
	dir := t.TempDir()
	var old archive.Report
	old.Group = 7
	for q := 3; q <= 10; q++ {
		old.Answers = append(old.Answers, archive.Answer{Question: q, Text: archived[q]})
		answers[5][3+(q-2)%8] = archived[q] // Q3 to Q4, ..., Q10 to Q3
	}
	if _, err := archive.Add(dir, "mlops", 2025, []archive.Report{old}); err != nil {
		t.Fatal(err)
	}
	ws := testWorkspace(t)
	for g := 1; g <= 5; g++ {
		saveSnapshot(t, ws, &workspace.Snapshot{Group: g, Status: workspace.StatusOK, Deadline: deadline},
			map[string]string{"reports/README.md": answersReport(answers[g])})
	}
	return ws, dir
}

// similarOf is what a result says of the answers it shares, a line each.
func similarOf(r *GroupResult) []string {
	var out []string
	for _, s := range r.Similar {
		out = append(out, fmt.Sprintf("Q%d %s", s.Question, s.Other()))
	}
	return out
}

func TestCopiedAnswersAreToldToBothGroups(t *testing.T) {
	ws, dir := similarCourse(t)
	opts := Options{Spec: loadSpec(t), Similarity: SimilarityOptions{Archive: dir, Course: "mlops"}}
	results, errs := runAll(context.Background(), ws, opts)
	if len(errs) > 0 || len(results) != 5 {
		t.Fatalf("%d results, errors %v", len(results), errs)
	}
	want := map[int][]string{
		// three answers of eight: more than 30 % of the report too
		1: {"Q4 group 3", "Q6 group 3", "Q8 group 3", "Q0 group 3"},
		2: nil,
		3: {"Q4 group 1", "Q6 group 1", "Q8 group 1", "Q0 group 1"},
		4: nil,
		5: {"Q0 group 7 of mlops 2025"},
	}
	for _, r := range results {
		if got := similarOf(r); !slices.Equal(got, want[r.Group]) {
			t.Errorf("group %d: similar %q, want %q", r.Group, got, want[r.Group])
		}
		for _, f := range slices.Concat(findingsOf(r, KindSimilarAnswer), findingsOf(r, KindSimilarReport)) {
			if f.Level != LevelCheck {
				t.Errorf("group %d: %s at %s, want check", r.Group, f.Kind, f.Level)
			}
		}
	}
	moved := results[4].Similar[0]
	if len(moved.Parts) != 8 || moved.Share < 0.9 {
		t.Errorf("group 5: %d answers under other questions, share %.2f; want all 8 and nearly all words", len(moved.Parts), moved.Share)
	}
	if f := findingsOf(results[4], KindSimilarReport); len(f) != 1 || !strings.Contains(f[0].Message, "Q3 in their Q10") {
		t.Errorf("group 5: findings %+v, want the report naming Q3 in their Q10", f)
	}
}

// The course's own archived answers are not another report: grading a
// course after archiving it finds nothing new.
func TestTheCourseIsNotComparedWithItsOwnArchive(t *testing.T) {
	ws, dir := similarCourse(t)
	reports, year, err := CourseArchive(context.Background(), ws)
	if err != nil || year != 2026 || len(reports) != 5 {
		t.Fatalf("course archive: %d reports of %d, %v", len(reports), year, err)
	}
	for _, r := range reports {
		for _, a := range r.Answers {
			if rosterQuestion(a.Question) {
				t.Errorf("group %d: Question %d archived: it names the group and its students", r.Group, a.Question)
			}
		}
	}
	if _, err := archive.Add(dir, "mlops", year, reports); err != nil {
		t.Fatal(err)
	}
	opts := Options{Spec: loadSpec(t), Similarity: SimilarityOptions{Archive: dir, Course: "mlops"}}
	results, errs := runAll(context.Background(), ws, opts)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if got := similarOf(results[1]); len(got) > 0 {
		t.Errorf("group 2: similar %q, want nothing (its own archived report is no other)", got)
	}
}

// Regrading one group updates the others' saved results: group 1 learns
// that group 3 no longer copies it.
func TestSimilarityWhenGradingOneGroup(t *testing.T) {
	ws, dir := similarCourse(t)
	opts := Options{Spec: loadSpec(t), Similarity: SimilarityOptions{Archive: dir, Course: "mlops"}}
	if _, errs := runAll(context.Background(), ws, opts); len(errs) > 0 {
		t.Fatal(errs)
	}
	s3, err := ws.LoadSnapshot(3)
	if err != nil {
		t.Fatal(err)
	}
	saveSnapshot(t, ws, s3, map[string]string{"reports/README.md": answersReport(ownAnswers(3))})
	opts.Only = []int{3}
	if _, errs := runAll(context.Background(), ws, opts); len(errs) > 0 {
		t.Fatal(errs)
	}
	r1, err := LoadResult(ws, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := similarOf(r1); len(got) > 0 || len(findingsOf(r1, KindSimilarAnswer)) > 0 {
		t.Errorf("group 1 after regrading group 3: similar %q, findings %+v; want nothing", got, r1.Findings)
	}
}
