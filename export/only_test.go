package export

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"handin/grade"
)

// indexRows renders each group's index row, keyed by its id (g1, g2, ...).
func indexRows(t *testing.T, out string) map[string]string {
	t.Helper()
	rows := map[string]string{}
	for _, tr := range findAll(parseHTML(t, readFile(t, filepath.Join(out, IndexFile))), byTag("tr")) {
		if id := attr(tr, "id"); id != "" {
			var b bytes.Buffer
			if err := html.Render(&b, tr); err != nil {
				t.Fatal(err)
			}
			rows[id] = b.String()
		}
	}
	return rows
}

// withoutGrading is an index row without its grading cells (the
// gradebook's, read at every export).
func withoutGrading(row string) string {
	before, _, _ := strings.Cut(row, `<td class="grade">`)
	return before
}

func resultsByGroup(t *testing.T, out string) map[int]grade.GroupResult {
	t.Helper()
	var file resultsFile
	if err := json.Unmarshal(readFile(t, filepath.Join(out, ResultsFile)), &file); err != nil {
		t.Fatal(err)
	}
	if file.Schema != grade.SchemaVersion {
		t.Errorf("results.json schema %d, want %d", file.Schema, grade.SchemaVersion)
	}
	m := map[int]grade.GroupResult{}
	for _, r := range file.Groups {
		m[r.Group] = *r
	}
	return m
}

func TestPageRegeneratesOnlyItsGroup(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1), newGroup(2), newGroup(3))
	export(t, ws, out)
	editGradebook(t, filepath.Join(out, GradebookFile), map[int][3]string{1: {"10", "one", "A"}, 2: {"8", "two", "B"}, 3: {"6", "three", "C"}}, nil)

	pageName := func(g int) string { return filepath.Join(out, filepath.FromSlash(pagePath(g))) }
	stat := func(g int) os.FileInfo {
		fi, err := os.Stat(pageName(g))
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	before := map[int][]byte{1: readFile(t, pageName(1)), 2: readFile(t, pageName(2)), 3: readFile(t, pageName(3))}
	files := map[int]os.FileInfo{1: stat(1), 3: stat(3)}
	rowsBefore := indexRows(t, out)
	resultsBefore := resultsByGroup(t, out)

	// Group 2 got an extension and was re-graded; group 3 was re-graded too,
	// but the instructor asked only for group 2's page.
	g2, g3 := newGroup(2), newGroup(3)
	g2.files["reports/README.md"] = append(g2.files["reports/README.md"], "\nLate addition after the extension.\n"...)
	g2.result.Findings = problems("Question 2: still too short")
	g2.result.Pin.LateCommits = 0
	g3.result.Findings = problems("changed but not exported")
	writeWorkspace(t, ws, g2, g3)

	sum := export(t, ws, out, 2)
	if len(sum.Pages) != 1 || sum.Pages[0] != pageName(2) || sum.Groups != 3 {
		t.Errorf("summary pages %v groups %d, want only %s of 3 groups", sum.Pages, sum.Groups, pageName(2))
	}
	for _, g := range []int{1, 3} {
		if !bytes.Equal(readFile(t, pageName(g)), before[g]) || !os.SameFile(files[g], stat(g)) {
			t.Errorf("page of group %d was rewritten", g)
		}
	}
	if page2 := readFile(t, pageName(2)); bytes.Equal(page2, before[2]) || !bytes.Contains(page2, []byte("Late addition after the extension.")) {
		t.Errorf("page of group 2 not regenerated")
	}

	rows := indexRows(t, out)
	if len(rows) != 3 || withoutGrading(rows["g1"]) != withoutGrading(rowsBefore["g1"]) || withoutGrading(rows["g3"]) != withoutGrading(rowsBefore["g3"]) {
		t.Errorf("index rows of groups 1 and 3 changed:\n%s\n%s", rows["g3"], rowsBefore["g3"])
	}
	// Their grading is the gradebook's, as it was at this export.
	if !strings.Contains(rows["g3"], `<td class="grade">6</td><td>C</td>`) {
		t.Errorf("index row of group 3 does not show the grade and grader typed into the gradebook: %s", rows["g3"])
	}
	if rows["g2"] == rowsBefore["g2"] {
		t.Errorf("index row of group 2 not updated")
	}

	results := resultsByGroup(t, out)
	if got := findingTexts(results[2].Findings); len(got) != 1 || got[0] != "Question 2: still too short" {
		t.Errorf("results.json group 2 problems %q, want the re-graded ones", got)
	}
	if got, want := findingTexts(results[3].Findings), findingTexts(resultsBefore[3].Findings); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("results.json group 3 problems %q, want the exported %q", got, want)
	}

	f := openWorkbook(t, filepath.Join(out, GradebookFile))
	gc := columns(t, f, SheetGroups)
	for g, want := range map[int][2]string{1: {"one", "10"}, 2: {"two", "8"}, 3: {"three", "6"}} {
		r := strconv.Itoa(rowOf(t, f, SheetGroups, "Group", strconv.Itoa(g)))
		if c, gr := cellValue(t, f, SheetGroups, gc["Comment"]+r), cellValue(t, f, SheetGroups, gc["Grade"]+r); c != want[0] || gr != want[1] {
			t.Errorf("group %d Comment/Grade = %q/%q, want %q/%q", g, c, gr, want[0], want[1])
		}
	}
	r2 := strconv.Itoa(rowOf(t, f, SheetGroups, "Group", "2"))
	r3 := strconv.Itoa(rowOf(t, f, SheetGroups, "Group", "3"))
	if got := cellValue(t, f, SheetGroups, gc["Reasons"]+r2); got != "Question 2: still too short" {
		t.Errorf("gradebook group 2 Reasons = %q", got)
	}
	if got := cellValue(t, f, SheetGroups, gc["Reasons"]+r3); got == "changed but not exported" {
		t.Errorf("gradebook group 3 row changed by page 2")
	}
}

func TestPageOfUnknownGroupFails(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1))
	export(t, ws, out)
	_, err := runExport(ws, Options{Out: out, Only: []int{42}, Logger: quietLogger})
	if err == nil || !strings.Contains(err.Error(), "group 42") {
		t.Errorf("err = %v, want one naming group 42", err)
	}
}

func TestPageWithoutPreviousExportWarns(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1), newGroup(2))
	sum := export(t, ws, out, 2)
	if len(sum.Warnings) != 1 || !strings.Contains(sum.Warnings[0], "no previous export") {
		t.Errorf("warnings %q", sum.Warnings)
	}
	if _, err := os.Stat(filepath.Join(out, "groups", "001.html")); err == nil {
		t.Errorf("page 1 written by page 2")
	}
	if rows := indexRows(t, out); len(rows) != 2 {
		t.Errorf("index has %d rows, want both groups", len(rows))
	}
}

func TestFullExportRemovesPagesOfVanishedGroups(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1), newGroup(2), newGroup(3))
	export(t, ws, out)
	notes := filepath.Join(out, PagesDir, "notes.html") // the instructor's own file
	writeFile(t, notes, []byte("mine"))
	if err := os.Remove(filepath.Join(ws, "groups", "002", "result.json")); err != nil {
		t.Fatal(err)
	}
	// handin page leaves every other page alone, even a vanished group's.
	export(t, ws, out, 1)
	if _, err := os.Stat(filepath.Join(out, PagesDir, "002.html")); err != nil {
		t.Errorf("page 1 removed group 2's page: %v", err)
	}

	sum := export(t, ws, out)
	stale := filepath.Join(out, PagesDir, "002.html")
	if len(sum.RemovedPages) != 1 || sum.RemovedPages[0] != stale {
		t.Errorf("removed pages %q, want [%s]", sum.RemovedPages, stale)
	}
	entries, err := os.ReadDir(filepath.Join(out, PagesDir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"001.html", "003.html", "notes.html"}; strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("pages folder holds %q, want %q", names, want)
	}
}
