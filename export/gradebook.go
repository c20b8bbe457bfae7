package export

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"handin/grade"
	"handin/internal/atomicfile"
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

// writeGradebook writes gradebook.xlsx, carrying over the instructor columns
// of the existing workbook and keeping it as a timestamped backup. When the
// existing workbook cannot be read (corrupt, or open in another program), it
// is left alone and the new one is written beside it.
func writeGradebook(opts Options, results []*grade.GroupResult, sum *Summary) error {
	name := filepath.Join(opts.Out, GradebookFile)
	stamp := opts.Now().Format("20060102-150405")
	target := name
	kept, err := readInstructorWork(name)
	existing := err == nil && kept != nil
	if err != nil {
		target = uniqueName(opts.Out, "gradebook.new-"+stamp, ".xlsx")
		sum.Warnings = append(sum.Warnings, fmt.Sprintf(
			"%s could not be read (%v): it was left untouched and the new gradebook is %s; copy the Grade/Comment/Graded by columns over by hand",
			name, err, target))
		kept = nil
	}
	f, err := buildWorkbook(results, kept)
	if err != nil {
		return fmt.Errorf("gradebook: %w", err)
	}
	defer f.Close()
	buf, err := f.WriteToBuffer()
	if err != nil {
		return fmt.Errorf("gradebook: %w", err)
	}
	if existing {
		backup := uniqueName(opts.Out, backupPrefix+stamp, ".xlsx")
		if err := copyFile(name, backup); err != nil {
			return fmt.Errorf("gradebook backup: %w", err)
		}
		sum.GradebookBackup = backup
		if orphans := kept.orphanGroups(results); len(orphans) > 0 {
			sum.Warnings = append(sum.Warnings, fmt.Sprintf(
				"groups %v have instructor entries but no result any more: their rows are kept in %s with status %q", orphans, SheetGroups, orphanStatus))
		}
	}
	if err := atomicfile.Write(target, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("gradebook: %w", err)
	}
	sum.Gradebook = target
	if existing {
		if err := pruneBackups(opts.Out, keepBackups); err != nil {
			return fmt.Errorf("gradebook backups: %w", err)
		}
	}
	return nil
}

// Backups of the gradebook are backupPrefix + timestamp [+ "-N"] + ".xlsx".
// Only the newest keepBackups are kept: every instructor entry is carried
// into the new workbook (rows of vanished groups and students included), so
// older backups hold nothing the current one lacks.
const (
	backupPrefix = "gradebook."
	keepBackups  = 20
)

var backupName = regexp.MustCompile(`^gradebook\.([0-9]{8}-[0-9]{6})(?:-([0-9]+))?\.xlsx$`)

// pruneBackups deletes all but the newest keep backups in dir.
func pruneBackups(dir string, keep int) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	type backup struct {
		name  string
		stamp string
		n     int // uniqueName's counter: 1 for the first of a second
	}
	var backups []backup
	for _, e := range entries {
		m := backupName.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		n := 1
		if m[2] != "" {
			n, _ = strconv.Atoi(m[2])
		}
		backups = append(backups, backup{e.Name(), m[1], n})
	}
	if len(backups) <= keep {
		return nil
	}
	sort.Slice(backups, func(i, j int) bool {
		if backups[i].stamp != backups[j].stamp {
			return backups[i].stamp < backups[j].stamp
		}
		return backups[i].n < backups[j].n
	})
	for _, b := range backups[:len(backups)-keep] {
		if err := os.Remove(filepath.Join(dir, b.name)); err != nil {
			return err
		}
	}
	return nil
}

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
			w.LateCommits, backdating, studentList(r), r.URL, r.DeadlineSHA,
			r.DeadlineTime, strings.Join(r.Problems, "\n"), pageLink{Text: fmt.Sprintf("group %d", r.Group), Target: w.Page},
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
	{"Images", 8}, {"Images min", 10}, {"Images max", 10}, {"Pass", 8}, {"Problems", 70},
}

// passColumn is the Questions sheet's Pass column, coloured green/red.
const passColumn = "I"

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
	ref := fmt.Sprintf("%s2:%s%d", passColumn, passColumn, len(rows)+1)
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

// keptCell is an instructor's cell read from the previous gradebook.
type keptCell struct {
	Formula string // the instructor's own formula, kept as is
	Value   string // raw value
	Number  bool
	Bool    bool
	Style   *excelize.Style
}

func (k keptCell) write(f *excelize.File, sheet, ref string) error {
	var err error
	switch {
	case k.Formula != "":
		err = f.SetCellFormula(sheet, ref, k.Formula)
	case k.Number:
		n, perr := strconv.ParseFloat(k.Value, 64)
		if perr != nil {
			err = f.SetCellStr(sheet, ref, k.Value)
		} else {
			err = f.SetCellFloat(sheet, ref, n, -1, 64)
		}
	case k.Bool:
		err = f.SetCellBool(sheet, ref, k.Value == "1" || strings.EqualFold(k.Value, "true"))
	default:
		err = f.SetCellStr(sheet, ref, k.Value)
	}
	if err != nil || k.Style == nil {
		return err
	}
	style, err := f.NewStyle(k.Style)
	if err != nil {
		return err
	}
	return f.SetCellStyle(sheet, ref, ref, style)
}

// instructorWork is what instructors typed into the previous gradebook:
// group number -> column -> cell, and student id -> column -> cell.
type instructorWork struct {
	groups   map[int]map[string]keptCell
	students map[string]map[string]keptCell
}

// groupCell returns the kept cell, or nil (an empty cell) when there is none.
func (w *instructorWork) groupCell(group int, col string) any {
	if w == nil {
		return nil
	}
	if c, ok := w.groups[group][col]; ok {
		return c
	}
	return nil
}

func (w *instructorWork) studentCell(id, col string) any {
	if w == nil {
		return nil
	}
	if c, ok := w.students[id][col]; ok {
		return c
	}
	return nil
}

// orphanGroups are groups with instructor entries but no result any more.
func (w *instructorWork) orphanGroups(results []*grade.GroupResult) []int {
	if w == nil {
		return nil
	}
	present := map[int]bool{}
	for _, r := range results {
		present[r.Group] = true
	}
	return orphans(w.groups, present)
}

// orphanStudents are students with instructor entries but in no group's
// results any more.
func (w *instructorWork) orphanStudents(results []*grade.GroupResult) []string {
	if w == nil {
		return nil
	}
	present := map[string]bool{}
	for _, r := range results {
		for _, s := range r.Students {
			present[s.ID] = true
		}
	}
	return orphans(w.students, present)
}

// orphans are the sorted keys of entries that are not present.
func orphans[K cmp.Ordered](entries map[K]map[string]keptCell, present map[K]bool) []K {
	var keys []K
	for k := range entries {
		if !present[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// errLocked says a spreadsheet program has the workbook open.
var errLocked = errors.New("the workbook is open in another program")

// readInstructorWork reads the instructor columns of an existing gradebook.
// It returns nil, nil when there is no gradebook yet.
func readInstructorWork(name string) (*instructorWork, error) {
	if _, err := os.Stat(name); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	dir, base := filepath.Split(name)
	for _, lock := range []string{".~lock." + base + "#", "~$" + base} { // LibreOffice, Excel
		if _, err := os.Stat(filepath.Join(dir, lock)); err == nil {
			return nil, fmt.Errorf("%w (lock file %s)", errLocked, lock)
		}
	}
	f, err := excelize.OpenFile(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	w := &instructorWork{groups: map[int]map[string]keptCell{}, students: map[string]map[string]keptCell{}}
	groups, err := readKeyedColumns(f, SheetGroups, groupKeyColumn, groupInstructorColumns, true)
	if err != nil {
		return nil, err
	}
	for key, cells := range groups {
		g, err := strconv.ParseFloat(key, 64)
		if err != nil {
			return nil, fmt.Errorf("sheet %s: group %q is not a number", SheetGroups, key)
		}
		w.groups[int(g)] = cells
	}
	// Students comments are optional: an instructor may have deleted the sheet.
	if w.students, err = readKeyedColumns(f, SheetStudents, studentKeyColumn, studentInstructorColumns, false); err != nil {
		return nil, err
	}
	return w, nil
}

// readKeyedColumns reads the non-empty cells of the named columns of a sheet,
// keyed by the key column's value. Columns are found by their header, so an
// instructor may reorder them or add others.
func readKeyedColumns(f *excelize.File, sheet, key string, cols []string, required bool) (map[string]map[string]keptCell, error) {
	out := map[string]map[string]keptCell{}
	if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		if required {
			return nil, fmt.Errorf("no %s sheet", sheet)
		}
		return out, nil
	}
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("sheet %s: %w", sheet, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("sheet %s is empty", sheet)
	}
	position := map[string]int{}
	for i, h := range rows[0] {
		position[strings.ToLower(strings.TrimSpace(h))] = i
	}
	keyCol, ok := position[strings.ToLower(key)]
	if !ok {
		return nil, fmt.Errorf("sheet %s has no %q column", sheet, key)
	}
	for r := 1; r < len(rows); r++ {
		if keyCol >= len(rows[r]) || strings.TrimSpace(rows[r][keyCol]) == "" {
			continue
		}
		k := strings.TrimSpace(rows[r][keyCol])
		for _, col := range cols {
			c, ok := position[strings.ToLower(col)]
			if !ok {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			cell, err := readKeptCell(f, sheet, ref)
			if err != nil {
				return nil, fmt.Errorf("sheet %s %s: %w", sheet, ref, err)
			}
			if cell.Formula == "" && cell.Value == "" {
				continue
			}
			if out[k] == nil {
				out[k] = map[string]keptCell{}
			}
			out[k][col] = cell
		}
	}
	return out, nil
}

func readKeptCell(f *excelize.File, sheet, ref string) (keptCell, error) {
	var k keptCell
	var err error
	if k.Formula, err = f.GetCellFormula(sheet, ref); err != nil {
		return k, err
	}
	if k.Value, err = f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true}); err != nil {
		return k, err
	}
	kind, err := f.GetCellType(sheet, ref)
	if err != nil {
		return k, err
	}
	switch kind {
	case excelize.CellTypeBool:
		k.Bool = true
	case excelize.CellTypeNumber, excelize.CellTypeDate, excelize.CellTypeUnset:
		_, perr := strconv.ParseFloat(k.Value, 64)
		k.Number = perr == nil
	}
	styleID, err := f.GetCellStyle(sheet, ref)
	if err != nil || styleID == 0 {
		return k, err
	}
	k.Style, err = f.GetStyle(styleID)
	return k, err
}

// uniqueName is dir/base+ext, or dir/base-2+ext, ... when that exists.
func uniqueName(dir, base, ext string) string {
	name := filepath.Join(dir, base+ext)
	for i := 2; ; i++ {
		if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
			return name
		}
		name = filepath.Join(dir, fmt.Sprintf("%s-%d%s", base, i, ext))
	}
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return atomicfile.Write(to, data, 0o644)
}
