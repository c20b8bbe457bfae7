package export

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"handin/grade"
	"handin/grade/similarity"
	"handin/internal/corpus"
	"handin/internal/demo"
	"handin/internal/slowtest"
	"handin/internal/soffice"
	"handin/scrape"
	"handin/workspace"
)

// The gradebook in a real spreadsheet program: LibreOffice Calc, headless.

// sofficePath is LibreOffice's soffice, or a loud skip when it is not
// installed (CI installs libreoffice-calc where it can).
func sofficePath(t testing.TB) string {
	t.Helper()
	slowtest.Skip(t, "LibreOffice opens the gradebook")
	path, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("SKIPPED: soffice not found; install libreoffice-calc (apt-get install -y --no-install-recommends libreoffice-calc) to check the gradebook opens in a real spreadsheet program")
	}
	return path
}

// Filters of soffice --convert-to.
const (
	toPDF  = soffice.ToPDF
	toCSV  = soffice.ToCSV
	toXLSX = soffice.ToXLSX
)

// convert converts a workbook with LibreOffice into a new folder, which it
// returns. LibreOffice's own profile lives in a temporary folder, so the
// test never touches the user's.
func convert(t testing.TB, in, filter string) string {
	t.Helper()
	path := sofficePath(t)
	out, profile := t.TempDir(), t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	output, err := soffice.Convert(ctx, path, in, filter, out, profile)
	entries, _ := os.ReadDir(out)
	if err != nil || len(entries) == 0 {
		t.Fatalf("soffice --convert-to %s %s: %v, wrote %d file(s)\n%s", filter, in, err, len(entries), output)
	}
	for _, e := range entries {
		if info, err := e.Info(); err != nil || info.Size() == 0 {
			t.Fatalf("soffice --convert-to %s wrote an empty %s\n%s", filter, e.Name(), output)
		}
	}
	return out
}

// readCSV reads one sheet converted by toCSV.
func readCSV(t testing.TB, dir, sheet string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "gradebook-"+sheet+".csv"))
	if err != nil {
		t.Fatalf("no CSV of sheet %s: %v", sheet, err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	records, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV of sheet %s: %v", sheet, err)
	}
	return records
}

// TestGradebookOpensInLibreOffice converts the gradebook to CSV with a real
// spreadsheet program: every sheet opens, student text that looks like a
// formula comes out as the text itself, and typed values as typed.
func TestGradebookOpensInLibreOffice(t *testing.T) {
	sofficePath(t)
	ws, out := t.TempDir(), t.TempDir()
	g := withJudgedChecklist(newGroup(4))
	g.result.Findings = problems("=1+1", `=HYPERLINK("https://evil.example","x")`)
	g.result.Similar = []grade.Similarity{{Question: 2, Group: 8, Share: 0.8, OtherShare: 0.7, Words: 40, Parts: []similarity.Part{
		{QuestionA: 2, QuestionB: 2, A: []similarity.Passage{{Text: `=HYPERLINK("https://evil.example","copy")`}}}}}}
	writeWorkspace(t, ws, g, newGroup(8))
	export(t, ws, out)
	name := filepath.Join(out, GradebookFile)
	editGradebook(t, name, map[int][3]string{8: {"11", "fine", "NS"}}, nil)
	editWorkbook(t, name, func(f *excelize.File) {
		ref := columns(t, f, SheetClaims)["Comment"] + strconv.Itoa(rowOf(t, f, SheetClaims, "Group", "4", "Item", itemLoadTest))
		setCell(t, f, SheetClaims, ref, "no locustfile")
		ref = columns(t, f, SheetSimilarity)["Comment"] + strconv.Itoa(rowOf(t, f, SheetSimilarity, "Group", "4", "Question", "2"))
		setCell(t, f, SheetSimilarity, ref, "same wording, ask at the oral exam")
	})
	export(t, ws, out)

	csvDir := convert(t, filepath.Join(out, GradebookFile), toCSV)
	records := readCSV(t, csvDir, SheetGroups)
	if len(records) != 3 || !slices.Equal(records[0][:4], []string{"Group", "Page", "State", "Grade"}) {
		t.Fatalf("Groups sheet as CSV: %q", records)
	}
	col := func(name string) int { return slices.Index(records[0], name) }
	if got := records[1][col("Page")] + "|" + records[1][col("State")] + "|" + records[1][col("Reasons")]; got != "group 4|grade|report location (2)" {
		t.Errorf("group 4 Page|State|Reasons in LibreOffice = %q", got)
	}
	var messages []string
	for _, r := range readCSV(t, csvDir, SheetFindings)[1:] {
		if r[0] == "4" {
			messages = append(messages, r[4])
		}
	}
	if !slices.Contains(messages, "=1+1") || !slices.Contains(messages, `=HYPERLINK("https://evil.example","x")`) {
		t.Errorf("group 4's findings in LibreOffice = %q: student text was evaluated", messages)
	}
	if got := records[2][col("Grade")] + "|" + records[2][col("Comment")]; got != "11|fine" {
		t.Errorf("group 8 Grade|Comment in LibreOffice = %q", got)
	}
	if got := records[1][col("Deadline commit time")]; got != "2026-01-23 22:59" {
		t.Errorf("deadline time in LibreOffice = %q", got)
	}
	if got := readCSV(t, csvDir, SheetQuestions); len(got) != 5 || got[2][2] != "FALSE" {
		t.Errorf("Questions sheet as CSV: %q", got)
	}
	similar := readCSV(t, csvDir, SheetSimilarity)
	want := []string{"4", "2", "group 8", "80", "same wording, ask at the oral exam", "", "70", "40", `=HYPERLINK("https://evil.example","copy")`, "group 4"}
	if len(similar) != 2 || !slices.Equal(similar[1], want) {
		t.Errorf("Similarity sheet as CSV: %q, want the header and %q", similar, want)
	}
	claimRecords := readCSV(t, csvDir, SheetClaims)
	if len(claimRecords) != 7 || !slices.Equal(claimRecords[0], claimsHeaders) {
		t.Fatalf("Claims sheet as CSV: %q", claimRecords)
	}
	for _, want := range [][]string{
		{"4", itemFastAPI, "yes", "no evidence", "ticked without evidence", "", ""},
		{"4", itemTests, "no", "evidence", "unticked with evidence", "", "", "tests/unit tests/test #2.py:4\ntests/test_data.py:1"},
		{"4", itemLoadTest, "yes", "no evidence", "ticked without evidence", "no locustfile", ""},
	} {
		i := slices.IndexFunc(claimRecords, func(r []string) bool { return len(r) >= len(want) && r[1] == want[1] })
		if i < 0 || !slices.Equal(claimRecords[i][:len(want)], want) {
			t.Errorf("Claims row of %q in LibreOffice: %q, want it to start %q", want[1], claimRecords[max(i, 0)], want)
		}
	}
}

// TestDemoGradebookConvertsInLibreOffice converts the demo course's
// gradebook to PDF and to CSV (the 150-group one is converted by
// TestGradebookPrintsLandscapeOnePageWide): a long sheet with a conditional
// format once made LibreOffice 7.4 fail the PDF.
func TestDemoGradebookConvertsInLibreOffice(t *testing.T) {
	sofficePath(t)
	book, groups := demoGradebook(t)
	convert(t, book, toPDF)
	checkSheetsInCSV(t, book, groups)
}

// checkSheetsInCSV converts a gradebook to CSV: the Groups sheet has a row
// per group with a state, and every other sheet has rows.
func checkSheetsInCSV(t *testing.T, book string, groups int) {
	t.Helper()
	csvDir := convert(t, book, toCSV)
	rows := readCSV(t, csvDir, SheetGroups)
	if len(rows) != groups+1 {
		t.Errorf("Groups sheet has %d rows in LibreOffice, want %d groups and the header", len(rows), groups)
	}
	for _, r := range rows[1:] {
		if !slices.Contains(grade.States(), grade.State(r[2])) {
			t.Errorf("group %s State %q in LibreOffice", r[0], r[2])
		}
	}
	for _, sheet := range []string{SheetFindings, SheetQuestions, SheetStudents, SheetChecklist, SheetClaims} {
		if rows := readCSV(t, csvDir, sheet); len(rows) < 2 {
			t.Errorf("sheet %s is empty in LibreOffice", sheet)
		}
	}
}

// TestGradebookOfRealReportsConvertsToPDF exports the corpus's real
// reports, graded by the real grader: with them, the old conditional
// format on the Questions sheet made LibreOffice 7.4 fail ("Unspecified
// Application Error").
func TestGradebookOfRealReportsConvertsToPDF(t *testing.T) {
	sofficePath(t)
	dir := corpus.Dir(t)
	reports, err := filepath.Glob(filepath.Join(dir, "reports", "*.md"))
	if err != nil || len(reports) == 0 {
		t.Fatalf("no corpus reports: %v", err)
	}
	spec, err := grade.LoadSpec(grade.DefaultSpec)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := grade.LoadClaims("", spec)
	if err != nil {
		t.Fatal(err)
	}
	wsDir, out := t.TempDir(), t.TempDir()
	ws := openWorkspace(t, wsDir)
	for i, report := range reports {
		snap := &workspace.Snapshot{Group: i + 1, Status: workspace.StatusOK, Deadline: testDeadline,
			Pin: workspace.Pin{SHA: strings.Repeat("a", 40)}, Copied: []string{"reports/README.md"},
			Tree: []workspace.File{{Path: "reports/README.md", Mode: workspace.ModeFile}}}
		files, err := ws.NewFilesDir(i + 1)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(files, "reports", "README.md"), readFile(t, report))
		if err := ws.SaveSnapshot(snap, files); err != nil {
			t.Fatal(err)
		}
		if err := grade.SaveResult(ws, grade.Grade(snap, grade.Options{Spec: spec, Claims: rules})); err != nil {
			t.Fatal(err)
		}
	}
	ws.Close()
	export(t, wsDir, out)
	convert(t, filepath.Join(out, GradebookFile), toPDF)
}

// TestGradebookSavedByLibreOffice plays an instructor who grades in
// LibreOffice Calc: the workbook they save (as Calc writes xlsx) is read
// back with every value on its row and its type, and nothing handin wrote
// is mistaken for something typed.
func TestGradebookSavedByLibreOffice(t *testing.T) {
	sofficePath(t)
	ws, out := t.TempDir(), t.TempDir()
	var groups []testGroup
	for n := 1; n <= 8; n++ {
		groups = append(groups, largeGroup(n*7)) // multiples of 7 carry formula-like and control-character text
	}
	writeWorkspace(t, ws, groups...)
	saveRoster(t, ws, workspace.RosterRow{Line: 9, Students: []string{"s399999"}, Error: "groups.csv:9: no group number"})
	export(t, ws, out)
	name := filepath.Join(out, GradebookFile)
	exam := time.Date(2026, 1, 30, 0, 0, 0, 0, time.UTC)
	editWorkbook(t, name, func(f *excelize.File) {
		gc := columns(t, f, SheetGroups)
		rows := rowsByKey(t, f, SheetGroups, "Group")
		setCell(t, f, SheetGroups, gc["Grade"]+strconv.Itoa(rows["7"]), 12.0)
		setCell(t, f, SheetGroups, gc["Grade"]+strconv.Itoa(rows["14"]), "-3")
		setCell(t, f, SheetGroups, gc["Comment"]+strconv.Itoa(rows["21"]), "=not a formula\nsecond line")
		next, _ := excelize.ColumnNumberToName(len(gc) + 1)
		setCell(t, f, SheetGroups, next+"1", "Oral exam")
		setCell(t, f, SheetGroups, next+strconv.Itoa(rows["28"]), exam)
		if err := f.AddComment(SheetStudents, excelize.Comment{Cell: "A2", Author: "NS", Text: "check CI logs"}); err != nil {
			t.Fatal(err)
		}
	})
	student := cellValue(t, openWorkbook(t, name), SheetStudents, "A2")
	// Calc opens and saves it.
	saved := filepath.Join(convert(t, name, toXLSX), GradebookFile)
	writeFile(t, name, readFile(t, saved))

	sum := export(t, ws, out)
	if sum.Kept != 0 || len(sum.Warnings) != 0 || sum.GradebookBackup == "" {
		t.Fatalf("after Calc saved it: kept %d, warnings %q, backup %q; want nothing kept, no warning, a backup", sum.Kept, sum.Warnings, sum.GradebookBackup)
	}
	f := openWorkbook(t, name)
	if got := cellOf(t, f, SheetGroups, "Grade", "Group", "7"); got != "12" {
		t.Errorf("group 7 Grade %q", got)
	}
	ref := columns(t, f, SheetGroups)["Grade"] + strconv.Itoa(rowOf(t, f, SheetGroups, "Group", "7"))
	if kind, _ := f.GetCellType(SheetGroups, ref); kind == excelize.CellTypeSharedString || kind == excelize.CellTypeInlineString {
		t.Errorf("group 7's numeric grade became text after Calc")
	}
	if got := cellOf(t, f, SheetGroups, "Grade", "Group", "14"); got != "-3" {
		t.Errorf("group 14 Grade %q", got)
	}
	if got := cellOf(t, f, SheetGroups, "Comment", "Group", "21"); got != "=not a formula\nsecond line" {
		t.Errorf("group 21 Comment %q", got)
	}
	ref = columns(t, f, SheetGroups)["Comment"] + strconv.Itoa(rowOf(t, f, SheetGroups, "Group", "21"))
	if formula, _ := f.GetCellFormula(SheetGroups, ref); formula != "" {
		t.Errorf("group 21 Comment became formula %q", formula)
	}
	if got := cellOf(t, f, SheetGroups, "Oral exam", "Group", "28"); !strings.HasPrefix(got, "2026-01-30") && got != "1/30/2026" && got != "01-30-26" {
		t.Errorf("group 28 Oral exam %q, want the date", got)
	}
	list, _ := f.GetComments(SheetStudents)
	if len(list) != 1 || list[0].Text != "check CI logs" || cellValue(t, f, SheetStudents, list[0].Cell) != student {
		t.Errorf("Students comments %+v, want the note on %s", list, student)
	}
	if got := cellOf(t, f, SheetGroups, "State", "Group", "line 9"); got != "failed" {
		t.Errorf("roster row line 9 State %q", got)
	}
	// And the export after that reads its own file: still nothing moved.
	if sum := export(t, ws, out); sum.Kept != 0 || len(sum.Warnings) != 0 || sum.GradebookBackup != "" {
		t.Errorf("next export: kept %d, warnings %q, backup %q", sum.Kept, sum.Warnings, sum.GradebookBackup)
	}
}

// demoGradebook runs the demo course (internal/demo) through scrape, grade
// and export, as 'handin demo' does.
func demoGradebook(t testing.TB) (string, int) {
	course, err := demo.Build(t.TempDir(), time.Now())
	if err != nil {
		t.Fatalf("demo course: %v", err)
	}
	srv, err := demo.Serve(course)
	if err != nil {
		t.Fatalf("demo course: %v", err)
	}
	defer srv.Close()
	wsDir, out := t.TempDir(), t.TempDir()
	ws := openWorkspace(t, wsDir)
	groups, err := scrape.ReadGroupsFile(course.GroupsFile, demo.Location())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := scrape.Run(ctx, ws, scrape.Options{Groups: groups, GroupsFile: course.GroupsFile, Deadline: course.Deadline, Timeout: time.Minute}); err != nil {
		t.Fatal(err)
	}
	spec, err := grade.LoadSpec(grade.DefaultSpec)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := grade.LoadClaims("", spec)
	if err != nil {
		t.Fatal(err)
	}
	graded, err := grade.Run(ctx, ws, grade.Options{Spec: spec, Claims: rules})
	if err != nil {
		t.Fatal(err)
	}
	if len(graded.Errors) > 0 {
		t.Fatal(graded.Errors)
	}
	ws.Close()
	export(t, wsDir, out)
	return filepath.Join(out, GradebookFile), len(groups)
}

// largeGradebook is the gradebook of 150 groups of 31 questions, with two
// invalid groups.csv rows, graded and commented on by an instructor.
func largeGradebook(t testing.TB) (string, int) {
	ws, out := t.TempDir(), t.TempDir()
	var groups []testGroup
	rows := []workspace.RosterRow{
		{Line: 152, Group: 3, Students: []string{"s399998"}, Error: "groups.csv:152: duplicate group number 3 (first on line 4)"},
		{Line: 153, Students: []string{"s399999"}, Error: "groups.csv:153: no group number"},
	}
	grades := map[int][3]string{}
	for n := 1; n <= 150; n++ {
		groups = append(groups, largeGroup(n))
		rows = append(rows, workspace.RosterRow{Line: n + 1, Group: n, Folder: true})
		grades[n] = [3]string{strconv.Itoa(n % 13), fmt.Sprintf("comment on group %d\nwith a second line", n), "NS"}
	}
	writeWorkspace(t, ws, groups...)
	saveRoster(t, ws, rows...)
	export(t, ws, out)
	editGradebook(t, filepath.Join(out, GradebookFile), grades, nil)
	export(t, ws, out)
	return filepath.Join(out, GradebookFile), 152
}

// BenchmarkLibreOfficePDF150 is LibreOffice converting the 150-group
// gradebook to PDF (every sheet), the profile's creation included.
func BenchmarkLibreOfficePDF150(b *testing.B) {
	benchmarkConvert(b, toPDF)
}

// BenchmarkLibreOfficeCSV150 is the same to CSV (every sheet).
func BenchmarkLibreOfficeCSV150(b *testing.B) {
	benchmarkConvert(b, toCSV)
}

func benchmarkConvert(b *testing.B, filter string) {
	sofficePath(b)
	book, _ := largeGradebook(b)
	for b.Loop() {
		convert(b, book, filter)
	}
}

// TestGradebookPrintsLandscapeOnePageWide: the 150-group gradebook prints
// every sheet landscape, one page wide, Groups first; it converts to CSV
// with every sheet; saved by LibreOffice Calc, no row of Groups or Findings
// is taller than four lines, however long its text.
func TestGradebookPrintsLandscapeOnePageWide(t *testing.T) {
	sofficePath(t)
	book, groups := largeGradebook(t)
	f := openWorkbook(t, book)
	if sheets := f.GetSheetList(); sheets[0] != SheetGroups {
		t.Errorf("sheets %q: Groups is not first", sheets)
	}
	for _, l := range gradebookLayouts {
		layout, err := f.GetPageLayout(l.Name)
		props, perr := f.GetSheetProps(l.Name)
		if err != nil || perr != nil || layout.Orientation == nil || *layout.Orientation != "landscape" || layout.FitToWidth == nil ||
			*layout.FitToWidth != 1 || props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s prints %+v, %+v (%v %v): want landscape, one page wide", l.Name, layout, props, err, perr)
		}
	}
	pdf := readFile(t, filepath.Join(convert(t, book, toPDF), "gradebook.pdf"))
	pages, landscape := pdfPageBoxes(pdf)
	if pages == 0 || landscape != pages {
		t.Errorf("the PDF has %d pages, %d of them landscape", pages, landscape)
	}
	t.Logf("150 groups print on %d landscape pages", pages)
	checkSheetsInCSV(t, book, groups)

	saved := openWorkbook(t, filepath.Join(convert(t, book, toXLSX), GradebookFile))
	for _, sheet := range []string{SheetGroups, SheetFindings} {
		rows, err := saved.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for i := range rows {
			if h, _ := saved.GetRowHeight(sheet, i+1); h > maxGroupRowHeight {
				t.Errorf("saved by Calc, %s row %d is %.0f points tall, more than %d", sheet, i+1, h, maxGroupRowHeight)
			}
		}
	}
}

// pdfMediaBox is a page's size in a PDF LibreOffice wrote.
var pdfMediaBox = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]`)

// pdfPageBoxes counts a PDF's pages and those wider than tall, by their
// media boxes.
func pdfPageBoxes(pdf []byte) (pages, landscape int) {
	for _, m := range pdfMediaBox.FindAllSubmatch(pdf, -1) {
		w, _ := strconv.ParseFloat(string(m[1]), 64)
		h, _ := strconv.ParseFloat(string(m[2]), 64)
		pages++
		if w > h {
			landscape++
		}
	}
	return pages, landscape
}
