package gradebook

import (
	"errors"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var (
	green = Color{Font: "166534", Fill: "DCFCE7"}
	red   = Color{Font: "991B1B", Fill: "FEE2E2"}
	now   = time.Date(2026, 1, 26, 9, 30, 0, 0, time.UTC)
)

// groups is a sheet as a caller lays one out: a key, a coloured state,
// a column offered to the instructor, a wrapped fact and a coloured bool.
var groups = Layout{
	Name:    "Groups",
	Key:     []string{"Group"},
	Lead:    []Column{{Header: "Group", Width: 8}, {Header: "Status", Width: 10, Colors: map[any]Color{"ok": green, "failed": red}}},
	Offered: []Column{{Header: "Grade", Width: 10}},
	Facts:   []Column{{Header: "Problems", Width: 60, Wrap: true}, {Header: "Pass", Width: 8, Colors: map[any]Color{true: green}}},
	Freeze:  1,
}

// rowsOf gives these rows, then err when it is not nil.
func rowsOf(err error, rows ...Row) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
		if err != nil {
			yield(Row{}, err)
		}
	}
}

func group(n int, status, problems string, pass bool) Row {
	return Row{Sheet: groups.Name, Values: []any{n, status, problems, pass}}
}

func write(t *testing.T, dir string, rows ...Row) *Written {
	t.Helper()
	w, err := Write(dir, []Layout{groups}, rowsOf(nil, rows...), now)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func open(t *testing.T, name string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// fillOf is the fill colour of a cell, "" for none.
func fillOf(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Fill.Color) == 0 {
		return ""
	}
	return s.Fill.Color[0]
}

// A wrapped cell's row is as tall as its lines need, by the estimate of
// how many lines a text takes in a column that wide; a row of one line
// keeps the default height.
func TestWrappedRowsAreTallEnough(t *testing.T) {
	dir := t.TempDir()
	var messages []string
	for i := range 6 {
		messages = append(messages, strings.Repeat("a long problem text that needs more than one line ", 1+i%2))
	}
	problems := strings.Join(messages, "\n")
	write(t, dir, group(1, "problems", problems, false), group(2, "ok", "", true))
	f := open(t, filepath.Join(dir, File))
	height, _ := f.GetRowHeight(groups.Name, 2)
	lines := textLines(problems, 60)
	if lines < 9 || height < float64(lines*lineHeight) {
		t.Errorf("group 1 row is %.0f points for %d lines of problems", height, lines)
	}
	if h, _ := f.GetRowHeight(groups.Name, 3); h > 2*lineHeight {
		t.Errorf("group 2 has no problems but a %.0f point row", h)
	}
}

// A value its column colours is written in its colour, as a cell style;
// other values of the column are not coloured.
func TestColumnsColourTheirValues(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, group(1, "ok", "", true), group(2, "problems", "x", false), group(3, "failed", "y", false))
	f := open(t, filepath.Join(dir, File))
	for cell, want := range map[string]string{"B2": green.Fill, "B3": "", "B4": red.Fill, "E2": green.Fill, "E3": ""} {
		if got := fillOf(t, f, groups.Name, cell); got != want {
			t.Errorf("%s filled %q, want %q", cell, got, want)
		}
	}
	if formats, err := f.GetConditionalFormats(groups.Name); err != nil || len(formats) != 0 {
		t.Errorf("conditional formats %v %v", formats, err)
	}
}

// Rows Write cannot place, or a source that fails, leave the folder as it
// was: no gradebook is half written, no spool left behind.
func TestWriteRefusesRowsItCannotPlace(t *testing.T) {
	failed := errors.New("results.json: unexpected EOF")
	for _, c := range []struct {
		name string
		rows iter.Seq2[Row, error]
		want string
	}{
		{"unknown sheet", rowsOf(nil, Row{Sheet: "Other", Values: []any{1}}), `sheet "Other"`},
		{"short row", rowsOf(nil, Row{Sheet: groups.Name, Values: []any{1, "ok"}}), "2 values for 4 columns"},
		{"failing source", rowsOf(failed, group(1, "ok", "", true)), failed.Error()},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			_, err := Write(dir, []Layout{groups}, c.rows, now)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one saying %q", err, c.want)
			}
			if c.name == "failing source" && !errors.Is(err, failed) {
				t.Errorf("error %v is not the source's", err)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("left in the folder: %v", entries)
			}
		})
	}
}

// A layout whose key is not one of its columns is refused before anything
// is written.
func TestWriteRefusesALayoutWithoutItsKey(t *testing.T) {
	dir := t.TempDir()
	l := groups
	l.Key = []string{"Grade"} // the instructor's column, not handin's
	if _, err := Write(dir, []Layout{l}, rowsOf(nil), now); err == nil || !strings.Contains(err.Error(), `key ["Grade"]`) {
		t.Errorf("error %v, want one naming the key", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left in the folder: %v", entries)
	}
}

// The instructor's grade stays on its group's row through rewrites, in
// whatever order the rows come; the edited workbook is backed up once.
func TestInstructorColumnIsCarriedOver(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, File)
	if w := write(t, dir, group(1, "ok", "", true), group(2, "ok", "", true)); w.Path != name || w.Backup != "" {
		t.Fatalf("first write: %+v", w)
	}
	f := open(t, name)
	if err := f.SetCellInt(groups.Name, "C3", 7); err != nil { // group 2's Grade
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	for run := range 2 {
		w := write(t, dir, group(2, "failed", "gone", false), group(1, "ok", "", true))
		if (w.Backup != "") != (run == 0) || w.Kept != 0 || len(w.Warnings) != 0 {
			t.Errorf("run %d: %+v, want a backup of the edited workbook only", run, w)
		}
		g := open(t, name)
		rows, err := g.GetRows(groups.Name)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows[1:] {
			if grade := r[2]; (r[0] == "2") != (grade == "7") {
				t.Errorf("run %d: row %d %q: the grade is not on group 2's row", run, i+2, r)
			}
		}
		if kind, _ := g.GetCellType(groups.Name, "C2"); kind == excelize.CellTypeSharedString || kind == excelize.CellTypeInlineString {
			t.Errorf("run %d: the grade 7 became text", run)
		}
	}
	if backups, _ := filepath.Glob(filepath.Join(dir, "gradebook.*-*.xlsx")); len(backups) != 1 {
		t.Errorf("backups %q, want one", backups)
	}
}

// A new layout that moves handin's columns, renames one (the old name
// retired) and caps the row height keeps every value of the instructor's:
// their columns on their rows, a comment on a retired column's cell and a
// value typed over handin's in it on the Kept sheet; handin's own values
// of the retired column go.
func TestMovedAndRenamedColumnsKeepTheInstructorsWork(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, File)
	write(t, dir, group(1, "ok", "", true), group(2, "failed", "gone", false))
	f := open(t, name)
	for cell, v := range map[string]any{"C2": 7, "C3": 4, "F1": "Notes", "F2": "see mail", "B3": "excused"} {
		if err := f.SetCellValue(groups.Name, cell, v); err != nil { // Grade, a column of their own, typed over Status
			t.Fatal(err)
		}
	}
	if err := f.AddComment(groups.Name, excelize.Comment{Cell: "D2", Author: "NS", Text: "figure 3 is fine"}); err != nil { // on Problems
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}

	// State replaces Status, Reasons Problems, and Pass moves first.
	moved := groups
	moved.Lead = []Column{{Header: "Group", Width: 8}, {Header: "Pass", Width: 8}, {Header: "State", Width: 10}}
	moved.Facts = []Column{{Header: "Reasons", Width: 60, Wrap: true}}
	moved.Retired = []string{"Status", "Problems"}
	moved.MaxRowHeight = 30
	long := strings.Repeat("a reason that needs many lines in a narrow column ", 20)
	w, err := Write(dir, []Layout{moved}, rowsOf(nil,
		Row{Sheet: groups.Name, Values: []any{2, false, "failed", "gone"}},
		Row{Sheet: groups.Name, Values: []any{1, true, "ok", long}}), now)
	if err != nil {
		t.Fatal(err)
	}
	g := open(t, name)
	rows, err := g.GetRows(groups.Name)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Group", "Pass", "State", "Grade", "Notes", "Reasons"}; strings.Join(rows[0], "|") != strings.Join(want, "|") {
		t.Fatalf("header %q, want %q", rows[0], want)
	}
	for _, r := range rows[1:] {
		want := map[string]string{"1": "7|see mail", "2": "4|"}[r[0]]
		if got := r[3] + "|" + strings.Join(r[4:5], ""); got != want {
			t.Errorf("group %s Grade|Notes = %q, want %q", r[0], got, want)
		}
	}
	kept, err := g.GetRows(KeptSheet)
	if err != nil {
		t.Fatal(err)
	}
	var keptValues []string
	for _, r := range kept[1:] {
		keptValues = append(keptValues, r[5])
	}
	if w.Kept != 2 || !strings.Contains(strings.Join(keptValues, "|"), "excused") || !strings.Contains(strings.Join(keptValues, "|"), "figure 3 is fine") {
		t.Errorf("kept %d: %q, want the value typed over Status and the comment on Problems", w.Kept, keptValues)
	}
	for _, r := range rows[1:] {
		if strings.Contains(strings.Join(r, "|"), "problems") {
			t.Errorf("a retired column's value of handin's came back: %q", r)
		}
	}
	if h, _ := g.GetRowHeight(groups.Name, 3); h > 30 {
		t.Errorf("group 1's row is %.0f points, more than the layout's 30", h)
	}
}

// A sheet laid out to print one page wide says so where a spreadsheet
// program reads it: fit to page (with its filter), landscape, one page wide.
func TestFitWidthSheetPrintsOnePageWide(t *testing.T) {
	dir := t.TempDir()
	wide := groups
	wide.FitWidth = true
	if _, err := Write(dir, []Layout{wide}, rowsOf(nil, group(1, "ok", "", true)), now); err != nil {
		t.Fatal(err)
	}
	f := open(t, filepath.Join(dir, File))
	props, err := f.GetSheetProps(groups.Name)
	if err != nil || props.FitToPage == nil || !*props.FitToPage {
		t.Errorf("sheet properties %+v (%v): want fit to page", props, err)
	}
	layout, err := f.GetPageLayout(groups.Name)
	if err != nil || layout.Orientation == nil || *layout.Orientation != "landscape" || layout.FitToWidth == nil || *layout.FitToWidth != 1 {
		t.Errorf("page layout %+v (%v): want landscape, one page wide", layout, err)
	}
}
