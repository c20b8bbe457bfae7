package export

// Reading back what the instructor typed into the previous gradebook, and
// writing it into the new one.

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"handin/grade"
)

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
