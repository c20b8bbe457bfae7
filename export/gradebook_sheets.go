package export

// The gradebook's layout: its sheets, their columns and how each value is
// written into a cell.

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"handin/grade"
)

// Sheet names of the gradebook.
const (
	SheetGroups    = "Groups"
	SheetQuestions = "Questions"
	SheetStudents  = "Students"
	SheetChecklist = "Checklist"
)

// Instructor columns: filled in by hand and carried over by every export.
var (
	groupInstructorColumns   = []string{"Grade", "Comment", "Graded by"}
	studentInstructorColumns = []string{"Comment"}
)

// Key columns identifying a row across exports.
const (
	groupKeyColumn   = "Group"
	studentKeyColumn = "Student"
)

// column is one gradebook column: its header and width.
type column struct {
	Header string
	Width  float64
}

// pageLink is a cell holding a hyperlink to a group page.
type pageLink struct{ Text, Target string }

// buildWorkbook lays out the four sheets.
func buildWorkbook(results []*grade.GroupResult, kept *instructorWork) (*excelize.File, error) {
	b, err := newWorkbookBuilder()
	if err != nil {
		return nil, err
	}
	steps := []func([]*grade.GroupResult, *instructorWork) error{b.groupsSheet, b.questionsSheet, b.studentsSheet, b.checklistSheet}
	for _, step := range steps {
		if err := step(results, kept); err != nil {
			b.f.Close()
			return nil, err
		}
	}
	b.f.SetActiveSheet(0)
	return b.f, nil
}

type workbookBuilder struct {
	f                        *excelize.File
	header, date, link, wrap int // style ids
	passStyle, failStyle     int // conditional format ids
}

func newWorkbookBuilder() (*workbookBuilder, error) {
	f := excelize.NewFile()
	b := &workbookBuilder{f: f}
	dateFormat := "yyyy-mm-dd hh:mm"
	styles := []struct {
		id    *int
		style *excelize.Style
		cond  bool
	}{
		{&b.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E5E7EB"}}}, false},
		{&b.date, &excelize.Style{CustomNumFmt: &dateFormat}, false},
		{&b.link, &excelize.Style{Font: &excelize.Font{Color: "1D4ED8", Underline: "single"}}, false},
		{&b.wrap, &excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}, false},
		{&b.passStyle, &excelize.Style{Font: &excelize.Font{Color: "166534"}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCFCE7"}}}, true},
		{&b.failStyle, &excelize.Style{Font: &excelize.Font{Color: "991B1B"}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FEE2E2"}}}, true},
	}
	for _, s := range styles {
		var err error
		if s.cond {
			*s.id, err = f.NewConditionalStyle(s.style)
		} else {
			*s.id, err = f.NewStyle(s.style)
		}
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("gradebook styles: %w", err)
		}
	}
	if err := f.SetSheetName("Sheet1", SheetGroups); err != nil {
		f.Close()
		return nil, err
	}
	for _, s := range []string{SheetQuestions, SheetStudents, SheetChecklist} {
		if _, err := f.NewSheet(s); err != nil {
			f.Close()
			return nil, err
		}
	}
	return b, nil
}

var groupColumns = []column{
	{groupKeyColumn, 8}, {"Status", 14}, {"Questions passed", 10}, {"Questions", 10}, {"Unanswered", 11},
	{"Missing figures", 10}, {"Checklist checked", 10}, {"Checklist total", 10}, {"Commits", 9}, {"Contributors", 11},
	{"Late commits", 9}, {"Backdating", 11}, {"Students", 28}, {"Repository", 40}, {"Deadline SHA", 14},
	{"Deadline commit time", 18}, {"Problems", 60}, {"Page", 14},
	{"Grade", 10}, {"Comment", 40}, {"Graded by", 12},
}

// orphanStatus is the Groups status of a row kept only for the instructor's
// entries: the group has no result any more.
const orphanStatus = "no result"

func (b *workbookBuilder) groupsSheet(results []*grade.GroupResult, kept *instructorWork) error {
	var rows [][]any
	add := func(group int, values ...any) {
		for _, c := range groupInstructorColumns {
			values = append(values, kept.groupCell(group, c))
		}
		rows = append(rows, values)
	}
	orphans := kept.orphanGroups(results)
	addOrphans := func(below int) {
		for len(orphans) > 0 && orphans[0] < below {
			add(orphans[0], orphanRow(orphans[0], len(groupColumns)-len(groupInstructorColumns))...)
			orphans = orphans[1:]
		}
	}
	for _, r := range results {
		addOrphans(r.Group)
		w := newRow(r)
		backdating := "no"
		if w.Backdating {
			backdating = "yes"
		}
		add(r.Group,
			w.Group, w.Status, w.Passed, w.Questions, w.Unanswered,
			w.MissingFigures, w.ChecklistChecked, w.ChecklistTotal, w.Commits, w.Contributors,
			w.LateCommits, backdating, studentList(r), r.URL, r.Pin.SHA,
			r.Pin.Time, strings.Join(w.Problems, "\n"), pageLink{Text: fmt.Sprintf("group %d", r.Group), Target: w.Page},
		)
	}
	addOrphans(math.MaxInt)
	return b.sheet(SheetGroups, groupColumns, rows)
}

// orphanRow is the row of a group that has instructor entries but no result.
func orphanRow(group, width int) []any {
	row := make([]any, width)
	row[0], row[1] = group, orphanStatus
	return row
}

var questionColumns = []column{
	{groupKeyColumn, 8}, {"Question", 10}, {"Words", 8}, {"Words min", 10}, {"Words max", 10},
	{"Images", 8}, {"Images min", 10}, {"Images max", 10}, {passHeader, 8}, {"Problems", 70},
}

// passHeader is the Questions sheet's column coloured green/red.
const passHeader = "Pass"

func (b *workbookBuilder) questionsSheet(results []*grade.GroupResult, _ *instructorWork) error {
	var rows [][]any
	for _, r := range results {
		if r.Check == nil {
			continue
		}
		for _, q := range r.Check.Questions {
			rows = append(rows, []any{
				r.Group, q.Number, q.Words, rangeMin(q.WordRange), rangeMax(q.WordRange),
				q.Images, rangeMin(q.ImageRange), rangeMax(q.ImageRange), q.Pass, strings.Join(questionNotes(q), "\n"),
			})
		}
	}
	if err := b.sheet(SheetQuestions, questionColumns, rows); err != nil {
		return err
	}
	if len(rows) == 0 {
		return nil
	}
	pass, err := columnName(questionColumns, passHeader)
	if err != nil {
		return err
	}
	ref := fmt.Sprintf("%s2:%s%d", pass, pass, len(rows)+1)
	return b.f.SetConditionalFormat(SheetQuestions, ref, []excelize.ConditionalFormatOptions{
		{Type: "cell", Criteria: "==", Value: "TRUE", Format: &b.passStyle},
		{Type: "cell", Criteria: "==", Value: "FALSE", Format: &b.failStyle},
	})
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

var studentColumns = []column{
	{studentKeyColumn, 12}, {groupKeyColumn, 8}, {"Commits", 9}, {"Matched authors", 40}, {"Rule", 12}, {"Comment", 40},
}

func (b *workbookBuilder) studentsSheet(results []*grade.GroupResult, kept *instructorWork) error {
	var rows [][]any
	add := func(id string, values ...any) {
		for _, c := range studentInstructorColumns {
			values = append(values, kept.studentCell(id, c))
		}
		rows = append(rows, values)
	}
	for _, r := range results {
		for _, s := range r.Students {
			add(s.ID, s.ID, r.Group, s.Commits, strings.Join(s.Authors, ", "), s.Rule)
		}
	}
	// Students no longer in any group keep their row (and the comment).
	for _, id := range kept.orphanStudents(results) {
		add(id, id, nil, nil, nil, nil)
	}
	return b.sheet(SheetStudents, studentColumns, rows)
}

var checklistColumns = []column{
	{groupKeyColumn, 8}, {"Section", 14}, {"Item", 80}, {"Module", 10}, {"Checked", 9},
}

func (b *workbookBuilder) checklistSheet(results []*grade.GroupResult, _ *instructorWork) error {
	var rows [][]any
	for _, r := range results {
		if r.Check == nil {
			continue
		}
		for _, s := range r.Check.Checklist {
			for _, it := range s.Items {
				rows = append(rows, []any{r.Group, s.Section, it.Text, it.Module, it.Checked})
			}
		}
	}
	return b.sheet(SheetChecklist, checklistColumns, rows)
}

// columnName is the spreadsheet name ("I") of the column with this header.
func columnName(cols []column, header string) (string, error) {
	i := slices.IndexFunc(cols, func(c column) bool { return c.Header == header })
	if i < 0 {
		return "", fmt.Errorf("no %q column", header)
	}
	return excelize.ColumnNumberToName(i + 1)
}

// sheet writes a header, the rows, widths, a frozen header and an autofilter.
func (b *workbookBuilder) sheet(name string, cols []column, rows [][]any) error {
	f := b.f
	for i, c := range cols {
		ref, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(name, ref, c.Header); err != nil {
			return fmt.Errorf("%s header: %w", name, err)
		}
		colName, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(name, colName, colName, c.Width); err != nil {
			return fmt.Errorf("%s widths: %w", name, err)
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(cols), 1)
	if err := f.SetCellStyle(name, "A1", last, b.header); err != nil {
		return fmt.Errorf("%s header: %w", name, err)
	}
	for i, values := range rows {
		for j, v := range values {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+2)
			if err := b.cell(name, ref, v); err != nil {
				return fmt.Errorf("%s %s: %w", name, ref, err)
			}
		}
	}
	if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("%s panes: %w", name, err)
	}
	bottom, _ := excelize.CoordinatesToCellName(len(cols), max(len(rows)+1, 2))
	if err := f.AutoFilter(name, "A1:"+bottom, nil); err != nil {
		return fmt.Errorf("%s filter: %w", name, err)
	}
	return nil
}

// cell writes one value by its Go type. Text always goes through
// SetCellStr: a student string such as "=HYPERLINK(...)" stays text and
// never becomes a formula.
func (b *workbookBuilder) cell(sheet, ref string, v any) error {
	f := b.f
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		if err := f.SetCellStr(sheet, ref, v); err != nil {
			return err
		}
		if strings.Contains(v, "\n") {
			return f.SetCellStyle(sheet, ref, ref, b.wrap)
		}
		return nil
	case int:
		return f.SetCellInt(sheet, ref, int64(v))
	case bool:
		return f.SetCellBool(sheet, ref, v)
	case time.Time:
		if v.IsZero() {
			return nil
		}
		// Spreadsheets have no time zones: write the wall clock the time
		// was recorded in (the course's zone).
		wall := time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), 0, time.UTC)
		if err := f.SetCellValue(sheet, ref, wall); err != nil {
			return err
		}
		return f.SetCellStyle(sheet, ref, ref, b.date)
	case pageLink:
		if err := f.SetCellStr(sheet, ref, v.Text); err != nil {
			return err
		}
		if err := f.SetCellHyperLink(sheet, ref, v.Target, "External"); err != nil {
			return err
		}
		return f.SetCellStyle(sheet, ref, ref, b.link)
	case keptCell:
		return v.write(f, sheet, ref)
	}
	return fmt.Errorf("unsupported cell value %T", v)
}
