package export

import (
	"crypto/sha256"
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
	"handin/internal/slowtest"
)

// typedValue is a value the instructor typed, and where it must stay.
type typedValue struct {
	sheet, header string
	key           []string // header, value, ... of the row
	value         string   // as GetCellValue shows it
	kind          string   // "number", "text" or "date"
}

// TestGradebookRoundTrip is a term of grading: the instructor types grades
// (numbers and text), comments and a date, renames two of handin's
// headers, adds a column, sorts the rows descending, filters them, hides a
// column, moves a sheet and adds a note on the Students sheet; handin
// exports 25 times (some while the workbook is open), results change, a
// group appears and one vanishes, and the instructor edits twice more.
// After every export every value is on its row with its type, backups are
// few and distinct, and the output folder holds only documented files.
func TestGradebookRoundTrip(t *testing.T) {
	slowtest.Skip(t, "25 exports of an edited gradebook")
	ws, out := t.TempDir(), t.TempDir()
	var groups []testGroup
	for n := 1; n <= 8; n++ {
		groups = append(groups, newGroup(n))
	}
	writeWorkspace(t, ws, groups...)
	name := filepath.Join(out, GradebookFile)
	at := fixedNow
	exportAt(t, ws, out, at)

	oral := time.Date(2026, 1, 29, 0, 0, 0, 0, time.UTC)
	group := func(n int) []string { return []string{"Group", strconv.Itoa(n)} }
	want := []typedValue{
		{SheetGroups, "Grade (7-step)", group(1), "12", "number"},
		{SheetGroups, "Grade (7-step)", group(2), "7 (after the oral)", "text"},
		{SheetGroups, "Grade (7-step)", group(3), "-3", "number"},
		{SheetGroups, "Comments", group(1), "Good; figures clear", "text"},
		{SheetGroups, "Comments", group(2), "two\nlines", "text"},
		{SheetGroups, "Comments", group(5), "=SUM(1,2) is what they wrote", "text"},
		{SheetGroups, "Comments", group(8), "check the roster", "text"},
		{SheetGroups, "Graded by", group(1), "NS", "text"},
		{SheetGroups, "Oral exam", group(3), "2026-01-29", "date"},
		{SheetStudents, "Comment", []string{"Student", "s100011"}, "did the CI", "text"},
	}
	note := "on leave in week 2"
	editWorkbook(t, name, func(f *excelize.File) {
		gc := columns(t, f, SheetGroups)
		rows := rowsByKey(t, f, SheetGroups, "Group")
		oralCol, _ := excelize.ColumnNumberToName(len(gc) + 1)
		setCell(t, f, SheetGroups, oralCol+"1", "Oral exam")
		for _, v := range want {
			if v.sheet != SheetGroups {
				continue
			}
			col := map[string]string{"Grade (7-step)": gc["Grade"], "Comments": gc["Comment"], "Graded by": gc["Graded by"], "Oral exam": oralCol}[v.header]
			ref := col + strconv.Itoa(rows[v.key[1]])
			switch v.kind {
			case "number":
				n, _ := strconv.ParseFloat(v.value, 64)
				setCell(t, f, SheetGroups, ref, n)
			case "date":
				setCell(t, f, SheetGroups, ref, oral)
			default:
				setCell(t, f, SheetGroups, ref, v.value)
			}
		}
		renameHeader(t, f, SheetGroups, "Grade", "Grade (7-step)")
		renameHeader(t, f, SheetGroups, "Comment", "Comments")
		sortRows(t, f, SheetGroups, "Group", true)
		// A filter showing groups with problems only: the others hidden.
		if err := f.AutoFilter(SheetGroups, "A1:"+oralCol+"9", []excelize.AutoFilterOptions{{Column: "B", Expression: "x == problems"}}); err != nil {
			t.Fatal(err)
		}
		for i := 2; i <= 9; i += 3 {
			if err := f.SetRowVisible(SheetGroups, i, false); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.SetColVisible(SheetGroups, gc["Repository"], false); err != nil {
			t.Fatal(err)
		}
		sc := columns(t, f, SheetStudents)
		students := rowsByKey(t, f, SheetStudents, "Student")
		setCell(t, f, SheetStudents, sc["Comment"]+strconv.Itoa(students["s100011"]), "did the CI")
		if err := f.AddComment(SheetStudents, excelize.Comment{Cell: "A" + strconv.Itoa(students["s100022"]), Author: "NS", Text: note}); err != nil {
			t.Fatal(err)
		}
		if err := f.MoveSheet(SheetStudents, SheetGroups); err != nil {
			t.Fatal(err)
		}
	})

	var renames, lockWarnings, keptWarnings int
	var unlock func()
	for run := 1; run <= 25; run++ {
		switch run {
		case 5: // results change and a group appears
			g2 := newGroup(2)
			g2.result.Findings = problems("Q2: still too short after the extension")
			writeWorkspace(t, ws, g2, newGroup(9))
		case 8: // the instructor opens the workbook
			unlock = lockGradebook(t, out)
		case 9: // ...grades while it is open, and saves
			editWorkbook(t, name, func(f *excelize.File) {
				gc := columns(t, f, SheetGroups)
				rows := rowsByKey(t, f, SheetGroups, "Group")
				setCell(t, f, SheetGroups, gc["Grade (7-step)"]+strconv.Itoa(rows["9"]), 10.0)
				setCell(t, f, SheetGroups, gc["Grade (7-step)"]+strconv.Itoa(rows["1"]), 10.0) // was 12
			})
			want = append(want, typedValue{SheetGroups, "Grade (7-step)", group(9), "10", "number"})
			want[0].value = "10"
		case 11: // ...and closes it
			unlock()
		case 15: // group 8 leaves the course: its comment goes to Kept
			if err := os.Remove(filepath.Join(ws, "groups", "008", "result.json")); err != nil {
				t.Fatal(err)
			}
		case 18: // another session: sorted by grade, a column added
			editWorkbook(t, name, func(f *excelize.File) {
				sortRows(t, f, SheetGroups, "Grade (7-step)", false)
				gc := columns(t, f, SheetGroups)
				bonus, _ := excelize.ColumnNumberToName(len(gc) + 1)
				setCell(t, f, SheetGroups, bonus+"1", "Bonus")
				setCell(t, f, SheetGroups, bonus+strconv.Itoa(rowsByKey(t, f, SheetGroups, "Group")["4"]), 0.5)
			})
			want = append(want, typedValue{SheetGroups, "Bonus", group(4), "0.5", "number"})
		}
		at = at.Add(10 * time.Minute)
		sum := exportAt(t, ws, out, at)
		for _, w := range sum.Warnings {
			switch {
			case strings.Contains(w, "columns renamed"):
				renames++
				if !strings.Contains(w, `"Grade" is now "Grade (7-step)"`) || !strings.Contains(w, `"Comment" is now "Comments"`) {
					t.Errorf("run %d: rename warning %q", run, w)
				}
			case strings.Contains(w, "is open in a spreadsheet program"):
				lockWarnings++
			case strings.Contains(w, "moved to the Kept sheet"):
				keptWarnings++
				if run != 15 || sum.Kept != 1 {
					t.Errorf("run %d: %d value(s) moved to Kept: %q", run, sum.Kept, w)
				}
			default:
				t.Errorf("run %d: warning %q", run, w)
			}
		}
		// A backup is made only of a workbook the instructor edited: after
		// the three sessions (the second saved while open, so kept once
		// the workbook is closed).
		if edited := run == 1 || run == 11 || run == 18; (sum.GradebookBackup != "") != edited {
			t.Errorf("run %d: backup %q, want one: %v", run, sum.GradebookBackup, edited)
		}
		open := run >= 8 && run <= 10
		if _, err := os.Stat(filepath.Join(out, gradebook.PendingFile)); (err == nil) != open {
			t.Errorf("run %d: %s exists: %v, want %v", run, gradebook.PendingFile, err == nil, open)
		}
		book := name
		if open {
			book = filepath.Join(out, gradebook.PendingFile)
		}
		checkTyped(t, run, openWorkbook(t, book), want, run >= 15)
		f := openWorkbook(t, book)
		if list, _ := f.GetComments(SheetStudents); len(list) != 1 || list[0].Text != note ||
			cellValue(t, f, SheetStudents, list[0].Cell) != "s100022" {
			t.Errorf("run %d: Students notes %+v, want %q on s100022", run, list, note)
		}
		if got := undocumented(t, out); len(got) != 0 {
			t.Errorf("run %d: undocumented files in the output folder: %q", run, got)
		}
	}
	if renames != 1 || lockWarnings != 3 || keptWarnings != 1 {
		t.Errorf("renames said %d times, lock %d times, Kept %d times; want 1, 3, 1", renames, lockWarnings, keptWarnings)
	}
	backups := backupFiles(t, out)
	digests := map[[32]byte]string{}
	for _, b := range backups {
		sum := sha256.Sum256(readFile(t, filepath.Join(out, b)))
		if other, dup := digests[sum]; dup {
			t.Errorf("backups %s and %s hold the same bytes", other, b)
		}
		digests[sum] = b
	}
	// Three edit sessions; the first backup holds group 1's 12, changed
	// to 10 later, so pruning must keep it.
	if len(backups) == 0 || len(backups) > 3 {
		t.Errorf("backups %v, want one per edit session at most", backups)
	}
	first := openWorkbook(t, filepath.Join(out, backups[0]))
	if got := cellOf(t, first, SheetGroups, "Grade (7-step)", "Group", "1"); got != "12" {
		t.Errorf("oldest backup %s has group 1's grade %q, want the 12 changed since", backups[0], got)
	}
}

// checkTyped checks every typed value is on its row, with its type; once
// group 8 is gone, its value is on the Kept sheet with where it was.
func checkTyped(t *testing.T, run int, f *excelize.File, want []typedValue, group8Gone bool) {
	t.Helper()
	for _, v := range want {
		if group8Gone && v.key[1] == "8" {
			r := findRow(t, f, gradebook.KeptSheet, "Row", "Group 8", "Column", v.header)
			if r == 0 || cellValue(t, f, gradebook.KeptSheet, columns(t, f, gradebook.KeptSheet)["Value"]+strconv.Itoa(r)) != v.value {
				t.Errorf("run %d: %s of vanished group 8 is not on the Kept sheet", run, v.header)
			}
			continue
		}
		col, ok := columns(t, f, v.sheet)[v.header]
		if !ok {
			t.Errorf("run %d: sheet %s lost the column %q", run, v.sheet, v.header)
			continue
		}
		row := findRow(t, f, v.sheet, v.key...)
		if row == 0 {
			t.Errorf("run %d: sheet %s has no row %q", run, v.sheet, v.key)
			continue
		}
		ref := col + strconv.Itoa(row)
		if got := cellValue(t, f, v.sheet, ref); got != v.value {
			t.Errorf("run %d: %s %q %v = %q, want %q", run, v.sheet, v.header, v.key, got, v.value)
		}
		kind, _ := f.GetCellType(v.sheet, ref)
		isText := kind == excelize.CellTypeSharedString || kind == excelize.CellTypeInlineString
		if isText != (v.kind == "text") {
			t.Errorf("run %d: %s %q %v has cell type %v, want %s", run, v.sheet, v.header, v.key, kind, v.kind)
		}
		if formula, _ := f.GetCellFormula(v.sheet, ref); formula != "" {
			t.Errorf("run %d: %s %q %v became formula %q", run, v.sheet, v.header, v.key, formula)
		}
	}
	states := map[string]bool{}
	rows, _ := f.GetRows(SheetGroups)
	for _, r := range rows[1:] {
		states[r[slices.Index(rows[0], "State")]] = true
	}
	for s := range states {
		if !slices.Contains(grade.States(), grade.State(s)) {
			t.Errorf("run %d: State %q", run, s)
		}
	}
}
