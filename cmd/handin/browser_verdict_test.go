package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"handin/grade"
	"handin/internal/browser"
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
	if want := []int{sum.Total, sum.OK, sum.WithProblems, sum.Failed}; !slices.Equal(counts, want) {
		t.Errorf("the index counts groups, ok, problems, failed as %v; the summary %v", counts, want)
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
	lateColumn := slices.Index(headers, "Late commits")
	if lateColumn < 0 {
		t.Fatalf("the index has no column Late commits: %q", headers)
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
		if r.State == grade.StateFailed {
			if numbers := strings.Join(row.Cells[2:len(row.Cells)-1], ""); numbers != "" {
				t.Errorf("failed group %s shows numbers nobody observed: %q", row.Group, row.Cells)
			}
		}
		if late := row.Cells[lateColumn]; strings.Contains(late, "backdated") != r.Pin.Backdated {
			t.Errorf("group %s: late commits %q, backdated by the evidence: %v", row.Group, late, r.Pin.Backdated)
		}
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

// checkViolationsPanel: one entry per kind of finding, problems first, and
// each question link leads to the question's heading in the report; the
// header names the problem kinds, linked to their entries.
func checkViolationsPanel(t *testing.T, page *browser.Page, r *grade.GroupResult) {
	t.Helper()
	var entries []panelEntry
	page.Eval(t, `[...document.querySelectorAll('li[id^="kind-"]')].map(li => ({id: li.id,
		targets: [...li.querySelectorAll('a[href^="#q"]')].map(a => { const h = document.getElementById(a.hash.slice(1)); return h ? h.tagName + '#' + h.id : '' })}))`, &entries)
	kinds := map[string]bool{}
	for _, f := range r.Findings {
		id := "kind-" + string(f.Kind)
		if !f.Problem() {
			id += "-info"
		}
		kinds[id] = true
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
	problemsFirst := slices.IsSortedFunc(ids, func(a, b string) int {
		return boolRank(strings.HasSuffix(a, "-info")) - boolRank(strings.HasSuffix(b, "-info"))
	})
	if !problemsFirst {
		t.Errorf("panel entries %q: information before a problem", ids)
	}
	var header []string
	page.Eval(t, `[...document.querySelectorAll('header a')].map(a => a.hash.slice(1))`, &header)
	for _, id := range header {
		if !slices.Contains(ids, id) || strings.HasSuffix(id, "-info") {
			t.Errorf("the header links %q, no problem of the panel", id)
		}
	}
	if want := len(r.Problems()) > 0; (len(header) > 0) != want {
		t.Errorf("the header links %q; the result has problems: %v", header, want)
	}
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// checkLateCommits: the late commits the result lists, each in the table,
// and backdated only where the evidence says so.
func checkLateCommits(t *testing.T, page *browser.Page, r *grade.GroupResult) {
	t.Helper()
	var late struct {
		Rows      int `json:"rows"`
		Backdated int `json:"backdated"`
	}
	page.Eval(t, `({rows: document.querySelectorAll('table.late tr').length, backdated: document.querySelectorAll('table.late .flag').length})`, &late)
	if want := len(r.Pin.Late); (want == 0 && late.Rows != 0) || (want > 0 && late.Rows != want+1) {
		t.Errorf("the late commits table has %d rows for %d late commits (and a header)", late.Rows, want)
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

// checkPrinted lays the page out for print: no navigation, the report on a
// page of its own; and takes a screenshot of its top as printed.
func checkPrinted(t *testing.T, page *browser.Page, name string) {
	t.Helper()
	page.EmulateMedia(t, "print")
	defer page.EmulateMedia(t, "")
	var printed struct {
		Nav    string `json:"nav"`
		Report string `json:"report"`
	}
	page.Eval(t, `({nav: getComputedStyle(document.querySelector('nav')).display, report: getComputedStyle(document.querySelector('.report')).breakBefore})`, &printed)
	if printed.Nav != "none" || printed.Report != "page" {
		t.Errorf("printed: navigation display %q, report break-before %q; want none and page", printed.Nav, printed.Report)
	}
	page.ScreenshotWindow(t, name)
}
