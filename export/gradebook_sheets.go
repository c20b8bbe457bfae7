package export

// The gradebook's sheets: which columns handin owns on each, which identify
// a row from one export to the next, and the rows handin writes.

import (
	"fmt"
	"slices"
	"strings"

	"handin/grade"
)

// Sheet names of the gradebook.
const (
	SheetGroups    = "Groups"
	SheetQuestions = "Questions"
	SheetStudents  = "Students"
	SheetChecklist = "Checklist"
	// SheetKept holds what an export could not place back on its row: the
	// value, where it was and why it moved.
	SheetKept = "Kept"
)

// column is one column of a sheet: its header, its width in characters and
// whether its text wraps (the row is then made tall enough for it).
type column struct {
	Header string
	Width  float64
	Wrap   bool
}

// sheetLayout is one of handin's sheets. Handin owns the Lead and Facts
// columns and rewrites them on every export; every other column is the
// instructor's and is carried over, between Lead and Facts.
type sheetLayout struct {
	Name string
	Key  []string // headers of the Lead columns that identify a row across exports
	Lead []column
	// Offered are the instructor's columns a new sheet starts with; once
	// the sheet exists they are the instructor's to rename, move or delete.
	Offered []column
	Facts   []column
	Freeze  int // columns kept in view when scrolling right
	// FitWidth prints the sheet one page wide (landscape), for a sheet
	// whose rows are read across.
	FitWidth bool
	// Retired are headers of columns earlier versions of handin filled:
	// their values were handin's, so they are not carried over.
	Retired []string
}

// handinColumns are the columns handin fills, in the order of a row's values.
func (l sheetLayout) handinColumns() []column { return slices.Concat(l.Lead, l.Facts) }

var groupsLayout = sheetLayout{
	Name: SheetGroups,
	Key:  []string{"Group"},
	Lead: []column{{"Group", 8, false}, {"Status", 10, false}},
	Offered: []column{
		{"Grade", 10, false}, {"Comment", 40, true}, {"Graded by", 12, false},
	},
	Facts: []column{
		{"Problems", 60, true}, {"Questions passed", 10, false}, {"Questions", 10, false}, {"Unanswered", 11, false},
		{"Missing figures", 10, false}, {"Checklist checked", 10, false}, {"Checklist total", 10, false},
		{"Ticked without evidence", 10, false}, {"Commits", 9, false}, {"Contributors", 11, false},
		{"Late commits", 9, false}, {"Backdated", 10, false}, {"History out of order", 10, false},
		{"Shares history with", 12, false}, {"Students", 28, true}, {"Repository", 40, false},
		{"Scrape status", 12, false}, {"Deadline SHA", 14, false}, {"Deadline commit time", 18, false}, {"Page", 12, false},
	},
	Freeze:  1,
	Retired: []string{"Backdating"},
}

var questionsLayout = sheetLayout{
	Name: SheetQuestions,
	Key:  []string{"Group", "Question"},
	Lead: []column{{"Group", 8, false}, {"Question", 10, false}, {"Pass", 8, false}},
	Facts: []column{
		{"Words", 8, false}, {"Words min", 10, false}, {"Words max", 10, false},
		{"Images", 8, false}, {"Images min", 10, false}, {"Images max", 10, false}, {"Problems", 70, true},
	},
	Freeze: 2,
}

var studentsLayout = sheetLayout{
	Name:    SheetStudents,
	Key:     []string{"Student"},
	Lead:    []column{{"Student", 12, false}, {"Group", 8, false}},
	Offered: []column{{"Comment", 40, true}},
	Facts:   []column{{"Commits", 9, false}, {"Matched authors", 40, true}, {"Rule", 12, false}},
	Freeze:  1,
}

var checklistLayout = sheetLayout{
	Name:   SheetChecklist,
	Key:    []string{"Group", "Item"},
	Lead:   []column{{"Group", 8, false}, {"Section", 14, false}, {"Item", 80, true}, {"Checked", 9, false}},
	Facts:  []column{{"Module", 10, false}},
	Freeze: 1,
}

// keptLayout is the Kept sheet's columns. Kept is the instructor's sheet:
// an export only appends to it.
var keptLayout = []column{
	{"Moved", 17, false}, {"Sheet", 11, false}, {"Row", 28, true}, {"Column", 16, false},
	{"Cell", 7, false}, {"Value", 40, true}, {"Why", 60, true},
}

// gradebookLayouts are handin's sheets, in workbook order.
var gradebookLayouts = []sheetLayout{groupsLayout, questionsLayout, studentsLayout, checklistLayout, claimsLayout}

// linkCell is a cell holding a hyperlink: to a group page, to evidence on
// GitHub.
type linkCell struct{ Text, Target string }

// groupSheetRows are a group's rows on each of handin's sheets, by sheet.
func groupSheetRows(r *grade.GroupResult) map[string][][]any {
	rows := map[string][][]any{SheetGroups: {groupRow(r)}, SheetClaims: claimsRows(r)}
	for _, s := range r.Students {
		rows[SheetStudents] = append(rows[SheetStudents], []any{s.ID, r.Group, s.Commits, strings.Join(s.Authors, ", "), s.Rule})
	}
	if r.Check == nil {
		return rows
	}
	for _, q := range r.Check.Questions {
		rows[SheetQuestions] = append(rows[SheetQuestions], []any{
			r.Group, q.Number, q.Pass, q.Words, rangeMin(q.WordRange), rangeMax(q.WordRange),
			q.Images, rangeMin(q.ImageRange), rangeMax(q.ImageRange), strings.Join(questionNotes(q), "\n"),
		})
	}
	for _, s := range r.Check.Checklist {
		for _, it := range s.Items {
			rows[SheetChecklist] = append(rows[SheetChecklist], []any{r.Group, s.Section, it.Text, it.Checked, it.Module})
		}
	}
	return rows
}

// gapSheetRows are the rows of a roster row without a result: failed on
// the Groups sheet, with its students.
func gapSheetRows(g rosterGap) map[string][][]any {
	row := make([]any, len(groupsLayout.handinColumns()))
	row[0], row[1], row[2] = g.Key, string(grade.StateFailed), g.Problem
	row[columnIndex(groupsLayout, "Students")] = strings.Join(g.Students, ", ")
	row[columnIndex(groupsLayout, "Repository")] = g.URL
	rows := map[string][][]any{SheetGroups: {row}}
	for _, id := range g.Students {
		rows[SheetStudents] = append(rows[SheetStudents], []any{id, g.Key, nil, nil, nil})
	}
	return rows
}

// groupRow is a group's row on the Groups sheet. Status is the group's
// state (ok, problems, failed), the word the CLI, index and page use.
func groupRow(r *grade.GroupResult) []any {
	w := newRow(r)
	var passed, questions, unanswered, missing, checked, total any
	if r.Check != nil {
		passed, questions, unanswered, missing = w.Passed, w.Questions, w.Unanswered, w.MissingFigures
		checked, total = w.ChecklistChecked, w.ChecklistTotal
	}
	var backdated, outOfOrder any
	if r.Status.Pinned() { // without a deadline commit there is no history to judge
		backdated, outOfOrder = yesNo(r.Pin.Backdated), yesNo(r.Pin.OutOfOrder)
	}
	return []any{
		r.Group, string(r.State), strings.Join(w.Problems, "\n"), passed, questions, unanswered,
		missing, checked, total, tickedWithoutEvidence(r), w.Commits, w.Contributors, w.LateCommits, backdated,
		outOfOrder, sharedHistoryGroups(r), studentList(r), r.URL, string(r.Status), r.Pin.SHA, r.Pin.Time,
		linkCell{Text: fmt.Sprintf("group %d", r.Group), Target: w.Page},
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func rangeMin(r *grade.Range) any {
	if r == nil {
		return nil
	}
	return r.Min
}

func rangeMax(r *grade.Range) any {
	if r == nil {
		return nil
	}
	return r.Max
}

// columnIndex is the position of a handin column in a row's values.
func columnIndex(l sheetLayout, header string) int {
	return slices.IndexFunc(l.handinColumns(), func(c column) bool { return c.Header == header })
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
func describeKey(l sheetLayout, key string) string {
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

// keyIndexes are the positions of the key columns in a row's values.
func (l sheetLayout) keyIndexes() []int {
	idx := make([]int, len(l.Key))
	for i, k := range l.Key {
		idx[i] = columnIndex(l, k)
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
