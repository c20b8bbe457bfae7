package export

// Writing a gradebook: handin's sheets with the instructor's columns put
// back on their rows, the instructor's own sheets, and the Kept sheet for
// what has no row any more.

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"handin/grade"
)

// builtGradebook is a workbook ready to be written and what the state
// keeps of it.
type builtGradebook struct {
	data    []byte
	headers map[string][]string      // each sheet's header row
	values  map[string]*writtenSheet // handin's values, by sheet
	plain   []string                 // sheets holding nothing of the instructor's
	moved   int                      // values this export moved to the Kept sheet
}

// Row heights, in points: one line of the default font, and the largest
// height a spreadsheet row can have.
const (
	lineHeight = 15
	maxHeight  = 409
)

// workbookWriter writes one workbook.
type workbookWriter struct {
	f   *excelize.File
	now time.Time
	// style ids
	header, top, wrap, date, link int
	status                        map[grade.State]int // the Status cell of each state
	flag                          map[string]int      // the Flag cell of each flag
	pass, fail                    int
	links                         map[string]int          // hyperlinks written, by sheet
	kept                          map[*excelize.Style]int // styles of kept cells, by the style read
}

// buildGradebook lays out handin's sheets with the instructor's work
// (nil for a new gradebook) put back.
func buildGradebook(sheets []sheetRows, work *instructorWork, now time.Time) (*builtGradebook, error) {
	w, err := newWorkbookWriter(now)
	if err != nil {
		return nil, fmt.Errorf("gradebook: %w", err)
	}
	defer w.f.Close()
	if work == nil {
		work = &instructorWork{}
	}
	b := &builtGradebook{headers: map[string][]string{}, values: map[string]*writtenSheet{}}
	var moved []keptValue
	for i, s := range sheets {
		name := s.Layout.Name
		if i == 0 {
			err = w.f.SetSheetName(w.f.GetSheetName(0), name)
		} else {
			_, err = w.f.NewSheet(name)
		}
		if err != nil {
			return nil, fmt.Errorf("gradebook: %w", err)
		}
		out, err := w.handinSheet(s, work.sheets[name])
		if err != nil {
			return nil, fmt.Errorf("gradebook sheet %s: %w", name, err)
		}
		b.headers[name], b.values[name] = out.headers, out.written
		if out.plain {
			b.plain = append(b.plain, name)
		}
		moved = append(moved, out.leftovers...)
	}
	moved = slices.Concat(work.unplaced, moved)
	var kept *ownSheet
	for _, own := range work.own {
		if strings.EqualFold(own.name, SheetKept) && kept == nil {
			kept = own
			continue
		}
		if err := w.ownSheet(own); err != nil {
			return nil, fmt.Errorf("gradebook sheet %s: %w", own.name, err)
		}
	}
	if kept != nil || len(moved) > 0 {
		if err := w.keptSheet(kept, moved); err != nil {
			return nil, fmt.Errorf("gradebook sheet %s: %w", SheetKept, err)
		}
	}
	b.moved = len(moved)
	w.f.SetActiveSheet(0)
	buf, err := w.f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("gradebook: %w", err)
	}
	b.data = buf.Bytes()
	return b, nil
}

func newWorkbookWriter(now time.Time) (*workbookWriter, error) {
	w := &workbookWriter{f: excelize.NewFile(), now: now, status: map[grade.State]int{}, flag: map[string]int{},
		links: map[string]int{}, kept: map[*excelize.Style]int{}}
	top := &excelize.Alignment{Vertical: "top"}
	wrap := &excelize.Alignment{Vertical: "top", WrapText: true}
	dateFormat := "yyyy-mm-dd hh:mm"
	fill := func(color string) excelize.Fill {
		return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
	}
	// Colours are cell styles, not conditional formats: LibreOffice 7.4
	// fails to print a long sheet with a conditional format to PDF.
	styles := []struct {
		id    *int
		style *excelize.Style
	}{
		{&w.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Fill: fill("E5E7EB"), Alignment: top}},
		{&w.top, &excelize.Style{Alignment: top}},
		{&w.wrap, &excelize.Style{Alignment: wrap}},
		{&w.date, &excelize.Style{CustomNumFmt: &dateFormat, Alignment: top}},
		{&w.link, &excelize.Style{Font: &excelize.Font{Color: "1D4ED8", Underline: "single"}, Alignment: wrap}},
		{&w.pass, &excelize.Style{Font: &excelize.Font{Color: "166534"}, Fill: fill("DCFCE7"), Alignment: top}},
		{&w.fail, &excelize.Style{Font: &excelize.Font{Color: "991B1B"}, Fill: fill("FEE2E2"), Alignment: top}},
	}
	states := map[grade.State]*excelize.Style{
		grade.StateOK:       {Font: &excelize.Font{Color: "166534"}, Fill: fill("DCFCE7"), Alignment: top},
		grade.StateProblems: {Font: &excelize.Font{Color: "92400E"}, Fill: fill("FEF3C7"), Alignment: top},
		grade.StateFailed:   {Font: &excelize.Font{Color: "991B1B"}, Fill: fill("FEE2E2"), Alignment: top},
	}
	for state, style := range states {
		id, err := w.f.NewStyle(style)
		if err != nil {
			w.f.Close()
			return nil, err
		}
		w.status[state] = id
	}
	flags := map[string]*excelize.Style{
		flagTickedWithoutEvidence: states[grade.StateFailed],
		flagUntickedWithEvidence:  {Font: &excelize.Font{Color: "1E40AF"}, Fill: fill("DBEAFE"), Alignment: top},
	}
	for flag, style := range flags {
		id, err := w.f.NewStyle(style)
		if err != nil {
			w.f.Close()
			return nil, err
		}
		w.flag[flag] = id
	}
	for _, s := range styles {
		var err error
		if *s.id, err = w.f.NewStyle(s.style); err != nil {
			w.f.Close()
			return nil, err
		}
	}
	return w, nil
}

// style is the id of a kept cell's style in this workbook.
func (w *workbookWriter) style(s *excelize.Style) (int, error) {
	if id, ok := w.kept[s]; ok {
		return id, nil
	}
	id, err := w.f.NewStyle(s)
	if err != nil {
		return 0, err
	}
	w.kept[s] = id
	return id, nil
}

// outColumn is a column of a handin sheet as written.
type outColumn struct {
	column
	handin int               // index in the row's values; -1 for an instructor column
	own    *instructorColumn // the instructor's column, with its cells
	hidden bool
	style  int // the column's default style
}

// writtenSheetOut is what writing one handin sheet gives.
type writtenSheetOut struct {
	headers   []string
	written   *writtenSheet
	leftovers []keptValue // instructor cells and comments whose row is gone
	plain     bool        // no column, comment or hidden column of the instructor's
}

// handinSheet writes one of handin's sheets: its header row, handin's rows,
// the instructor's columns between Lead and Facts with each cell on the
// row of its key, and comments.
func (w *workbookWriter) handinSheet(s sheetRows, sw *sheetWork) (*writtenSheetOut, error) {
	l, name, f := s.Layout, s.Layout.Name, w.f
	cols, err := w.sheetColumns(l, sw)
	if err != nil {
		return nil, err
	}
	out := &writtenSheetOut{written: &writtenSheet{Rows: map[string][][]string{}}}
	for i, c := range cols {
		out.headers = append(out.headers, c.Header)
		if c.handin >= 0 {
			out.written.Columns = append(out.written.Columns, c.Header)
		}
		if err := w.columnFormat(name, i, c.Width, c.hidden, c.style); err != nil {
			return nil, err
		}
		if err := f.SetCellStr(name, ref(i, 0), c.Header); err != nil {
			return nil, err
		}
	}
	if err := f.SetCellStyle(name, "A1", ref(len(cols)-1, 0), w.header); err != nil {
		return nil, err
	}
	rowOf := map[string]int{} // first row of each key
	lines := make([]int, len(s.Rows)+1)
	keyIndexes := l.keyIndexes()
	for i, values := range s.Rows {
		key := handinKey(values, keyIndexes)
		if _, seen := rowOf[key]; !seen {
			rowOf[key] = i + 1
		}
		canon := make([]string, len(values))
		for j, v := range values {
			canon[j] = canonicalOf(v)
		}
		out.written.Rows[key] = append(out.written.Rows[key], canon)
		for j, c := range cols {
			if c.handin < 0 {
				continue
			}
			v := values[c.handin]
			if err := w.value(name, ref(j, i+1), c.Header, v); err != nil {
				return nil, fmt.Errorf("%s: %w", ref(j, i+1), err)
			}
			if c.Wrap {
				lines[i+1] = max(lines[i+1], textLines(shownText(v), c.Width))
			}
		}
	}
	for j, c := range cols {
		if c.own == nil {
			continue
		}
		for _, key := range slices.Sorted(maps.Keys(c.own.cells)) {
			cell := c.own.cells[key]
			row, ok := rowOf[key]
			if !ok {
				out.leftovers = append(out.leftovers, keptValue{Sheet: name, Row: describeKey(l, key), Column: c.Header, Cell: cell.from,
					Value: cell.cell, Why: fmt.Sprintf("there is no row for %s any more", describeKey(l, key))})
				continue
			}
			if err := cell.cell.write(w, name, ref(j, row), true); err != nil {
				return nil, fmt.Errorf("%s: %w", ref(j, row), err)
			}
			if c.Wrap || cell.cell.wraps() {
				lines[row] = max(lines[row], textLines(cell.cell.Value, c.Width))
			}
		}
	}
	notes, err := w.notes(l, sw, cols, rowOf, out)
	if err != nil {
		return nil, err
	}
	out.plain = notes == 0 && !slices.ContainsFunc(cols, func(c outColumn) bool { return c.own != nil || c.hidden })
	for row, n := range lines {
		if n > 1 {
			if err := f.SetRowHeight(name, row+1, min(float64(n*lineHeight), maxHeight)); err != nil {
				return nil, err
			}
		}
	}
	last := ref(len(cols)-1, max(len(s.Rows), 1))
	if err := f.SetSheetDimension(name, "A1:"+last); err != nil {
		return nil, err
	}
	if err := f.SetPanes(name, &excelize.Panes{Freeze: true, XSplit: l.Freeze, YSplit: 1, TopLeftCell: ref(l.Freeze, 1), ActivePane: "bottomRight"}); err != nil {
		return nil, err
	}
	if err := f.AutoFilter(name, "A1:"+last, nil); err != nil {
		return nil, err
	}
	if l.FitWidth {
		if err := fitToPageWidth(f, name); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// fitToPageWidth prints a sheet landscape, scaled to one page wide and as
// many pages long as it takes: a row is read on one page, and a long sheet
// prints on a tenth of the pages (LibreOffice converts it to PDF that much
// faster).
func fitToPageWidth(f *excelize.File, sheet string) error {
	fit, wide, anyLength, landscape := true, 1, 0, "landscape"
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	return f.SetPageLayout(sheet, &excelize.PageLayoutOptions{FitToWidth: &wide, FitToHeight: &anyLength, Orientation: &landscape})
}

// sheetColumns are a handin sheet's columns: Lead, the instructor's (as
// found, or the offered ones on a new sheet), Facts.
func (w *workbookWriter) sheetColumns(l sheetLayout, sw *sheetWork) ([]outColumn, error) {
	handinColumn := func(c column, i int) outColumn {
		c.Width = max(c.Width, headerWidth(c.Header))
		style := w.top
		if c.Wrap {
			style = w.wrap
		}
		return outColumn{column: c, handin: i, style: style, hidden: sw != nil && sw.hidden[c.Header]}
	}
	var cols []outColumn
	for i, c := range l.Lead {
		cols = append(cols, handinColumn(c, i))
	}
	if sw == nil {
		for _, c := range l.Offered {
			oc := handinColumn(c, -1)
			oc.own = &instructorColumn{header: c.Header, cells: map[string]placedCell{}}
			cols = append(cols, oc)
		}
	} else {
		for _, own := range sw.columns {
			style := w.top
			if own.style != nil {
				var err error
				if style, err = w.style(own.style); err != nil {
					return nil, err
				}
			}
			cols = append(cols, outColumn{column: column{Header: own.header, Width: own.width, Wrap: wraps(own.style)},
				handin: -1, own: own, hidden: own.hidden, style: style})
		}
	}
	for i, c := range l.Facts {
		cols = append(cols, handinColumn(c, len(l.Lead)+i))
	}
	return cols, nil
}

func (w *workbookWriter) columnFormat(sheet string, i int, width float64, hidden bool, style int) error {
	letter := columnLetter(i)
	if err := w.f.SetColWidth(sheet, letter, letter, width); err != nil {
		return err
	}
	if err := w.f.SetColStyle(sheet, letter, style); err != nil {
		return err
	}
	if hidden {
		return w.f.SetColVisible(sheet, letter, false)
	}
	return nil
}

// notes puts the instructor's comments back on their cells: by row key and
// column header, a header's on the header. It returns how many it placed.
func (w *workbookWriter) notes(l sheetLayout, sw *sheetWork, cols []outColumn, rowOf map[string]int, out *writtenSheetOut) (int, error) {
	if sw == nil {
		return 0, nil
	}
	type placed struct {
		k noteKey
		n cellNote
	}
	var all []placed
	for k, n := range sw.notes {
		all = append(all, placed{k, n})
	}
	for _, c := range cols {
		if c.own != nil && c.own.note != nil {
			all = append(all, placed{noteKey{"", c.Header}, *c.own.note})
		}
	}
	slices.SortFunc(all, func(a, b placed) int {
		return cmp.Or(cmp.Compare(a.k.key, b.k.key), cmp.Compare(a.k.header, b.k.header))
	})
	n := 0
	for _, p := range all {
		col := slices.IndexFunc(cols, func(c outColumn) bool { return c.Header == p.k.header })
		row, ok := 0, true
		if p.k.key != "" {
			row, ok = rowOf[p.k.key]
		}
		if col < 0 || !ok {
			out.leftovers = append(out.leftovers, keptValue{Sheet: l.Name, Row: cmp.Or(describeKey(l, p.k.key), "header row"),
				Column: p.k.header + " (comment)", Cell: p.n.from, Value: keptCell{Value: p.n.text},
				Why: "a comment whose row or column is gone"})
			continue
		}
		if err := w.f.AddComment(l.Name, excelize.Comment{Cell: ref(col, row), Author: p.n.author, Text: p.n.text}); err != nil {
			return n, fmt.Errorf("comment %s: %w", ref(col, row), err)
		}
		n++
	}
	return n, nil
}

// value writes one of handin's values by its Go type. Text always goes
// through SetCellStr: a student's "=HYPERLINK(...)" stays text and never
// becomes a formula. The Status and Pass cells are coloured by value.
func (w *workbookWriter) value(sheet, at, header string, v any) error {
	f := w.f
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		if v == "" {
			return nil
		}
		if err := f.SetCellStr(sheet, at, cellText(v)); err != nil {
			return err
		}
		if id, ok := w.status[grade.State(v)]; ok && header == "Status" {
			return f.SetCellStyle(sheet, at, at, id)
		}
		if id, ok := w.flag[v]; ok && header == flagHeader {
			return f.SetCellStyle(sheet, at, at, id)
		}
		return nil
	case int:
		return f.SetCellInt(sheet, at, int64(v))
	case bool:
		if err := f.SetCellBool(sheet, at, v); err != nil || header != "Pass" {
			return err
		}
		style := w.fail
		if v {
			style = w.pass
		}
		return f.SetCellStyle(sheet, at, at, style)
	case time.Time:
		if v.IsZero() {
			return nil
		}
		// excelize's own conversion: SetCellFloat would round the date to
		// 15 digits, which LibreOffice shows as 22:58:59 for 22:59.
		if err := f.SetCellValue(sheet, at, wallClock(v)); err != nil {
			return err
		}
		return f.SetCellStyle(sheet, at, at, w.date)
	case linkCell:
		if err := f.SetCellStr(sheet, at, cellText(v.Text)); err != nil {
			return err
		}
		// Past a spreadsheet program's limits the text is enough: the
		// group's page links it too.
		if len(v.Target) > maxLinkLength || w.links[sheet] >= excelize.TotalSheetHyperlinks {
			return nil
		}
		w.links[sheet]++
		if err := f.SetCellHyperLink(sheet, at, v.Target, "External"); err != nil {
			return err
		}
		return f.SetCellStyle(sheet, at, at, w.link)
	}
	return fmt.Errorf("unsupported cell value %T", v)
}

// maxLinkLength is the longest hyperlink address Excel follows.
const maxLinkLength = 2079

// shownText is the text a value of handin's shows in its cell; "" for
// numbers, booleans and dates, which never wrap.
func shownText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case linkCell:
		return v.Text
	}
	return ""
}

// textLines estimates how many lines a wrapped text takes in a column of
// this width (in characters of the default font; text is mostly narrower,
// so the estimate errs towards a row too tall rather than cut off).
func textLines(text string, width float64) int {
	perLine := max(int(width)-1, 1)
	n := 0
	for line := range strings.SplitSeq(text, "\n") {
		n += max(1, (len([]rune(line))+perLine-1)/perLine)
	}
	return n
}

// ownSheet copies a sheet of the instructor's: cells with their types,
// formulas and styles, comments, column widths, merged ranges.
func (w *workbookWriter) ownSheet(s *ownSheet) error {
	f := w.f
	name := s.name
	for slices.ContainsFunc(f.GetSheetList(), func(n string) bool { return strings.EqualFold(n, name) }) {
		name += " (2)"
	}
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	for _, c := range s.cells {
		if err := c.cell.write(w, name, c.ref, true); err != nil {
			return fmt.Errorf("%s: %w", c.ref, err)
		}
	}
	for _, n := range s.notes {
		if err := f.AddComment(name, excelize.Comment{Cell: n.from, Author: n.author, Text: n.text}); err != nil {
			return fmt.Errorf("comment %s: %w", n.from, err)
		}
	}
	for i, c := range s.columns {
		letter := columnLetter(i)
		if err := f.SetColWidth(name, letter, letter, c.width); err != nil {
			return err
		}
		if c.hidden {
			if err := f.SetColVisible(name, letter, false); err != nil {
				return err
			}
		}
	}
	for _, m := range s.merged {
		from, to, _ := strings.Cut(m, ":")
		if err := f.MergeCell(name, from, to); err != nil {
			return err
		}
	}
	if s.rows > 0 && len(s.columns) > 0 {
		return f.SetSheetDimension(name, "A1:"+ref(len(s.columns)-1, s.rows-1))
	}
	return nil
}

// keptSheet writes the Kept sheet: the instructor's (copied as it is) with
// this export's values appended, or a new one.
func (w *workbookWriter) keptSheet(existing *ownSheet, moved []keptValue) error {
	f := w.f
	start := 1 // first free row, 0-based
	if existing != nil {
		existing.name = SheetKept
		if err := w.ownSheet(existing); err != nil {
			return err
		}
		start = max(existing.rows, 1)
	} else {
		if _, err := f.NewSheet(SheetKept); err != nil {
			return err
		}
		for i, c := range keptLayout {
			style := w.top
			if c.Wrap {
				style = w.wrap
			}
			if err := w.columnFormat(SheetKept, i, max(c.Width, headerWidth(c.Header)), false, style); err != nil {
				return err
			}
			if err := f.SetCellStr(SheetKept, ref(i, 0), c.Header); err != nil {
				return err
			}
		}
		if err := f.SetCellStyle(SheetKept, "A1", ref(len(keptLayout)-1, 0), w.header); err != nil {
			return err
		}
		if err := f.SetPanes(SheetKept, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	for i, m := range moved {
		row := start + i
		for j, v := range []any{w.now, m.Sheet, m.Row, m.Column, m.Cell} {
			if err := w.value(SheetKept, ref(j, row), "", v); err != nil {
				return err
			}
		}
		// Away from its row, a formula would compute something else: it
		// is kept as its text.
		if err := m.Value.write(w, SheetKept, ref(5, row), false); err != nil {
			return err
		}
		if err := w.value(SheetKept, ref(6, row), "", m.Why); err != nil {
			return err
		}
		lines := max(textLines(m.Why, keptLayout[6].Width), textLines(m.Value.display(), keptLayout[5].Width))
		if lines > 1 {
			if err := f.SetRowHeight(SheetKept, row+1, min(float64(lines*lineHeight), maxHeight)); err != nil {
				return err
			}
		}
	}
	if last := start + len(moved); last > 1 {
		return f.SetSheetDimension(SheetKept, "A1:"+ref(len(keptLayout)-1, last-1))
	}
	return nil
}
