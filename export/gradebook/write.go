package gradebook

// Writing a gradebook: handin's sheets with the instructor's columns put
// back on their rows, the instructor's own sheets, and the Kept sheet for
// what has no row any more.

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"handin/internal/xlsxstream"
)

// builtBook is a workbook ready to be written and what the state keeps of it.
type builtBook struct {
	data    []byte
	headers map[string][]string      // each sheet's header row
	values  map[string]*writtenSheet // handin's values, by sheet
	plain   []string                 // sheets holding nothing of the instructor's
	moved   int                      // values this write moved to the Kept sheet
	// reported are the values of the columns the layouts Report, by
	// sheet, header and row key; dealt counts the cells dealt.
	reported map[string]map[string]map[string]string
	dealt    int
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
	colors                        map[Color]int           // styles of coloured values, by colour
	links                         map[string]int          // hyperlinks written, by sheet
	kept                          map[*excelize.Style]int // styles of kept cells, by the style read
}

// build lays out handin's sheets with these rows and the instructor's
// work (nil for a new gradebook) put back. Each row goes to disk as it
// comes: memory holds one row, whatever the course's size. The rows wait
// in dir (the gradebook's folder) as temporary files that a process
// killed meanwhile leaves for the next one to remove. known is what
// handin wrote into the gradebook last time, by sheet (nil: nothing
// known), which tells the rows new to it.
func build(sheets []Layout, rows iter.Seq2[Row, error], work *instructorWork, known map[string]*writtenSheet, now time.Time, dir string) (*builtBook, error) {
	w, err := newWorkbookWriter(now)
	if err != nil {
		return nil, fmt.Errorf("gradebook: %w", err)
	}
	defer w.close()
	if work == nil {
		work = &instructorWork{}
	}
	streams := make([]*sheetStream, len(sheets))
	defer func() {
		for _, s := range streams {
			if s != nil {
				s.rows.Close()
			}
		}
	}()
	byName := map[string]*sheetStream{}
	columnsOf := map[string][]string{}
	formulas := false
	for i, l := range sheets {
		if streams[i], err = w.newSheetStream(i, l, work.sheets[l.Name], dir); err != nil {
			return nil, fmt.Errorf("gradebook sheet %s: %w", l.Name, err)
		}
		streams[i].known, streams[i].columnsOf = known[l.Name], columnsOf
		byName[l.Name] = streams[i]
		for _, c := range streams[i].cols {
			columnsOf[l.Name] = append(columnsOf[l.Name], c.Header)
		}
		formulas = formulas || slices.ContainsFunc(l.Filled(), func(c Column) bool { return c.Formula })
	}
	if formulas {
		// The formulas are written without a value: a spreadsheet program
		// computes them when it opens the workbook.
		full := true
		if err := w.f.SetCalcProps(&excelize.CalcPropsOptions{FullCalcOnLoad: &full}); err != nil {
			return nil, fmt.Errorf("gradebook: %w", err)
		}
	}
	for row, err := range rows {
		if err != nil {
			return nil, err
		}
		s, ok := byName[row.Sheet]
		if !ok {
			return nil, fmt.Errorf("gradebook: a row for sheet %q, which it does not have", row.Sheet)
		}
		if err := s.add(row.Values); err != nil {
			return nil, fmt.Errorf("gradebook sheet %s: %w", row.Sheet, err)
		}
	}
	b := &builtBook{headers: map[string][]string{}, values: map[string]*writtenSheet{}, reported: map[string]map[string]map[string]string{}}
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
		b.reported[name], b.dealt = out.reported, b.dealt+out.dealt
		moved = append(moved, out.leftovers...)
	}
	moved = slices.Concat(work.unplaced, moved)
	var kept *ownSheet
	for _, own := range work.own {
		if strings.EqualFold(own.name, KeptSheet) && kept == nil {
			kept = own
			continue
		}
		if err := w.ownSheet(own); err != nil {
			return nil, fmt.Errorf("gradebook sheet %s: %w", own.name, err)
		}
	}
	if kept != nil || len(moved) > 0 {
		if err := w.keptSheet(kept, moved); err != nil {
			return nil, fmt.Errorf("gradebook sheet %s: %w", KeptSheet, err)
		}
	}
	b.moved = len(moved)
	// The first of handin's sheets is the workbook's first and active one
	// (no SetActiveSheet: it would load every streamed sheet back).
	book, err := w.f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("gradebook: %w", err)
	}
	w.close() // its sheets' links and comments are in book now
	spools := map[string]*xlsxstream.Spool{}
	for _, s := range streams {
		spools[s.layout.Name] = s.rows
	}
	if b.data, err = xlsxstream.Splice(book.Bytes(), spools); err != nil {
		return nil, fmt.Errorf("gradebook: %w", err)
	}
	return b, nil
}

func newWorkbookWriter(now time.Time) (*workbookWriter, error) {
	w := &workbookWriter{f: excelize.NewFile(), now: now, colors: map[Color]int{}, links: map[string]int{}, kept: map[*excelize.Style]int{}}
	dateFormat := "yyyy-mm-dd hh:mm"
	styles := []struct {
		id    *int
		style *excelize.Style
	}{
		{&w.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Fill: fill("E5E7EB"), Alignment: alignTop}},
		{&w.top, &excelize.Style{Alignment: alignTop}},
		{&w.wrap, &excelize.Style{Alignment: alignWrap}},
		{&w.date, &excelize.Style{CustomNumFmt: &dateFormat, Alignment: alignTop}},
		{&w.link, &excelize.Style{Font: &excelize.Font{Color: "1D4ED8", Underline: "single"}, Alignment: alignWrap}},
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

// Cell alignments: text at the top of its cell, wrapped or not.
var (
	alignTop  = &excelize.Alignment{Vertical: "top"}
	alignWrap = &excelize.Alignment{Vertical: "top", WrapText: true}
)

func fill(color string) excelize.Fill {
	return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
}

// close lets the workbook go.
func (w *workbookWriter) close() {
	if w.f != nil {
		w.f.Close()
		w.f = nil
	}
}

// colorStyle is the id of the style of a value of this colour.
func (w *workbookWriter) colorStyle(c Color) (int, error) {
	if id, ok := w.colors[c]; ok {
		return id, nil
	}
	id, err := w.f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: c.Font}, Fill: fill(c.Fill), Alignment: alignTop})
	if err != nil {
		return 0, err
	}
	w.colors[c] = id
	return id, nil
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
// stays text and never becomes a formula. A value colors names is
// coloured; a link's target is set on its cell at.
func (w *workbookWriter) cellValue(sheet, at string, colors map[any]Color, v any) (any, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		if v == "" {
			return nil, nil
		}
		return w.colored(cellText(v), colors[v])
	case int, float64:
		return v, nil
	case bool:
		return w.colored(v, colors[v])
	case time.Time:
		if v.IsZero() {
			return nil, nil
		}
		// excelize's own conversion: a float would round the date to 15
		// digits, which LibreOffice shows as 22:58:59 for 22:59 (xlsxstream's
		// TestStreamWriterWritesNumbersAsTheirValue).
		return excelize.Cell{StyleID: w.date, Value: wallClock(v)}, nil
	case Link:
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

// colored is a value in its colour's style; as it is without one.
func (w *workbookWriter) colored(v any, c Color) (any, error) {
	if c == (Color{}) {
		return v, nil
	}
	id, err := w.colorStyle(c)
	if err != nil {
		return nil, err
	}
	return excelize.Cell{StyleID: id, Value: v}, nil
}

// maxLinkLength is the longest hyperlink address Excel follows.
const maxLinkLength = 2079

// shownText is the text a value of handin's shows in its cell; "" for
// numbers, booleans and dates, which never wrap.
func shownText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case Link:
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

// rowHeight is the height of a row of so many lines of text, at most
// limit points (0: no limit but a spreadsheet's); none for one line.
func rowHeight(lines int, limit float64) []excelize.RowOpts {
	if lines <= 1 {
		return nil
	}
	if limit <= 0 {
		limit = maxHeight
	}
	return []excelize.RowOpts{{Height: min(float64(lines*lineHeight), limit, maxHeight)}}
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
	for i := range xlsxstream.FormatOrder(len(s.columns)) {
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
	existing.name = KeptSheet
	start := existing.rows // first free row, 0-based
	sw, err := w.newOwnSheet(KeptSheet, existing, max(len(keptLayout), len(existing.columns)), start+len(moved))
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
			if values[j], err = w.cellValue(KeptSheet, ref(j, row), nil, v); err != nil {
				return err
			}
		}
		// Away from its row, a formula would compute something else: it
		// is kept as its text.
		if values[5], err = m.Value.streamValue(w, false); err != nil {
			return err
		}
		lines := max(textLines(m.Why, keptLayout[6].Width), textLines(m.Value.display(), keptLayout[5].Width))
		if err := sw.SetRow(ref(0, row), values, rowHeight(lines, 0)...); err != nil {
			return err
		}
	}
	if err := w.ownNotes(KeptSheet, existing); err != nil {
		return err
	}
	return sw.Flush()
}

// newKeptHeader writes a new Kept sheet's header row, frozen, and its
// column styles.
func (w *workbookWriter) newKeptHeader(sw *excelize.StreamWriter) error {
	header := make([]any, len(keptLayout))
	for i := range xlsxstream.FormatOrder(len(keptLayout)) {
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
