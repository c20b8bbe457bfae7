package export

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"handin/grade"
	"handin/grade/similarity"
	"handin/internal/browser"
)

// copyingGroups: group 4's Question 2 shares a passage with group 9's
// (the passages as grade finds them, with markup a student could write),
// and its whole report one with an archived report under another
// question.
func copyingGroups() (testGroup, testGroup) {
	hostile := `We trained <script>alert(1)</script> the model & logged it`
	part := similarity.Part{QuestionA: 2, QuestionB: 2,
		A: []similarity.Passage{{Text: hostile, Marks: []similarity.Span{{Start: 0, Stop: 10}, {Start: 37, Stop: 58}}}},
		B: []similarity.Passage{{Text: "We trained the model and logged it", Marks: []similarity.Span{{Start: 0, Stop: 10}, {Start: 25, Stop: 34}}}}}
	a, b := newGroup(4), newGroup(9)
	a.result.Similar = []grade.Similarity{
		{Question: 2, Group: 9, Share: 0.8, OtherShare: 0.7, Words: 40, Parts: []similarity.Part{part}},
		{Group: 3, Course: "mlops", Year: 2024, Share: 0.35, OtherShare: 0.5, Words: 300,
			Parts: []similarity.Part{{QuestionA: 2, QuestionB: 5, A: part.A, B: part.B}}},
	}
	a.result.Findings = append(a.result.Findings,
		grade.Finding{Kind: grade.KindSimilarAnswer, Level: grade.LevelCheck, Question: 2, Message: "80 % of the answer (40 words) is in group 9's answer to it (70 % of theirs)"},
		grade.Finding{Kind: grade.KindSimilarReport, Level: grade.LevelCheck, Message: "35 % of the report's answers (300 words) are in group 3 of mlops 2024's report (50 % of theirs), answers under other questions: Q2 in their Q5"})
	b.result.Similar = []grade.Similarity{{Question: 2, Group: 4, Share: 0.7, OtherShare: 0.8, Words: 38, Parts: []similarity.Part{
		{QuestionA: 2, QuestionB: 2, A: part.B, B: part.A}}}}
	b.result.Findings = append(b.result.Findings,
		grade.Finding{Kind: grade.KindSimilarAnswer, Level: grade.LevelCheck, Question: 2, Message: "70 % of the answer (38 words) is in group 4's answer to it (80 % of theirs)"})
	return a, b
}

// A group's page shows its shared answers in their own section, the
// passages side by side with the shared words marked and the student's
// text escaped, the other group linked; the header's reasons name them.
// The index has a column and a view for them.
func TestSharedAnswersOnThePageAndTheIndex(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	a, b := copyingGroups()
	writeWorkspace(t, ws, a, b, newGroup(5))
	export(t, ws, out)

	page := parseHTML(t, readFile(t, filepath.Join(out, "groups", "004.html")))
	assertNoActiveContent(t, page)
	sections := findAll(page, byID("similar"))
	if len(sections) != 1 {
		t.Fatalf("%d sections #similar, want 1", len(sections))
	}
	var marked []string
	for _, m := range findAll(page, byTag("mark")) {
		marked = append(marked, visibleText(m))
	}
	want := []string{"Marked", "We trained", "the model & logged it", "We trained", "logged it"}
	if !slices.Equal(marked[:5], want) {
		t.Errorf("marked %q, want the section's example, then %q", marked, want[1:])
	}
	text := visibleText(page)
	for _, s := range []string{"<script>alert(1)</script>", "Question 2: group 9", "The whole report: group 3 of mlops 2024",
		"This group, Question 2", "group 3 of mlops 2024, Question 5", "80 % of this group's answer (40 words)"} {
		if !strings.Contains(text, s) {
			t.Errorf("the page does not say %q", s)
		}
	}
	var links []string
	for _, l := range findAll(sections[0].Parent, byTag("a")) {
		links = append(links, attr(l, "href"))
	}
	if !slices.Contains(links, "009.html") {
		t.Errorf("links %q: want group 9's page", links)
	}
	var reasons []string
	for _, li := range findAll(page, func(n *html.Node) bool { return n.Data == "li" && n.Parent != nil && attr(n.Parent, "id") == "reasons" }) {
		reasons = append(reasons, visibleText(li))
	}
	if !slices.ContainsFunc(reasons, func(r string) bool { return strings.Contains(r, "in group 9's answer") }) {
		t.Errorf("header reasons %q: want the shared answer", reasons)
	}

	index := parseHTML(t, readFile(t, filepath.Join(out, "index.html")))
	shared := indexColumn(t, index, "Shared answers")
	if row := indexRowOf(t, index, 4); row[shared] != "1 answer, the report with group 9, group 3 of mlops 2024" {
		t.Errorf("group 4's shared answers cell %q", row[shared])
	}
	if row := indexRowOf(t, index, 5); row[shared] != "none" {
		t.Errorf("group 5's shared answers cell %q, want none", row[shared])
	}
	if views := findAll(index, byID("view-k-similar-answer")); len(views) != 1 {
		t.Errorf("no view of the groups with shared answers")
	}
}

// In Chromium the shared answers read as the section says: the passages
// side by side, the shared words highlighted, the student's markup shown
// as text, and no message on the console (the policy blocks nothing the
// page needs).
func TestSharedAnswersInTheBrowser(t *testing.T) {
	b := browser.Open(t)
	ws, out := t.TempDir(), t.TempDir()
	a, other := copyingGroups()
	writeWorkspace(t, ws, a, other)
	export(t, ws, out)
	page := b.Load(t, filepath.Join(out, "groups", "004.html"))
	for _, m := range page.Console() {
		if m.IsError() {
			t.Errorf("console: %s", m)
		}
	}
	var laid struct {
		Left, Right     [2]float64 // x and top of the first table's two passage cells
		Marks           int
		MarkBackground  string
		CellBackground  string
		Scripts         int
		ShownScriptText bool
	}
	page.Eval(t, `(() => {
		const cells = [...document.querySelectorAll('#similar ~ .similar table.similar td')].slice(0, 2);
		const box = c => { const r = c.getBoundingClientRect(); return [r.left, r.top]; };
		const mark = document.querySelector('table.similar mark');
		return {left: box(cells[0]), right: box(cells[1]), marks: document.querySelectorAll('table.similar mark').length,
			markBackground: getComputedStyle(mark).backgroundColor, cellBackground: getComputedStyle(cells[0]).backgroundColor,
			scripts: document.scripts.length, shownScriptText: cells[0].textContent.includes('<script>alert(1)</script>')};
	})()`, &laid)
	if laid.Left[0] >= laid.Right[0] || laid.Left[1] != laid.Right[1] {
		t.Errorf("passage cells at %v and %v: want side by side", laid.Left, laid.Right)
	}
	if laid.Marks != 8 || laid.MarkBackground == laid.CellBackground {
		t.Errorf("%d marks, background %s on %s: want the 8 shared stretches highlighted", laid.Marks, laid.MarkBackground, laid.CellBackground)
	}
	if laid.Scripts != 0 || !laid.ShownScriptText {
		t.Errorf("%d scripts, markup shown as text %v: want the student's <script> shown as text only", laid.Scripts, laid.ShownScriptText)
	}
}
