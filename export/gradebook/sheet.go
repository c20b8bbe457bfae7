package gradebook

// Writing one of handin's sheets a row at a time: each row as it comes,
// with the instructor's cells and comments of its key put on it, goes to
// a spool on disk (see xlsxstream.Spool); hyperlinks and comments are set
// on the sheet as the rows go. excelize writes a stream sheet's
// hyperlinks, comments, filter and print setup from what was set on the
// sheet before its Flush, and its properties and extent from what was set
// before the stream started (see xlsxstream's excelize_test.go).

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"handin/internal/xlsxstream"
)

// outColumn is a column of a handin sheet as written.
type outColumn struct {
	Column
	handin int               // index in the row's values; -1 for an instructor column
	own    *instructorColumn // the instructor's column, with its cells
	hidden bool
	style  int             // the column's default style
	placed map[string]bool // keys whose instructor cell is written
	added  bool            // an instructor column the workbook did not have
}

// writtenSheetOut is what writing one handin sheet gives.
type writtenSheetOut struct {
	headers   []string
	written   *writtenSheet
	leftovers []keptValue // instructor cells and comments whose row is gone
	plain     bool        // no column, comment or hidden column of the instructor's
	reported  map[string]map[string]string
	dealt     int
}

// noteAt is a comment of the instructor's waiting for its row.
type noteAt struct {
	k   noteKey
	n   cellNote
	col int
}

// sheetStream writes one of handin's sheets: its rows go to a spool as
// they come, then the sheet itself is written with its header row and
// extent, and the rows spliced in when the workbook is saved.
type sheetStream struct {
	w          *workbookWriter
	layout     Layout
	cols       []outColumn
	keyIndexes []int
	headers    []string            // of handin's values, in a row's order
	notes      map[string][]noteAt // comments not yet placed, by row key
	unplaced   []noteAt            // comments whose column is gone
	rows       *xlsxstream.Spool
	row        int      // rows written, the header included
	placed     int      // comments placed
	cells      []uint64 // digests of the cells written (see writtenSheet)
	keys       []uint64 // digests of the row keys written
	// known are the row keys handin wrote last time (nil: none known), so
	// that a dealt column is dealt to new rows only.
	known  *writtenSheet
	dealer *dealer
	// columnsOf are the headers of every handin sheet as written, by
	// sheet, for the formulas to name their columns.
	columnsOf map[string][]string
	reported  map[string]map[string]string // Layout.Report's values, by header and key
}

// newSheetStream starts the sheet: its columns and the header's comments.
// index is its place in the workbook.
func (w *workbookWriter) newSheetStream(index int, l Layout, work *sheetWork, dir string) (*sheetStream, error) {
	f, name := w.f, l.Name
	var err error
	if index == 0 {
		err = f.SetSheetName(f.GetSheetName(0), name)
	} else {
		_, err = f.NewSheet(name)
	}
	if err != nil {
		return nil, err
	}
	cols, err := w.sheetColumns(l, work)
	if err != nil {
		return nil, err
	}
	s := &sheetStream{w: w, layout: l, cols: cols, keyIndexes: l.keyIndexes(), notes: map[string][]noteAt{}, row: 1,
		reported: map[string]map[string]string{}}
	for _, c := range l.Filled() {
		s.headers = append(s.headers, c.Header)
	}
	for _, h := range l.Report {
		s.reported[h] = map[string]string{}
	}
	if l.Deal != nil {
		s.dealer = newDealer(*l.Deal, cols)
	}
	// Widths first: a comment's box is placed by them; in the order
	// excelize needs to write them in ascending order.
	for i := range xlsxstream.FormatOrder(len(cols)) {
		c := cols[i]
		if err := w.columnFormat(name, i, c.Width, c.hidden, c.style); err != nil {
			return nil, err
		}
	}
	// Named as atomicfile names its temporary files, so that the spool of
	// a process killed meanwhile goes with them (atomicfile.RemoveTemps).
	if s.rows, err = xlsxstream.NewSpool(dir, ".gradebook-rows.tmp-*"); err != nil {
		return nil, err
	}
	return s, s.fileNotes(work)
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

// fileNotes puts the comments of the header row on it and files the others
// by row key, for their rows to take.
func (s *sheetStream) fileNotes(work *sheetWork) error {
	if work == nil {
		return nil
	}
	var all []noteAt
	for k, n := range work.notes {
		all = append(all, noteAt{k: k, n: n})
	}
	for _, c := range s.cols {
		if c.own != nil && c.own.note != nil {
			all = append(all, noteAt{k: noteKey{"", c.Header}, n: *c.own.note})
		}
	}
	slices.SortFunc(all, func(a, b noteAt) int {
		return cmp.Or(cmp.Compare(a.k.key, b.k.key), cmp.Compare(a.k.header, b.k.header))
	})
	for _, n := range all {
		n.col = slices.IndexFunc(s.cols, func(c outColumn) bool { return c.Header == n.k.header })
		switch {
		case n.col < 0:
			s.unplaced = append(s.unplaced, n)
		case n.k.key == "":
			if err := s.addNote(n, 0); err != nil {
				return err
			}
		default:
			s.notes[n.k.key] = append(s.notes[n.k.key], n)
		}
	}
	return nil
}

func (s *sheetStream) addNote(n noteAt, row int) error {
	at := ref(n.col, row)
	if err := s.w.f.AddComment(s.layout.Name, excelize.Comment{Cell: at, Author: n.n.author, Text: n.n.text}); err != nil {
		return fmt.Errorf("comment %s: %w", at, err)
	}
	s.placed++
	return nil
}

// add writes a row of handin's values (aligned with Layout.Filled) with
// the instructor's cells and comments of its key, on its key's first row.
func (s *sheetStream) add(values []any) error {
	if len(values) != len(s.headers) {
		return fmt.Errorf("a row of %d values for %d columns", len(values), len(s.headers))
	}
	name, row := s.layout.Name, s.row
	key := handinKey(values, s.keyIndexes)
	s.keys = append(s.keys, keyDigest(key))
	for j, v := range values {
		s.cells = append(s.cells, cellDigest(key, s.headers[j], canonicalOf(v)))
	}
	if s.dealer != nil {
		s.dealer.deal(key, s.known.hasRow(key))
	}
	cells := make([]any, len(s.cols))
	lines := 1
	for j, c := range s.cols {
		var value any
		var err error
		switch {
		case c.handin >= 0:
			v := values[c.handin]
			if f, ok := v.(Formula); ok {
				value = excelize.Cell{Formula: s.resolve(f.Text, row)}
			} else if value, err = s.w.cellValue(name, ref(j, row), c.Colors, v); err != nil {
				return fmt.Errorf("%s: %w", ref(j, row), err)
			}
			if c.Wrap {
				lines = max(lines, textLines(shownText(v), c.Width))
			}
		case !c.placed[key]:
			placed, ok := c.own.cells[key]
			if !ok {
				continue
			}
			c.placed[key] = true
			if reported, ok := s.reported[c.Header]; ok {
				reported[key] = placed.cell.display()
			}
			if value, err = placed.cell.streamValue(s.w, true); err != nil {
				return fmt.Errorf("%s: %w", ref(j, row), err)
			}
			if c.Wrap || placed.cell.wraps() {
				lines = max(lines, textLines(placed.cell.Value, c.Width))
			}
		}
		cells[j] = styled(value, c.style)
	}
	if err := s.rows.Add(row+1, cells, rowHeight(lines, s.layout.MaxRowHeight)...); err != nil {
		return err
	}
	for _, n := range s.notes[key] {
		if err := s.addNote(n, row); err != nil {
			return err
		}
	}
	delete(s.notes, key)
	s.row++
	return nil
}

// styled is a value with its cell style: its own, else its column's.
func styled(v any, columnStyle int) any {
	switch v := v.(type) {
	case nil:
		return nil
	case excelize.Cell:
		v.StyleID = cmp.Or(v.StyleID, columnStyle)
		return v
	}
	return excelize.Cell{StyleID: columnStyle, Value: v}
}

// finish writes the sheet (its header row, frozen panes, filter and
// extent; the rows follow when the workbook is saved) and hands back what
// has no row any more, for Kept.
func (s *sheetStream) finish() (*writtenSheetOut, error) {
	l, f := s.layout, s.w.f
	last := ref(len(s.cols)-1, max(s.row-1, 1))
	// The extent and the page setup are written when the stream starts.
	if err := f.SetSheetDimension(l.Name, "A1:"+last); err != nil {
		return nil, err
	}
	if err := f.AutoFilter(l.Name, "A1:"+last, nil); err != nil {
		return nil, err
	}
	// After the filter, which writes the sheet's properties anew (and so
	// dropped fitToPage when set before).
	if l.FitWidth {
		if err := fitToPageWidth(f, l.Name); err != nil {
			return nil, err
		}
	}
	sw, err := f.NewStreamWriter(l.Name)
	if err != nil {
		return nil, err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: l.Freeze, YSplit: 1, TopLeftCell: ref(l.Freeze, 1), ActivePane: "bottomRight"}); err != nil {
		return nil, err
	}
	header := make([]any, len(s.cols))
	for i, c := range s.cols {
		header[i] = excelize.Cell{StyleID: s.w.header, Value: c.Header}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return nil, err
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	out := &writtenSheetOut{written: &writtenSheet{Key: s.layout.Key, Cells: newDigestSet(s.cells), Rows: newDigestSet(s.keys)}, reported: s.reported}
	if s.dealer != nil {
		out.dealt = s.dealer.dealt
	}
	s.cells, s.keys = nil, nil
	for _, c := range s.cols {
		out.headers = append(out.headers, c.Header)
		if c.handin >= 0 {
			out.written.Columns = append(out.written.Columns, c.Header)
			continue
		}
		for _, key := range slices.Sorted(func(yield func(string) bool) {
			for k := range c.own.cells {
				if !c.placed[k] && !yield(k) {
					return
				}
			}
		}) {
			cell := c.own.cells[key]
			out.leftovers = append(out.leftovers, keptValue{Sheet: l.Name, Row: describeKey(l, key), Column: c.Header, Cell: cell.from,
				Value: cell.cell, Why: fmt.Sprintf("there is no row for %s any more", describeKey(l, key))})
		}
	}
	unplaced := s.unplaced
	for _, notes := range s.notes {
		unplaced = append(unplaced, notes...)
	}
	slices.SortFunc(unplaced, func(a, b noteAt) int {
		return cmp.Or(cmp.Compare(a.k.key, b.k.key), cmp.Compare(a.k.header, b.k.header))
	})
	for _, n := range unplaced {
		out.leftovers = append(out.leftovers, keptValue{Sheet: l.Name, Row: cmp.Or(describeKey(l, n.k.key), "header row"),
			Column: n.k.header + " (comment)", Cell: n.n.from, Value: keptCell{Value: n.n.text},
			Why: "a comment whose row or column is gone"})
	}
	out.plain = s.placed == 0 && !slices.ContainsFunc(s.cols, func(c outColumn) bool { return c.own != nil || c.hidden })
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
func (w *workbookWriter) sheetColumns(l Layout, sw *sheetWork) ([]outColumn, error) {
	handinColumn := func(c Column, i int) outColumn {
		c.Width = max(c.Width, headerWidth(c.Header))
		style := w.top
		if c.Wrap {
			style = w.wrap
		}
		return outColumn{Column: c, handin: i, style: style, hidden: sw != nil && sw.hidden[c.Header]}
	}
	var cols []outColumn
	for i, c := range l.Lead {
		cols = append(cols, handinColumn(c, i))
	}
	newColumn := func(c Column) outColumn {
		oc := handinColumn(c, -1)
		oc.own, oc.placed, oc.added = &instructorColumn{header: c.Header, cells: map[string]placedCell{}}, map[string]bool{}, true
		return oc
	}
	if sw == nil {
		for _, c := range l.Offered {
			cols = append(cols, newColumn(c))
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
			cols = append(cols, outColumn{Column: Column{Header: own.header, Width: own.width, Wrap: wraps(own.style)},
				handin: -1, own: own, hidden: own.hidden, style: style, placed: map[string]bool{}})
		}
	}
	for _, c := range l.Required {
		if !slices.ContainsFunc(cols, func(oc outColumn) bool { return strings.EqualFold(oc.Header, c.Header) }) {
			cols = append(cols, newColumn(c))
		}
	}
	for i, c := range l.Facts {
		cols = append(cols, handinColumn(c, len(l.Lead)+i))
	}
	return cols, nil
}
