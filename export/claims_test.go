package export

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"handin/grade"
	"handin/grade/claims"
)

// withClaims gives a group a judged checklist in report order: an item with
// evidence, a ticked item without evidence (its text hostile), an unticked
// item with evidence in a file whose name needs escaping, a ticked item the
// repository cannot tell, another ticked item without evidence; and a group
// it shares history with.
func withClaims(g testGroup) testGroup {
	g.result.Claims = &grade.ClaimsResult{Rules: "2026", Verdicts: []claims.Verdict{
		{Item: claims.Item{Text: "Create a git repository (M5)", Module: "M5", Checked: true, Line: 8}, Rule: "git-repository",
			Status: claims.Evidence, Evidence: []claims.Location{{Path: "README.md", What: "committed files"}}},
		{Item: claims.Item{Text: `FastAPI <script>alert(1)</script> (M22)`, Module: "M22", Checked: true, Line: 9}, Rule: "fastapi",
			Status: claims.NoEvidence, Missing: []string{"FastAPI in the code"}},
		{Item: claims.Item{Text: "Dockerfiles (M10)", Module: "M10", Line: 10}, Rule: "docker-files", Status: claims.Evidence,
			Evidence: []claims.Location{{Path: "docker/my api#1.dockerfile", What: "a Dockerfile"}, {Path: "src/app.py", Line: 3, What: "a Dockerfile"}}},
		{Item: claims.Item{Text: "Alerts in GCP (M28)", Module: "M28", Checked: true, Line: 11}, Rule: "alerts",
			Status: claims.CannotTell, Reason: "alerts are configured in GCP"},
		{Item: claims.Item{Text: "Load test (M24)", Module: "M24", Checked: true, Line: 12}, Rule: "load-test",
			Status: claims.NoEvidence, Missing: []string{"locust", "a load test script"}},
	}}
	g.result.SharedHistory = []grade.SharedHistory{{Group: 12, Commits: 40, SameRoot: true, Newest: strings.Repeat("9", 40),
		NewestTime: time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)}}
	return g
}

// claimRows are the rows of the page's claims table, each as its cells'
// text, and the table's rows as nodes.
func claimRows(t *testing.T, page *html.Node) ([][]string, []*html.Node) {
	t.Helper()
	folded := findAll(page, func(n *html.Node) bool { return n.Data == "details" && attr(n, "class") == "claims" })
	if len(folded) != 1 {
		t.Fatalf("%d folded claims tables, want 1", len(folded))
	}
	return tableRows(t, folded[0])
}

// flaggedClaimRows are the rows of the claims table shown unfolded: the
// ticked items without evidence.
func flaggedClaimRows(t *testing.T, page *html.Node) [][]string {
	t.Helper()
	tables := findAll(page, func(n *html.Node) bool {
		return n.Data == "table" && attr(n, "class") == "claims" && n.Parent.Data != "details"
	})
	if len(tables) > 1 {
		t.Fatalf("%d unfolded claims tables, want at most 1", len(tables))
	}
	if len(tables) == 0 {
		return nil
	}
	cells, _ := tableRows(t, tables[0])
	return cells
}

// tableRows are the cell texts and rows of the claims table in n.
func tableRows(t *testing.T, n *html.Node) ([][]string, []*html.Node) {
	t.Helper()
	tables := findAll(n, func(n *html.Node) bool { return n.Data == "table" && attr(n, "class") == "claims" })
	if len(tables) != 1 {
		t.Fatalf("%d claims tables, want 1", len(tables))
	}
	var cells [][]string
	rows := findAll(tables[0], byTag("tr"))[1:] // the header row first
	for _, tr := range rows {
		var texts []string
		for _, td := range findAll(tr, byTag("td")) {
			texts = append(texts, strings.Join(strings.Fields(textContent(td)), " "))
		}
		cells = append(cells, texts)
	}
	return cells, rows
}

// The group page shows the ticked items without evidence, and folds the
// whole claims table, which puts them first, then unticked items with
// evidence, then the rest in report order; it links
// each piece of evidence to its file and line at the deadline commit on
// GitHub; the shared history has a section of its own, linking the other
// page.
func TestPageClaimsTable(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, withClaims(newGroup(7)), newGroup(12))
	export(t, ws, out)
	page := parseHTML(t, readFile(t, filepath.Join(out, "groups", "007.html")))
	assertNoActiveContent(t, page)
	if len(findAll(page, byID("claims"))) != 1 {
		t.Fatal("no claims section")
	}

	cells, rows := claimRows(t, page)
	want := [][]string{
		{"FastAPI <script>alert(1)</script> (M22) (line 9)", "yes", "ticked, no evidence", "looked for FastAPI in the code"},
		{"Load test (M24) (line 12)", "yes", "ticked, no evidence", "looked for locust; a load test script"},
		{"Dockerfiles (M10) (line 10)", "no", "evidence, not ticked", "docker/my api#1.dockerfile, src/app.py:3 a Dockerfile"},
		{"Create a git repository (M5) (line 8)", "yes", "evidence", "README.md committed files"},
		{"Alerts in GCP (M28) (line 11)", "yes", "cannot tell", "alerts are configured in GCP"},
	}
	if !slices.EqualFunc(cells, want, slices.Equal) {
		t.Errorf("claims rows:\n%q\nwant\n%q", cells, want)
	}
	for i, tr := range rows {
		if check := attr(tr, "class") == "level-check"; check != (i < 2) {
			t.Errorf("row %d (%s): marked to check %v, want %v", i, cells[i][0], check, i < 2)
		}
	}
	if flagged := flaggedClaimRows(t, page); !slices.EqualFunc(flagged, want[:2], slices.Equal) {
		t.Errorf("unfolded rows:\n%q\nwant the ticked items without evidence\n%q", flagged, want[:2])
	}
	blob := "https://github.com/org7/mlops/blob/" + strings.Repeat("7", 40) + "/"
	var links []string
	for _, a := range findAll(rows[2], byTag("a")) {
		links = append(links, attr(a, "href"))
	}
	if want := []string{blob + "docker/my%20api%231.dockerfile", blob + "src/app.py#L3"}; !slices.Equal(links, want) {
		t.Errorf("evidence links %q, want %q", links, want)
	}

	section := textContent(page)
	if !strings.Contains(section, "2 ticked items without evidence (rules 2026)") {
		t.Error("the section does not count the ticked items without evidence")
	}
	if len(findAll(page, byID("shared-history"))) != 1 {
		t.Fatal("no section on the history shared with group 12")
	}
	shared := findAll(page, func(n *html.Node) bool {
		return n.Data == "a" && attr(n, "href") == "012.html" && n.Parent.Data == "b" // not the next-group links
	})
	if len(shared) != 1 || !strings.HasPrefix(textContent(shared[0].Parent.Parent), "Group 12: 40 commits in common") {
		t.Errorf("shared history: %d links to group 12's page", len(shared))
	}

	// The index counts them; a group whose checklist was not judged shows
	// nothing rather than 0.
	index := parseHTML(t, readFile(t, filepath.Join(out, IndexFile)))
	headers := findAll(index, byTag("th"))
	column := slices.IndexFunc(headers, func(n *html.Node) bool { return textContent(n) == "Ticked without evidence" })
	if column < 0 {
		t.Fatal("the index has no column for ticked items without evidence")
	}
	for id, want := range map[string]string{"g7": "2", "g12": ""} {
		row := findAll(index, byID(id))[0]
		if got := textContent(findAll(row, byTag("td"))[column]); got != want {
			t.Errorf("index row %s: ticked without evidence %q, want %q", id, got, want)
		}
	}

	// results.json carries the verdicts.
	var results struct {
		Groups []grade.GroupResult `json:"groups"`
	}
	if err := json.Unmarshal(readFile(t, filepath.Join(out, ResultsFile)), &results); err != nil {
		t.Fatal(err)
	}
	if c := results.Groups[0].Claims; c == nil || len(c.Verdicts) != 5 || c.Verdicts[1].Status != claims.NoEvidence ||
		results.Groups[0].SharedHistory[0].Group != 12 {
		t.Errorf("results.json group 7: claims %+v, shared %+v", c, results.Groups[0].SharedHistory)
	}
}

// Evidence in a repository that is not on GitHub is named, not linked; a
// page without judged checklist says so.
func TestPageClaimsWithoutGitHub(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	g := withClaims(newGroup(3))
	g.result.WebURL = "https://gitlab.example.org/org3/mlops"
	writeWorkspace(t, ws, g, newGroup(4))
	export(t, ws, out)
	page := parseHTML(t, readFile(t, filepath.Join(out, "groups", "003.html")))
	cells, rows := claimRows(t, page)
	if got := cells[2][3]; got != "docker/my api#1.dockerfile, src/app.py:3 a Dockerfile" {
		t.Errorf("evidence cell %q", got)
	}
	if links := findAll(rows[2], byTag("a")); len(links) != 0 {
		t.Errorf("%d evidence links for a repository not on GitHub", len(links))
	}
	other := parseHTML(t, readFile(t, filepath.Join(out, "groups", "004.html")))
	if !strings.Contains(textContent(other), "The checklist was not judged") {
		t.Error("a page without claims does not say so")
	}
}
