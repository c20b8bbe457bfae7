package export

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"handin/grade"
	"handin/workspace"
)

// failedGroup is a group the scrape got no deadline commit for: what grade
// makes of it (no report, no statistics, one not-scraped finding).
func failedGroup(n int, status workspace.Status, msg string) testGroup {
	g := newGroup(n)
	r := g.result
	r.State, r.Status, r.Error = grade.StateFailed, status, msg
	r.Pin, r.ReportPath, r.Check, r.Stats, r.UnmatchedAuthors = workspace.Pin{}, "", nil, grade.RepoStats{}, nil
	for i := range r.Students {
		r.Students[i] = grade.StudentStats{ID: r.Students[i].ID}
	}
	r.Findings = []grade.Finding{{Kind: grade.KindNotScraped, Level: grade.LevelGrade, Message: "status " + string(status) + ": " + msg}}
	g.files = nil
	return g
}

// okGroup is a group with nothing to act on.
func okGroup(n int) testGroup {
	g := newGroup(n)
	r := g.result
	r.State, r.Pin.LateCommits, r.Findings = grade.StateOK, 0, []grade.Finding{}
	r.Check.Passed = len(r.Check.Questions)
	for i := range r.Check.Questions {
		q := &r.Check.Questions[i]
		q.Pass, q.Problems, q.Findings = true, nil, nil
	}
	return g
}

func finding(kind grade.Kind, question int, msg string) grade.Finding {
	return grade.Finding{Kind: kind, Level: grade.Levels{}.Of(kind), Question: question, Message: msg}
}

// visibleText is the text a reader sees of n: its text nodes outside
// <style>, each a word apart, whitespace collapsed.
func visibleText(n *html.Node) string {
	var words []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "style" {
			return
		}
		if n.Type == html.TextNode {
			words = append(words, strings.Fields(n.Data)...)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(words, " ")
}

// cellTexts are the texts of a table row's cells.
func cellTexts(row *html.Node) []string {
	var out []string
	for _, td := range findAll(row, byTag("td")) {
		out = append(out, visibleText(td))
	}
	return out
}

// indexColumn is the position of the index's column under header.
func indexColumn(t *testing.T, index *html.Node, header string) int {
	t.Helper()
	for i, th := range findAll(index, byTag("th")) {
		if visibleText(th) == header {
			return i
		}
	}
	t.Fatalf("the index has no column %q", header)
	return 0
}

func indexRowOf(t *testing.T, index *html.Node, group int) []string {
	t.Helper()
	rows := findAll(index, byID(fmt.Sprintf("g%d", group)))
	if len(rows) != 1 {
		t.Fatalf("the index has %d rows for group %d", len(rows), group)
	}
	return cellTexts(rows[0])
}

// The index counts the groups as 'handin run' does (a groups.csv row
// without a result is failed), says when, against what and in which zone,
// and gives each group its state, the rows by state; a failed group shows
// no numbers, and only evidence of backdating is called backdated.
func TestIndexCountsStatesAndFacts(t *testing.T) {
	dir := t.TempDir()
	problems := newGroup(2)
	problems.result.Pin.OutOfOrder = true // never "backdated"
	problems.result.Pin.BackdatingKnown = true
	problems.result.ScrapedAt = time.Date(2026, 1, 24, 8, 0, 0, 0, time.UTC)
	backdated := newGroup(3)
	backdated.result.Pin.Backdated = true
	extension := okGroup(4)
	extension.result.Deadline = testDeadline.Add(48 * time.Hour)
	writeWorkspace(t, dir, okGroup(1), problems, backdated, extension, failedGroup(5, workspace.StatusNotFound, "repository not found: 404"))
	ws := openWorkspace(t, dir)
	err := ws.SaveRoster(workspace.Roster{File: "groups.csv", ReadAt: time.Now(), Rows: []workspace.RosterRow{
		{Line: 2, Group: 1, Folder: true}, {Line: 3, Group: 2, Folder: true}, {Line: 4, Group: 3, Folder: true},
		{Line: 5, Group: 4, Folder: true}, {Line: 6, Group: 5, Folder: true},
		{Line: 7, Group: 1, Students: []string{"s999999"}, Error: "groups.csv:7: duplicate group number 1 (first on line 2)"},
	}})
	ws.Close()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	export(t, dir, out)
	index := parseHTML(t, readFile(t, filepath.Join(out, IndexFile)))
	text := visibleText(index)

	for _, want := range []string{
		"6 groups: 2 failed · 0 act · 2 grade · 0 check · 2 ok · all",
		"Scraped 2026-01-24 09:00:00 +01:00", // the newest scrape, in the course's zone
		"deadline 2026-01-23 23:59:00 +01:00 (group 4: their own)",
		"spec 2026", "time zone Europe/Copenhagen",
		"Exported 2026-01-26 10:30:00 +01:00",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the index does not say %q:\n%s", want, text)
		}
	}
	for group, state := range map[int]string{1: "ok", 2: "grade", 3: "grade", 4: "ok", 5: "failed"} {
		if cells := indexRowOf(t, index, group); cells[1] != state {
			t.Errorf("group %d: state %q, want %q", group, cells[1], state)
		}
	}
	var order []string
	for _, tr := range findAll(index, func(n *html.Node) bool { return n.Data == "tr" && strings.HasPrefix(attr(n, "id"), "g") }) {
		order = append(order, attr(tr, "id"))
	}
	if want := []string{"g5", "g2", "g3", "g1", "g4"}; !slices.Equal(order, want) {
		t.Errorf("rows %q, want by state (failed, act, grade, check, ok), then group: %q", order, want)
	}
	// Group 5 was never seen: empty cells, no zeros, and what happened.
	failed := indexRowOf(t, index, 5)
	if want := []string{"5", "failed", "repository not found", "", "", "", "", "", "", "", "", "", "", ""}; !slices.Equal(failed, want) {
		t.Errorf("failed group's row %q, want %q", failed, want)
	}
	if late := indexRowOf(t, index, 3); late[8] != "1" || late[9] != "backdated" {
		t.Errorf("backdated group's late commits and backdated %q, want \"1\" and \"backdated\"", late[8:])
	}
	if late := indexRowOf(t, index, 2); late[8] != "1" || late[9] != "no" {
		t.Errorf("a history out of date order is no backdating: %q, want \"1\" and \"no\"", late[8:])
	}
	if late := indexRowOf(t, index, 1); late[9] != "unknown" {
		t.Errorf("without a sighting before the deadline or a push log, backdating is %q, want unknown", late[9])
	}
	gaps := findAll(index, byID("invalid-rows"))
	if len(gaps) != 1 || !strings.Contains(text, "7 1 s999999 groups.csv:7: duplicate group number 1 (first on line 2)") {
		t.Errorf("the invalid row is not listed below the table:\n%s", text)
	}
}

// A failed group's page says what happened and what to do, and nothing
// that was not observed: no statistics, no checklist, no report, no zeros.
func TestFailedGroupPageSaysOnlyWhatIsKnown(t *testing.T) {
	for _, tc := range []struct {
		status   workspace.Status
		msg      string
		what, do string
	}{
		{workspace.StatusNotFound, "repository not found: 404", "it is private and handin had no token", "give handin a token that can read it"},
		{workspace.StatusNetworkError, "could not resolve the host githb.com (no such host)", "could not reach the repository's server", "Check the URL in groups.csv"},
		{workspace.StatusInvalid, "groups.csv:4: repository URL \"x\": not a URL", "row of groups.csv could not be used", "Correct the row in groups.csv"},
		{workspace.StatusAuthFailed, "authorization failed", "refused handin's token", "Use a token that can read the repository"},
		{workspace.StatusEmptyRepo, "the repository has no commits", "holds no commit", "Ask the group where their work is"},
	} {
		t.Run(string(tc.status), func(t *testing.T) {
			dir, out := t.TempDir(), t.TempDir()
			writeWorkspace(t, dir, failedGroup(9, tc.status, tc.msg))
			export(t, dir, out)
			page := parseHTML(t, readFile(t, filepath.Join(out, "groups", "009.html")))
			text := visibleText(page)
			for _, want := range []string{"Group 9 failed", "Not graded:", tc.what, tc.msg, "What to do:", tc.do, "'handin run --group 9'",
				"s100091, s100092", "2026-01-23 23:59:00 +01:00"} {
				if !strings.Contains(text, want) {
					t.Errorf("the page does not say %q:\n%s", want, text)
				}
			}
			for _, never := range []string{"Python files", "0 B", "late commit", "No report was found", "commits)", "Statistics",
				"Checklist", "Findings", "Report at the deadline", "The commit that counts"} {
				if strings.Contains(text, never) {
					t.Errorf("the page says %q of a repository never seen:\n%s", never, text)
				}
			}
			if n := len(findAll(page, byTag("svg"))); n != 0 {
				t.Errorf("%d charts of a repository never seen", n)
			}
		})
	}
}

// The findings panel names each kind once, most pressing level first and
// information last, with every question it concerns linked; the table
// below keeps one row per question. The header lists the reasons, linked
// to their entries, and the commit that counts once.
func TestViolationsPanelGroupsFindingsByKind(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	g := newGroup(6)
	var report strings.Builder
	report.WriteString("# Report\n\n")
	questions := make([]grade.QuestionResult, 30)
	findings := []grade.Finding{
		finding(grade.KindOutOfOrder, 0, "history out of date order: committer dates go backwards"),
		finding(grade.KindLateCommits, 0, "late commits: 2 commit(s) on the branch after the commit that counts"),
	}
	for i := range questions {
		n := i + 1
		fmt.Fprintf(&report, "### Question %d\n\nAnswer:\n\n--- question %d fill here ---\n\n", n, n)
		f := finding(grade.KindUnanswered, n, "unanswered: only the template placeholder is there")
		questions[i] = grade.QuestionResult{Number: n, Words: 6, WordRange: &grade.Range{Min: 0, Max: 200}, Pass: true, Findings: []grade.Finding{f}}
		findings = append(findings, f)
	}
	findings = append(findings, finding(grade.KindBackdated, 0, "backdated: 1 commit(s) dated at or before the deadline were pushed after it"))
	g.files["reports/README.md"] = []byte(report.String())
	g.result.Check.Questions, g.result.Check.Passed, g.result.Findings = questions, 30, findings
	g.result.Pin.Backdated, g.result.State = true, grade.StateAct
	writeWorkspace(t, dir, g)
	export(t, dir, out)
	page := parseHTML(t, readFile(t, filepath.Join(out, "groups", "006.html")))

	entries := findAll(page, func(n *html.Node) bool { return n.Data == "li" && strings.HasPrefix(attr(n, "id"), "kind-") })
	var ids []string
	for _, e := range entries {
		ids = append(ids, attr(e, "id"))
	}
	want := []string{"kind-backdated-act", "kind-unanswered-grade", "kind-history-out-of-order-check", "kind-late-commits-info"}
	if !slices.Equal(ids, want) {
		t.Fatalf("panel entries %q, want %q", ids, want)
	}
	placeholder := entries[1]
	if text := visibleText(placeholder); !strings.HasPrefix(text, "grade question unanswered in 30 questions: Q1 Q2 Q3") {
		t.Errorf("placeholder entry %q", text)
	}
	var links []string
	for _, a := range findAll(placeholder, byTag("a")) {
		links = append(links, attr(a, "href"))
	}
	if len(links) != 30 || links[0] != "#q1" || links[29] != "#q30" {
		t.Errorf("placeholder entry links %q, want #q1 ... #q30", links)
	}
	for _, l := range links {
		if len(findAll(page, byID(strings.TrimPrefix(l, "#")))) != 1 {
			t.Errorf("%s leads nowhere", l)
		}
	}
	if text := textContent(entries[0]); !strings.Contains(text, "1 commit(s) dated at or before the deadline were pushed after it") {
		t.Errorf("the backdated entry does not say what: %q", text)
	}
	rows := findAll(findAll(page, func(n *html.Node) bool { return attr(n, "class") == "questions" })[0], byTag("tr"))[1:]
	if len(rows) != 30 {
		t.Errorf("%d question rows, want one per question: 30", len(rows))
	}
	if got := strings.Count(textContent(page), "only the template placeholder is there"); got != 30 {
		t.Errorf("the placeholder message is on the page %d times, want once per question row: 30", got)
	}
	header := findAll(page, func(n *html.Node) bool { return n.Data == "header" })[0]
	var headerLinks []string
	for _, a := range findAll(header, byTag("a")) {
		headerLinks = append(headerLinks, attr(a, "href"))
	}
	if want := []string{"#kind-backdated-act", "#kind-unanswered-grade", "#kind-history-out-of-order-check",
		"https://github.com/org6/mlops/commit/" + g.result.Pin.SHA, "#late-commits"}; !slices.Equal(headerLinks, want) {
		t.Errorf("header links %q, want the reasons, the commit that counts and its late commits %q", headerLinks, want)
	}
	if text := visibleText(header); !strings.Contains(text, "Group 6 act") ||
		!strings.Contains(text, "grade question unanswered: Q1, Q2, Q3 and 27 more") || strings.Count(text, "The commit that counts") != 1 {
		t.Errorf("header %q", text)
	}
}

// Every time on a page is in the course's zone with its offset, whatever
// zone it was recorded in.
func TestPageTimesInCourseZone(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	g := newGroup(8)
	g.result.TimeZone = "America/New_York"
	g.result.ScrapedAt = time.Date(2026, 1, 24, 12, 0, 0, 0, time.UTC)
	g.result.Stats.FirstCommit = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	writeWorkspace(t, dir, g)
	export(t, dir, out)
	text := visibleText(parseHTML(t, readFile(t, filepath.Join(out, "groups", "008.html"))))
	for _, want := range []string{"2026-01-24 07:00:00 -05:00", "2026-01-23 17:59:00 -05:00", "2026-01-05 04:00:00 -05:00", "in America/New_York"} {
		if !strings.Contains(text, want) {
			t.Errorf("the page does not show %q", want)
		}
	}
	for _, stamp := range regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d`).FindAllString(text, -1) {
		if !strings.HasSuffix(stamp, "-05:00") {
			t.Errorf("time %q is not in the course's zone", stamp)
		}
	}
}

// Commit identities are shown in full in the page's text, not cut and not
// only in a tooltip.
func TestContributionsShowIdentitiesInFull(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	g := newGroup(10)
	long := "12345678+a-rather-long-github-login@users.noreply.github.com"
	g.result.UnmatchedAuthors = []grade.Author{{Commits: 4, Identities: []grade.Identity{
		{Name: "Nickname With Spaces", Email: long, Commits: 3}, {Name: "nick", Email: "nick@laptop.local", Commits: 1}}}}
	writeWorkspace(t, dir, g)
	export(t, dir, out)
	page := parseHTML(t, readFile(t, filepath.Join(out, "groups", "010.html")))
	table := findAll(page, func(n *html.Node) bool { return attr(n, "class") == "contributions" })
	if len(table) != 1 {
		t.Fatal("no contributions table")
	}
	text := visibleText(table[0])
	for _, want := range []string{"Nickname With Spaces <" + long + "> (3 commits)", "nick <nick@laptop.local> (1 commit)", "no student", "s100101"} {
		if !strings.Contains(text, want) {
			t.Errorf("contributions lack %q:\n%s", want, text)
		}
	}
}

func TestHeatLegendCoversEveryCount(t *testing.T) {
	for peak, want := range map[int]string{
		1: "3:1",
		2: "1:1 3:2",
		4: "0:1 1:2 2:3 3:4",
		9: "0:1–2 1:3–4 2:5–6 3:7–9",
	} {
		var got []string
		for _, s := range heatLegend(peak) {
			got = append(got, fmt.Sprintf("%d:%s", s.Level, s.Label))
		}
		if strings.Join(got, " ") != want {
			t.Errorf("heatLegend(%d) = %q, want %q", peak, strings.Join(got, " "), want)
		}
	}
}

// The heat map leaves room for its last day's label: no "27 Nc".
func TestHeatmapLabelsFit(t *testing.T) {
	for _, days := range []int{1, 7, 19, 40, 120} {
		activity := make([][]int, days)
		for d := range activity {
			activity[d] = make([]int, 24)
		}
		activity[0][9], activity[days-1][23] = 1, 3
		h := activityHeatmap(grade.RepoStats{Activity: activity, ActivityStart: time.Date(2026, 11, 9, 0, 0, 0, 0, copenhagen)})
		svg := parseHTML(t, []byte(h.SVG))
		width := atoi(t, attr(findAll(svg, byTag("svg"))[0], "width"))
		for _, label := range findAll(svg, byTag("text")) {
			if attr(label, "text-anchor") == "end" {
				continue // hour labels end left of the plot
			}
			if right := atoi(t, attr(label, "x")) + 6*len(textContent(label)) + 4; right > width {
				t.Errorf("%d days: label %q ends at %d, past the width %d", days, textContent(label), right, width)
			}
		}
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return n
}

// Every kind has a title on the pages, and every kind a page section tells
// more about is a kind.
func TestEveryKindHasATitle(t *testing.T) {
	for _, k := range grade.KindTable {
		if strings.TrimSpace(k.Title) == "" || k.Title == string(k.Kind) {
			t.Errorf("kind %s has no title on the pages", k.Kind)
		}
	}
	for k := range kindPlaces {
		if _, rank := grade.KindOf(k); rank == len(grade.KindTable) {
			t.Errorf("kindPlaces names %s, which is no kind", k)
		}
	}
}
