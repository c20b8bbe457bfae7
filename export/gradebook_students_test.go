package export

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// A student on two rows of groups.csv (here in groups 3 and 5) has a row
// of the Students sheet for each group, and the instructor's comment on
// each stays on its own row export after export, while handin's values
// there change.
func TestStudentsSheetKeepsANoteForEachOfAStudentsGroups(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	g3, g5 := newGroup(3), newGroup(5)
	twice := g3.result.Students[0].ID
	g5.result.Students[0].ID = twice
	writeWorkspace(t, ws, g3, g5)
	export(t, ws, out)

	name := filepath.Join(out, GradebookFile)
	want := map[string]string{"3": "group 3: did the CI", "5": "group 5: wrote the API"}
	editWorkbook(t, name, func(f *excelize.File) {
		sc := columns(t, f, SheetStudents)
		for group, row := range studentRows(t, f, twice) {
			setCell(t, f, SheetStudents, sc["Comment"]+strconv.Itoa(row), want[group])
		}
	})
	for run := range 3 {
		g5.result.Students[0].Commits = 20 + run // handin's value changes under the comment
		writeWorkspace(t, ws, g5)
		if sum := export(t, ws, out); sum.Kept != 0 {
			t.Errorf("export %d: %d values moved to Kept", run, sum.Kept)
		}
		f, err := excelize.OpenFile(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := columns(t, f, SheetStudents)
		rows := studentRows(t, f, twice)
		if len(rows) != 2 {
			t.Fatalf("export %d: %s has rows in groups %v, want 3 and 5", run, twice, rows)
		}
		for group, row := range rows {
			if got := cellValue(t, f, SheetStudents, sc["Comment"]+strconv.Itoa(row)); got != want[group] {
				t.Errorf("export %d: comment on %s's row of group %s is %q, want %q", run, twice, group, got, want[group])
			}
		}
		if got := cellValue(t, f, SheetStudents, sc["Commits"]+strconv.Itoa(rows["5"])); got != strconv.Itoa(20+run) {
			t.Errorf("export %d: commits in group 5 %q, want %d", run, got, 20+run)
		}
		f.Close()
	}
}

// studentRows are the rows of a student on the Students sheet, by group.
func studentRows(t *testing.T, f *excelize.File, id string) map[string]int {
	t.Helper()
	rows, err := f.GetRows(SheetStudents)
	if err != nil {
		t.Fatal(err)
	}
	sc := columns(t, f, SheetStudents)
	student, _ := excelize.ColumnNameToNumber(sc["Student"])
	group, _ := excelize.ColumnNameToNumber(sc["Group"])
	out := map[string]int{}
	for i, r := range rows {
		if i > 0 && len(r) >= max(student, group) && r[student-1] == id {
			out[r[group-1]] = i + 1
		}
	}
	return out
}
