package grade

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"handin/parse"
)

// miniSpec: Q1-2 free, Q3 10-20 words, Q4 1-2 images and no word range.
var miniSpec = &Spec{Name: "mini", Questions: []QuestionSpec{
	{Number: 1}, {Number: 2},
	{Number: 3, Words: &Range{10, 20}},
	{Number: 4, Images: &Range{1, 2}},
}}

func checkText(t *testing.T, src string, spec *Spec, files *RepoFiles) *CheckResult {
	t.Helper()
	r, err := parse.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return Check("report.md", r, spec, Repository{ReportDir: "reports", Files: files})
}

func miniReport(q1, q2, q3, q4 string) string {
	return "# Report\n\n### Question 1\n> Answer:\n\n" + q1 + "\n\n### Question 2\n> Answer:\n\n" + q2 +
		"\n\n### Question 3\n> Answer:\n\n" + q3 + "\n\n### Question 4\n> Answer:\n\n" + q4 + "\n"
}

func kinds(ps []Finding) []Kind {
	out := []Kind{}
	for _, p := range ps {
		out = append(out, p.Kind)
	}
	return out
}

func TestCheckRangesAndProblems(t *testing.T) {
	res := checkText(t, miniReport("Group 7", "s123456, s654321", "only five words in here", "no image at all"), miniSpec, nil)
	if res.Pass || res.Passed != 2 {
		t.Fatalf("passed %d, pass=%v; want 2 and false", res.Passed, res.Pass)
	}
	q3, q4 := res.Questions[2], res.Questions[3]
	if q3.Words != 5 || !reflect.DeepEqual(kinds(q3.Problems), []Kind{KindWords}) || q3.Problems[0].Message != "too few words: 5, expected 10-20" {
		t.Errorf("Q3 = %+v", q3)
	}
	if !reflect.DeepEqual(kinds(q4.Problems), []Kind{KindImages}) || *q4.Problems[0].Got != 0 {
		t.Errorf("Q4 = %+v", q4)
	}
	if res.Group == nil || *res.Group != 7 || !reflect.DeepEqual(res.Students, []string{"s123456", "s654321"}) {
		t.Errorf("group %v students %v", res.Group, res.Students)
	}
}

func TestFindingsAreSeparateFromPassFail(t *testing.T) {
	q4 := "![ok](figures/ok.png) ![case](Figures/Case.PNG)\n\n![gone](figures/missing.png) ![bad](figures/plot.pdf)\n\n" +
		"[link](figures/ok.png) <img src=\"../outside.png\">\n\n![up](../../etc/passwd) ![abs](/etc/hosts) ![web](https://example.org/a.png) ![root](reports/figures/ok.png)"
	files := NewRepoFiles([]string{"reports/figures/ok.png", "reports/figures/case.png", "outside.png", "reports/figures/plot.pdf"})
	res := checkText(t, miniReport("--- question 1 fill here ---", "s123456", strings.Repeat("word ", 12)+"--- question 3 fill here ---", q4), miniSpec, files)
	// Q4 has 8 ![..](..) images: over the 1-2 range, whatever their files.
	if q := res.Questions[3]; q.Images != 8 || q.Pass {
		t.Errorf("Q4 images=%d pass=%v", q.Images, q.Pass)
	}
	byTarget := map[string][]Kind{}
	for _, f := range res.Questions[3].Findings {
		byTarget[f.Target] = append(byTarget[f.Target], f.Kind)
	}
	want := map[string][]Kind{
		"Figures/Case.PNG":          {KindCaseMismatch},
		"figures/missing.png":       {KindMissingFile},
		"figures/plot.pdf":          {KindBadFormat},
		"figures/ok.png":            {KindLinkImage}, // the link; the image itself is fine
		"../outside.png":            {KindHTMLImage}, // climbs out of reports/ but stays in the repo
		"../../etc/passwd":          {KindOutsideRepo},
		"/etc/hosts":                {KindBadFormat, KindMissingFile}, // from the repository root, as GitHub reads it
		"https://example.org/a.png": {KindRemoteImage},
		"reports/figures/ok.png":    {KindMissingFile},
	}
	if !reflect.DeepEqual(byTarget, want) {
		t.Errorf("findings by target:\n got %v\nwant %v", byTarget, want)
	}
	for _, f := range res.Questions[3].Findings {
		if f.Target == "reports/figures/ok.png" && !strings.Contains(f.Message, "reports/figures/ok.png exists: links are relative to the report's folder") {
			t.Errorf("root-relative link: %q", f.Message)
		}
	}
	if got := kinds(res.Questions[0].Findings); !reflect.DeepEqual(got, []Kind{KindUnanswered}) {
		t.Errorf("Q1 findings %v", got)
	}
	if q3 := res.Questions[2]; !q3.Pass || !reflect.DeepEqual(kinds(q3.Findings), []Kind{KindPlaceholder}) {
		t.Errorf("Q3 (12 words + placeholder = 17 checker words) = %+v", q3)
	}
}

// TestMarkupReadAsText: markup that cannot be parsed in reasonable time is
// one problem for the group, and the counts are the text's as written.
func TestMarkupReadAsText(t *testing.T) {
	deep := strings.Repeat("- ", 40) + "ten more words to count in this deeply nested list line"
	res := checkText(t, miniReport("Group 7", "s123456", deep, "![x](figures/a.png)"), miniSpec, nil)
	if len(res.ReadAsText) != 1 || res.ReadAsText[0].Line != 16 || res.Questions[2].Words != 40+11 {
		t.Fatalf("read as text %+v, Q3 %+v", res.ReadAsText, res.Questions[2])
	}
	var found []Finding
	for _, f := range checkFindings(res) {
		if f.Kind == KindReadAsText {
			found = append(found, f)
		}
	}
	want := "markup that cannot be parsed in reasonable time was read as plain text on line 16 (lists or quotes nested past column 64): " +
		"its formatting, links and checklist boxes are not read, and the page shows it as text"
	if len(found) != 1 || found[0].Message != want || found[0].Line != 16 || !found[0].Problem() {
		t.Errorf("findings %+v", found)
	}
}

func TestGroupNumber(t *testing.T) {
	tests := []struct {
		answer string
		want   int // 0: none
	}{
		{"42", 42}, {"Group 42", 42}, {"Group: 35", 35}, {"MLOps 4", 4}, {"Awesome 21", 21},
		{"--- 34 ---", 34}, {"group no. 12", 12}, {"We are group #9 (02476)", 9},
		{"--- question 1 fill here ---", 0}, {"s123456", 0}, {"", 0},
	}
	for _, tt := range tests {
		got, _ := groupNumber(tt.answer)
		if (got == nil) != (tt.want == 0) || (got != nil && *got != tt.want) {
			t.Errorf("groupNumber(%q) = %v, want %d", tt.answer, fmtPtr(got), tt.want)
		}
	}
}

func fmtPtr(p *int) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}

func TestStudentIDs(t *testing.T) {
	got := studentIDs("s123456, S234567 and s123456; s12345 is short, xs1234567 is not an id")
	if want := []string{"s123456", "s234567", "s123456"}; !reflect.DeepEqual(got, want) {
		t.Errorf("studentIDs = %v, want %v", got, want)
	}
}

func TestDrift(t *testing.T) {
	src := "### Question 1\n> Answer:\n\n1\n\n### Question 3\n> Answer:\n\nx\n\n### Question 2\n> Answer:\n\ny\n\n### Question 3\n> Answer:\n\nz\n\n### Question 9\n> Answer:\n\nw\n"
	d := checkText(t, src, miniSpec, nil).Drift
	want := Drift{Missing: []int{4}, Duplicated: []int{3}, OutOfOrder: []int{2}, Extra: []int{9}}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("drift = %+v", d)
	}
	// A 27-question report against the 31-question spec says so, instead of
	// failing four questions without a word.
	var b strings.Builder
	for n := 1; n <= 27; n++ {
		fmt.Fprintf(&b, "### Question %d\n> Answer:\n\nanswer\n\n", n)
	}
	res := checkText(t, b.String(), mustSpec(t, "2026"), nil)
	if !strings.Contains(res.Drift.Mismatch, "--spec 2023 or --spec 2024") || len(res.Drift.Missing) != 4 {
		t.Errorf("drift = %+v", res.Drift)
	}
	if q := res.Questions[26]; q.Number != 27 || q.Words != 1 {
		t.Errorf("Q27 shifted: %+v", q)
	}
}
