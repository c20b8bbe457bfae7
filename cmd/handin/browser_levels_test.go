package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"handin/grade"
	"handin/internal/browser"
	"handin/internal/demo"
)

// checkIndexViews: the groups graded from old data are named at the top,
// the header row stays in view, and each view (by state, by kind) shows
// the rows it names and no other, without a script: the anchor is the
// page's target.
func checkIndexViews(t *testing.T, page *browser.Page, results map[int]*grade.GroupResult) {
	t.Helper()
	var top struct {
		OldData string `json:"oldData"`
		Sticky  string `json:"sticky"`
	}
	page.Eval(t, `({oldData: document.querySelector('p.old-data')?.innerText ?? '', sticky: getComputedStyle(document.querySelector('table.index th')).position})`, &top)
	var old []string
	for _, r := range results {
		if slices.ContainsFunc(r.Findings, func(f grade.Finding) bool { return f.Kind == grade.KindOldData }) {
			old = append(old, fmt.Sprint(r.Group))
		}
	}
	if len(old) == 0 || !strings.HasPrefix(top.OldData, fmt.Sprintf("%d group", len(old))) || !strings.Contains(top.OldData, old[0]) {
		t.Errorf("the index's top says %q; groups graded from old data: %v", top.OldData, old)
	}
	if top.Sticky != "sticky" {
		t.Errorf("the header row is %s, want sticky", top.Sticky)
	}
	views := map[string]func(*grade.GroupResult) bool{
		"view-state-act": func(r *grade.GroupResult) bool { return r.State == grade.StateAct },
		"view-state-ok":  func(r *grade.GroupResult) bool { return r.State == grade.StateOK },
		"view-k-late-commits": func(r *grade.GroupResult) bool {
			return slices.ContainsFunc(r.Findings, func(f grade.Finding) bool { return f.Kind == grade.KindLateCommits })
		},
		"view-k-code-image": func(r *grade.GroupResult) bool {
			return slices.ContainsFunc(r.Findings, func(f grade.Finding) bool { return f.Kind == grade.KindCodeImage })
		},
	}
	for view, in := range views {
		var shown []string
		page.Eval(t, fmt.Sprintf(`(() => { location.hash = %q;
			return [...document.querySelectorAll('tr[id^="g"]')].filter(r => r.offsetParent !== null).map(r => r.id.slice(1)); })()`, view), &shown)
		var want []string
		for _, r := range results {
			if in(r) {
				want = append(want, fmt.Sprint(r.Group))
			}
		}
		if slices.Sort(shown); !slices.Equal(shown, slices.Sorted(slices.Values(want))) || len(want) == 0 {
			t.Errorf("#%s shows groups %v, want %v", view, shown, want)
		}
	}
	page.Eval(t, `(() => { location.hash = ''; return true; })()`, new(bool))
}

// caseShapes are what the page of a demo case says: its state, and words
// among the header's reasons ("" for none: nothing to do).
var caseShapes = map[demo.Case]struct {
	state  grade.State
	reason string
}{
	demo.CaseGood:            {grade.StateOK, ""},
	demo.CaseLateFigures:     {grade.StateGrade, "Q14: figure missing at the deadline (2), added 32 s after the deadline in "},
	demo.CaseBotLate:         {grade.StateOK, ""},
	demo.CasePlaceholderLeft: {grade.StateCheck, "template placeholder left: Q3, Q4, Q5 and 26 more"},
	demo.CaseNoChecklist:     {grade.StateCheck, "no checklist in the report: the template's checklist was deleted"},
	demo.CaseQuestionDeleted: {grade.StateAct, "Q23: Question 23 is not in the report"},
	demo.CaseCodeImages:      {grade.StateCheck, "image inside backticks: Q19, Q21"},
	demo.CaseStopsAnswering:  {grade.StateAct, "graded from the snapshot scraped at "},
}

// checkCaseShape asserts the words of a demo case's page: its state, its
// reasons, backdating unknown for a group first scraped after the
// deadline, and the late commits one line each, files folded, bots apart.
func checkCaseShape(t *testing.T, page *browser.Page, c demo.Case, r *grade.GroupResult) {
	t.Helper()
	var shown struct {
		Reasons   []string `json:"reasons"`
		Backdated string   `json:"backdated"`
		LateRows  int      `json:"lateRows"`
		Folded    int      `json:"folded"`
		Bots      string   `json:"bots"`
		Nav       []string `json:"nav"`
	}
	page.Eval(t, `({reasons: [...document.querySelectorAll('header ol.reasons li')].map(li => li.innerText),
		backdated: [...document.querySelectorAll('table.meta tr')].find(tr => tr.cells[0]?.innerText === 'Backdated')?.cells[1].innerText ?? '',
		lateRows: document.querySelectorAll('table.late tr:has(td)').length,
		folded: document.querySelectorAll('table.late td:last-child details').length,
		bots: document.querySelector('details.bots > summary')?.innerText ?? '',
		nav: [...document.querySelectorAll('nav a[rel]')].map(a => a.rel + ' ' + a.getAttribute('href'))})`, &shown)
	if r.Status.Pinned() {
		if unknown := strings.HasPrefix(shown.Backdated, "unknown"); unknown != (!r.Pin.Backdated && !r.Pin.BackdatingKnown) {
			t.Errorf("Backdated %q; backdated %v, known %v", shown.Backdated, r.Pin.Backdated, r.Pin.BackdatingKnown)
		}
	}
	if shown.LateRows != len(r.Pin.Late) || shown.Folded > shown.LateRows {
		t.Errorf("%d late commit rows (%d with files folded) for %d late commits", shown.LateRows, shown.Folded, len(r.Pin.Late))
	}
	if prev := fmt.Sprintf("prev %03d.html", r.Group-1); r.Group > 1 && !slices.Contains(shown.Nav, prev) {
		t.Errorf("navigation %q has no %q", shown.Nav, prev)
	}
	want, ok := caseShapes[c]
	if !ok {
		return
	}
	if r.State != want.state {
		t.Errorf("state %s, want %s", r.State, want.state)
	}
	reasons := strings.Join(shown.Reasons, "\n")
	if want.reason == "" && len(shown.Reasons) > 0 || want.reason != "" && !strings.Contains(reasons, want.reason) {
		t.Errorf("the header's reasons:\n%s\nwant %q", reasons, want.reason)
	}
	if c == demo.CaseBotLate && (shown.Bots != "3 late commits by bots, changing neither the report nor its figures" || shown.LateRows != 3) {
		t.Errorf("bots' late commits %q in %d rows, want the 3 folded apart", shown.Bots, shown.LateRows)
	}
}
