package export

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"handin/workspace"
)

// pinSectionOf renders r's page and returns the nodes of its section on the
// commit that counts (between its heading and the next h2).
func pinSectionOf(t *testing.T, g testGroup) []*html.Node {
	t.Helper()
	var data bytes.Buffer
	if err := renderPage(&data, g.result, nil, nil, ""); err != nil {
		t.Fatal(err)
	}
	page := parseHTML(t, data.Bytes())
	assertNoActiveContent(t, page)
	return sectionNodes(t, page, "deadline-commit")
}

// sectionNodes are the nodes of a page's section: from its h2#id to the
// next h2.
func sectionNodes(t *testing.T, page *html.Node, id string) []*html.Node {
	t.Helper()
	headings := findAll(page, byID(id))
	if len(headings) != 1 || headings[0].Data != "h2" {
		t.Fatalf("want one h2#%s, got %d", id, len(headings))
	}
	var nodes []*html.Node
	for n := headings[0].NextSibling; n != nil && n.Data != "h2"; n = n.NextSibling {
		nodes = append(nodes, n)
	}
	return nodes
}

func sectionText(nodes []*html.Node) string {
	var b strings.Builder
	for _, n := range nodes {
		b.WriteString(textContent(n))
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// rows are the cell texts of the section's table with the given class.
func rows(nodes []*html.Node, class string) [][]string {
	var out [][]string
	for _, n := range nodes {
		for _, table := range findAll(n, func(n *html.Node) bool { return n.Data == "table" && attr(n, "class") == class }) {
			for _, tr := range findAll(table, byTag("tr"))[1:] {
				var cells []string
				for _, td := range findAll(tr, byTag("td")) {
					cells = append(cells, strings.Join(strings.Fields(htmlCellText(td)), " "))
				}
				out = append(out, cells)
			}
		}
	}
	return out
}

// htmlCellText is a table cell's text, a line break read as a space.
func htmlCellText(n *html.Node) string {
	switch {
	case n.Type == html.TextNode:
		return n.Data
	case n.Data == "br":
		return " "
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(htmlCellText(c))
	}
	return b.String()
}

func TestPinSectionBackdatedByPushLog(t *testing.T) {
	g := newGroup(7)
	g.result.TimeZone = "Europe/Copenhagen"
	pinned, late, backdated := strings.Repeat("7", 40), strings.Repeat("a", 40), strings.Repeat("b", 40)
	g.result.Pin = workspace.Pin{
		SHA: pinned, Time: testDeadline.Add(-time.Hour), By: workspace.PinnedByPushLog, LateCommits: 3, Backdated: true, OutOfOrder: true,
		Evidence: []workspace.Evidence{
			{Source: workspace.SourcePushLog, Time: testDeadline, TipSHA: pinned, Push: workspace.PushAtDeadline, Role: workspace.RoleOnTime},
			// GitHub's clock is UTC: the page shows the course's zone.
			{Source: workspace.SourcePushLog, Time: time.Date(2026, 1, 23, 23, 10, 0, 0, time.UTC), TipSHA: backdated, Before: pinned,
				Push: "force_push", Actor: "carol", Role: workspace.RoleBound},
		},
		Late: []workspace.LateCommit{
			{SHA: late, AuthorName: "Bob <script>alert(1)</script>", CommitTime: testDeadline.Add(2 * time.Hour), Subject: "fix typos",
				Files: []workspace.LateFile{{Path: "src/train.py"}}},
			{SHA: backdated, AuthorName: "Carol", CommitTime: testDeadline.Add(-10 * time.Minute), Subject: "add figures", Backdated: true,
				SeenAt: time.Date(2026, 1, 23, 23, 10, 0, 0, time.UTC), SeenBy: workspace.SourcePushLog,
				Files: []workspace.LateFile{{Path: "reports/README.md", Report: true}, {Path: "reports/figures/loss.png", Figure: true}}, FilesOmitted: 9},
		},
		Notes: []string{"the branch was pushed from a laptop"},
	}
	nodes := pinSectionOf(t, g)
	text := sectionText(nodes)
	for _, want := range []string{
		"Graded: " + pinned + ", committed 2026-01-23 22:59:00 +01:00. GitHub's push log shows it on the branch at the deadline.",
		"Late commits: 3",
		"And 1 more late commits, not listed.",
		"backdated Commits dated at or before the deadline were pushed after it",
		"History out of date order: committer dates go backwards on the branch (clock skew or a rebase). Information only, not evidence of backdating.",
		"the branch was pushed from a laptop",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("section lacks %q:\n%s", want, text)
		}
	}
	evidence := rows(nodes, "evidence")
	if len(evidence) != 2 || !slices.Equal(evidence[0][:3], []string{"GitHub's push log: the branch as it stood at the deadline", "2026-01-23 23:59:00 +01:00", pinned[:10]}) ||
		!slices.Equal(evidence[1][:3], []string{"GitHub's push log: force_push by carol", "2026-01-24 00:10:00 +01:00", backdated[:10]}) ||
		!strings.Contains(evidence[1][3], "first sighting after the deadline") {
		t.Errorf("evidence rows %q", evidence)
	}
	lateRows := rows(nodes, "late")
	want := [][]string{
		{"2026-01-24 01:59:00 +01:00", "", "Bob <script>alert(1)</script>", "aaaaaaaaaa fix typos", "src/train.py"},
		{"2026-01-23 23:49:00 +01:00 backdated", "2026-01-24 00:10:00 +01:00 (GitHub's push log)", "Carol", "bbbbbbbbbb add figures",
			"reports/README.md report reports/figures/loss.png figure and 9 more"},
	}
	if !slices.EqualFunc(lateRows, want, slices.Equal) {
		t.Errorf("late commits\n%q\nwant\n%q", lateRows, want)
	}
	// Late commits link to GitHub; the backdated one's row is marked.
	var marked, links []string
	for _, n := range nodes {
		for _, tr := range findAll(n, func(n *html.Node) bool { return n.Data == "tr" && attr(n, "class") == "fail" }) {
			marked = append(marked, textContent(findAll(tr, byTag("code"))[0]))
		}
		for _, a := range findAll(n, byTag("a")) {
			links = append(links, attr(a, "href"))
		}
	}
	if !slices.Equal(marked, []string{"bbbbbbbbbb"}) || !slices.Equal(links, []string{
		"https://github.com/org7/mlops/commit/" + late, "https://github.com/org7/mlops/commit/" + backdated}) {
		t.Errorf("marked rows %q, links %q", marked, links)
	}
}

func TestPinSectionSaysWhy(t *testing.T) {
	before := workspace.Evidence{Source: workspace.SourceEvidenceLog, Time: testDeadline.Add(-10 * time.Minute), TipSHA: "c1", Role: workspace.RoleOnTime}
	after := workspace.Evidence{Source: workspace.SourceEvidenceLog, Time: testDeadline.Add(time.Minute), TipSHA: "c2", Role: workspace.RoleBound}
	for _, tc := range []struct {
		name string
		pin  workspace.Pin
		want []string
	}{
		{"an honest push in the gap", workspace.Pin{SHA: "c2", Time: testDeadline.Add(-3 * time.Minute), By: workspace.PinnedByCommitterDate,
			Evidence: []workspace.Evidence{before, after}},
			[]string{"It is dated at or before the deadline and was pushed between 2026-01-23 23:49:00 +01:00 and 2026-01-24 00:00:00 +01:00: handin cannot tell whether before the deadline, so it counts.",
				"Late commits: 0 None."}},
		{"seen before the deadline, clock ahead", workspace.Pin{SHA: "c1", Time: testDeadline.Add(20 * time.Minute), By: workspace.PinnedByObservation,
			Evidence: []workspace.Evidence{before}},
			[]string{"Handin's evidence log saw it on the branch at 2026-01-23 23:49:00 +01:00, before the deadline.", "the committer's clock ran ahead"}},
		{"rewritten after the deadline", workspace.Pin{SHA: "c1", By: workspace.PinnedByObservation, NotOnBranch: true,
			Evidence: []workspace.Evidence{before, after}},
			[]string{"branch rewritten The branch was rewritten after the deadline and no longer contains this commit"}},
		{"no sighting", workspace.Pin{SHA: "c1", By: workspace.PinnedByCommitterDate},
			[]string{"no sighting of the branch tells when it was pushed", "No sighting of the branch around the deadline"}},
		{"nothing handed in", workspace.Pin{LateCommits: 1, Late: []workspace.LateCommit{{SHA: "c9", CommitTime: testDeadline.Add(time.Hour)}}},
			[]string{"Nothing was on the branch by the deadline.", "Late commits: 1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newGroup(3)
			g.result.Pin = tc.pin
			text := sectionText(pinSectionOf(t, g))
			for _, want := range tc.want {
				if !strings.Contains(text, want) {
					t.Errorf("section lacks %q:\n%s", want, text)
				}
			}
			if strings.Contains(text, "backdated") {
				t.Errorf("an innocent section says backdated:\n%s", text)
			}
		})
	}
}
