package export

// Writing a gradebook: handin's sheets with the instructor's columns put
// back on their rows, the instructor's own sheets, and the Kept sheet for
// what has no row any more.

import (
	"cmp"
	"fmt"
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

// buildGradebook lays out handin's sheets for these groups with the
// instructor's work (nil for a new gradebook) put back. The results come
// one at a time and each row goes to disk as it is made: memory holds the
// rows of one group, whatever the course's size. The rows wait in dir (the
// output folder) as temporary files that an export killed meanwhile
// leaves for the next one to remove.
func buildGradebook(in gradebookInput, work *instructorWork, now time.Time, dir string) (*builtGradebook, error) {
	w, err := newWorkbookWriter(now)
	if err != nil {
		return nil, fmt.Errorf("gradebook: %w", err)
	}
	defer w.close()
	if work == nil {
		work = &instructorWork{}
	}
	streams := make([]*sheetStream, len(gradebookLayouts))
	defer func() {
		for _, s := range streams {
			if s != nil {
				s.rows.close()
			}
		}
	}()
	for i, l := range gradebookLayouts {
		if streams[i], err = w.newSheetStream(i, l, work.sheets[l.Name], dir); err != nil {
			return nil, fmt.Errorf("gradebook sheet %s: %w", l.Name, err)
		}
	}
	add := func(rows map[string][][]any) error {
		for _, s := range streams {
			for _, row := range rows[s.layout.Name] {
				if err := s.add(row); err != nil {
					return fmt.Errorf("gradebook sheet %s: %w", s.layout.Name, err)
				}
			}
		}
		return nil
	}
	if err := in.results(func(r *grade.GroupResult) error { return add(groupSheetRows(r)) }); err != nil {
		return nil, err
	}
	for _, g := range in.gaps {
		if err := add(gapSheetRows(g)); err != nil {
			return nil, err
		}
	}
	b := &builtGradebook{headers: map[string][]string{}, values: map[string]*writtenSheet{}}
	var moved []keptValue
	for _, s := range streams {
		out, err := s.finish()
		if err != nil {
			return nil, fmt.Errorf("gradebook sheet %s: %w", s.layout.Name, err)
		}
		name := s.layout.Name
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
	// The Groups sheet is the workbook's first and active one (no
	// SetActiveSheet: it would load every streamed sheet back).
	book, err := w.f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("gradebook: %w", err)
	}
	w.close() // its sheets' links and comments are in book now
	spools := map[string]*rowSpool{}
	for _, s := range streams {
		spools[s.layout.Name] = s.rows
	}
	if b.data, err = spliceRows(book.Bytes(), spools); err != nil {
		return nil, fmt.Errorf("gradebook: %w", err)
	}
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

// close lets the workbook go.
func (w *workbookWriter) close() {
	if w.f != nil {
		w.f.Close()
		w.f = nil
	}
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

// cellValue is one of handin's values as the stream writes it, by its Go
// type: text is always a string value, so a student's "=HYPERLINK(...)"
// stays text and never becomes a formula. The Status, Flag and Pass cells
// are coloured by value; a link's target is set on its cell at.
func (w *workbookWriter) cellValue(sheet, at, header string, v any) (any, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		if v == "" {
			return nil, nil
		}
		text := cellText(v)
		if id, ok := w.status[grade.State(v)]; ok && header == "Status" {
			return excelize.Cell{StyleID: id, Value: text}, nil
		}
		if id, ok := w.flag[v]; ok && header == flagHeader {
			return excelize.Cell{StyleID: id, Value: text}, nil
		}
		return text, nil
	case int:
		return v, nil
	case bool:
		if header != "Pass" {
			return v, nil
		}
		style := w.fail
		if v {
			style = w.pass
		}
		return excelize.Cell{StyleID: style, Value: v}, nil
	case time.Time:
		if v.IsZero() {
			return nil, nil
		}
		// excelize's own conversion: a float would round the date to 15
		// digits, which LibreOffice shows as 22:58:59 for 22:59.
		return excelize.Cell{StyleID: w.date, Value: wallClock(v)}, nil
	case linkCell:
		text := cellText(v.Text)
		// Past a spreadsheet program's limits the text is enough: the
		// group's page links it too.
		if len(v.Target) > maxLinkLength || w.links[sheet] >= excelize.TotalSheetHyperlinks {
			return text, nil
		}
		w.links[sheet]++
		if err := w.f.SetCellHyperLink(sheet, at, v.Target, "External"); err != nil {
			return nil, err
		}
		return excelize.Cell{StyleID: w.link, Value: text}, nil
	}
	return nil, fmt.Errorf("unsupported cell value %T", v)
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

// rowHeight is the height of a row of so many lines of text; none for one.
func rowHeight(lines int) []excelize.RowOpts {
	if lines <= 1 {
		return nil
	}
	return []excelize.RowOpts{{Height: min(float64(lines*lineHeight), maxHeight)}}
}

// ownSheet copies a sheet of the instructor's: cells with their types,
// formulas and styles, comments, column widths, merged ranges.
func (w *workbookWriter) ownSheet(s *ownSheet) error {
	name := s.name
	for slices.ContainsFunc(w.f.GetSheetList(), func(n string) bool { return strings.EqualFold(n, name) }) {
		name += " (2)"
	}
	sw, err := w.newOwnSheet(name, s, len(s.columns), s.rows)
	if err != nil {
		return err
	}
	if err := w.ownRows(sw, s); err != nil {
		return err
	}
	if err := w.ownNotes(name, s); err != nil {
		return err
	}
	return sw.Flush()
}

// newOwnSheet starts a copy of the instructor's sheet, cols columns and
// rows rows large, with its column widths and merged ranges.
func (w *workbookWriter) newOwnSheet(name string, s *ownSheet, cols, rows int) (*excelize.StreamWriter, error) {
	if _, err := w.f.NewSheet(name); err != nil {
		return nil, err
	}
	if rows > 0 && cols > 0 {
		if err := w.f.SetSheetDimension(name, "A1:"+ref(cols-1, rows-1)); err != nil {
			return nil, err
		}
	}
	sw, err := w.f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	for i := range lastFirst(len(s.columns)) {
		c := s.columns[i]
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return nil, err
		}
		if c.hidden {
			if err := sw.SetColVisible(i+1, i+1, false); err != nil {
				return nil, err
			}
		}
	}
	for _, m := range s.merged {
		from, to, _ := strings.Cut(m, ":")
		if err := sw.MergeCell(from, cmp.Or(to, from)); err != nil {
			return nil, err
		}
	}
	return sw, nil
}

// ownRows writes the cells of the instructor's sheet, which are in row
// order, a row at a time.
func (w *workbookWriter) ownRows(sw *excelize.StreamWriter, s *ownSheet) error {
	for start := 0; start < len(s.cells); {
		row := s.cells[start].row
		end := start
		width := 0
		for end < len(s.cells) && s.cells[end].row == row {
			width = max(width, s.cells[end].col+1)
			end++
		}
		values := make([]any, width)
		for _, c := range s.cells[start:end] {
			v, err := c.cell.streamValue(w, true)
			if err != nil {
				return fmt.Errorf("%s: %w", c.ref, err)
			}
			values[c.col] = v
		}
		if err := sw.SetRow(ref(0, row), values); err != nil {
			return fmt.Errorf("row %d: %w", row+1, err)
		}
		start = end
	}
	return nil
}

func (w *workbookWriter) ownNotes(name string, s *ownSheet) error {
	for _, n := range s.notes {
		if err := w.f.AddComment(name, excelize.Comment{Cell: n.from, Author: n.author, Text: n.text}); err != nil {
			return fmt.Errorf("comment %s: %w", n.from, err)
		}
	}
	return nil
}

// keptSheet writes the Kept sheet: the instructor's (copied as it is) with
// this export's values appended, or a new one.
func (w *workbookWriter) keptSheet(existing *ownSheet, moved []keptValue) error {
	fresh := existing == nil || len(existing.cells) == 0 && len(existing.notes) == 0
	if fresh {
		existing = &ownSheet{rows: 1}
		for _, c := range keptLayout {
			existing.columns = append(existing.columns, ownColumn{width: max(c.Width, headerWidth(c.Header))})
		}
	}
	existing.name = SheetKept
	start := existing.rows // first free row, 0-based
	sw, err := w.newOwnSheet(SheetKept, existing, max(len(keptLayout), len(existing.columns)), start+len(moved))
	if err != nil {
		return err
	}
	if fresh {
		if err := w.newKeptHeader(sw); err != nil {
			return err
		}
	} else if err := w.ownRows(sw, existing); err != nil {
		return err
	}
	for i, m := range moved {
		row := start + i
		values := make([]any, len(keptLayout))
		for j, v := range []any{w.now, m.Sheet, m.Row, m.Column, m.Cell, nil, m.Why} {
			if values[j], err = w.cellValue(SheetKept, ref(j, row), "", v); err != nil {
				return err
			}
		}
		// Away from its row, a formula would compute something else: it
		// is kept as its text.
		if values[5], err = m.Value.streamValue(w, false); err != nil {
			return err
		}
		lines := max(textLines(m.Why, keptLayout[6].Width), textLines(m.Value.display(), keptLayout[5].Width))
		if err := sw.SetRow(ref(0, row), values, rowHeight(lines)...); err != nil {
			return err
		}
	}
	if err := w.ownNotes(SheetKept, existing); err != nil {
		return err
	}
	return sw.Flush()
}

// newKeptHeader writes a new Kept sheet's header row, frozen, and its
// column styles.
func (w *workbookWriter) newKeptHeader(sw *excelize.StreamWriter) error {
	header := make([]any, len(keptLayout))
	for i := range lastFirst(len(keptLayout)) {
		c := keptLayout[i]
		style := w.top
		if c.Wrap {
			style = w.wrap
		}
		if err := sw.SetColStyle(i+1, i+1, style); err != nil {
			return err
		}
		header[i] = excelize.Cell{StyleID: w.header, Value: c.Header}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return sw.SetRow("A1", header)
}
