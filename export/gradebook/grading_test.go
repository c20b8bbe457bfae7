package gradebook

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// scored and questions are sheets as a course with a rubric and graders
// lays them out: a Total formula over the Questions sheet's Score column,
// a Grader dealt to new groups, Score required on Questions.
var (
	scored = Layout{
		Name:     "Groups",
		Key:      []string{"Group"},
		Lead:     []Column{{Header: "Group", Width: 8}, {Header: "Total", Width: 8, Formula: true}},
		Offered:  []Column{{Header: "Grade", Width: 10}},
		Required: []Column{{Header: "Grader", Width: 10}},
		Deal:     &Deal{Header: "Grader", Values: []string{"ab", "cd"}},
		Report:   []string{"Grade", "Grader"},
	}
	questions = Layout{
		Name:     "Questions",
		Key:      []string{"Group", "Question"},
		Lead:     []Column{{Header: "Group", Width: 8}, {Header: "Question", Width: 8}},
		Required: []Column{{Header: "Score", Width: 8}},
		Report:   []string{"Score"},
	}
)

// courseRows are the rows of these groups, two questions each.
func courseRows(groups ...int) []Row {
	var rows []Row
	for _, g := range groups {
		rows = append(rows, Row{Sheet: "Groups", Values: []any{g, Formula{Text: "SUMIFS({Questions!Score},{Questions!Group},{Group})"}}})
		for q := 1; q <= 2; q++ {
			rows = append(rows, Row{Sheet: "Questions", Values: []any{g, q}})
		}
	}
	return rows
}

func writeCourse(t *testing.T, dir string, layouts []Layout, groups ...int) *Written {
	t.Helper()
	w, err := Write(dir, layouts, rowsOf(nil, courseRows(groups...)...), now)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// column is a sheet's column of this header, by row (the header row left
// out), read with excelize.
func column(t *testing.T, name, sheet, header string) map[string]string {
	t.Helper()
	rows, err := open(t, name).GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	at := slices.Index(rows[0], header)
	if at < 0 {
		t.Fatalf("%s has no %s column: %q", sheet, header, rows[0])
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		key := r[0]
		if sheet == "Questions" {
			key += "/" + r[1]
		}
		if at < len(r) {
			out[key] = r[at]
		} else {
			out[key] = ""
		}
	}
	return out
}

// set types values into a workbook as an instructor would: cell by
// header and row key ("3" on Groups, "3/1" on Questions).
func set(t *testing.T, name, sheet string, values map[string]map[string]any) {
	t.Helper()
	f := open(t, name)
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for header, byKey := range values {
		col := slices.Index(rows[0], header)
		if col < 0 {
			t.Fatalf("%s has no %s column", sheet, header)
		}
		for key, v := range byKey {
			row := slices.IndexFunc(rows, func(r []string) bool {
				k := r[0]
				if sheet == "Questions" && len(r) > 1 {
					k += "/" + r[1]
				}
				return k == key
			})
			if row < 0 {
				t.Fatalf("%s has no row %s", sheet, key)
			}
			if err := f.SetCellValue(sheet, ref(col, row), v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
}

// The Total formula names the Score column where the new workbook has
// it, also when an instructor's column sits before it, and the Score
// column a rubric needs is added to a gradebook written without it.
func TestFormulaNamesColumnsWhereTheyAre(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, File)
	plain := questions
	plain.Required = nil
	writeCourse(t, dir, []Layout{scored, plain}, 1, 2)
	f := open(t, name)
	if err := f.SetCellValue("Questions", "C1", "Note"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellValue("Questions", "C2", "see figure"); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	w := writeCourse(t, dir, []Layout{scored, questions}, 1, 2)
	if w.Kept != 0 {
		t.Errorf("%d values kept", w.Kept)
	}
	g := open(t, name)
	header, _ := g.GetRows("Questions")
	if want := []string{"Group", "Question", "Note", "Score"}; !slices.Equal(header[0], want) {
		t.Fatalf("Questions header %q, want %q", header[0], want)
	}
	formula, err := g.GetCellFormula("Groups", "B3")
	if want := "SUMIFS(Questions!$D:$D,Questions!$A:$A,A3)"; err != nil || formula != want {
		t.Errorf("group 2's Total is %q (%v), want %q", formula, err, want)
	}
	// A formula of handin's read back is handin's; a value typed over it
	// is the instructor's, kept.
	set(t, name, "Groups", map[string]map[string]any{"Total": {"2": 17}})
	w = writeCourse(t, dir, []Layout{scored, questions}, 1, 2)
	kept, _ := open(t, name).GetRows(KeptSheet)
	if w.Kept != 1 || !strings.Contains(fmt.Sprint(kept), "typed into Total") {
		t.Errorf("kept %d: %q, want the 17 typed over group 2's Total", w.Kept, kept)
	}
}

// Graders are dealt to the groups new to the gradebook, balanced: the
// grader of fewest groups first. A group written before keeps its cell,
// the instructor's change and an emptied cell included, so a new group
// never moves another.
func TestGradersAreDealtToNewGroupsOnly(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, File)
	layouts := []Layout{scored, questions}
	w := writeCourse(t, dir, layouts, 1, 2, 3, 4, 5)
	want := map[string]string{"1": "ab", "2": "cd", "3": "ab", "4": "cd", "5": "ab"}
	if got := column(t, name, "Groups", "Grader"); !mapsEqual(got, want) || w.Dealt != 5 {
		t.Fatalf("dealt %d: %v, want %v", w.Dealt, got, want)
	}
	if got := w.Values["Groups"]["Grader"]; got[Key(4)] != "cd" {
		t.Errorf("reported graders %v", got)
	}
	set(t, name, "Groups", map[string]map[string]any{"Grader": {"2": "ab", "4": ""}})
	w = writeCourse(t, dir, layouts, 1, 2, 3, 4, 5, 6, 7, 8)
	// ab holds 1, 2, 3, 5: the new groups go to cd until it holds as many.
	want = map[string]string{"1": "ab", "2": "ab", "3": "ab", "4": "", "5": "ab", "6": "cd", "7": "cd", "8": "cd"}
	if got := column(t, name, "Groups", "Grader"); !mapsEqual(got, want) || w.Dealt != 3 {
		t.Errorf("dealt %d: %v, want %v", w.Dealt, got, want)
	}
}

// Graders named after the first export are dealt to every group once:
// the gradebook had no Grader column.
func TestGradersNamedLaterAreDealtToEveryGroup(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, File)
	plain := scored
	plain.Required, plain.Deal = nil, nil
	writeCourse(t, dir, []Layout{plain, questions}, 1, 2, 3)
	set(t, name, "Groups", map[string]map[string]any{"Grade": {"2": 7}})
	w := writeCourse(t, dir, []Layout{scored, questions}, 1, 2, 3)
	want := map[string]string{"1": "ab", "2": "cd", "3": "ab"}
	if got := column(t, name, "Groups", "Grader"); !mapsEqual(got, want) || w.Dealt != 3 {
		t.Errorf("dealt %d: %v, want %v", w.Dealt, got, want)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// Merging two graders' copies: every value of theirs that differs from
// the gradebook comes in (a column one of them added too); the cell they
// set differently keeps the gradebook's value and goes to Kept twice,
// each with its file and the other's value; the gradebook is backed up
// first, also when handin wrote it as it is.
func TestMergeTakesEachCopysValuesAndKeepsConflicts(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, File)
	layouts := []Layout{scored, questions}
	writeCourse(t, dir, layouts, 1, 2, 3)
	copies := t.TempDir()
	ab, cd := filepath.Join(copies, "ab.xlsx"), filepath.Join(copies, "cd.xlsx")
	for _, c := range []string{ab, cd} {
		data, err := readIfExists(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(c, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	set(t, ab, "Questions", map[string]map[string]any{"Score": {"1/1": 2, "1/2": 1, "3/1": 1}})
	set(t, ab, "Groups", map[string]map[string]any{"Grade": {"1": 10}})
	set(t, cd, "Questions", map[string]map[string]any{"Score": {"2/1": 2, "2/2": 2, "3/1": 0.5}})
	set(t, cd, "Groups", map[string]map[string]any{"Grade": {"2": 12, "1": 10}})
	w, err := Merge(dir, layouts, rowsOf(nil, courseRows(1, 2, 3)...), []string{ab, cd}, now)
	if err != nil {
		t.Fatal(err)
	}
	scores := column(t, name, "Questions", "Score")
	want := map[string]string{"1/1": "2", "1/2": "1", "2/1": "2", "2/2": "2", "3/1": "", "3/2": ""}
	if !mapsEqual(scores, want) {
		t.Errorf("merged scores %v, want %v", scores, want)
	}
	if grades := column(t, name, "Groups", "Grade"); grades["1"] != "10" || grades["2"] != "12" {
		t.Errorf("merged grades %v", grades)
	}
	if w.Backup == "" || w.Kept != 2 {
		t.Errorf("backup %q, kept %d: want a backup and the two values of the conflict", w.Backup, w.Kept)
	}
	kept, _ := open(t, name).GetRows(KeptSheet)
	text := fmt.Sprint(kept)
	for _, s := range []string{"from ab.xlsx (the value here); cd.xlsx says \"0.5\"", "from cd.xlsx (the value here); ab.xlsx says \"1\"", "Group 3, Question 1"} {
		if !strings.Contains(text, s) {
			t.Errorf("Kept %q does not say %q", kept, s)
		}
	}
	var conflicts, taken int
	for _, c := range w.Merged {
		if c.Conflict {
			conflicts++
		} else {
			taken++
		}
	}
	// Group 1's grade of 10 is in both copies: taken from each.
	if conflicts != 2 || taken != 7 {
		t.Errorf("merged %+v: %d conflicts, %d taken", w.Merged, conflicts, taken)
	}
}

// A merge that cannot be done changes nothing and says why: a copy that
// is not a workbook (named), the gradebook open in a spreadsheet program,
// no gradebook yet.
func TestMergeRefusesWhatItCannotDo(t *testing.T) {
	dir := t.TempDir()
	layouts := []Layout{scored, questions}
	rows := rowsOf(nil, courseRows(1)...)
	notBook := filepath.Join(t.TempDir(), "ab.xlsx")
	if err := os.WriteFile(notBook, []byte("Group,Grade\n1,10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Merge(dir, layouts, rows, []string{notBook}, now); err == nil || !strings.Contains(err.Error(), "copy "+notBook) {
		t.Errorf("a copy that is not a workbook: %v", err)
	}
	good := filepath.Join(t.TempDir(), "cd.xlsx")
	writeCourse(t, filepath.Dir(good), layouts, 1)
	if err := os.Rename(filepath.Join(filepath.Dir(good), File), good); err != nil {
		t.Fatal(err)
	}
	if _, err := Merge(dir, layouts, rows, []string{good}, now); err == nil || !strings.Contains(err.Error(), "no "+filepath.Join(dir, File)+" to merge into") {
		t.Errorf("no gradebook: %v", err)
	}
	writeCourse(t, dir, layouts, 1)
	before, _ := os.ReadFile(filepath.Join(dir, File))
	lock := filepath.Join(dir, ".~lock."+File+"#")
	if err := os.WriteFile(lock, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Merge(dir, layouts, rows, []string{good}, now); err == nil || !strings.Contains(err.Error(), "is open in a spreadsheet program") {
		t.Errorf("an open gradebook: %v", err)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, File)); string(after) != string(before) {
		t.Errorf("the open gradebook was changed")
	}
	if backups, _ := filepath.Glob(filepath.Join(dir, "gradebook.*-*.xlsx")); len(backups) != 0 {
		t.Errorf("backups %q of a merge that was refused", backups)
	}
}
