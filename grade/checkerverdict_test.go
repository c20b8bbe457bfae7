package grade

import (
	"slices"
	"strings"
	"testing"

	"handin/workspace"
)

// segmentationFinding is a question's checker-segmentation finding.
func segmentationFinding(t *testing.T, q QuestionResult) Finding {
	t.Helper()
	i := slices.IndexFunc(q.Findings, func(f Finding) bool { return f.Kind == KindCheckerSegmentation })
	if i < 0 {
		t.Fatalf("Q%d: no checker-segmentation finding in %v", q.Number, texts(q.Findings))
	}
	return q.Findings[i]
}

// TestCheckerCountsInResult: a question's words, images and pass are the
// checker's; where it read other text than the answer, the whole answer's
// counts come beside them with a finding that is information while both
// verdicts agree and a problem, saying which way, when they differ.
func TestCheckerCountsInResult(t *testing.T) {
	tests := []struct {
		name               string
		q3, q4             string
		question           int
		words, images      int  // the checker's
		pass               bool // the checker's
		whole              AnswerCounts
		problem            bool
		message            string
		checkerProblemKind Kind
	}{
		{
			name: "sub-heading, both pass", question: 3,
			q3:    "one two three four five six seven eight nine ten\n\n### Details\n\nmore text",
			q4:    "![a](figures/a.png)",
			words: 10, pass: true,
			whole:   AnswerCounts{Words: 14, Pass: true, Segment: SegmentStoppedEarly, Line: 18},
			message: `the checker stopped at the "###" on line 18: it counted 10 of the answer's 14 words and 0 of its 0 images; the whole answer has 14 words and 0 images: both pass`,
		},
		{
			name: "sub-heading, the checker fails what the answer passes", question: 3,
			q3:    "one two three four five\n\n### Details\n\nsix seven eight nine ten eleven",
			q4:    "![a](figures/a.png)",
			words: 5, pass: false, checkerProblemKind: KindWords,
			whole:   AnswerCounts{Words: 13, Pass: true, Segment: SegmentStoppedEarly, Line: 18},
			problem: true,
			message: `the checker stopped at the "###" on line 18: it counted 5 of the answer's 13 words and 0 of its 0 images; the whole answer has 13 words and 0 images: the checker fails the question, but the whole answer passes`,
		},
		{
			name: "heading after the last answer, the checker passes what the answer fails", question: 4,
			q3:    "one two three four five six seven eight nine ten",
			q4:    "no image here\n\n# Appendix\n\n![a](figures/a.png)",
			words: 6, images: 1, pass: true,
			whole:   AnswerCounts{Words: 3, Images: 0, Pass: false, Segment: SegmentStrayed, Line: 23},
			problem: true,
			message: "the checker ran past the answer's end and counted text from line 23 on (6 words, the answer has 3); the checker passes the question, but the answer as written fails (too few images: 0, expected 1-2)",
		},
		{
			name: `"Answer:" twice`, question: 3,
			q3:    "Answer: one two three four five six seven eight nine ten",
			q4:    "![a](figures/a.png)",
			words: 10, pass: true,
			whole:   AnswerCounts{Words: 11, Pass: true, Segment: SegmentStrayed, Line: 16},
			message: `the checker counted the text after "Answer:" on line 16 (10 words), not the answer from line 16 (11 words); the whole answer has 11 words and 0 images: both pass`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := checkText(t, miniReport("7", "s123456", tt.q3, tt.q4), miniSpec, nil)
			if res.Checker.Crash != nil || res.Checker.Version != "2026-01-09 e3622b4" {
				t.Fatalf("checker %+v", res.Checker)
			}
			q := res.Questions[tt.question-1]
			if q.Words != tt.words || q.Images != tt.images || q.Pass != tt.pass {
				t.Errorf("words %d images %d pass %v, want the checker's %d %d %v", q.Words, q.Images, q.Pass, tt.words, tt.images, tt.pass)
			}
			if q.Answer == nil || *q.Answer != tt.whole {
				t.Fatalf("whole answer %+v, want %+v", q.Answer, tt.whole)
			}
			if got := kinds(q.Problems); tt.checkerProblemKind != "" && !slices.Equal(got, []Kind{tt.checkerProblemKind}) || tt.checkerProblemKind == "" && len(got) > 0 {
				t.Errorf("problems %v: the checker's reasons are wanted", got)
			}
			f := segmentationFinding(t, q)
			if f.Reason() != tt.problem || f.Message != tt.message || f.Line != tt.whole.Line {
				t.Errorf("finding (problem %v, line %d):\n %s\nwant (problem %v):\n %s", f.Reason(), f.Line, f.Message, tt.problem, tt.message)
			}
			for _, other := range res.Questions {
				if other.Number != tt.question && other.Answer != nil {
					t.Errorf("Q%d: whole answer given where the checker read it right", other.Number)
				}
			}
		})
	}
}

// TestCheckerCrashInResult: where the checker would stop, each question is
// handin's count of its whole answer, and the group gets one finding naming
// the cause and its line.
func TestCheckerCrashInResult(t *testing.T) {
	src := miniReport("7", "s123456", "one two three four five six seven eight nine ten", "![a](figures/a.png)") +
		"\n### Question 3\n> Answer:\n\nwritten again\n"
	res := checkText(t, src, miniSpec, nil)
	if c := res.Checker.Crash; c == nil || c.Exception != CrashCount {
		t.Fatalf("crash %+v", res.Checker.Crash)
	}
	if q := res.Questions[2]; q.Words != 10 || !q.Pass || q.Answer != nil {
		t.Errorf("Q3 = words %d pass %v answer %+v; want handin's 10 and a pass", q.Words, q.Pass, q.Answer)
	}
	var crashes []Finding
	for _, f := range checkFindings(res) {
		if f.Kind == KindCheckerCrash {
			crashes = append(crashes, f)
		}
	}
	dup := lineOf(t, src, "written again") - 3
	want := "the course checker (report.py check, 2026-01-09 e3622b4) would stop with ValueError: the checker finds 5 answers where it expects 4 and stops " +
		"(Question 3 appears again on line 23 (first on line 13)); the counts shown are handin's, of each whole answer"
	if len(crashes) != 1 || crashes[0].Message != want || crashes[0].Line != dup || crashes[0].Question != 0 || crashes[0].Reason() {
		t.Errorf("crash findings %+v, want one (line %d): %s", crashes, dup, want)
	}
}

// TestOnlyInformationIsOK: a graded group whose findings are all
// information is ok; one problem makes it "problems".
func TestOnlyInformationIsOK(t *testing.T) {
	spec := loadSpec(t)
	answers := map[int]string{
		1: "7", 2: "s111111 s222222",
		// the checker stops at the sub-heading: both counts pass
		3: strings.TrimSpace(strings.Repeat("word ", 60)) + "\n\n#### Our tools\n\n" + strings.TrimSpace(strings.Repeat("word ", 60)),
		// an <img>, a remote image and no "!"-less link problems
		4: strings.TrimSpace(strings.Repeat("word ", 100)) + "\n\n<img src=\"figures/f0.png\" width=\"300\">\n",
	}
	var files []string
	for i := range 4 {
		files = append(files, "reports/figures/f"+string(rune('0'+i))+".png")
	}
	commits := []workspace.Commit{
		{SHA: "a1", AuthorName: "Ann", AuthorEmail: "s111111@student.dtu.dk", AuthorTime: at("2026-01-20T10:00:00Z"), CommitTime: at("2026-01-20T10:00:00Z")},
		{SHA: "b2", AuthorName: "Bo", AuthorEmail: "bo@home.example", AuthorTime: at("2026-01-21T10:00:00Z"), CommitTime: at("2026-01-21T10:00:00Z")},
	}
	grade := func(t *testing.T, pin workspace.Pin) *GroupResult {
		snap := &workspace.Snapshot{Group: 7, Students: []string{"s111111", "s222222"}, Status: workspace.StatusOK,
			Deadline: at("2026-01-23T14:00:00+01:00"), Pin: pin, Commits: commits}
		for _, f := range files {
			snap.Tree = append(snap.Tree, workspace.File{Path: f, Size: 10, Mode: workspace.ModeFile})
		}
		s := saveSnapshot(t, testWorkspace(t), snap, map[string]string{"reports/README.md": synthReport(spec, answers)})
		return Grade(s, Options{Spec: spec})
	}
	r := grade(t, workspace.Pin{SHA: "a1"})
	if r.State != StateOK || len(r.Reasons()) != 0 {
		t.Fatalf("state %s, problems %q", r.State, texts(r.Reasons()))
	}
	var info []Kind
	for _, f := range r.Findings {
		info = append(info, f.Kind)
	}
	for _, k := range []Kind{KindCheckerSegmentation, KindHTMLImage, KindAttribution} {
		if !slices.Contains(info, k) {
			t.Errorf("no %s among the information %v", k, info)
		}
	}
	if len(r.UnmappedIdentities) != 1 || r.UnmappedIdentities[0].Email != "bo@home.example" {
		t.Errorf("unmapped identities %+v", r.UnmappedIdentities)
	}
	late := grade(t, workspace.Pin{SHA: "a1", LateCommits: 2})
	if lc := findingsOf(late, KindLateCommits); late.State != StateOK || len(lc) != 1 || lc[0].Message != "2 late commits not listed: what they changed is not known" {
		t.Errorf("with late commits not listed: state %s, late commits %+v", late.State, lc)
	}
}
