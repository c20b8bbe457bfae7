package gradebook

// Reading back what the instructor put into a gradebook: the columns of
// handin's sheets that are not handin's, keyed by row; comments; their own
// sheets; and whatever cannot be keyed, for the Kept sheet.

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"handin/internal/xlsxstream"
)

// instructorWork is everything of the instructor's in a gradebook.
type instructorWork struct {
	layouts []Layout              // handin's sheets, as the workbook was read with them
	sheets  map[string]*sheetWork // handin's sheets found in the workbook, by name
	own     []*ownSheet           // the instructor's own sheets (Kept among them), in workbook order
	// unplaced are values no row key can place: they go to Kept.
	unplaced []keptValue
}

// sheetWork is what the instructor has on one of handin's sheets.
type sheetWork struct {
	headers []string             // the header row as read
	columns []*instructorColumn  // left to right
	hidden  map[string]bool      // handin's columns the instructor hid
	notes   map[noteKey]cellNote // comments on cells, by row key and column header
}

// instructorColumn is one of the instructor's columns on a handin sheet.
type instructorColumn struct {
	header   string
	width    float64
	hidden   bool
	style    *excelize.Style       // the column's default style
	untitled bool                  // the header cell is empty
	note     *cellNote             // comment on the header cell
	cells    map[string]placedCell // by row key
}

// placedCell is an instructor's cell and the cell it was read from.
type placedCell struct {
	cell keptCell
	from string
}

// noteKey places a comment: the row key ("" for the header row) and the
// column header.
type noteKey struct{ key, header string }

// cellNote is a cell comment ("note" in LibreOffice).
type cellNote struct{ author, text, from string }

// keptValue is a value that could not be placed back on its row, with
// where it was: it goes to the Kept sheet.
type keptValue struct {
	Sheet, Row, Column, Cell string
	Value                    keptCell
	Why                      string
}

// ownSheet is a sheet of the instructor's, copied cell by cell.
type ownSheet struct {
	name    string
	cells   []ownCell
	notes   []cellNote
	columns []ownColumn
	merged  []string // "A1:C2" ranges
	rows    int      // last row holding anything
}

type ownCell struct {
	ref      string
	row, col int // 0-based, of ref
	cell     keptCell
}

type ownColumn struct {
	width  float64
	hidden bool
}

// workbookReader reads one workbook: its sheets row by row from the zip
// (see xlsxstream), its styles (each once) and comments through excelize.
type workbookReader struct {
	f      *excelize.File
	parts  *xlsxstream.Book
	styles map[int]*excelize.Style
}

func (r *workbookReader) style(id int) (*excelize.Style, error) {
	if id == 0 {
		return nil, nil
	}
	if s, ok := r.styles[id]; ok {
		return s, nil
	}
	s, err := r.f.GetStyle(id)
	if err != nil {
		return nil, fmt.Errorf("style %d: %w", id, err)
	}
	r.styles[id] = s
	return s, nil
}

// keptCell is a cell as the instructor left it, with its formula, type
// and style. ok is false for an empty cell.
func (r *workbookReader) keptCell(c *xlsxstream.Cell) (k keptCell, ok bool, err error) {
	if c == nil || c.Value == "" && c.Formula == "" {
		return k, false, nil
	}
	k = keptCell{Value: c.Value, Formula: c.Formula}
	switch c.Type {
	case "b":
		k.Kind = kindBool
	case "d":
		k.Kind = kindDate
	case "", "n":
		if _, err := strconv.ParseFloat(c.Value, 64); err == nil {
			k.Kind = kindNumber
		}
	}
	k.Style, err = r.style(c.Style)
	return k, true, err
}

// readOptions say what is known of a workbook before reading it.
type readOptions struct {
	// written is what handin wrote into its own columns, when the
	// instructor has edited the file since: a cell there that differs from
	// it was typed by the instructor and is kept. With written nil,
	// handin's columns are taken as handin's.
	written map[string]*writtenSheet
	// plain are sheets known to hold nothing of the instructor's (the file
	// is as handin wrote it), with their header rows: they are not read.
	plain map[string][]string
}

// readInstructorWork reads a gradebook's instructor work, handin's sheets
// laid out as sheets say.
func readInstructorWork(data []byte, sheets []Layout, opts readOptions) (*instructorWork, error) {
	// xlsxstream refuses a workbook that inflates past its limits, before
	// excelize reads any of it.
	parts, err := xlsxstream.Open(data)
	if err != nil {
		return nil, err
	}
	// excelize keeps sheets larger than this on disk: only their styles
	// and comments are read through it, which leaves them there
	// (xlsxstream's TestCommentsAndStylesAreReadWithoutLoadingTheSheet).
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipXMLSizeLimit: 64 << 10, UnzipSizeLimit: xlsxstream.MaxWorkbook})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := &workbookReader{f: f, parts: parts, styles: map[int]*excelize.Style{}}
	w := &instructorWork{layouts: sheets, sheets: map[string]*sheetWork{}}
	for _, name := range f.GetSheetList() {
		i := slices.IndexFunc(sheets, func(l Layout) bool { return strings.EqualFold(l.Name, name) })
		if i < 0 || w.sheets[sheets[i].Name] != nil {
			own, err := r.readOwnSheet(name)
			if err != nil {
				return nil, fmt.Errorf("sheet %s: %w", name, err)
			}
			w.own = append(w.own, own)
			continue
		}
		l := sheets[i]
		if headers, ok := opts.plain[l.Name]; ok {
			w.sheets[l.Name] = &sheetWork{headers: headers, hidden: map[string]bool{}, notes: map[noteKey]cellNote{}}
			continue
		}
		s, unplaced, err := r.readHandinSheet(name, l, opts.written[l.Name])
		if err != nil {
			return nil, fmt.Errorf("sheet %s: %w", name, err)
		}
		w.sheets[l.Name] = s
		w.unplaced = append(w.unplaced, unplaced...)
	}
	return w, nil
}

// rowValues are a row's values by column, as far as its last cell with a
// value or formula (as GetRows reads a row), and its cells by column.
func rowValues(cells []xlsxstream.Cell) ([]string, []*xlsxstream.Cell) {
	n := 0
	for _, c := range cells {
		if c.Value != "" || c.Formula != "" {
			n = max(n, c.Col+1)
		}
	}
	values, byCol := make([]string, n), make([]*xlsxstream.Cell, n)
	for i := range cells {
		if c := &cells[i]; c.Col < n {
			values[c.Col], byCol[c.Col] = c.Value, c
		}
	}
	return values, byCol
}

// rowKeyOf is the key of a row, read from its key columns.
func rowKeyOf(values []string, keyCols []int) string {
	parts := make([]string, len(keyCols))
	for k, c := range keyCols {
		if c >= 0 && c < len(values) {
			parts[k] = keyPart(values[c])
		}
	}
	return rowKey(parts)
}

func ref(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col+1, row+1)
	return name
}

func columnLetter(col int) string {
	name, _ := excelize.ColumnNumberToName(col + 1)
	return name
}

// sheetColumn says who a column of a handin sheet belongs to.
type sheetColumn struct {
	header  string
	handin  bool // one of the layout's columns
	retired bool // a column an earlier handin filled: its values were handin's, unless typed over
	own     *instructorColumn
}

// headerRows is how far down the header row of a handin sheet is looked for.
const headerRows = 10

// handinSheetReader reads one of handin's sheets row by row. The first
// rows are held until the header row is known; every later row is read
// and let go.
type handinSheetReader struct {
	r       *workbookReader
	name    string
	layout  Layout
	written *writtenSheet
	sheet   *sheetWork

	top        []bufferedRow // the rows above headerRows, until the header is found
	found      bool
	headerAt   int
	missingKey string
	cols       []sheetColumn
	claimed    map[string]bool // handin's headers found
	keyCols    []int
	// writtenKeyCols are the columns of the key the state's digests were
	// written with (keyCols unless the sheet's key changed since).
	writtenKeyCols []int
	notesAt        map[int][]placedNote // the comments of each row, by row
	noteKeys       map[int]string       // the key of each row with a comment
	unplaced       []keptValue
}

type bufferedRow struct {
	i     int
	cells []xlsxstream.Cell
}

// readHandinSheet reads the instructor's columns and comments of one of
// handin's sheets, wherever its header row and columns are.
func (r *workbookReader) readHandinSheet(name string, l Layout, written *writtenSheet) (*sheetWork, []keptValue, error) {
	notes, err := r.notes(name)
	if err != nil {
		return nil, nil, err
	}
	h := &handinSheetReader{r: r, name: name, layout: l, written: written, claimed: map[string]bool{},
		sheet:   &sheetWork{hidden: map[string]bool{}, notes: map[noteKey]cellNote{}},
		notesAt: map[int][]placedNote{}, noteKeys: map[int]string{}}
	for _, n := range notes {
		h.notesAt[n.row] = append(h.notesAt[n.row], n)
	}
	scan, err := r.parts.Scan(name, h.row)
	if err != nil {
		return nil, nil, err
	}
	if !h.found {
		if err := h.findHeader(scan); err != nil {
			return nil, nil, err
		}
	}
	h.placeNotes(notes)
	s := h.sheet
	// A column with neither header nor content is only formatting.
	s.columns = slices.DeleteFunc(s.columns, func(c *instructorColumn) bool {
		return c.untitled && len(c.cells) == 0 && c.note == nil
	})
	return s, h.unplaced, nil
}

// row takes the next row of the sheet: the top rows wait for the header.
func (h *handinSheetReader) row(scan *xlsxstream.Sheet, i int, cells []xlsxstream.Cell) error {
	if !h.found && i < headerRows {
		h.top = append(h.top, bufferedRow{i, cells})
		return nil
	}
	if !h.found {
		if err := h.findHeader(scan); err != nil {
			return err
		}
	}
	return h.readRow(scan, i, cells)
}

// findHeader finds the header row among the top rows, classifies the
// columns and reads the rows held so far.
func (h *handinSheetReader) findHeader(scan *xlsxstream.Sheet) error {
	h.found = true
	top := make([][]string, headerRows)
	for _, b := range h.top {
		top[b.i], _ = rowValues(b.cells)
	}
	h.headerAt, h.missingKey = findHeaderRow(top, h.layout)
	h.sheet.headers = slices.Clone(top[h.headerAt])
	width, _ := scan.Extent()
	for _, b := range h.top {
		values, _ := rowValues(b.cells)
		width = max(width, len(values))
	}
	if err := h.classifyColumns(scan, width); err != nil {
		return err
	}
	h.keyCols = h.columnsOf(h.layout.Key)
	h.writtenKeyCols = h.keyCols
	if h.written != nil {
		if key := h.written.keyOf(h.layout); !slices.Equal(key, h.layout.Key) {
			h.writtenKeyCols = h.columnsOf(key)
		}
	}
	for _, b := range h.top {
		if err := h.readRow(scan, b.i, b.cells); err != nil {
			return err
		}
	}
	h.top = nil
	return nil
}

// columnsOf are the positions of handin's columns of these headers, -1
// for one the sheet does not have.
func (h *handinSheetReader) columnsOf(headers []string) []int {
	idx := make([]int, len(headers))
	for i, k := range headers {
		idx[i] = slices.IndexFunc(h.cols, func(c sheetColumn) bool { return c.handin && strings.EqualFold(c.header, k) })
	}
	return idx
}

// readRow reads the instructor's cells of row i and the values typed into
// handin's columns.
func (h *handinSheetReader) readRow(scan *xlsxstream.Sheet, i int, cells []xlsxstream.Cell) error {
	l := h.layout
	values, byCol := rowValues(cells)
	if len(values) > len(h.cols) {
		if err := h.classifyColumns(scan, len(values)); err != nil {
			return err
		}
	}
	why, key := "", ""
	switch {
	case i < h.headerAt:
		why = "it could not be placed: it was above the header row"
	case i == h.headerAt:
		return nil
	case h.missingKey != "":
		why = fmt.Sprintf("it could not be placed: the sheet has no %q column to say whose row it was", h.missingKey)
	default:
		if key = rowKeyOf(values, h.keyCols); key == "" {
			why = fmt.Sprintf("it could not be placed: its row had no %s", l.Key[0])
		}
	}
	if _, ok := h.notesAt[i]; ok && key != "" {
		h.noteKeys[i] = key
	}
	desc := fmt.Sprintf("row %d", i+1)
	if key != "" {
		desc = describeKey(l, key)
	}
	for c, raw := range values {
		col := h.cols[c]
		cellWhy := why
		if col.handin || col.retired {
			if h.written == nil || raw == "" {
				continue // handin's own value, or nothing to keep
			}
			if byCol[c] != nil && byCol[c].Formula != "" && h.layout.formulaColumn(col.header) {
				continue // handin's formula (its value as the program computed it)
			}
			same, known, wroteEmpty := h.written.wrote(h.writtenKey(key, values), col.header, canonical(raw))
			switch {
			case cellWhy == "" && same:
				continue
			case cellWhy == "" && col.retired:
				cellWhy = fmt.Sprintf("typed into %s, a column an earlier handin filled and this one does not", col.header)
			case cellWhy == "":
				cellWhy = typedWhy(col.header, known, wroteEmpty)
			}
		}
		cell, ok, err := h.r.keptCell(byCol[c])
		if err != nil {
			return fmt.Errorf("%s: %w", ref(c, i), err)
		}
		switch {
		case !ok:
		case cellWhy != "":
			h.unplaced = append(h.unplaced, keptValue{Sheet: l.Name, Row: desc, Column: col.header, Cell: ref(c, i), Value: cell, Why: cellWhy})
		default:
			prev, dup := col.own.cells[key]
			if !dup {
				col.own.cells[key] = placedCell{cell: cell, from: ref(c, i)}
			} else if prev.cell.canonical() != cell.canonical() {
				h.unplaced = append(h.unplaced, keptValue{Sheet: l.Name, Row: desc, Column: col.header, Cell: ref(c, i), Value: cell,
					Why: fmt.Sprintf("it could not be placed: another row of %s (%s) holds another value in this column", desc, prev.from)})
			}
		}
	}
	return nil
}

// writtenKey is the row's key as the state's digests know it: its key,
// or its key of the sheet's former key columns.
func (h *handinSheetReader) writtenKey(key string, values []string) string {
	if key == "" || slices.Equal(h.writtenKeyCols, h.keyCols) {
		return key
	}
	return rowKeyOf(values, h.writtenKeyCols)
}

// placeNotes files the sheet's comments by row key and column header, a
// header's with its column; those on a row without a key are kept.
func (h *handinSheetReader) placeNotes(notes []placedNote) {
	for _, n := range notes {
		c, i := n.col, n.row
		col := sheetColumn{header: "Untitled " + columnLetter(c)}
		if c < len(h.cols) {
			col = h.cols[c]
		}
		key, keyed := h.noteKeys[i]
		switch {
		case i == h.headerAt && col.own != nil:
			col.own.note = &n.cellNote
		case i == h.headerAt:
			h.sheet.notes[noteKey{"", col.header}] = n.cellNote
		case i > h.headerAt && keyed:
			h.sheet.notes[noteKey{key, col.header}] = n.cellNote
		default:
			h.unplaced = append(h.unplaced, keptValue{Sheet: h.layout.Name, Row: fmt.Sprintf("row %d", i+1), Column: col.header + " (comment)",
				Cell: ref(c, i), Value: keptCell{Value: n.text}, Why: "a comment that could not be placed: its row had no " + h.layout.Key[0]})
		}
	}
}

// typedWhy says why a value in one of handin's columns was kept.
func typedWhy(header string, known, wroteEmpty bool) string {
	switch {
	case !known:
		return fmt.Sprintf("typed into %s, a column handin fills, on a row handin did not write", header)
	case wroteEmpty:
		return fmt.Sprintf("typed into %s, a column handin fills (it had left the cell empty)", header)
	}
	return fmt.Sprintf("typed into %s, a column handin fills (it had written another value)", header)
}

// findHeaderRow is the first of the top rows that holds every key header.
// When none does, it is row 1 and missingKey names the key header missing.
func findHeaderRow(rows [][]string, l Layout) (at int, missingKey string) {
	for i := range min(len(rows), headerRows) {
		if !slices.ContainsFunc(l.Key, func(k string) bool { return !containsHeader(rows[i], k) }) {
			return i, ""
		}
	}
	var first []string
	if len(rows) > 0 {
		first = rows[0]
	}
	for _, k := range l.Key {
		if !containsHeader(first, k) {
			return 0, k
		}
	}
	return 0, l.Key[0]
}

func containsHeader(row []string, header string) bool {
	return slices.ContainsFunc(row, func(h string) bool { return strings.EqualFold(strings.TrimSpace(h), header) })
}

// classifyColumns tells handin's columns (found by header, the first of
// each) from the instructor's (every other header, or cells under none),
// for the columns up to width not yet classified.
func (h *handinSheetReader) classifyColumns(scan *xlsxstream.Sheet, width int) error {
	handin := h.layout.Filled()
	for c := len(h.cols); c < width; c++ {
		header := ""
		if c < len(h.sheet.headers) {
			header = strings.TrimSpace(h.sheet.headers[c])
		}
		visible := !scan.Hidden(c)
		i := slices.IndexFunc(handin, func(hc Column) bool { return strings.EqualFold(hc.Header, header) })
		switch {
		case i >= 0 && !h.claimed[handin[i].Header]:
			h.claimed[handin[i].Header] = true
			h.cols = append(h.cols, sheetColumn{header: handin[i].Header, handin: true})
			if !visible {
				h.sheet.hidden[handin[i].Header] = true
			}
			continue
		case slices.ContainsFunc(h.layout.Retired, func(rh string) bool { return strings.EqualFold(rh, header) }):
			h.cols = append(h.cols, sheetColumn{header: header, retired: true})
			continue
		}
		untitled := header == ""
		if untitled {
			header = "Untitled " + columnLetter(c)
		}
		style, err := h.r.style(scan.Style(c))
		if err != nil {
			return err
		}
		own := &instructorColumn{header: header, width: scan.Width(c), hidden: !visible, style: style, untitled: untitled, cells: map[string]placedCell{}}
		h.cols = append(h.cols, sheetColumn{header: header, own: own})
		h.sheet.columns = append(h.sheet.columns, own)
	}
	return nil
}

// placedNote is a comment with the cell it is on.
type placedNote struct {
	cellNote
	col, row int
}

// notes are a sheet's cell comments.
func (r *workbookReader) notes(name string) ([]placedNote, error) {
	comments, err := r.f.GetComments(name)
	if err != nil {
		return nil, err
	}
	out := make([]placedNote, 0, len(comments))
	for _, c := range comments {
		col, row, err := excelize.CellNameToCoordinates(c.Cell)
		if err != nil {
			continue
		}
		// The text of a comment in runs (as LibreOffice writes them) is in
		// its runs only (xlsxstream's TestCommentTextIsInTextOrInItsRuns).
		text := c.Text
		for _, run := range c.Paragraph {
			text += run.Text
		}
		out = append(out, placedNote{cellNote: cellNote{author: c.Author, text: text, from: c.Cell}, col: col - 1, row: row - 1})
	}
	return out, nil
}

// readOwnSheet reads a sheet of the instructor's: every cell with its type
// and style, comments, column widths and merged ranges.
func (r *workbookReader) readOwnSheet(name string) (*ownSheet, error) {
	s := &ownSheet{name: name}
	width := 0
	scan, err := r.parts.Scan(name, func(_ *xlsxstream.Sheet, i int, cells []xlsxstream.Cell) error {
		values, byCol := rowValues(cells)
		width = max(width, len(values))
		for c := range values {
			cell, ok, err := r.keptCell(byCol[c])
			if err != nil {
				return fmt.Errorf("%s: %w", ref(c, i), err)
			}
			if ok {
				s.cells = append(s.cells, ownCell{ref: ref(c, i), row: i, col: c, cell: cell})
				s.rows = i + 1
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	notes, err := r.notes(name)
	if err != nil {
		return nil, err
	}
	for _, n := range notes {
		s.notes = append(s.notes, n.cellNote)
		s.rows = max(s.rows, n.row+1)
	}
	dimCols, _ := scan.Extent()
	for c := range max(width, dimCols) {
		s.columns = append(s.columns, ownColumn{width: scan.Width(c), hidden: scan.Hidden(c)})
	}
	s.merged = scan.Merged
	return s, nil
}
