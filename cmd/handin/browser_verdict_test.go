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

// indexRow is one group's row of the index as the browser shows it.
type indexRow struct {
	Group string   `json:"group"`
	Cells []string `json:"cells"`
}

// checkIndexVerdicts asserts that the index, as shown, counts what the
// run's summary counts, gives every group its state in one of the three
// words, shows no number for a group never seen, and calls backdated only
// the groups with evidence of it.
func checkIndexVerdicts(t *testing.T, page *browser.Page, sum *runSummary, results map[int]*grade.GroupResult) {
	t.Helper()
	var counts []int
	page.Eval(t, `[...document.querySelectorAll('p.counts b')].map(b => Number(b.textContent))`, &counts)
	if want := []int{sum.Total, sum.Failed, sum.Act, sum.Grade, sum.Check, sum.OK}; !slices.Equal(counts, want) {
		t.Errorf("the index counts groups, failed, act, grade, check, ok as %v; the summary %v", counts, want)
	}
	var facts string
	page.Eval(t, `document.querySelector('p.facts').innerText`, &facts)
	for _, want := range []string{"Scraped 20", "deadline 20", "spec 2026", "time zone Europe/Copenhagen"} {
		if !strings.Contains(facts, want) {
			t.Errorf("the index's facts %q lack %q", facts, want)
		}
	}
	var rows []indexRow
	page.Eval(t, `[...document.querySelectorAll('tr[id^="g"]')].map(r => ({group: r.id.slice(1), cells: [...r.cells].map(c => c.innerText.trim())}))`, &rows)
	var headers []string
	page.Eval(t, `[...document.querySelectorAll('table.index thead th')].map(th => th.innerText.trim())`, &headers)
	backdatedColumn := slices.Index(headers, "Backdated")
	if backdatedColumn < 0 {
		t.Fatalf("the index has no column Backdated: %q", headers)
	}
	states := map[string]string{}
	for _, g := range sum.Groups {
		states[fmt.Sprint(g.Group)] = string(g.State)
	}
	for _, row := range rows {
		if row.Cells[1] != states[row.Group] {
			t.Errorf("group %s: status %q, the summary says %q", row.Group, row.Cells[1], states[row.Group])
		}
		var r *grade.GroupResult
		for _, res := range results {
			if fmt.Sprint(res.Group) == row.Group {
				r = res
			}
		}
		if r == nil {
			t.Errorf("group %s is on the index but not in results.json", row.Group)
			continue
		}
		// Cells: group, state, reasons, the numbers, late commits, backdated.
		if r.State == grade.StateFailed {
			if numbers := strings.Join(row.Cells[3:], ""); numbers != "" { // reasons say what happened
				t.Errorf("failed group %s shows numbers nobody observed: %q", row.Group, row.Cells)
			}
		}
		if backdated := row.Cells[backdatedColumn]; (backdated == "backdated") != r.Pin.Backdated ||
			r.Status.Pinned() && (backdated == "unknown") != (!r.Pin.Backdated && !r.Pin.BackdatingKnown) {
			t.Errorf("group %s: backdated %q; by the evidence backdated %v, known %v", row.Group, backdated, r.Pin.Backdated, r.Pin.BackdatingKnown)
		}
		if reasons := row.Cells[2]; r.State != grade.StateFailed && (reasons == "") != (len(r.Reasons()) == 0) {
			t.Errorf("group %s: reasons %q for %d findings above information", row.Group, reasons, len(r.Reasons()))
		}
	}
	var order []string
	for _, row := range rows {
		order = append(order, states[row.Group])
	}
	if !slices.IsSortedFunc(order, func(a, b string) int { return grade.CompareStates(grade.State(a), grade.State(b)) }) {
		t.Errorf("the rows' states %q: not worked down the levels", order)
	}
	if len(rows) != len(results) {
		t.Errorf("the index has %d groups, results.json %d", len(rows), len(results))
	}
}

// checkVerdict asserts what a group's page says at the top and in its
// violations panel, and what a failed group's page does not say.
func checkVerdict(t *testing.T, page *browser.Page, r *grade.GroupResult) {
	t.Helper()
	var state string
	page.Eval(t, `document.querySelector('header h1 .state').innerText`, &state)
	if state != string(r.State) {
		t.Errorf("the header says %q, the result %q", state, r.State)
	}
	if r.State == grade.StateFailed {
		checkFailedPage(t, page)
		return
	}
	checkViolationsPanel(t, page, r)
	checkLateCommits(t, page, r)
}

// checkFailedPage: what happened and what to do, and nothing of a
// repository never seen.
func checkFailedPage(t *testing.T, page *browser.Page) {
	t.Helper()
	var shown struct {
		Text     string   `json:"text"`
		Sections []string `json:"sections"`
		Charts   int      `json:"charts"`
	}
	page.Eval(t, `({text: document.body.innerText, sections: [...document.querySelectorAll('h2')].map(h => h.id), charts: document.querySelectorAll('svg').length})`, &shown)
	for _, want := range []string{"Not graded:", "What happened", "What to do:"} {
		if !strings.Contains(shown.Text, want) {
			t.Errorf("the failed group's page does not say %q", want)
		}
	}
	for _, never := range []string{"Python files", "0 B", "0 late commits", "No report was found", "commits)"} {
		if strings.Contains(shown.Text, never) {
			t.Errorf("the failed group's page says %q of a repository never seen", never)
		}
	}
	// What happened, and the late commits when the repository was seen.
	if !slices.Contains(shown.Sections, "failure") || slices.ContainsFunc(shown.Sections, func(s string) bool { return s != "failure" && s != "deadline-commit" }) ||
		shown.Charts != 0 {
		t.Errorf("the failed group's page has sections %q and %d charts; want only what happened", shown.Sections, shown.Charts)
	}
}

// panelEntry is one kind in the violations panel.
type panelEntry struct {
	ID      string   `json:"id"`
	Targets []string `json:"targets"` // what each question link leads to: "H3#q5", or "" when nothing
}

// checkViolationsPanel: one entry per kind (and level) of finding, the most
// pressing level first, and each question link leads to the question's
// heading in the report; the header names the reasons, linked to their
// entries.
func checkViolationsPanel(t *testing.T, page *browser.Page, r *grade.GroupResult) {
	t.Helper()
	var entries []panelEntry
	page.Eval(t, `[...document.querySelectorAll('li[id^="kind-"]')].map(li => ({id: li.id,
		targets: [...li.querySelectorAll('a[href^="#q"]')].map(a => { const h = document.getElementById(a.hash.slice(1)); return h ? h.tagName + '#' + h.id : '' })}))`, &entries)
	kinds := map[string]grade.Level{}
	for _, f := range r.Findings {
		id := "kind-" + string(f.Kind) + "-" + string(f.Level)
		if f.Minor {
			id += "-minor"
		}
		kinds[id] = f.Level
	}
	var ids []string
	for _, e := range entries {
		ids = append(ids, e.ID)
		for _, target := range e.Targets {
			if !strings.HasPrefix(target, "H3#q") {
				t.Errorf("%s links a question to %q, not to its heading", e.ID, target)
			}
		}
	}
	if len(ids) != len(kinds) || len(slices.Compact(slices.Sorted(slices.Values(ids)))) != len(ids) {
		t.Errorf("panel entries %q; want each of the result's %d kinds once", ids, len(kinds))
	}
	for id := range kinds {
		if !slices.Contains(ids, id) {
			t.Errorf("the panel has no entry %s", id)
		}
	}
	if !slices.IsSortedFunc(ids, func(a, b string) int { return kinds[a].Compare(kinds[b]) }) {
		t.Errorf("panel entries %q: not the most pressing level first", ids)
	}
	var header []string
	page.Eval(t, `[...document.querySelectorAll('header ol.reasons a')].map(a => a.hash.slice(1))`, &header)
	for _, id := range header {
		if !slices.Contains(ids, id) || kinds[id] == grade.LevelInfo {
			t.Errorf("the header links %q, no reason of the panel", id)
		}
	}
	if want := len(r.Reasons()) > 0; (len(header) > 0) != want {
		t.Errorf("the header links %q; the result has reasons: %v", header, want)
	}
}

// checkLateCommits: the late commits the result lists, each in the table,
// and backdated only where the evidence says so.
func checkLateCommits(t *testing.T, page *browser.Page, r *grade.GroupResult) {
	t.Helper()
	var late struct {
		Rows      int `json:"rows"`
		Backdated int `json:"backdated"`
	}
	page.Eval(t, `({rows: document.querySelectorAll('table.late tr:has(td)').length, backdated: document.querySelectorAll('table.late .flag').length})`, &late)
	if want := len(r.Pin.Late); late.Rows != want {
		t.Errorf("the late commits tables have %d rows for %d late commits", late.Rows, want)
	}
	backdated := 0
	for _, c := range r.Pin.Late {
		if c.Backdated {
			backdated++
		}
	}
	if late.Backdated != backdated {
		t.Errorf("%d late commits flagged backdated, the evidence says %d", late.Backdated, backdated)
	}
}

// checkPrinted lays the page out for print: no navigation; on paper the
// header, with the state, the reasons and the commit that counts, ends on
// page 1, and no block taller than half a page is kept together (it would
// leave a page empty); and takes a screenshot of its top as printed.
func checkPrinted(t *testing.T, page *browser.Page, name string) {
	t.Helper()
	page.EmulatePaper(t)
	defer page.EmulateMedia(t, "")
	var printed struct {
		Nav          string  `json:"nav"`
		HeaderBottom float64 `json:"headerBottom"`
	}
	page.Eval(t, `({nav: getComputedStyle(document.querySelector('nav')).display, headerBottom: document.querySelector('header').getBoundingClientRect().bottom + scrollY})`, &printed)
	if printed.Nav != "none" || printed.HeaderBottom > float64(browser.PrintHeight) {
		t.Errorf("printed: navigation display %q, header ends at %.0f pixels; want none, on page 1 (%d pixels)", printed.Nav, printed.HeaderBottom, browser.PrintHeight)
	}
	if kept := page.KeptTogether(t, browser.PrintHeight/2); len(kept) > 0 {
		t.Errorf("printed, blocks kept together taller than half a page: %q", kept)
	}
	page.ScreenshotWindow(t, name)
}

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
