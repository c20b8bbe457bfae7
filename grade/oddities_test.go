package grade

import (
	"fmt"
	"os"
	"reflect"
	"slices"
	"testing"

	"handin/parse"
)

// TestOddities checks testdata/reports/oddities.md, a synthetic report with
// one oddity of real reports per question, against counts worked out from
// the text itself: nothing is shifted, and every oddity is named.
func TestOddities(t *testing.T) {
	data, err := os.ReadFile("../testdata/reports/oddities.md")
	if err != nil {
		t.Fatal(err)
	}
	r, err := parse.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	files := NewRepoFiles([]string{
		"reports/figures/pipeline.png", "reports/figures/coverage.png", "reports/figures/wandb.png",
		"reports/figures/bucket.png", "reports/figures/registry.png", "reports/figures/build.png",
		"reports/figures/overview.png",
	})
	res := Check("oddities.md", r, mustSpec(t, "2026"), Repository{ReportDir: "reports", Files: files})

	// {question, words, images}: str.split() tokens and ![..](..) matches of
	// the text under each heading, after its "Answer:" line: the whole
	// answer, beside the checker's counts where the checker read other text.
	want := [][3]int{{1, 3, 0}, {2, 5, 0}, {3, 123, 0}, {4, 115, 0}, {5, 104, 0}, {6, 126, 0}, {7, 6, 0}, {8, 123, 0},
		{9, 124, 1}, {10, 123, 0}, {11, 221, 1}, {12, 220, 0}, {14, 232, 2}, {15, 151, 0}, {16, 130, 0}, {17, 122, 0},
		{18, 123, 0}, {19, 1, 1}, {20, 1, 1}, {21, 3, 2}, {22, 127, 0}, {23, 128, 0}, {24, 129, 0}, {25, 130, 0},
		{26, 131, 0}, {27, 132, 0}, {28, 133, 0}, {29, 251, 1}, {30, 135, 0}, {31, 136, 0}}
	for _, w := range want {
		q := res.Questions[w[0]-1]
		words, images := q.Words, q.Images
		if q.Answer != nil {
			words, images = q.Answer.Words, q.Answer.Images
		}
		if q.Number != w[0] || words != w[1] || images != w[2] {
			t.Errorf("Q%d: whole answer words %d images %d, want %d %d", q.Number, words, images, w[1], w[2])
		}
	}
	// The checker reads other text for six questions: it stops at Q3's
	// "### Our stack" (line 50), starts Q4 after its second "Answer:", and
	// from the deleted Q13 heading on takes each question's answer from the
	// next, until the "Answer:" of the code block in Q16 puts it back in step.
	type segment struct {
		kind                 string
		line, words, images  int
		checkerPass, problem bool
	}
	wantSegments := map[int]segment{
		3:  {SegmentStoppedEarly, 50, 60, 0, true, false},
		4:  {SegmentStrayed, 59, 112, 0, true, false},
		13: {SegmentStrayed, 130, 232, 2, false, false}, // Q14's answer: too long; Q13 itself is missing
		14: {SegmentStrayed, 140, 151, 0, false, true},  // Q15's answer: no image, where Q14 has two
		15: {SegmentStrayed, 148, 121, 0, true, false},
		16: {SegmentStrayed, 154, 5, 0, false, true}, // the code block's "Answer:" line
	}
	for _, q := range res.Questions {
		w, differs := wantSegments[q.Number]
		if (q.Answer != nil) != differs {
			t.Errorf("Q%d: whole answer given %v, want %v", q.Number, q.Answer != nil, differs)
			continue
		}
		if !differs {
			continue
		}
		i := slices.IndexFunc(q.Findings, func(f Finding) bool { return f.Kind == KindCheckerSegmentation })
		if i < 0 {
			t.Errorf("Q%d: no checker-segmentation finding", q.Number)
			continue
		}
		f := q.Findings[i]
		got := segment{q.Answer.Segment, q.Answer.Line, q.Words, q.Images, q.Pass, f.Reason()}
		if got != w || f.Line != w.line || q.Pass != (len(q.Problems) == 0) {
			t.Errorf("Q%d: %+v (finding on line %d: %s), want %+v", q.Number, got, f.Line, f.Message, w)
		}
	}
	if q13 := res.Questions[12]; q13.Line != 0 || q13.Pass || q13.Answer.Pass {
		t.Errorf("Q13 (heading deleted) = %+v", q13)
	}
	if !reflect.DeepEqual(res.Drift, Drift{Missing: []int{13}}) {
		t.Errorf("drift = %+v", res.Drift)
	}

	findings := map[int][]Kind{}
	for _, q := range res.Questions {
		for _, f := range q.Findings {
			findings[q.Number] = append(findings[q.Number], f.Kind)
		}
	}
	wantFindings := map[int][]Kind{
		6:  {KindPlaceholder},
		7:  {KindUnanswered},
		8:  {KindHTMLImage},
		9:  {KindCodeImage},
		10: {KindLinkImage},
		11: {KindRemoteImage},
		14: {KindCaseMismatch, KindBadFormat, KindMissingFile},
		21: {KindMissingFile},
	}
	for n, kinds := range findings {
		kinds = slices.DeleteFunc(kinds, func(k Kind) bool { return k == KindCheckerSegmentation }) // checked above
		if len(kinds) == 0 {
			delete(findings, n)
			continue
		}
		slices.Sort(kinds)
		findings[n] = kinds
	}
	for n, kinds := range wantFindings {
		slices.Sort(kinds)
		wantFindings[n] = kinds
	}
	if !reflect.DeepEqual(findings, wantFindings) {
		t.Errorf("findings:\n got %v\nwant %v", findings, wantFindings)
	}

	if res.Group == nil || *res.Group != 42 {
		t.Errorf("group = %v, want 42", res.Group)
	}
	if want := []string{"s123456", "s234567", "s345678", "s456789"}; !reflect.DeepEqual(res.Students, want) {
		t.Errorf("students = %v", res.Students)
	}
	var sections []string
	for _, s := range res.Checklist {
		sections = append(sections, fmt.Sprintf("%s %d/%d", s.Section, s.Checked, s.Total))
	}
	if want := []string{"Week 1 2/3", "Week 2 1/2", "Extra 1/1"}; !reflect.DeepEqual(sections, want) {
		t.Errorf("checklist = %v", sections)
	}
}
