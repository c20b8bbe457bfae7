package gradebook

// What Write is given: the layouts of handin's sheets and their rows, and
// how a row is known again from one export to the next (its key).

import (
	"fmt"
	"slices"
	"strings"
)

// KeptSheet holds what an export could not place back on its row: the
// value, where it was and why it moved.
const KeptSheet = "Kept"

// Column is one column of a sheet: its header, its width in characters,
// whether its text wraps (the row is then made tall enough for it) and
// the colours of some of its values.
type Column struct {
	Header string
	Width  float64
	Wrap   bool
	// Colors colour the cells of these values (a string, a bool, as a row
	// gives them): cell styles, not conditional formats, which LibreOffice
	// 7.4 fails to print to PDF on a long sheet.
	Colors map[any]Color
	// Formula: handin writes a Formula into this column. A cell read back
	// that still holds a formula is handin's; one the instructor typed a
	// value over is kept like any value typed into handin's columns.
	Formula bool
}

// Color is a cell's font and fill colour, as RGB hex digits ("991B1B").
type Color struct{ Font, Fill string }

// Layout is one of handin's sheets. Handin owns the Lead and Facts
// columns and rewrites them on every export; every other column is the
// instructor's and is carried over, between Lead and Facts.
type Layout struct {
	Name string
	Key  []string // headers of the Lead columns that identify a row across exports
	// FormerKey is the key earlier versions of handin wrote the sheet
	// with, when it changed: what they remember of their own values is
	// found by it (a state that records no key was written with it).
	FormerKey []string
	Lead      []Column
	// Offered are the instructor's columns a new sheet starts with; once
	// the sheet exists they are the instructor's to rename, move or delete.
	Offered []Column
	Facts   []Column
	Freeze  int // columns kept in view when scrolling right
	// FitWidth prints the sheet one page wide (landscape), for a sheet
	// whose rows are read across.
	FitWidth bool
	// MaxRowHeight caps the height of a row, in points, however long its
	// wrapped text (the cell still holds it all); 0 is a spreadsheet's
	// largest.
	MaxRowHeight float64
	// Retired are headers of columns earlier versions of handin filled:
	// their values were handin's, so they are not carried over.
	Retired []string
	// Required are instructor columns the sheet must have (Score, where a
	// formula of handin's adds them up): added after the instructor's
	// columns when the workbook has none of that header. Their values
	// are the instructor's like any other.
	Required []Column
	// Deal hands out values in one of the instructor's columns to the
	// rows new to the gradebook (nil: none).
	Deal *Deal
	// Report names instructor columns whose values Write hands back
	// (Written.Values), as the new workbook holds them.
	Report []string
}

// Deal hands out Values in the instructor column Header, one to each row
// of a key handin has not written before whose cell is empty: the value
// fewest rows of the sheet hold, the first of Values on a tie. A row
// handin wrote before keeps what its cell holds, empty or not (the
// instructor's to change), so a new row never moves another; only when
// the workbook had no such column yet is every row dealt to.
type Deal struct {
	Header string
	Values []string
}

// Formula is a formula handin writes into a cell (a total over another
// sheet). Its Text may name columns by header, resolved where the new
// workbook puts them: {Sheet!Header} is that whole column of another of
// handin's sheets (Questions!$K:$K), {Header} this row's cell of a column
// of its own sheet. It is never built from a student's text.
type Formula struct{ Text string }

// Key is the row key of a row whose key cells hold these values (as a
// Row gives them), as Written.Values is keyed.
func Key(values ...any) string {
	at := make([]int, len(values))
	for i := range at {
		at[i] = i
	}
	return handinKey(values, at)
}

// Filled are the columns handin fills, in the order of a row's values.
func (l Layout) Filled() []Column { return slices.Concat(l.Lead, l.Facts) }

// Index is the position of a column handin fills in a row's values, -1
// when it fills none of that header.
func (l Layout) Index(header string) int {
	return slices.IndexFunc(l.Filled(), func(c Column) bool { return c.Header == header })
}

// Row is a row of one of handin's sheets: a value for each column handin
// fills (Layout.Filled), each nil, a string, an int, a float64, a bool, a time.Time
// (written as its wall clock), a Link or a Formula. A string is always written as
// text, never as a formula.
type Row struct {
	Sheet  string
	Values []any
}

// Link is a cell holding a hyperlink: to a group page, to evidence on
// GitHub.
type Link struct{ Text, Target string }

// keptLayout is the Kept sheet's columns. Kept is the instructor's sheet:
// an export only appends to it.
var keptLayout = []Column{
	{Header: "Moved", Width: 17}, {Header: "Sheet", Width: 11}, {Header: "Row", Width: 28, Wrap: true},
	{Header: "Column", Width: 16}, {Header: "Cell", Width: 7}, {Header: "Value", Width: 40, Wrap: true},
	{Header: "Why", Width: 60, Wrap: true},
}

// rowKey identifies a row across exports: the canonical text of its key
// cells. It is "" when the first (the group, the student) is empty.
func rowKey(parts []string) string {
	if parts[0] == "" {
		return ""
	}
	return strings.Join(parts, "\x1f")
}

// describeKey names a row for the instructor: "Group 7, Question 3"; ""
// for no key.
func describeKey(l Layout, key string) string {
	if key == "" {
		return ""
	}
	parts := strings.Split(key, "\x1f")
	out := make([]string, len(parts))
	for i, p := range parts {
		if i < len(l.Key) {
			out[i] = l.Key[i] + " " + p
		} else {
			out[i] = p
		}
	}
	return strings.Join(out, ", ")
}

// checkLayouts says what is wrong with the layouts: a sheet without a key among
// the columns handin fills cannot carry anything over.
func checkLayouts(sheets []Layout) error {
	for _, l := range sheets {
		if len(l.Key) == 0 || slices.Contains(l.keyIndexes(), -1) {
			return fmt.Errorf("gradebook sheet %s: its key %q is not among the columns handin fills", l.Name, l.Key)
		}
	}
	return nil
}

// SplitKey is a row key's parts: the text of each key cell.
func SplitKey(key string) []string { return strings.Split(key, "\x1f") }

// formulaColumn says whether handin writes a Formula into the column of
// this header.
func (l Layout) formulaColumn(header string) bool {
	i := l.Index(header)
	return i >= 0 && l.Filled()[i].Formula
}

// keyIndexes are the positions of the key columns in a row's values.
func (l Layout) keyIndexes() []int {
	idx := make([]int, len(l.Key))
	for i, k := range l.Key {
		idx[i] = l.Index(k)
	}
	return idx
}

// handinKey is the key of a row of handin's values, its key columns at
// these positions.
func handinKey(values []any, keyIndexes []int) string {
	parts := make([]string, len(keyIndexes))
	for i, k := range keyIndexes {
		parts[i] = keyPart(canonicalOf(values[k]))
	}
	return rowKey(parts)
}

// keyPart is a key cell's text as a key: canonical, without the spaces a
// spreadsheet program may trim.
func keyPart(text string) string { return canonical(strings.TrimSpace(text)) }

// headerWidth is a column width that shows the whole header in bold with
// the filter button beside it.
func headerWidth(header string) float64 {
	n := float64(len([]rune(header)))
	return float64(int(n*1.15)) + 4
}
