package export

import (
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
)

func openWorkbook(t *testing.T, name string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(name)
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// column returns the header->column letter map of a sheet.
func columns(t *testing.T, f *excelize.File, sheet string) map[string]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) == 0 {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	m := map[string]string{}
	for i, h := range rows[0] {
		m[h], _ = excelize.ColumnNumberToName(i + 1)
	}
	return m
}

// rowOf finds the row number whose key column holds key.
func rowOf(t *testing.T, f *excelize.File, sheet, keyCol, key string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	col := columns(t, f, sheet)[keyCol]
	idx, _ := excelize.ColumnNameToNumber(col)
	for i, r := range rows {
		if i > 0 && idx-1 < len(r) && r[idx-1] == key {
			return i + 1
		}
	}
	t.Fatalf("sheet %s: no row with %s=%s", sheet, keyCol, key)
	return 0
}

func cellValue(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

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
	writeWorkspace(t, ws, g, newGroup(9))
	export(t, ws, out)

	f := openWorkbook(t, filepath.Join(out, GradebookFile))
	if got := f.GetSheetList(); !slices.Equal(got, []string{SheetGroups, SheetQuestions, SheetStudents, SheetChecklist}) {
		t.Fatalf("sheets %v", got)
	}
	gc := columns(t, f, SheetGroups)
	r := strconv.Itoa(rowOf(t, f, SheetGroups, "Group", "4"))
	checks := map[string]string{ // sheet!ref -> expected text
		SheetGroups + "!" + gc["Problems"] + r: strings.Join(formulaLike, "\n"),
		SheetGroups + "!" + gc["Status"] + r:   "-x",
		SheetGroups + "!" + gc["Students"] + r: formulaLike[0] + ", s100042",
	}
	sc := columns(t, f, SheetStudents)
	sr := strconv.Itoa(rowOf(t, f, SheetStudents, "Student", formulaLike[0]))
	checks[SheetStudents+"!"+sc["Matched authors"]+sr] = "=1+1"
	cc := columns(t, f, SheetChecklist)
	checks[SheetChecklist+"!"+cc["Item"]+"2"] = "@x"
	for where, want := range checks {
		sheet, ref, _ := strings.Cut(where, "!")
		if got := cellValue(t, f, sheet, ref); got != want {
			t.Errorf("%s = %q, want %q", where, got, want)
		}
		if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
			t.Errorf("%s has formula %q", where, formula)
		}
		if kind, _ := f.GetCellType(sheet, ref); kind != excelize.CellTypeSharedString {
			t.Errorf("%s has cell type %v, want a string", where, kind)
		}
	}

	// Typed values, link and layout.
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
	panes, err := f.GetPanes(SheetGroups)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header row not frozen: %+v %v", panes, err)
	}
	qc := columns(t, f, SheetQuestions)
	qr := 0
	rows, _ := f.GetRows(SheetQuestions)
	for i, row := range rows {
		if i > 0 && row[0] == "4" && row[1] == "2" {
			qr = i + 1
		}
	}
	if qr == 0 {
		t.Fatal("no Questions row for group 4 question 2")
	}
	if v := cellValue(t, f, SheetQuestions, qc["Pass"]+strconv.Itoa(qr)); v != "FALSE" {
		t.Errorf("group 4 question 2 Pass = %q, want FALSE", v)
	}
	formats, err := f.GetConditionalFormats(SheetQuestions)
	if err != nil || len(formats) != 1 {
		t.Errorf("Questions conditional formats: %v %v", formats, err)
	}
}

// editGradebook plays the instructor: fills the instructor columns.
func editGradebook(t *testing.T, name string, grades map[int][3]string, comments map[string]string) {
	t.Helper()
	f := openWorkbook(t, name)
	gc := columns(t, f, SheetGroups)
	for g, v := range grades {
		r := strconv.Itoa(rowOf(t, f, SheetGroups, "Group", strconv.Itoa(g)))
		grade, err := strconv.ParseFloat(v[0], 64)
		if err == nil {
			err = f.SetCellFloat(SheetGroups, gc["Grade"]+r, grade, -1, 64)
		} else {
			err = f.SetCellStr(SheetGroups, gc["Grade"]+r, v[0])
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellStr(SheetGroups, gc["Comment"]+r, v[1]); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellStr(SheetGroups, gc["Graded by"]+r, v[2]); err != nil {
			t.Fatal(err)
		}
	}
	sc := columns(t, f, SheetStudents)
	for id, c := range comments {
		r := strconv.Itoa(rowOf(t, f, SheetStudents, "Student", id))
		if err := f.SetCellStr(SheetStudents, sc["Comment"]+r, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
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
		if sum.GradebookBackup == "" {
			t.Fatalf("run %d: no backup of the previous gradebook", run)
		}
		if _, err := os.Stat(sum.GradebookBackup); err != nil {
			t.Fatalf("run %d: backup: %v", run, err)
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
			if kind, _ := f.GetCellType(SheetGroups, gc["Grade"]+r); g == 1 && kind == excelize.CellTypeSharedString {
				t.Errorf("run %d: numeric grade became text", run)
			}
			if formula, _ := f.GetCellFormula(SheetGroups, gc["Comment"]+r); formula != "" {
				t.Errorf("run %d: comment became formula %q", run, formula)
			}
		}
		sc := columns(t, f, SheetStudents)
		for id, want := range comments {
			r := strconv.Itoa(rowOf(t, f, SheetStudents, "Student", id))
			if got := cellValue(t, f, SheetStudents, sc["Comment"]+r); got != want {
				t.Errorf("run %d student %s Comment = %q, want %q", run, id, got, want)
			}
		}
		if got := cellValue(t, f, SheetGroups, gc["Problems"]+strconv.Itoa(rowOf(t, f, SheetGroups, "Group", "2"))); !strings.HasSuffix(got, "run "+strconv.Itoa(run)) {
			t.Errorf("run %d: Problems not refreshed: %q", run, got)
		}
	}
	backups, _ := filepath.Glob(filepath.Join(out, "gradebook.2026*.xlsx"))
	if len(backups) != 3 {
		t.Errorf("want 3 backups, got %v", backups)
	}
}

func TestInstructorColumnsFoundByHeader(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1))
	export(t, ws, out)
	name := filepath.Join(out, GradebookFile)
	editGradebook(t, name, map[int][3]string{1: {"10", "moved", "AB"}}, nil)
	// The instructor inserts a column before everything: the columns move.
	f := openWorkbook(t, name)
	if err := f.InsertCols(SheetGroups, "A", 1); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	export(t, ws, out)
	f = openWorkbook(t, name)
	gc := columns(t, f, SheetGroups)
	if got := cellValue(t, f, SheetGroups, gc["Comment"]+"2"); got != "moved" {
		t.Errorf("Comment = %q after the instructor moved columns, want \"moved\"", got)
	}
}

func TestUnreadableGradebookIsNotOverwritten(t *testing.T) {
	for _, tc := range []struct {
		name   string
		setup  func(t *testing.T, ws, out string)
		reason string
	}{
		{"corrupt", func(t *testing.T, _, out string) {
			writeFile(t, filepath.Join(out, GradebookFile), []byte("PK\x03\x04 this is not a zip archive"))
		}, "could not be read"},
		{"open in LibreOffice", func(t *testing.T, ws, out string) {
			export(t, ws, out)
			writeFile(t, filepath.Join(out, ".~lock."+GradebookFile+"#"), []byte("user,host"))
		}, "open in another program"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws, out := t.TempDir(), t.TempDir()
			writeWorkspace(t, ws, newGroup(1))
			tc.setup(t, ws, out)
			before := readFile(t, filepath.Join(out, GradebookFile))
			sum := export(t, ws, out)
			if after := readFile(t, filepath.Join(out, GradebookFile)); !bytes.Equal(before, after) {
				t.Fatalf("existing gradebook was overwritten")
			}
			if filepath.Base(sum.Gradebook) != "gradebook.new-20260126-093000.xlsx" {
				t.Errorf("new gradebook at %s, want gradebook.new-20260126-093000.xlsx", sum.Gradebook)
			}
			openWorkbook(t, sum.Gradebook)
			if len(sum.Warnings) != 1 || !strings.Contains(sum.Warnings[0], tc.reason) {
				t.Errorf("warnings %q, want one saying %q", sum.Warnings, tc.reason)
			}
			if sum.GradebookBackup != "" {
				t.Errorf("backup %s made of an unreadable gradebook", sum.GradebookBackup)
			}
		})
	}
}

func TestEntriesOfVanishedGroupsAndStudentsAreKept(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1), newGroup(2), newGroup(3))
	export(t, ws, out)
	name := filepath.Join(out, GradebookFile)
	editGradebook(t, name, map[int][3]string{2: {"9", "gone", "NS"}}, map[string]string{"s100021": "left the course"})
	if err := os.Remove(filepath.Join(ws, "groups", "002", "result.json")); err != nil {
		t.Fatal(err)
	}
	for run := range 2 {
		sum := exportAt(t, ws, out, fixedNow.Add(time.Duration(run)*time.Second))
		if len(sum.Warnings) != 1 || !strings.Contains(sum.Warnings[0], "groups [2]") || !strings.Contains(sum.Warnings[0], orphanStatus) {
			t.Errorf("run %d: warnings %q, want group 2's kept row named", run, sum.Warnings)
		}
		f := openWorkbook(t, name)
		rows, err := f.GetRows(SheetGroups)
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, row := range rows[1:] {
			order = append(order, row[0])
		}
		if strings.Join(order, " ") != "1 2 3" {
			t.Errorf("run %d: Groups rows %v, want 1 2 3", run, order)
		}
		gc := columns(t, f, SheetGroups)
		for col, want := range map[string]string{"Status": orphanStatus, "Grade": "9", "Comment": "gone", "Graded by": "NS", "Commits": ""} {
			if got := cellValue(t, f, SheetGroups, gc[col]+"3"); got != want {
				t.Errorf("run %d: vanished group 2 %s = %q, want %q", run, col, got, want)
			}
		}
		sc := columns(t, f, SheetStudents)
		r := strconv.Itoa(rowOf(t, f, SheetStudents, "Student", "s100021"))
		if got := cellValue(t, f, SheetStudents, sc["Comment"]+r); got != "left the course" {
			t.Errorf("run %d: comment of a vanished student = %q", run, got)
		}
		if got := cellValue(t, f, SheetStudents, sc["Group"]+r); got != "" {
			t.Errorf("run %d: vanished student still in group %q", run, got)
		}
	}
}

func TestOldBackupsArePruned(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, newGroup(1))
	export(t, ws, out)
	editGradebook(t, filepath.Join(out, GradebookFile), map[int][3]string{1: {"10", "kept", "NS"}}, nil)
	var old []string
	for i := range keepBackups + 4 {
		old = append(old, fmt.Sprintf("gradebook.20250101-%06d.xlsx", i))
	}
	old = append(old, "gradebook.20250101-000005-2.xlsx") // second backup of the same second
	for _, name := range old {
		writeFile(t, filepath.Join(out, name), []byte("old backup"))
	}
	other := []string{"gradebook.new-20250101-000000.xlsx", "gradebook.mine.xlsx"} // not backups
	for _, name := range other {
		writeFile(t, filepath.Join(out, name), []byte("keep"))
	}
	sum := export(t, ws, out)

	backups, err := filepath.Glob(filepath.Join(out, "gradebook.2*.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range backups {
		backups[i] = filepath.Base(backups[i])
	}
	// Kept: the newest 19 old ones and the backup just made; the oldest
	// six go, 000005 before 000005-2.
	want := append([]string{"gradebook.20250101-000005-2.xlsx"}, old[6:keepBackups+4]...)
	want = append(want, filepath.Base(sum.GradebookBackup))
	slices.Sort(want)
	if !slices.Equal(backups, want) {
		t.Errorf("backups after pruning\n%q, want\n%q", backups, want)
	}
	for _, name := range append(other, GradebookFile) {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("%s removed by pruning: %v", name, err)
		}
	}
}
