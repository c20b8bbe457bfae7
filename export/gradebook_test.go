package export

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"handin/export/gradebook"
	"handin/grade"
	"handin/grade/similarity"
	"handin/workspace"
)

// formulaLike are student strings a spreadsheet would read as formulas.
var formulaLike = []string{`=HYPERLINK("https://evil.example","click")`, "=1+1", "+x", "-x", "@x"}

func TestGradebookCellsAreStringsNeverFormulas(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	g := newGroup(4)
	g.result.Findings = problems(formulaLike...)
	g.result.Students[0].ID = formulaLike[0]
	g.result.Students[0].Authors = []string{"=1+1"}
	g.result.Check.Checklist[0].Items[0].Text = "@x"
	g.result.Status = "-x"
	g.result.Similar = []grade.Similarity{{Question: 5, Group: 9, Share: 0.5, OtherShare: 0.4, Words: 40,
		Parts: []similarity.Part{{QuestionA: 5, QuestionB: 5, A: []similarity.Passage{{Text: formulaLike[1]}}}}}}
	writeWorkspace(t, ws, g, newGroup(9))
	export(t, ws, out)

	f := openWorkbook(t, filepath.Join(out, GradebookFile))
	if got := f.GetSheetList(); !slices.Equal(got, []string{SheetGroups, SheetFindings, SheetQuestions, SheetStudents, SheetChecklist, SheetClaims, SheetSimilarity}) {
		t.Fatalf("sheets %v", got)
	}
	gc := columns(t, f, SheetGroups)
	r := strconv.Itoa(rowOf(t, f, SheetGroups, "Group", "4"))
	checks := map[string]string{ // sheet!ref -> expected text
		SheetGroups + "!" + gc["Scrape status"] + r: "-x",
		SheetGroups + "!" + gc["Students"] + r:      formulaLike[0] + ", s100042",
	}
	fc := columns(t, f, SheetFindings)
	for _, text := range formulaLike {
		checks[SheetFindings+"!"+fc["Message"]+strconv.Itoa(rowOf(t, f, SheetFindings, "Group", "4", "Message", text))] = text
	}
	sc := columns(t, f, SheetStudents)
	sr := strconv.Itoa(rowOf(t, f, SheetStudents, "Student", formulaLike[0]))
	checks[SheetStudents+"!"+sc["Matched authors"]+sr] = "=1+1"
	cc := columns(t, f, SheetChecklist)
	checks[SheetChecklist+"!"+cc["Item"]+"2"] = "@x"
	simc := columns(t, f, SheetSimilarity)
	checks[SheetSimilarity+"!"+simc["Passage"]+strconv.Itoa(rowOf(t, f, SheetSimilarity, "Group", "4", "Question", "5"))] = formulaLike[1]
	for where, want := range checks {
		sheet, ref, _ := strings.Cut(where, "!")
		if got := cellValue(t, f, sheet, ref); got != want {
			t.Errorf("%s = %q, want %q", where, got, want)
		}
		if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
			t.Errorf("%s has formula %q", where, formula)
		}
		if kind, _ := f.GetCellType(sheet, ref); kind != excelize.CellTypeSharedString && kind != excelize.CellTypeInlineString {
			t.Errorf("%s has cell type %v, want a string", where, kind)
		}
	}

	// Typed values and the link.
	if v := cellValue(t, f, SheetGroups, gc["Commits"]+r); v != "15" {
		t.Errorf("Commits = %q, want 15", v)
	}
	if kind, _ := f.GetCellType(SheetGroups, gc["Commits"]+r); kind == excelize.CellTypeSharedString {
		t.Errorf("Commits written as text")
	}
	if v := cellValue(t, f, SheetGroups, gc["Deadline commit time"]+r); v != "2026-01-23 22:59" {
		t.Errorf("Deadline commit time = %q, want the wall clock 2026-01-23 22:59", v)
	}
	if ok, target, _ := f.GetCellHyperLink(SheetGroups, gc["Page"]+r); !ok || target != "groups/004.html" {
		t.Errorf("Page link = %v %q, want groups/004.html", ok, target)
	}
	if v := cellOf(t, f, SheetQuestions, "Pass", "Group", "4", "Question", "2"); v != "FALSE" {
		t.Errorf("group 4 question 2 Pass = %q, want FALSE", v)
	}
}

func TestGradebookIsLaidOutForGrading(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	clean, failed := newGroup(2), newGroup(3)
	clean.result.Findings, clean.result.State = nil, grade.StateOK
	failed.result.Status, failed.result.State, failed.result.Check = workspace.StatusNotFound, grade.StateFailed, nil
	failed.result.Findings = problems("status not-found: repository not found")
	many := newGroup(1)
	var messages []string
	for i := range 6 {
		messages = append(messages, strings.Repeat("a long problem text that needs more than one line ", 1+i%2))
	}
	many.result.Findings = nil
	for i, m := range messages { // six kinds: six reasons
		many.result.Findings = append(many.result.Findings, grade.Finding{Kind: grade.KindTable[i].Kind, Level: grade.LevelGrade, Message: m})
	}
	writeWorkspace(t, ws, many, clean, failed)
	export(t, ws, out)
	f := openWorkbook(t, filepath.Join(out, GradebookFile))

	header := headerRow(t, f, SheetGroups)
	if want := []string{"Group", "Page", "State", "Grade", "Comment", "Graded by", "Reasons"}; !slices.Equal(header[:len(want)], want) {
		t.Errorf("Groups columns start %q, want %q", header[:len(want)], want)
	}
	for _, g := range []struct{ group, state string }{{"1", "grade"}, {"2", "ok"}, {"3", "failed"}} {
		if got := cellOf(t, f, SheetGroups, "State", "Group", g.group); got != g.state {
			t.Errorf("group %s State %q, want %q (the state, as the CLI says it)", g.group, got, g.state)
		}
	}
	for _, l := range gradebookLayouts {
		panes, err := f.GetPanes(l.Name)
		if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.XSplit != l.Freeze || l.Freeze < 1 {
			t.Errorf("%s: panes %+v %v, want the header row and %d key column(s) frozen", l.Name, panes, err, l.Freeze)
		}
		formats, err := f.GetConditionalFormats(l.Name)
		if err != nil || len(formats) != 0 {
			t.Errorf("%s: conditional formats %v %v (LibreOffice 7.4 cannot print them to PDF on a long sheet)", l.Name, formats, err)
		}
		for i, h := range headerRow(t, f, l.Name) {
			letter, _ := excelize.ColumnNumberToName(i + 1)
			width, _ := f.GetColWidth(l.Name, letter)
			if need := float64(len(h))*1.1 + 3; width < need {
				t.Errorf("%s column %q is %.1f wide, too narrow for its header (%.1f)", l.Name, h, width, need)
			}
		}
	}
	// The reasons are one short line; the findings, one row each, are on
	// the Findings sheet, wrapped; no row is taller than four lines.
	row := rowOf(t, f, SheetGroups, "Group", "1")
	reasons := cellOf(t, f, SheetGroups, "Reasons", "Group", "1")
	if strings.Contains(reasons, "\n") || len([]rune(reasons)) > maxReasonsLine || !strings.HasPrefix(reasons, strings.TrimSpace(messages[0][:20])) {
		t.Errorf("group 1 Reasons %q: want the first reasons in one short line", reasons)
	}
	line := oneLine(t, f, SheetGroups)
	for _, sheet := range []string{SheetGroups, SheetFindings} {
		rows, _ := f.GetRows(sheet)
		for i := range rows {
			if h, _ := f.GetRowHeight(sheet, i+1); h > maxGroupRowHeight {
				t.Errorf("%s row %d is %.0f points tall, more than %d", sheet, i+1, h, maxGroupRowHeight)
			}
		}
	}
	if h, _ := f.GetRowHeight(SheetGroups, row); h > line {
		t.Errorf("group 1's row is %.0f points: its reasons take one line", h)
	}
	for _, m := range messages {
		frow := rowOf(t, f, SheetFindings, "Group", "1", "Message", m)
		ref := columns(t, f, SheetFindings)["Message"] + strconv.Itoa(frow)
		style, _ := f.GetCellStyle(SheetFindings, ref)
		if s, err := f.GetStyle(style); err != nil || s.Alignment == nil || !s.Alignment.WrapText {
			t.Errorf("Findings message %s does not wrap: %+v %v", ref, s, err)
		}
		if h, _ := f.GetRowHeight(SheetFindings, frow); len(m) > 90 && h < 2*line {
			t.Errorf("Findings row %d is %.0f points for a message of two lines", frow, h)
		}
	}
	if h, _ := f.GetRowHeight(SheetGroups, rowOf(t, f, SheetGroups, "Group", "2")); h > 2*line {
		t.Errorf("group 2 has no problems but a %.0f point row", h)
	}
}

func TestRosterGroupsWithoutResultAreListed(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1), newGroup(2))
	saveRoster(t, ws,
		workspace.RosterRow{Line: 2, Group: 1, Students: []string{"s100011", "s100012"}, URL: "https://github.com/org1/mlops", Folder: true},
		workspace.RosterRow{Line: 3, Group: 2, Students: []string{"s100021", "s100022"}, URL: "https://github.com/org2/mlops", Folder: true},
		workspace.RosterRow{Line: 4, Group: 2, Students: []string{"s300001"}, URL: "https://github.com/dup/mlops",
			Error: "groups.csv:4: duplicate group number 2 (first on line 3)"},
		workspace.RosterRow{Line: 5, Students: []string{"s300002"}, Error: "groups.csv:5: group number \"x\" is not a number"},
		workspace.RosterRow{Line: 6, Group: 6, Students: []string{"s300003"}, URL: "https://github.com/six/mlops", Folder: true},
	)
	export(t, ws, out)
	f := openWorkbook(t, filepath.Join(out, GradebookFile))
	for _, want := range []struct{ key, problem string }{
		{"line 4", "groups.csv:4: duplicate group number 2 (first on line 3)"},
		{"line 5", "groups.csv:5: group number \"x\" is not a number"},
		{"6", "groups.csv:6: no result yet (not scraped or graded)"},
	} {
		if got := cellOf(t, f, SheetGroups, "State", "Group", want.key); got != "failed" {
			t.Errorf("roster row %s State %q, want failed", want.key, got)
		}
		if got := cellOf(t, f, SheetGroups, "Reasons", "Group", want.key); got != want.problem {
			t.Errorf("roster row %s Reasons %q, want %q", want.key, got, want.problem)
		}
	}
	rows, _ := f.GetRows(SheetGroups)
	if len(rows) != 6 {
		t.Errorf("Groups has %d rows, want the header, 2 graded groups and 3 roster rows", len(rows))
	}
	for id, group := range map[string]string{"s300001": "line 4", "s300002": "line 5", "s300003": "6", "s100021": "2"} {
		if got := cellOf(t, f, SheetStudents, "Group", "Student", id); got != group {
			t.Errorf("student %s in group %q, want %q", id, got, group)
		}
	}
	// A grade typed on a roster row stays on it.
	editWorkbook(t, filepath.Join(out, GradebookFile), func(f *excelize.File) {
		setCell(t, f, SheetGroups, columns(t, f, SheetGroups)["Comment"]+strconv.Itoa(rowOf(t, f, SheetGroups, "Group", "line 4")), "asked them to fix the row")
	})
	export(t, ws, out)
	f = openWorkbook(t, filepath.Join(out, GradebookFile))
	if got := cellOf(t, f, SheetGroups, "Comment", "Group", "line 4"); got != "asked them to fix the row" {
		t.Errorf("comment on roster row line 4 = %q", got)
	}
}

func TestInstructorWorkSurvivesReexports(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1), newGroup(2), newGroup(3))
	export(t, ws, out)
	name := filepath.Join(out, GradebookFile)
	grades := map[int][3]string{
		1: {"12", "Good report; figures clear.", "NS"},
		2: {"-3", "=not a formula, typed as text", "MK"},
		3: {"7.5", "multi\nline", "NS"},
	}
	comments := map[string]string{"s100011": "did most of the CI", "s100032": "no commits until week 3"}
	editGradebook(t, name, grades, comments)

	for run := range 3 {
		// Results change between runs: a new group appears, problems change.
		g2 := newGroup(2)
		g2.result.Findings = append(g2.result.Findings, problems("run "+strconv.Itoa(run))...)
		groups := []testGroup{newGroup(1), g2, newGroup(3)}
		if run > 0 {
			groups = append(groups, newGroup(10+run))
		}
		writeWorkspace(t, ws, groups...)
		sum := exportAt(t, ws, out, fixedNow.Add(time.Duration(run)*time.Second))
		if (sum.GradebookBackup != "") != (run == 0) {
			t.Errorf("run %d: backup %q: want one of the edited workbook, then none", run, sum.GradebookBackup)
		}
		if len(sum.Warnings) != 0 || sum.Kept != 0 {
			t.Errorf("run %d: warnings %q, kept %d", run, sum.Warnings, sum.Kept)
		}
		f := openWorkbook(t, name)
		gc := columns(t, f, SheetGroups)
		for g, want := range grades {
			r := strconv.Itoa(rowOf(t, f, SheetGroups, "Group", strconv.Itoa(g)))
			for i, col := range []string{"Grade", "Comment", "Graded by"} {
				if got := cellValue(t, f, SheetGroups, gc[col]+r); got != want[i] {
					t.Errorf("run %d group %d %s = %q, want %q", run, g, col, got, want[i])
				}
			}
			if kind, _ := f.GetCellType(SheetGroups, gc["Grade"]+r); kind == excelize.CellTypeSharedString {
				t.Errorf("run %d: numeric grade of group %d became text", run, g)
			}
			if formula, _ := f.GetCellFormula(SheetGroups, gc["Comment"]+r); formula != "" {
				t.Errorf("run %d: comment became formula %q", run, formula)
			}
		}
		for id, want := range comments {
			if got := cellOf(t, f, SheetStudents, "Comment", "Student", id); got != want {
				t.Errorf("run %d student %s Comment = %q, want %q", run, id, got, want)
			}
		}
		if got := cellOf(t, f, SheetGroups, "Reasons", "Group", "2"); !strings.HasSuffix(got, "run "+strconv.Itoa(run)) {
			t.Errorf("run %d: Reasons not refreshed: %q", run, got)
		}
	}
	if backups := backupFiles(t, out); len(backups) != 1 {
		t.Errorf("backups %v, want the one edited workbook", backups)
	}
}

func TestInstructorColumnsFoundByHeader(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1))
	export(t, ws, out)
	name := filepath.Join(out, GradebookFile)
	editGradebook(t, name, map[int][3]string{1: {"10", "moved", "AB"}}, nil)
	// The instructor inserts a column before everything and a title row
	// above the header: the columns and rows move.
	editWorkbook(t, name, func(f *excelize.File) {
		if err := f.InsertCols(SheetGroups, "A", 1); err != nil {
			t.Fatal(err)
		}
		if err := f.InsertRows(SheetGroups, 1, 1); err != nil {
			t.Fatal(err)
		}
		setCell(t, f, SheetGroups, "A1", "MLOps 2026")
		setCell(t, f, SheetGroups, "A3", "first")
	})
	sum := export(t, ws, out)
	f := openWorkbook(t, name)
	if got := cellOf(t, f, SheetGroups, "Comment", "Group", "1"); got != "moved" {
		t.Errorf("Comment = %q after the instructor moved columns, want \"moved\"", got)
	}
	if got := cellOf(t, f, SheetGroups, "Untitled A", "Group", "1"); got != "first" {
		t.Errorf("the inserted column (no header) holds %q on group 1, want \"first\"", got)
	}
	if sum.Kept != 1 || cellOf(t, f, gradebook.KeptSheet, "Value", "Cell", "A1") != "MLOps 2026" {
		t.Errorf("kept %d: the title above the header row is not on the Kept sheet", sum.Kept)
	}
}

func TestOpenOrUnreadableGradebookIsLeftAlone(t *testing.T) {
	for _, tc := range []struct {
		name   string
		setup  func(t *testing.T, ws, out string)
		reason string
		finish string
	}{
		{"corrupt", func(t *testing.T, _, out string) {
			writeFile(t, filepath.Join(out, GradebookFile), []byte("PK\x03\x04 this is not a zip archive"))
		}, "could not be read", "repair"},
		{"a zip bomb", func(t *testing.T, ws, out string) {
			export(t, ws, out)
			inflateSharedStrings(t, filepath.Join(out, GradebookFile), 2<<30)
		}, "inflates past what handin reads", "repair"},
		{"open in LibreOffice", func(t *testing.T, ws, out string) {
			export(t, ws, out)
			editGradebook(t, filepath.Join(out, GradebookFile), map[int][3]string{1: {"9", "saved while open", "NS"}}, nil)
			lockGradebook(t, out)
		}, "is open in a spreadsheet program", "save and close"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws, out := t.TempDir(), t.TempDir()
			writeWorkspace(t, ws, newGroup(1))
			tc.setup(t, ws, out)
			before := readFile(t, filepath.Join(out, GradebookFile))
			for run := range 3 {
				sum := exportAt(t, ws, out, fixedNow.Add(time.Duration(run)*time.Minute))
				if after := readFile(t, filepath.Join(out, GradebookFile)); !bytes.Equal(before, after) {
					t.Fatalf("run %d: the gradebook was overwritten", run)
				}
				if sum.Gradebook != filepath.Join(out, gradebook.PendingFile) {
					t.Errorf("run %d: new gradebook at %s, want %s", run, sum.Gradebook, gradebook.PendingFile)
				}
				if len(sum.Warnings) != 1 || !strings.Contains(sum.Warnings[0], tc.reason) || !strings.Contains(sum.Warnings[0], tc.finish) ||
					!strings.Contains(sum.Warnings[0], "run handin export again") {
					t.Errorf("run %d: warnings %q, want one saying %q and how to finish", run, sum.Warnings, tc.reason)
				}
				if sum.GradebookBackup != "" {
					t.Errorf("run %d: backup %s made of a workbook that was not replaced", run, sum.GradebookBackup)
				}
				if got := undocumented(t, out); len(got) != 0 {
					t.Errorf("run %d: files %q in the output folder", run, got)
				}
			}
			f := openWorkbook(t, filepath.Join(out, gradebook.PendingFile))
			if tc.name == "open in LibreOffice" && cellOf(t, f, SheetGroups, "Comment", "Group", "1") != "saved while open" {
				t.Errorf("the pending gradebook lacks the work saved in the open one")
			}
		})
	}
}

// inflateSharedStrings rewrites the workbook name with shared strings its
// zip says inflate to size bytes (never read: the size is refused first).
func inflateSharedStrings(t *testing.T, name string, size uint64) {
	t.Helper()
	zr, err := zip.OpenReader(name)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/sharedStrings.xml", Method: zip.Deflate, UncompressedSize64: size, CompressedSize64: 2})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte{3, 0})
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	writeFile(t, name, b.Bytes())
}

func TestGradebookWrittenOnceClosed(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1), newGroup(2))
	export(t, ws, out)
	name := filepath.Join(out, GradebookFile)
	unlock := lockGradebook(t, out)
	export(t, ws, out)
	// While open, the instructor grades and saves; handin exports twice
	// meanwhile (cron), each time replacing the one pending workbook.
	editGradebook(t, name, map[int][3]string{2: {"10", "graded while open", "NS"}}, nil)
	for i := range 2 {
		if sum := exportAt(t, ws, out, fixedNow.Add(time.Duration(i+1)*time.Minute)); sum.Gradebook != filepath.Join(out, gradebook.PendingFile) {
			t.Fatalf("export while open wrote %s", sum.Gradebook)
		}
	}
	unlock()
	sum := exportAt(t, ws, out, fixedNow.Add(time.Hour))
	if sum.Gradebook != name || sum.GradebookBackup == "" || len(sum.Warnings) != 0 {
		t.Errorf("closed: gradebook %s backup %q warnings %q, want gradebook.xlsx, a backup of the edited one, no warning", sum.Gradebook, sum.GradebookBackup, sum.Warnings)
	}
	if _, err := os.Stat(filepath.Join(out, gradebook.PendingFile)); !os.IsNotExist(err) {
		t.Errorf("pending gradebook still there: %v", err)
	}
	if got := cellOf(t, openWorkbook(t, name), SheetGroups, "Comment", "Group", "2"); got != "graded while open" {
		t.Errorf("group 2 Comment %q", got)
	}

	// A pending workbook the instructor typed into is kept as a backup
	// before it goes.
	lockGradebook(t, out)
	export(t, ws, out)
	editGradebook(t, filepath.Join(out, gradebook.PendingFile), map[int][3]string{1: {"4", "typed in the wrong file", "NS"}}, nil)
	edited := readFile(t, filepath.Join(out, gradebook.PendingFile))
	sum = exportAt(t, ws, out, fixedNow.Add(2*time.Hour))
	if len(sum.Warnings) != 2 || !strings.Contains(sum.Warnings[1], "had been edited") {
		t.Errorf("warnings %q, want the open workbook and the edited pending one", sum.Warnings)
	}
	found := false
	for _, b := range backupFiles(t, out) {
		found = found || bytes.Equal(readFile(t, filepath.Join(out, b)), edited)
	}
	if !found {
		t.Errorf("the edited pending workbook is not among the backups %v", backupFiles(t, out))
	}
}

func TestValuesWithoutTheirRowGoToKept(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1), newGroup(2), newGroup(3))
	export(t, ws, out)
	name := filepath.Join(out, GradebookFile)
	editGradebook(t, name, map[int][3]string{2: {"9", "gone", "NS"}}, map[string]string{"s100021": "left the course"})
	editWorkbook(t, name, func(f *excelize.File) {
		gc := columns(t, f, SheetGroups)
		rows, _ := f.GetRows(SheetGroups)
		total := strconv.Itoa(len(rows) + 2)
		setCell(t, f, SheetGroups, gc["Grade"]+total, "=AVERAGE(C2:C4)") // text: a note below the table
		if err := f.SetCellFormula(SheetGroups, gc["Graded by"]+total, "COUNTA(E2:E4)"); err != nil {
			t.Fatal(err)
		}
		setCell(t, f, SheetGroups, gc["Commits"]+strconv.Itoa(rowOf(t, f, SheetGroups, "Group", "3")), 99.0) // typed into a handin column
	})
	if err := os.Remove(filepath.Join(ws, "groups", "002", "result.json")); err != nil {
		t.Fatal(err)
	}
	sum := export(t, ws, out)
	want := []struct{ sheet, row, column, value string }{
		{SheetGroups, "Group 2", "Grade", "9"},
		{SheetGroups, "Group 2", "Comment", "gone"},
		{SheetGroups, "Group 2", "Graded by", "NS"},
		{SheetStudents, "Student s100021, Group 2", "Comment", "left the course"},
		{SheetGroups, "Group 3", "Commits", "99"},
		{SheetGroups, "row 6", "Grade", "=AVERAGE(C2:C4)"},
		{SheetGroups, "row 6", "Graded by", "=COUNTA(E2:E4)"},
	}
	if sum.Kept != len(want) || len(sum.Warnings) != 1 || !strings.Contains(sum.Warnings[0], strconv.Itoa(len(want))+" value(s)") {
		t.Errorf("kept %d, warnings %q: want %d values said to be moved to Kept", sum.Kept, sum.Warnings, len(want))
	}
	check := func(run int) {
		columnsAscend(t, name)
		f := openWorkbook(t, name)
		rows, err := f.GetRows(gradebook.KeptSheet)
		if err != nil {
			t.Fatalf("run %d: no Kept sheet: %v", run, err)
		}
		if !slices.Equal(rows[0], []string{"Moved", "Sheet", "Row", "Column", "Cell", "Value", "Why"}) {
			t.Errorf("run %d: Kept header %q", run, rows[0])
		}
		var got []string
		for _, r := range rows[1:] {
			got = append(got, strings.Join(r[1:4], "|")+"|"+r[5])
			if r[0] != "2026-01-26 09:30" || r[4] == "" || r[6] == "" {
				t.Errorf("run %d: Kept row %q lacks when, where or why", run, r)
			}
		}
		for _, w := range want {
			if !slices.Contains(got, w.sheet+"|"+w.row+"|"+w.column+"|"+w.value) {
				t.Errorf("run %d: %v not on the Kept sheet:\n%s", run, w, strings.Join(got, "\n"))
			}
		}
		if len(got) != len(want) {
			t.Errorf("run %d: Kept has %d rows, want %d", run, len(got), len(want))
		}
		kc := columns(t, f, gradebook.KeptSheet)
		r := strconv.Itoa(rowOf(t, f, gradebook.KeptSheet, "Row", "Group 2", "Column", "Grade"))
		if kind, _ := f.GetCellType(gradebook.KeptSheet, kc["Value"]+r); kind == excelize.CellTypeSharedString {
			t.Errorf("run %d: the kept grade 9 became text", run)
		}
		if formula, _ := f.GetCellFormula(gradebook.KeptSheet, kc["Value"]+strconv.Itoa(rowOf(t, f, gradebook.KeptSheet, "Column", "Graded by", "Row", "row 6"))); formula != "" {
			t.Errorf("run %d: a kept formula is a formula away from its row: %q", run, formula)
		}
		if findRow(t, f, SheetGroups, "Group", "2") != 0 {
			t.Errorf("run %d: group 2 still has a row", run)
		}
		if got := cellOf(t, f, SheetGroups, "Commits", "Group", "3"); got != "15" {
			t.Errorf("run %d: group 3 Commits = %q, want handin's 15", run, got)
		}
	}
	check(0)
	// The next export keeps the Kept sheet as it is and moves nothing.
	sum = exportAt(t, ws, out, fixedNow.Add(time.Hour))
	if sum.Kept != 0 || len(sum.Warnings) != 0 {
		t.Errorf("second export: kept %d, warnings %q", sum.Kept, sum.Warnings)
	}
	check(1)
}

func TestBackupOnlyOfAnEditedGradebook(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1), newGroup(2))
	name := filepath.Join(out, GradebookFile)
	at := fixedNow
	exportNext := func() *Summary {
		at = at.Add(10 * time.Minute)
		return exportAt(t, ws, out, at)
	}
	for range 3 {
		if sum := exportNext(); sum.GradebookBackup != "" {
			t.Fatalf("backup %s of a gradebook nobody edited", sum.GradebookBackup)
		}
	}
	editGradebook(t, name, map[int][3]string{1: {"7", "first", "NS"}}, nil)
	edited := readFile(t, name)
	if sum := exportNext(); sum.GradebookBackup == "" || !bytes.Equal(readFile(t, sum.GradebookBackup), edited) {
		t.Fatalf("no backup of the edited gradebook: %q", sum.GradebookBackup)
	}
	for range 3 {
		if sum := exportNext(); sum.GradebookBackup != "" {
			t.Errorf("another backup %s without an edit", sum.GradebookBackup)
		}
	}
	// Losing the state costs one backup at most, never an edit.
	if err := os.Remove(filepath.Join(out, gradebook.StateFile)); err != nil {
		t.Fatal(err)
	}
	exportNext()
	exportNext()
	if backups := backupFiles(t, out); len(backups) > 2 {
		t.Errorf("backups %v after the state was lost", backups)
	}
	if got := cellOf(t, openWorkbook(t, name), SheetGroups, "Comment", "Group", "1"); got != "first" {
		t.Errorf("comment after the state was lost: %q", got)
	}
}

func TestPruningKeepsBackupsWithValuesFoundNowhereNewer(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1), newGroup(2))
	name := filepath.Join(out, GradebookFile)
	at := fixedNow
	session := func(grades map[int][3]string) string {
		editGradebook(t, name, grades, nil)
		at = at.Add(10 * time.Minute)
		sum := exportAt(t, ws, out, at)
		if sum.GradebookBackup == "" {
			t.Fatal("no backup of an edited gradebook")
		}
		return filepath.Base(sum.GradebookBackup)
	}
	exportAt(t, ws, out, at)
	first := session(map[int][3]string{1: {"7", "first look", "NS"}})   // all in the second: pruned
	second := session(map[int][3]string{2: {"4", "", "NS"}})            // holds group 1's 7: kept
	third := session(map[int][3]string{1: {"10", "first look", "NS"}})  // changes 7 to 10; all in the fourth
	fourth := session(map[int][3]string{2: {"4", "second look", "NS"}}) // the newest: kept
	backups := backupFiles(t, out)
	if want := []string{second, fourth}; !slices.Equal(backups, want) {
		t.Errorf("backups %v, want %v (pruned: %s, %s)", backups, want, first, third)
	}
	// An unreadable backup is never deleted.
	writeFile(t, filepath.Join(out, "gradebook.20250101-000000.xlsx"), []byte("not a workbook"))
	session(map[int][3]string{1: {"11", "first look", "NS"}})
	if _, err := os.Stat(filepath.Join(out, "gradebook.20250101-000000.xlsx")); err != nil {
		t.Errorf("unreadable backup removed: %v", err)
	}
}

func TestRenamedColumnsAreKeptAndSaidOnce(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1), newGroup(2))
	export(t, ws, out)
	name := filepath.Join(out, GradebookFile)
	editGradebook(t, name, map[int][3]string{1: {"10", "good", "NS"}}, nil)
	editWorkbook(t, name, func(f *excelize.File) {
		renameHeader(t, f, SheetGroups, "Grade", "Grade (7-step)")
		renameHeader(t, f, SheetGroups, "Commits", "Commits at deadline")
		if err := f.InsertCols(SheetGroups, "A", 1); err != nil { // and a column of notes before all
			t.Fatal(err)
		}
		setCell(t, f, SheetGroups, "A1", "Notes")
	})
	var said []string
	for run := range 3 {
		sum := exportAt(t, ws, out, fixedNow.Add(time.Duration(run)*time.Minute))
		said = append(said, sum.Warnings...)
	}
	if len(said) != 1 || !strings.Contains(said[0], `Groups "Grade" is now "Grade (7-step)"`) ||
		!strings.Contains(said[0], `Groups "Commits" is now "Commits at deadline" (its values stay in your column; handin adds its "Commits" column again)`) {
		t.Errorf("warnings over 3 exports %q, want the renames said once", said)
	}
	f := openWorkbook(t, name)
	header := headerRow(t, f, SheetGroups)
	if want := []string{"Group", "Page", "State", "Notes", "Grade (7-step)", "Comment", "Graded by", "Commits at deadline", "Reasons"}; !slices.Equal(header[:len(want)], want) {
		t.Errorf("Groups header %q, want it to start %q", header, want)
	}
	for col, want := range map[string]string{"Grade (7-step)": "10", "Commits at deadline": "15", "Commits": "15"} {
		if got := cellOf(t, f, SheetGroups, col, "Group", "1"); got != want {
			t.Errorf("group 1 %s = %q, want %q", col, got, want)
		}
	}
}

func TestCommentsFormulasAndOwnSheetsAreCarriedOver(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1), newGroup(2))
	export(t, ws, out)
	name := filepath.Join(out, GradebookFile)
	exam := time.Date(2026, 1, 28, 0, 0, 0, 0, time.UTC)
	editWorkbook(t, name, func(f *excelize.File) {
		gc := columns(t, f, SheetGroups)
		r1, r2 := strconv.Itoa(rowOf(t, f, SheetGroups, "Group", "1")), strconv.Itoa(rowOf(t, f, SheetGroups, "Group", "2"))
		setCell(t, f, SheetGroups, gc["Grade"]+r1, 7.0)
		if err := f.SetCellFormula(SheetGroups, gc["Graded by"]+r1, `IF(C`+r1+`>5,"pass","fail")`); err != nil {
			t.Fatal(err)
		}
		for _, c := range []excelize.Comment{
			{Cell: gc["Grade"] + r2, Author: "NS", Text: "waiting for the oral exam"},
			{Cell: gc["Reasons"] + r1, Author: "MK", Text: "figure 3 is fine, see mail"},
			{Cell: gc["Grade"] + "1", Author: "NS", Text: "7-step scale"},
		} {
			if err := f.AddComment(SheetGroups, c); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.AddComment(SheetStudents, excelize.Comment{Cell: "A" + strconv.Itoa(rowOf(t, f, SheetStudents, "Student", "s100012")), Author: "NS", Text: "on leave in week 2"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.NewSheet("Oral exams"); err != nil {
			t.Fatal(err)
		}
		setCell(t, f, "Oral exams", "A1", "Group")
		setCell(t, f, "Oral exams", "B1", "Date")
		setCell(t, f, "Oral exams", "A2", 1.0)
		setCell(t, f, "Oral exams", "B2", exam)
		setCell(t, f, "Oral exams", "C2", "=room 2.1")
		if err := f.SetCellFormula("Oral exams", "D2", "A2*2"); err != nil {
			t.Fatal(err)
		}
		if err := f.MergeCell("Oral exams", "A4", "C4"); err != nil {
			t.Fatal(err)
		}
		if err := f.SetColWidth("Oral exams", "B", "B", 22); err != nil {
			t.Fatal(err)
		}
		setCell(t, f, "Oral exams", "A4", "merged note")
		if err := f.MoveSheet("Oral exams", SheetGroups); err != nil {
			t.Fatal(err)
		}
	})
	// Twice: the second export reads what the first wrote (formulas there
	// have no cached value until a spreadsheet program saves the file).
	for run := range 2 {
		sum := exportAt(t, ws, out, fixedNow.Add(time.Duration(run)*time.Minute))
		if sum.Kept != 0 || len(sum.Warnings) != 0 {
			t.Fatalf("run %d: kept %d, warnings %q", run, sum.Kept, sum.Warnings)
		}
		f := openWorkbook(t, name)
		gc := columns(t, f, SheetGroups)
		r1, r2 := strconv.Itoa(rowOf(t, f, SheetGroups, "Group", "1")), strconv.Itoa(rowOf(t, f, SheetGroups, "Group", "2"))
		if formula, _ := f.GetCellFormula(SheetGroups, gc["Graded by"]+r1); formula != `IF(C`+r1+`>5,"pass","fail")` {
			t.Errorf("run %d: the instructor's formula is %q", run, formula)
		}
		comments := map[string]string{}
		for _, sheet := range []string{SheetGroups, SheetStudents, "Oral exams"} {
			list, err := f.GetComments(sheet)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range list {
				comments[sheet+"!"+c.Cell] = c.Text
			}
		}
		for at, want := range map[string]string{
			SheetGroups + "!" + gc["Grade"] + r2:                                                  "waiting for the oral exam",
			SheetGroups + "!" + gc["Reasons"] + r1:                                                "figure 3 is fine, see mail",
			SheetGroups + "!" + gc["Grade"] + "1":                                                 "7-step scale",
			SheetStudents + "!A" + strconv.Itoa(rowOf(t, f, SheetStudents, "Student", "s100012")): "on leave in week 2",
		} {
			if comments[at] != want {
				t.Errorf("run %d: comment %s = %q, want %q (all: %q)", run, at, comments[at], want, comments)
			}
		}
		if got := f.GetSheetList(); !slices.Equal(got, []string{SheetGroups, SheetFindings, SheetQuestions, SheetStudents, SheetChecklist, SheetClaims, SheetSimilarity, "Oral exams"}) {
			t.Errorf("run %d: sheets %q", run, got)
		}
		for ref, want := range map[string]string{"A2": "1", "B2": "2026-01-28", "C2": "=room 2.1", "A4": "merged note"} {
			if got := cellValue(t, f, "Oral exams", ref); got != want {
				t.Errorf("run %d: Oral exams %s = %q, want %q", run, ref, got, want)
			}
		}
		if width, _ := f.GetColWidth("Oral exams", "B"); width != 22 {
			t.Errorf("run %d: Oral exams column B is %v wide, want 22", run, width)
		}
		columnsAscend(t, name)
		if formula, _ := f.GetCellFormula("Oral exams", "D2"); formula != "A2*2" {
			t.Errorf("run %d: Oral exams D2 formula %q", run, formula)
		}
		if formula, _ := f.GetCellFormula("Oral exams", "C2"); formula != "" {
			t.Errorf("run %d: text became formula %q", run, formula)
		}
		if merged, _ := f.GetMergeCells("Oral exams"); len(merged) != 1 || merged[0].GetStartAxis() != "A4" || merged[0].GetEndAxis() != "C4" {
			t.Errorf("run %d: merged cells %v", run, merged)
		}
	}
}

// oldGradebook writes a gradebook as handin wrote it before it kept a
// state: the instructor's columns last, a Backdating column, the scrape
// status as Status, a row kept for a group without a result.
func oldGradebook(t *testing.T, name string, grades map[int][3]string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetGroups); err != nil {
		t.Fatal(err)
	}
	groupHeaders := []any{"Group", "Status", "Questions passed", "Questions", "Unanswered", "Missing figures", "Checklist checked",
		"Checklist total", "Commits", "Contributors", "Late commits", "Backdating", "Students", "Repository", "Deadline SHA",
		"Deadline commit time", "Problems", "Page", "Grade", "Comment", "Graded by"}
	rows := [][]any{groupHeaders}
	for _, g := range []int{1, 2, 5} {
		status, backdating := "ok", "no"
		if g == 5 {
			status, backdating = "no result", ""
		}
		row := []any{g, status, 1, 2, 0, 1, 1, 2, 15, 2, 1, backdating, "", "", "", "", "", ""}
		for _, v := range grades[g] {
			row = append(row, v)
		}
		rows = append(rows, row)
	}
	students := [][]any{{"Student", "Group", "Commits", "Matched authors", "Rule", "Comment"}, {"s100011", 1, 12, "Alice A", "email", "old comment"}}
	for sheet, data := range map[string][][]any{SheetGroups: rows, SheetStudents: students} {
		if sheet != SheetGroups {
			if _, err := f.NewSheet(sheet); err != nil {
				t.Fatal(err)
			}
		}
		for i, row := range data {
			if err := f.SetSheetRow(sheet, "A"+strconv.Itoa(i+1), &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.SaveAs(name); err != nil {
		t.Fatal(err)
	}
}

func TestGradebookOfAnEarlierHandinIsCarriedOver(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1), newGroup(2))
	name := filepath.Join(out, GradebookFile)
	oldGradebook(t, name, map[int][3]string{1: {"10", "good", "NS"}, 5: {"8", "left", "MK"}})
	// Its backups, all alike, and the pending workbooks it left while the
	// gradebook was open: one of them typed into.
	for i := range 20 {
		writeFile(t, filepath.Join(out, fmt.Sprintf("gradebook.20260120-1000%02d.xlsx", i)), readFile(t, name))
	}
	writeFile(t, filepath.Join(out, "gradebook.new-20260121-090000.xlsx"), readFile(t, name))
	typedIn := filepath.Join(out, "gradebook.new-20260121-100000.xlsx")
	oldGradebook(t, typedIn, map[int][3]string{1: {"10", "good", "NS"}, 2: {"6", "typed in the wrong file", "NS"}})

	sum := export(t, ws, out)
	f := openWorkbook(t, name)
	header := headerRow(t, f, SheetGroups)
	if want := []string{"Group", "Page", "State", "Grade", "Comment", "Graded by", "Reasons"}; !slices.Equal(header[:len(want)], want) ||
		slices.ContainsFunc(header, func(h string) bool { return h == "Backdating" || h == "Status" || h == "Problems" }) {
		t.Errorf("Groups header %q", header)
	}
	if got := cellOf(t, f, SheetGroups, "Grade", "Group", "1"); got != "10" {
		t.Errorf("group 1 Grade %q", got)
	}
	if got := cellOf(t, f, SheetStudents, "Comment", "Student", "s100011"); got != "old comment" {
		t.Errorf("student comment %q", got)
	}
	if sum.Kept != 3 || cellOf(t, f, gradebook.KeptSheet, "Value", "Row", "Group 5", "Column", "Grade") != "8" {
		t.Errorf("kept %d: group 5's entries (no result any more) are not on the Kept sheet", sum.Kept)
	}
	if got := undocumented(t, out); len(got) != 0 {
		t.Errorf("files left: %q", got)
	}
	// The identical backups are pruned; the pending workbook typed into is
	// a backup of its own.
	var holdsTyped bool
	for _, b := range backupFiles(t, out) {
		bf := openWorkbook(t, filepath.Join(out, b))
		holdsTyped = holdsTyped || findRow(t, bf, SheetGroups, "Group", "2", "Comment", "typed in the wrong file") != 0
	}
	if backups := backupFiles(t, out); len(backups) > 3 || !holdsTyped {
		t.Errorf("backups %v: want few, one with what was typed into a pending workbook", backups)
	}
}
