package export

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"handin/grade"
	"handin/workspace"
)

// TestCIOnEverySurface: the CI status of the commit that counts is on the
// page (failing checks linked), in the index, the gradebook and
// results.json, in the same words; a repository not on GitHub has none.
func TestCIOnEverySurface(t *testing.T) {
	dir := t.TempDir()
	failing := newGroup(1)
	failing.result.CI = &workspace.CI{State: workspace.CIFailing, Checks: []workspace.Check{
		{Name: "tests (3.11)", URL: "https://github.com/org1/mlops/actions/runs/7"},
		{Name: "<b>lint</b>"},
	}}
	failing.result.Findings = append(failing.result.Findings,
		finding(grade.KindCIFailing, 0, "CI failing at the commit that counts (111111111111): tests (3.11), <b>lint</b>"))
	passing := okGroup(2)
	passing.result.CI = &workspace.CI{State: workspace.CIPassing}
	unknown := okGroup(3)
	unknown.result.CI = &workspace.CI{State: workspace.CIUnknown, Reason: "GitHub's API: rate limited for 20m0s more, beyond the time left"}
	elsewhere := okGroup(4) // not on GitHub
	writeWorkspace(t, dir, failing, passing, unknown, elsewhere)
	out := filepath.Join(dir, "out")
	export(t, dir, out)

	page := parseHTML(t, readFile(t, filepath.Join(out, pagePath(1))))
	assertNoActiveContent(t, page)
	nodes := sectionNodes(t, page, "ci")
	var items []string
	for _, n := range nodes {
		for _, li := range findAll(n, byTag("li")) {
			items = append(items, textContent(li))
		}
	}
	if section := sectionText(nodes); !strings.Contains(section, "failing: 2 checks failed on GitHub:") ||
		strings.Join(items, "|") != "tests (3.11)|<b>lint</b>" {
		t.Errorf("the failing group's CI section says %q, lists %q", section, items)
	}
	var links []string
	for _, a := range findAll(page, byTag("a")) {
		if strings.Contains(attr(a, "href"), "actions/runs") {
			links = append(links, textContent(a)+" "+attr(a, "href"))
		}
	}
	if len(links) != 1 || links[0] != "tests (3.11) https://github.com/org1/mlops/actions/runs/7" {
		t.Errorf("links to failing checks %q", links)
	}
	unknownPage := parseHTML(t, readFile(t, filepath.Join(out, pagePath(3))))
	if text := sectionText(sectionNodes(t, unknownPage, "ci")); !strings.Contains(text, "unknown: handin could not ask GitHub: GitHub's API: rate limited") {
		t.Errorf("the unknown group's CI section says %q", text)
	}
	if n := len(findAll(parseHTML(t, readFile(t, filepath.Join(out, pagePath(4)))), byID("ci"))); n != 0 {
		t.Errorf("a repository not on GitHub has %d CI sections", n)
	}

	index := parseHTML(t, readFile(t, filepath.Join(out, IndexFile)))
	ciColumn := -1
	for i, th := range findAll(index, byTag("th")) {
		if textContent(th) == "CI" {
			ciColumn = i
		}
	}
	for group, want := range map[int]string{1: "failing", 2: "passing", 3: "unknown", 4: ""} {
		if row := indexRowOf(t, index, group); ciColumn < 0 || row[ciColumn] != want {
			t.Errorf("group %d: index row %q, want CI %q in column %d", group, row, want, ciColumn)
		}
	}
	if other := indexRowOf(t, index, 1)[ciColumn+1]; strings.Contains(other, "CI") {
		t.Errorf("the CI column's finding is also among the other problems: %q", other)
	}

	f := openWorkbook(t, filepath.Join(out, GradebookFile))
	for group, want := range map[string]string{"1": "failing", "2": "passing", "3": "unknown", "4": ""} {
		if got := cellOf(t, f, SheetGroups, "CI", "Group", group); got != want {
			t.Errorf("gradebook: group %s CI %q, want %q", group, got, want)
		}
	}

	var results struct {
		Groups []struct {
			CI map[string]any `json:"ci"`
		} `json:"groups"`
	}
	if err := json.Unmarshal(readFile(t, filepath.Join(out, ResultsFile)), &results); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"state": "failing", "checks": []any{
		map[string]any{"name": "tests (3.11)", "url": "https://github.com/org1/mlops/actions/runs/7"},
		map[string]any{"name": "<b>lint</b>"},
	}}
	if got := results.Groups[0].CI; !reflect.DeepEqual(got, want) {
		t.Errorf("results.json: group 1's ci %v, want %v", got, want)
	}
	if got := results.Groups[3].CI; got != nil {
		t.Errorf("results.json: group 4 (not on GitHub) has ci %v", got)
	}
}
