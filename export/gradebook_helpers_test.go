package export

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"handin/export/gradebook"
	"handin/grade"
	"handin/grade/claims"
	"handin/internal/xlsxstream"
	"handin/workspace"
)

func openWorkbook(t testing.TB, name string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(name)
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// columns returns the header -> column letter map of a sheet.
func columns(t testing.TB, f *excelize.File, sheet string) map[string]string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil || len(rows) == 0 {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	m := map[string]string{}
	for i, h := range rows[0] {
		m[h], _ = excelize.ColumnNumberToName(i + 1)
	}
	return m
}

// headerRow is a sheet's first row.
func headerRow(t testing.TB, f *excelize.File, sheet string) []string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) == 0 {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	return rows[0]
}

// rowOf finds the row number whose key columns hold these values.
func rowOf(t testing.TB, f *excelize.File, sheet string, keyValue ...string) int {
	t.Helper()
	r := findRow(t, f, sheet, keyValue...)
	if r == 0 {
		t.Fatalf("sheet %s: no row with %q", sheet, keyValue)
	}
	return r
}

// findRow is rowOf, 0 when there is no such row. keyValue alternates a
// header and the value under it.
func findRow(t testing.TB, f *excelize.File, sheet string, keyValue ...string) int {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	cols := columns(t, f, sheet)
	for i, r := range rows {
		if i == 0 {
			continue
		}
		match := true
		for k := 0; k+1 < len(keyValue); k += 2 {
			idx, _ := excelize.ColumnNameToNumber(cols[keyValue[k]])
			if idx == 0 || idx-1 >= len(r) || r[idx-1] != keyValue[k+1] {
				match = false
			}
		}
		if match {
			return i + 1
		}
	}
	return 0
}

// rowsByKey maps the values of a column to their row numbers.
func rowsByKey(t testing.TB, f *excelize.File, sheet, header string) map[string]int {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	col, _ := excelize.ColumnNameToNumber(columns(t, f, sheet)[header])
	m := map[string]int{}
	for i, r := range rows {
		if i > 0 && col > 0 && col-1 < len(r) {
			m[r[col-1]] = i + 1
		}
	}
	return m
}

func cellValue(t testing.TB, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// cellOf is the value in a row (found by key) and column (by header).
func cellOf(t testing.TB, f *excelize.File, sheet, header string, keyValue ...string) string {
	t.Helper()
	col, ok := columns(t, f, sheet)[header]
	if !ok {
		t.Fatalf("sheet %s has no column %q: %q", sheet, header, headerRow(t, f, sheet))
	}
	return cellValue(t, f, sheet, col+strconv.Itoa(rowOf(t, f, sheet, keyValue...)))
}

// oneLine is the height of a row of one line of text: the header row's,
// which handin leaves at the default height.
func oneLine(t testing.TB, f *excelize.File, sheet string) float64 {
	t.Helper()
	h, err := f.GetRowHeight(sheet, 1)
	if err != nil || h <= 0 {
		t.Fatalf("sheet %s: header row height %v %v", sheet, h, err)
	}
	return h
}

// setCell plays the instructor typing into a cell: numbers as numbers,
// times as dates, the rest as text.
func setCell(t testing.TB, f *excelize.File, sheet, ref string, v any) {
	t.Helper()
	var err error
	switch v := v.(type) {
	case float64:
		err = f.SetCellFloat(sheet, ref, v, -1, 64)
	case time.Time:
		if err = f.SetCellValue(sheet, ref, v); err == nil {
			format := "yyyy-mm-dd"
			var style int
			if style, err = f.NewStyle(&excelize.Style{CustomNumFmt: &format}); err == nil {
				err = f.SetCellStyle(sheet, ref, ref, style)
			}
		}
	case string:
		err = f.SetCellStr(sheet, ref, v)
	default:
		err = fmt.Errorf("setCell: %T", v)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// editWorkbook opens a gradebook, lets edit change it and saves it.
func editWorkbook(t testing.TB, name string, edit func(f *excelize.File)) {
	t.Helper()
	f, err := excelize.OpenFile(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	edit(f)
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
}

// editGradebook plays the instructor: fills Grade, Comment and Graded by
// of some groups and the Comment of some students.
func editGradebook(t testing.TB, name string, grades map[int][3]string, comments map[string]string) {
	t.Helper()
	editWorkbook(t, name, func(f *excelize.File) {
		gc := columns(t, f, SheetGroups)
		rowOfGroup := rowsByKey(t, f, SheetGroups, "Group")
		for g, v := range grades {
			r := strconv.Itoa(rowOfGroup[strconv.Itoa(g)])
			if grade, err := strconv.ParseFloat(v[0], 64); err == nil {
				setCell(t, f, SheetGroups, gc["Grade"]+r, grade)
			} else {
				setCell(t, f, SheetGroups, gc["Grade"]+r, v[0])
			}
			setCell(t, f, SheetGroups, gc["Comment"]+r, v[1])
			setCell(t, f, SheetGroups, gc["Graded by"]+r, v[2])
		}
		sc := columns(t, f, SheetStudents)
		for id, c := range comments {
			setCell(t, f, SheetStudents, sc["Comment"]+strconv.Itoa(rowOf(t, f, SheetStudents, "Student", id)), c)
		}
	})
}

// renameHeader renames a column as an instructor would, in the header row.
func renameHeader(t testing.TB, f *excelize.File, sheet, from, to string) {
	t.Helper()
	col, ok := columns(t, f, sheet)[from]
	if !ok {
		t.Fatalf("sheet %s has no column %q", sheet, from)
	}
	setCell(t, f, sheet, col+"1", to)
}

// sortRows sorts a sheet's rows below the header by a column, as a
// spreadsheet program's sort does: every cell moves with its row, with its
// value, type, formula and style.
func sortRows(t testing.TB, f *excelize.File, sheet, header string, descending bool) {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	type cell struct {
		raw, formula string
		kind         excelize.CellType
		style        int
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	var data [][]cell
	for i := 1; i < len(rows); i++ {
		row := make([]cell, width)
		for c := range width {
			at, _ := excelize.CoordinatesToCellName(c+1, i+1)
			row[c].formula, _ = f.GetCellFormula(sheet, at)
			row[c].raw, _ = f.GetCellValue(sheet, at, excelize.Options{RawCellValue: true})
			row[c].kind, _ = f.GetCellType(sheet, at)
			row[c].style, _ = f.GetCellStyle(sheet, at)
		}
		data = append(data, row)
	}
	key, _ := excelize.ColumnNameToNumber(columns(t, f, sheet)[header])
	slices.SortStableFunc(data, func(a, b []cell) int {
		x, errX := strconv.ParseFloat(a[key-1].raw, 64)
		y, errY := strconv.ParseFloat(b[key-1].raw, 64)
		order := cmp.Compare(a[key-1].raw, b[key-1].raw)
		if errX == nil && errY == nil {
			order = cmp.Compare(x, y)
		}
		if descending {
			return -order
		}
		return order
	})
	for i, row := range data {
		for c, v := range row {
			at, _ := excelize.CoordinatesToCellName(c+1, i+2)
			switch {
			case v.formula != "":
				err = f.SetCellFormula(sheet, at, v.formula)
			case v.raw == "":
				err = f.SetCellValue(sheet, at, nil)
			case v.kind == excelize.CellTypeBool:
				err = f.SetCellBool(sheet, at, v.raw == "1")
			case v.kind == excelize.CellTypeSharedString || v.kind == excelize.CellTypeInlineString:
				err = f.SetCellStr(sheet, at, v.raw)
			default:
				n, perr := strconv.ParseFloat(v.raw, 64)
				if perr != nil {
					err = f.SetCellStr(sheet, at, v.raw)
				} else {
					err = f.SetCellFloat(sheet, at, n, -1, 64)
				}
			}
			if err == nil {
				err = f.SetCellStyle(sheet, at, at, v.style)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}

// outFiles lists the output folder (not the pages folder), sorted.
func outFiles(t testing.TB, out string) []string {
	t.Helper()
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// backupFile matches the names of the gradebook's backups, as the README
// documents them: gradebook.YYYYMMDD-HHMMSS.xlsx, -2, -3, ... for more in
// the same second.
var backupFile = regexp.MustCompile(`^gradebook\.[0-9]{8}-[0-9]{6}(-[0-9]+)?\.xlsx$`)

// backupFiles are the gradebook backups in out.
func backupFiles(t testing.TB, out string) []string {
	t.Helper()
	var names []string
	for _, n := range outFiles(t, out) {
		if backupFile.MatchString(n) {
			names = append(names, n)
		}
	}
	return names
}

// undocumented are the names in out that no export documents.
func undocumented(t testing.TB, out string) []string {
	t.Helper()
	var extra []string
	for _, n := range outFiles(t, out) {
		switch {
		case n == IndexFile, n == ResultsFile, n == PagesDir, n == GradebookFile, n == gradebook.PendingFile,
			n == gradebook.StateFile, backupFile.MatchString(n):
		case n == ".~lock."+GradebookFile+"#": // the spreadsheet program's, not handin's
		default:
			extra = append(extra, n)
		}
	}
	pages, err := os.ReadDir(filepath.Join(out, PagesDir))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		if !pageFile.MatchString(p.Name()) {
			extra = append(extra, filepath.Join(PagesDir, p.Name()))
		}
	}
	return extra
}

// lockGradebook plays LibreOffice opening the gradebook: its lock file.
func lockGradebook(t testing.TB, out string) (unlock func()) {
	t.Helper()
	lock := filepath.Join(out, ".~lock."+GradebookFile+"#")
	writeFile(t, lock, []byte(",instructor,host,26.01.2026 09:30,file:///home/instructor/.config/libreoffice/4;"))
	return func() {
		if err := os.Remove(lock); err != nil {
			t.Fatal(err)
		}
	}
}

// saveRoster stores groups.csv rows as the last scrape would.
func saveRoster(t testing.TB, dir string, rows ...workspace.RosterRow) {
	t.Helper()
	ws := openWorkspace(t, dir)
	defer ws.Close()
	if err := ws.SaveRoster(workspace.Roster{File: "groups.csv", ReadAt: fixedNow, Rows: rows}); err != nil {
		t.Fatal(err)
	}
}

// largeGroup is a group as a real course has them: 31 questions, several
// failing with problems over more than one line, a checklist of 6 weeks,
// 3-5 students, and student text that looks like formulas or holds a
// control character.
func largeGroup(n int) testGroup {
	g := newGroup(n)
	r := g.result
	r.Check.Questions = nil
	r.Findings = nil
	for q := 1; q <= 31; q++ {
		qr := grade.QuestionResult{Number: q, Words: 40 + (n*7+q*13)%200, WordRange: &grade.Range{Min: 100, Max: 200}, Pass: (n+q)%4 != 0}
		if q%5 == 0 {
			qr.Images, qr.ImageRange = (n+q)%3, &grade.Range{Min: 1, Max: 2}
		}
		if !qr.Pass {
			qr.Problems = []grade.Finding{{Kind: grade.KindWords, Level: grade.LevelGrade, Question: q,
				Message: fmt.Sprintf("too few words: %d, expected 100-200", qr.Words)}}
			qr.Findings = []grade.Finding{{Kind: grade.KindMissingFile, Level: grade.LevelGrade, Question: q,
				Message: fmt.Sprintf("figures/q%d.png is not in the repository", q), Target: fmt.Sprintf("figures/q%d.png", q)}}
			r.Findings = append(r.Findings, qr.Problems[0], qr.Findings[0])
		} else {
			r.Check.Passed++
		}
		r.Check.Questions = append(r.Check.Questions, qr)
	}
	if n%7 == 0 {
		r.Findings = append(r.Findings, problems(`=HYPERLINK("https://evil.example","click")`, "author \x1b[31mred\x1b[0m in a commit")...)
	}
	r.Check.Checklist = nil
	for week := 1; week <= 6; week++ {
		s := grade.ChecklistSummary{Section: fmt.Sprintf("Week %d", week)}
		for i := 1; i <= 9; i++ {
			checked := (n+week+i)%3 != 0
			s.Items = append(s.Items, grade.ChecklistItem{Text: fmt.Sprintf("Do the thing number %d of week %d, with enough words to need some room in the cell", i, week),
				Module: fmt.Sprintf("M%d", week*3+i), Checked: checked})
			s.Total++
			if checked {
				s.Checked++
			}
		}
		r.Check.Checklist = append(r.Check.Checklist, s)
	}
	r.Claims = judgedLarge(n, r.Check.Checklist)
	r.Students = nil
	for s := range 3 + n%3 {
		r.Students = append(r.Students, grade.StudentStats{ID: fmt.Sprintf("s%06d", 200000+n*10+s), Commits: 3 + s*n%17,
			Authors: []string{fmt.Sprintf("Student %d-%d", n, s), fmt.Sprintf("s%06d@dtu.dk", 200000+n*10+s)}, Rule: "email"})
	}
	r.State = grade.StateGrade
	if len(r.Reasons()) == 0 {
		r.State = grade.StateOK
	}
	if n%25 == 0 {
		r.Status, r.State, r.Check, r.Pin, r.Claims = workspace.StatusNotFound, grade.StateFailed, nil, workspace.Pin{}, nil
		r.Findings = problems("status not-found: repository not found")
	}
	return g
}

// judgedLarge is a judged checklist as a real course has them: every
// verdict, evidence in up to three files, files the scrape did not keep.
func judgedLarge(n int, checklist []grade.ChecklistSummary) *grade.ClaimsResult {
	c := &grade.ClaimsResult{Rules: "2026"}
	for _, s := range checklist {
		for i, it := range s.Items {
			v := claims.Verdict{Item: claims.Item{Text: it.Text, Module: it.Module, Checked: it.Checked, Line: 10 + i}, Rule: fmt.Sprintf("rule-%d", i)}
			switch (n + i) % 4 {
			case 0:
				v.Status = claims.Evidence
				for f := range 1 + i%3 {
					v.Evidence = append(v.Evidence, claims.Location{Path: fmt.Sprintf("src/group %d/module_%d.py", n, f), Line: 1 + f*7, What: "the code"})
				}
			case 1:
				v.Status, v.Missing = claims.NoEvidence, []string{"a Dockerfile", "a docker-compose file or a build step in a workflow"}
			case 2:
				v.Status, v.Reason = claims.CannotTell, "the work is done in the cloud console and leaves no file in the repository"
			default:
				v.Status, v.Unread = claims.CannotTell, []string{"a.py", "b.py", "c.py", "d.py"}
				v.Reason = "the files that could show it were not kept: a.py, b.py, c.py, d.py"
			}
			c.Verdicts = append(c.Verdicts, v)
		}
	}
	return c
}

// columnsAscend checks that every sheet of a workbook lists its column
// formats in ascending order, as spreadsheet programs need them.
func columnsAscend(t testing.TB, name string) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	book, err := xlsxstream.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, sheet := range openWorkbook(t, name).GetSheetList() {
		scan, err := book.Scan(sheet, func(*xlsxstream.Sheet, int, []xlsxstream.Cell) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(scan.Cols); i++ {
			if scan.Cols[i].Min <= scan.Cols[i-1].Max {
				t.Errorf("sheet %s: column formats out of order: %d-%d after %d-%d", sheet,
					scan.Cols[i].Min, scan.Cols[i].Max, scan.Cols[i-1].Min, scan.Cols[i-1].Max)
				break
			}
		}
	}
}
