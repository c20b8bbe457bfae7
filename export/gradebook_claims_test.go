package export

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"handin/export/gradebook"
	"handin/grade"
	"handin/grade/claims"
)

// Items of the judged checklist of withJudgedChecklist.
const (
	itemGit      = "Create a git repository (M5)"
	itemTests    = "Write unit tests related to the data part (M16)"
	itemFastAPI  = `=HYPERLINK("https://evil.example","FastAPI") (M22)`
	itemAlerts   = "Create one or more alert systems in GCP (M28)"
	itemCI       = "Get some continuous integration running (M17)"
	itemLoadTest = "Load test the API (M24)"
)

// withJudgedChecklist gives a group a checklist of three sections judged
// against its repository, in report order: a ticked item with evidence; an
// unticked one with evidence in two files (one name needs escaping in a
// link); a ticked one without evidence, its text a formula; a ticked one
// only the cloud can show; a ticked one whose files were not kept (no line
// recorded, as in a result of an earlier handin); another ticked one
// without evidence.
func withJudgedChecklist(g testGroup) testGroup {
	r := g.result
	r.Check.Checklist = []grade.ChecklistSummary{
		{Section: "Week 1", Checked: 1, Total: 2, Items: []grade.ChecklistItem{
			{Text: itemGit, Module: "M5", Checked: true, Line: 8}, {Text: itemTests, Module: "M16", Line: 9}}},
		{Section: "Week 2", Checked: 3, Total: 3, Items: []grade.ChecklistItem{
			{Text: itemFastAPI, Module: "M22", Checked: true, Line: 14}, {Text: itemAlerts, Module: "M28", Checked: true, Line: 15},
			{Text: itemCI, Module: "M17", Checked: true}}},
		{Section: "Week 3", Checked: 1, Total: 1, Items: []grade.ChecklistItem{
			{Text: itemLoadTest, Module: "M24", Checked: true, Line: 20}}},
	}
	r.Claims = &grade.ClaimsResult{Rules: "2026", Verdicts: []claims.Verdict{
		{Item: claims.Item{Text: itemGit, Module: "M5", Checked: true, Line: 8}, Rule: "git-repository", Status: claims.Evidence,
			Evidence: []claims.Location{{Path: "README.md", What: "committed files"}}},
		{Item: claims.Item{Text: itemTests, Module: "M16", Line: 9}, Rule: "unit-tests-data", Status: claims.Evidence,
			Evidence: []claims.Location{{Path: "tests/unit tests/test #2.py", Line: 4, What: "a test of the data"}, {Path: "tests/test_data.py", Line: 1, What: "a test of the data"}}},
		{Item: claims.Item{Text: itemFastAPI, Module: "M22", Checked: true, Line: 14}, Rule: "fastapi", Status: claims.NoEvidence,
			Missing: []string{"FastAPI in the code", "an app module"}},
		{Item: claims.Item{Text: itemAlerts, Module: "M28", Checked: true, Line: 15}, Rule: "gcp-alerts", Status: claims.CannotTell,
			Reason: "alerts are set up in the cloud console"},
		{Item: claims.Item{Text: itemCI, Module: "M17", Checked: true}, Rule: "ci", Status: claims.CannotTell,
			Reason: "the files that could show it were not kept: .github/workflows/a.yml, .github/workflows/b.yml, .github/workflows/c.yml, .github/workflows/d.yml, .github/workflows/e.yml",
			Unread: []string{".github/workflows/a.yml", ".github/workflows/b.yml", ".github/workflows/c.yml", ".github/workflows/d.yml", ".github/workflows/e.yml"}},
		{Item: claims.Item{Text: itemLoadTest, Module: "M24", Checked: true, Line: 20}, Rule: "load-test", Status: claims.NoEvidence,
			Missing: []string{"locust"}},
	}}
	return g
}

// claimsHeaders are the Claims sheet's columns on a new gradebook.
var claimsHeaders = []string{"Group", "Item", "Ticked", "Verdict", "Flag", "Comment", "Checked by", "Evidence",
	"Looked for / Reason", "Files not kept", "Section", "Module", "Line in the report", "Rule"}

// The Claims sheet has a row per group and checklist item with the
// verdict, the flag, the evidence linked at the deadline commit (on
// GitHub only), what was looked for, and where the item is; the Groups
// sheet counts the ticked items without evidence and names the groups
// sharing history.
func TestGradebookClaimsSheet(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	github := withJudgedChecklist(newGroup(7))
	github.result.SharedHistory = []grade.SharedHistory{{Group: 12, Commits: 40, SameRoot: true}}
	gitlab := withJudgedChecklist(newGroup(8))
	gitlab.result.WebURL = "https://gitlab.example.org/org8/mlops"
	longPath := withJudgedChecklist(newGroup(9)) // too long an address to link
	long := strings.Repeat("deep/", 420) + "main.py"
	longPath.result.Claims.Verdicts[0].Evidence = []claims.Location{{Path: long, Line: 2, What: "committed files"}}
	unjudged := newGroup(12) // no claims rules: no rows, no count
	unjudged.result.SharedHistory = []grade.SharedHistory{{Group: 7, Commits: 40, SameRoot: true}, {Group: 30, Commits: 2}}
	writeWorkspace(t, ws, github, gitlab, longPath, unjudged)
	export(t, ws, out)
	f := openWorkbook(t, filepath.Join(out, GradebookFile))

	if got := headerRow(t, f, SheetClaims); !slices.Equal(got, claimsHeaders) {
		t.Errorf("Claims columns %q, want %q", got, claimsHeaders)
	}
	rows, err := f.GetRows(SheetClaims)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+3*6 {
		t.Errorf("Claims has %d rows, want the header and 6 items of groups 7, 8 and 9 (group 12 was not judged)", len(rows))
	}
	blob := "https://github.com/org7/mlops/blob/" + strings.Repeat("7", 40) + "/"
	want := map[string][]string{ // item -> Ticked .. Rule, without the instructor's columns
		itemGit: {"yes", "evidence", "", "README.md", "", "0", "Week 1", "M5", "8", "git-repository"},
		itemTests: {"no", "evidence", "unticked with evidence", "tests/unit tests/test #2.py:4\ntests/test_data.py:1", "", "0",
			"Week 1", "M16", "9", "unit-tests-data"},
		itemFastAPI: {"yes", "no evidence", "ticked without evidence", "", "looked for FastAPI in the code; an app module", "0",
			"Week 2", "M22", "14", "fastapi"},
		itemAlerts: {"yes", "cannot tell", "", "", "alerts are set up in the cloud console", "0", "Week 2", "M28", "15", "gcp-alerts"},
		itemCI: {"yes", "cannot tell", "", "",
			"the files that could show it were not kept: .github/workflows/a.yml, .github/workflows/b.yml, .github/workflows/c.yml and 2 more",
			"5", "Week 2", "M17", "", "ci"},
		itemLoadTest: {"yes", "no evidence", "ticked without evidence", "", "looked for locust", "0", "Week 3", "M24", "20", "load-test"},
	}
	links := map[string]string{itemGit: blob + "README.md", itemTests: blob + "tests/unit%20tests/test%20%232.py#L4"}
	cc := columns(t, f, SheetClaims)
	for _, group := range []string{"7", "8"} {
		for item, values := range want {
			r := strconv.Itoa(rowOf(t, f, SheetClaims, "Group", group, "Item", item))
			for i, header := range slices.Concat(claimsHeaders[2:5], claimsHeaders[7:]) {
				if got := cellValue(t, f, SheetClaims, cc[header]+r); got != values[i] {
					t.Errorf("group %s %q: %s = %q, want %q", group, item, header, got, values[i])
				}
			}
			ok, target, _ := f.GetCellHyperLink(SheetClaims, cc["Evidence"]+r)
			if wantLink := links[item]; group == "8" && ok || group == "7" && (ok != (wantLink != "") || target != wantLink) {
				t.Errorf("group %s %q: evidence link %v %q, want %q (links on GitHub only)", group, item, ok, target, wantLink)
			}
		}
	}
	ref := cc["Evidence"] + strconv.Itoa(rowOf(t, f, SheetClaims, "Group", "9", "Item", itemGit))
	if ok, _, _ := f.GetCellHyperLink(SheetClaims, ref); ok || cellValue(t, f, SheetClaims, ref) != long+":2" {
		t.Errorf("evidence of %d characters: linked %v, text %q", len(long), ok, cellValue(t, f, SheetClaims, ref))
	}
	// Student text stays text; numbers are numbers.
	r := strconv.Itoa(rowOf(t, f, SheetClaims, "Group", "7", "Item", itemFastAPI))
	if formula, _ := f.GetCellFormula(SheetClaims, cc["Item"]+r); formula != "" {
		t.Errorf("the item became formula %q", formula)
	}
	if kind, _ := f.GetCellType(SheetClaims, cc["Line in the report"]+r); kind == excelize.CellTypeSharedString {
		t.Error("the line in the report is written as text")
	}
	// The flags stand out without conditional formats, and a cell of two
	// evidence lines gets a row tall enough for both.
	for item, fill := range map[string]string{itemFastAPI: "FEE2E2", itemTests: "DBEAFE"} {
		ref := cc["Flag"] + strconv.Itoa(rowOf(t, f, SheetClaims, "Group", "7", "Item", item))
		id, _ := f.GetCellStyle(SheetClaims, ref)
		if s, err := f.GetStyle(id); err != nil || len(s.Fill.Color) == 0 || s.Fill.Color[0] != fill {
			t.Errorf("Flag %s of %q: style %+v %v, want fill %s", ref, item, s, err, fill)
		}
	}
	if h, _ := f.GetRowHeight(SheetClaims, rowOf(t, f, SheetClaims, "Group", "7", "Item", itemTests)); h < 2*oneLine(t, f, SheetClaims) {
		t.Errorf("row of two evidence lines is %.0f points", h)
	}
	// The autofilter spans every row and column: the ticked items without
	// evidence are one filter away.
	filter := ""
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm._FilterDatabase" && d.Scope == SheetClaims {
			filter = d.RefersTo
		}
	}
	if want := "'Claims'!$A$1:$N$19"; filter != want {
		t.Errorf("Claims autofilter %q, want %q", filter, want)
	}
	// Printed, a row is read across one page.
	if layout, err := f.GetPageLayout(SheetClaims); err != nil || *layout.FitToWidth != 1 || *layout.FitToHeight != 0 || *layout.Orientation != "landscape" {
		t.Errorf("Claims page layout %+v %v, want landscape, one page wide", layout, err)
	}

	for group, want := range map[string][2]string{"7": {"2", "12"}, "8": {"2", ""}, "9": {"2", ""}, "12": {"", "7, 30"}} {
		got := [2]string{cellOf(t, f, SheetGroups, "Ticked without evidence", "Group", group), cellOf(t, f, SheetGroups, "Shares history with", "Group", group)}
		if got != want {
			t.Errorf("Groups row %s: ticked without evidence, shares history with = %q, want %q", group, got, want)
		}
	}
}

// reorderClaims reverses a group's checklist, sections and items, and its
// verdicts with it: the report was rearranged.
func reorderClaims(r *grade.GroupResult) {
	slices.Reverse(r.Check.Checklist)
	for _, s := range r.Check.Checklist {
		slices.Reverse(s.Items)
	}
	slices.Reverse(r.Claims.Verdicts)
}

// An instructor's notes on Claims rows (their columns, a column of their
// own, a renamed column, a comment on a cell) stay on their group and item
// through re-exports, whatever the row order and however the verdict
// changes; a value typed into handin's column, and a note whose item is
// gone, move to Kept.
func TestClaimsNotesSurviveReexports(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, withJudgedChecklist(newGroup(3)), withJudgedChecklist(newGroup(7)))
	export(t, ws, out)
	name := filepath.Join(out, GradebookFile)
	editWorkbook(t, name, func(f *excelize.File) {
		cc := columns(t, f, SheetClaims)
		at := func(header, group, item string) string {
			return cc[header] + strconv.Itoa(rowOf(t, f, SheetClaims, "Group", group, "Item", item))
		}
		setCell(t, f, SheetClaims, at("Comment", "7", itemFastAPI), "the API is in their second repository")
		setCell(t, f, SheetClaims, at("Checked by", "7", itemFastAPI), "NS")
		setCell(t, f, SheetClaims, at("Comment", "3", itemTests), "tests added after week 2")
		setCell(t, f, SheetClaims, at("Verdict", "3", itemAlerts), "evidence (seen in their GCP project)")
		own, _ := excelize.ColumnNumberToName(len(cc) + 1)
		setCell(t, f, SheetClaims, own+"1", "Follow-up")
		setCell(t, f, SheetClaims, own+strconv.Itoa(rowOf(t, f, SheetClaims, "Group", "3", "Item", itemLoadTest)), 2.0)
		renameHeader(t, f, SheetClaims, "Checked by", "Checked by (initials)")
		sortRows(t, f, SheetClaims, "Item", true)
		if err := f.AddComment(SheetClaims, excelize.Comment{Cell: at("Evidence", "7", itemGit), Author: "NS", Text: "README only"}); err != nil {
			t.Fatal(err)
		}
	})

	// Regraded: group 7 rearranged its report and the FastAPI claim now
	// has evidence; group 3 dropped the unit test item; a group sorts first.
	g7, g3 := withJudgedChecklist(newGroup(7)), withJudgedChecklist(newGroup(3))
	fastapi := &g7.result.Claims.Verdicts[2]
	fastapi.Status, fastapi.Missing = claims.Evidence, nil
	fastapi.Evidence = []claims.Location{{Path: "src/api/main.py", Line: 1, What: "FastAPI in the code"}}
	reorderClaims(g7.result)
	g3.result.Claims.Verdicts = slices.Delete(g3.result.Claims.Verdicts, 1, 2)
	g3.result.Check.Checklist[0].Items = slices.Delete(g3.result.Check.Checklist[0].Items, 1, 2)
	writeWorkspace(t, ws, withJudgedChecklist(newGroup(1)), g3, g7)

	for run := range 3 {
		sum := export(t, ws, out)
		if run == 0 {
			if sum.Kept != 2 || len(sum.Warnings) != 2 || !strings.Contains(sum.Warnings[1], `Claims "Checked by" is now "Checked by (initials)"`) {
				t.Errorf("kept %d, warnings %q: want 2 values kept and the rename said", sum.Kept, sum.Warnings)
			}
		} else if sum.Kept != 0 || len(sum.Warnings) != 0 || sum.GradebookBackup != "" {
			t.Errorf("run %d, nothing edited: kept %d, warnings %q, backup %q", run, sum.Kept, sum.Warnings, sum.GradebookBackup)
		}
		f := openWorkbook(t, name)
		for _, c := range []struct{ header, group, item, want string }{
			{"Comment", "7", itemFastAPI, "the API is in their second repository"},
			{"Checked by (initials)", "7", itemFastAPI, "NS"},
			{"Verdict", "7", itemFastAPI, "evidence"},
			{"Flag", "7", itemFastAPI, ""},
			{"Evidence", "7", itemFastAPI, "src/api/main.py:1"},
			{"Follow-up", "3", itemLoadTest, "2"},
			{"Verdict", "3", itemAlerts, "cannot tell"},
			{"Comment", "1", itemFastAPI, ""},
		} {
			if got := cellOf(t, f, SheetClaims, c.header, "Group", c.group, "Item", c.item); got != c.want {
				t.Errorf("run %d: group %s %q: %s = %q, want %q", run, c.group, c.item, c.header, got, c.want)
			}
		}
		if got := headerRow(t, f, SheetClaims); !slices.Contains(got, "Checked by (initials)") || slices.Contains(got, "Checked by") {
			t.Errorf("run %d: Claims columns %q: the renamed column is the instructor's, not added again", run, got)
		}
		comments, _ := f.GetComments(SheetClaims)
		ref := columns(t, f, SheetClaims)["Evidence"] + strconv.Itoa(rowOf(t, f, SheetClaims, "Group", "7", "Item", itemGit))
		if len(comments) != 1 || comments[0].Cell != ref || comments[0].Text != "README only" {
			t.Errorf("run %d: Claims comments %+v, want the note on %s", run, comments, ref)
		}
		for _, kept := range []struct{ column, value string }{
			{"Comment", "tests added after week 2"},
			{"Verdict", "evidence (seen in their GCP project)"},
		} {
			r := findRow(t, f, gradebook.KeptSheet, "Sheet", SheetClaims, "Column", kept.column, "Value", kept.value)
			if r == 0 {
				t.Errorf("run %d: %s %q of group 3 is not on the Kept sheet", run, kept.column, kept.value)
			}
		}
	}
}

// A gradebook written before the Claims sheet existed gets it, with the
// instructor's columns a new sheet starts with, and keeps everything else.
func TestClaimsSheetAddedToAnEarlierGradebook(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, withJudgedChecklist(newGroup(2)))
	export(t, ws, out)
	name := filepath.Join(out, GradebookFile)
	editWorkbook(t, name, func(f *excelize.File) {
		if err := f.DeleteSheet(SheetClaims); err != nil {
			t.Fatal(err)
		}
		for _, h := range []string{"Shares history with", "Ticked without evidence"} {
			if err := f.RemoveCol(SheetGroups, columns(t, f, SheetGroups)[h]); err != nil {
				t.Fatal(err)
			}
		}
	})
	editGradebook(t, name, map[int][3]string{2: {"10", "good", "NS"}}, nil)

	sum := export(t, ws, out)
	if sum.Kept != 0 || len(sum.Warnings) != 0 {
		t.Errorf("kept %d, warnings %q", sum.Kept, sum.Warnings)
	}
	f := openWorkbook(t, name)
	if got := headerRow(t, f, SheetClaims); !slices.Equal(got, claimsHeaders) {
		t.Errorf("Claims columns %q, want %q", got, claimsHeaders)
	}
	if got := cellOf(t, f, SheetGroups, "Grade", "Group", "2") + "|" + cellOf(t, f, SheetGroups, "Ticked without evidence", "Group", "2"); got != "10|2" {
		t.Errorf("group 2 Grade|Ticked without evidence = %q", got)
	}
}
