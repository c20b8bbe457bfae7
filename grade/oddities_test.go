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
	res := Check("oddities.md", r, mustSpec(t, "2026"), "reports", files)

	// {question, words, images}: str.split() tokens and ![..](..) matches of
	// the text under each heading, after its "Answer:" line.
	want := [][3]int{{1, 3, 0}, {2, 5, 0}, {3, 123, 0}, {4, 115, 0}, {5, 104, 0}, {6, 126, 0}, {7, 6, 0}, {8, 123, 0},
		{9, 124, 1}, {10, 123, 0}, {11, 221, 1}, {12, 220, 0}, {14, 232, 2}, {15, 151, 0}, {16, 130, 0}, {17, 122, 0},
		{18, 123, 0}, {19, 1, 1}, {20, 1, 1}, {21, 3, 2}, {22, 127, 0}, {23, 128, 0}, {24, 129, 0}, {25, 130, 0},
		{26, 131, 0}, {27, 132, 0}, {28, 133, 0}, {29, 251, 1}, {30, 135, 0}, {31, 136, 0}}
	for _, w := range want {
		q := res.Questions[w[0]-1]
		if q.Number != w[0] || q.Words != w[1] || q.Images != w[2] {
			t.Errorf("Q%d: words %d images %d, want %d %d", q.Number, q.Words, q.Images, w[1], w[2])
		}
	}
	if q13 := res.Questions[12]; q13.Line != 0 || q13.Pass || q13.Problems[0].Kind != KindMissing {
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
