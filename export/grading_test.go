package export

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"handin/grade/rubric"
	"handin/internal/browser"
)

// testRubric scores question 1 at 1 point and question 2 by two criteria
// of 1.5 and 1.5.
func testRubric(t testing.TB) *rubric.Rubric {
	t.Helper()
	r, err := rubric.Parse([]byte(`
[[question]]
number = 1
points = 1

[[question]]
number = 2
[[question.criterion]]
name = "shows the pipeline"
points = 1.5
[[question.criterion]]
name = "explains it"
points = 1.5
`))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func exportGrading(t testing.TB, ws, out string, opts Options) *Summary {
	t.Helper()
	opts.Out, opts.Logger = out, quietLogger
	opts.Now = func() time.Time { return fixedNow }
	sum, err := runExport(ws, opts)
	if err != nil {
		t.Fatalf("Export: %v", err)
	}
	return sum
}

// scoreGroups types scores on the Questions sheet: by group, question.
func scoreGroups(t testing.TB, name string, scores map[int]map[int]float64) {
	t.Helper()
	editWorkbook(t, name, func(f *excelize.File) {
		col := columns(t, f, SheetQuestions)[HeaderScore]
		for g, byQuestion := range scores {
			for q, score := range byQuestion {
				setCell(t, f, SheetQuestions, col+strconv.Itoa(rowOf(t, f, SheetQuestions, "Group", strconv.Itoa(g), "Question", strconv.Itoa(q))), score)
			}
		}
	})
}

// Without a rubric or graders the gradebook is laid out as it always was:
// the sheets and columns the README lists, and no formula.
func TestWithoutRubricTheGradebookIsUnchanged(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1), newGroup(2))
	export(t, ws, out)
	f := openWorkbook(t, out+"/"+GradebookFile)
	want := map[string][]string{
		SheetGroups: {"Group", "Page", "State", "Grade", "Comment", "Graded by", "Reasons", "Questions passed", "Questions", "Unanswered",
			"Missing figures", "Checklist checked", "Checklist total", "Ticked without evidence", "Commits", "Contributors", "Late commits",
			"Late work", "Backdated", "History out of order", "Shares history with", "CI", "Students", "Repository", "Scrape status",
			"Deadline SHA", "Deadline commit time"},
		SheetQuestions: {"Group", "Question", "Pass", "Words", "Words min", "Words max", "Images", "Images min", "Images max", "Problems"},
	}
	for sheet, headers := range want {
		if got := headerRow(t, f, sheet); !slices.Equal(got, headers) {
			t.Errorf("%s header %q, want %q", sheet, got, headers)
		}
	}
	if got := f.GetSheetList(); !slices.Equal(got, []string{SheetGroups, SheetFindings, SheetQuestions, SheetStudents, SheetChecklist, SheetClaims, SheetSimilarity}) {
		t.Errorf("sheets %q", got)
	}
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		for i, r := range rows {
			for j := range r {
				ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
					t.Errorf("%s!%s holds the formula %q", sheet, ref, formula)
				}
			}
		}
	}
}

// With a rubric the Questions sheet has a Score and a Comment per
// question and Groups a Total over them: scores typed for two groups are
// kept, their Total is a formula over their rows, and the index and the
// pages say they are graded.
func TestRubricScoresAreTotalledAndShown(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1), newGroup(2), newGroup(3))
	opts := Options{Rubric: testRubric(t)}
	exportGrading(t, ws, out, opts)
	name := out + "/" + GradebookFile
	f := openWorkbook(t, name)
	if got := headerRow(t, f, SheetGroups)[:8]; !slices.Equal(got, []string{"Group", "Page", "State", "Total", "Max", "Grade", "Comment", "Graded by"}) {
		t.Errorf("Groups header %q", got)
	}
	if got := headerRow(t, f, SheetQuestions); !slices.Equal(got[3:5], []string{"Score", "Comment"}) || !slices.Equal(got[len(got)-2:], []string{"Points", "Criteria"}) {
		t.Errorf("Questions header %q", got)
	}
	if got := cellOf(t, f, SheetQuestions, "Criteria", "Group", "1", "Question", "2"); got != "shows the pipeline (1.5); explains it (1.5)" {
		t.Errorf("question 2's criteria %q", got)
	}
	scoreGroups(t, name, map[int]map[int]float64{1: {1: 1, 2: 2.5}, 2: {1: 0, 2: 3}, 3: {2: 1}})
	sum := exportGrading(t, ws, out, opts)
	if sum.Kept != 0 || len(sum.Warnings) != 0 {
		t.Fatalf("kept %d, warnings %q", sum.Kept, sum.Warnings)
	}
	f = openWorkbook(t, name)
	ref := columns(t, f, SheetGroups)[HeaderTotal] + strconv.Itoa(rowOf(t, f, SheetGroups, "Group", "2"))
	if formula, _ := f.GetCellFormula(SheetGroups, ref); formula != "SUMIFS(Questions!$D:$D,Questions!$A:$A,A3)" {
		t.Errorf("group 2's Total is %q", formula)
	}
	if got := cellOf(t, f, SheetQuestions, "Score", "Group", "1", "Question", "2"); got != "2.5" {
		t.Errorf("group 1 question 2 score %q after the export", got)
	}
	index := string(readFile(t, out+"/"+IndexFile))
	if !strings.Contains(index, "<b>graded 2 of 3</b>") || !strings.Contains(index, "2 of 3 <span class=\"state grade\">grade</span>") {
		t.Errorf("the index does not say 2 of 3 groups are graded")
	}
	if !strings.Contains(index, `<td class="num">3.5 / 4</td>`) {
		t.Errorf("the index does not show group 1's total of 3.5 of 4")
	}
	page := string(readFile(t, out+"/"+pagePath(3)))
	if !strings.Contains(page, "<b>Not graded yet</b> · total <b>1</b> of 4") {
		t.Errorf("group 3's page does not say it is half scored")
	}
}

// Graders are dealt to the groups at their first export, and the index
// has a view of each grader's groups.
func TestGradersGetViewsOnTheIndex(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1), newGroup(2), newGroup(3))
	opts := Options{Graders: []string{"ab", "cd"}}
	if sum := exportGrading(t, ws, out, opts); sum.Dealt != 3 {
		t.Errorf("dealt %d graders, want 3", sum.Dealt)
	}
	f := openWorkbook(t, out+"/"+GradebookFile)
	for g, want := range map[string]string{"1": "ab", "2": "cd", "3": "ab"} {
		if got := cellOf(t, f, SheetGroups, HeaderGrader, "Group", g); got != want {
			t.Errorf("group %s's grader %q, want %q", g, got, want)
		}
	}
	index := parseHTML(t, readFile(t, out+"/"+IndexFile))
	if len(findAll(index, byID("view-grader-1"))) != 1 || len(findAll(index, byID("view-grader-2"))) != 1 {
		t.Errorf("no view per grader")
	}
	var ab []string
	for _, tr := range findAll(index, byTag("tr")) {
		if strings.Contains(" "+attr(tr, "class")+" ", " grader-1 ") {
			ab = append(ab, attr(tr, "id"))
		}
	}
	if !slices.Equal(ab, []string{"g1", "g3"}) {
		t.Errorf("grader ab's rows %q, want g1 and g3", ab)
	}
}

// In a browser, the view of a grader shows their groups alone, without a
// script; a group's page says its grader.
func TestGraderViewInBrowser(t *testing.T) {
	b := browser.Open(t)
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1), newGroup(2), newGroup(3))
	exportGrading(t, ws, out, Options{Graders: []string{"ab", "cd"}})
	page := b.Load(t, out+"/"+IndexFile)
	var shown []string
	page.Eval(t, `(() => { location.hash = 'view-grader-2';
		return [...document.querySelectorAll('tr[id^="g"]')].filter(r => r.offsetParent !== null).map(r => r.id); })()`, &shown)
	if !slices.Equal(shown, []string{"g2"}) {
		t.Errorf("#view-grader-2 shows %q, want g2 alone", shown)
	}
	var line string
	b.Load(t, out+"/"+pagePath(2)).Eval(t, `document.querySelector('#grading').innerText`, &line)
	if line != "Not graded yet · grader cd (the gradebook at export)" {
		t.Errorf("group 2's page says %q", line)
	}
}

// TestRubricTotalComputesInLibreOffice plays an instructor who scores one
// group with a script (excelize) and another in LibreOffice Calc (Calc
// saves the workbook): the export keeps both, and LibreOffice computes
// each group's Total from the Questions sheet.
func TestRubricTotalComputesInLibreOffice(t *testing.T) {
	sofficePath(t)
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1), newGroup(2), newGroup(3))
	opts := Options{Rubric: testRubric(t)}
	exportGrading(t, ws, out, opts)
	name := out + "/" + GradebookFile
	scoreGroups(t, name, map[int]map[int]float64{1: {1: 1, 2: 2.5}})
	exportGrading(t, ws, out, opts)
	scoreGroups(t, name, map[int]map[int]float64{2: {1: 0.5, 2: 1.5}})
	writeFile(t, name, readFile(t, convert(t, name, toXLSX)+"/"+GradebookFile))

	sum := exportGrading(t, ws, out, opts)
	if sum.Kept != 0 || len(sum.Warnings) != 0 {
		t.Fatalf("after Calc saved it: kept %d, warnings %q", sum.Kept, sum.Warnings)
	}
	records := readCSV(t, convert(t, name, toCSV), SheetGroups)
	total, most := slices.Index(records[0], HeaderTotal), slices.Index(records[0], HeaderMax)
	got := map[string]string{}
	for _, r := range records[1:] {
		got[r[0]] = r[total] + " of " + r[most]
	}
	for g, want := range map[string]string{"1": "3.5 of 4", "2": "2 of 4", "3": "0 of 4"} {
		if got[g] != want {
			t.Errorf("group %s's Total in LibreOffice %q, want %q", g, got[g], want)
		}
	}
	if !strings.Contains(string(readFile(t, out+"/"+IndexFile)), "<b>graded 2 of 3</b>") {
		t.Errorf("the index does not say 2 of 3 groups are graded")
	}
}
