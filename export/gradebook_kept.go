package export

// Reading back what the instructor put into a gradebook: the columns of
// handin's sheets that are not handin's, keyed by row; comments; their own
// sheets; and whatever cannot be keyed, for the Kept sheet.

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// instructorWork is everything of the instructor's in a gradebook.
type instructorWork struct {
	sheets map[string]*sheetWork // handin's sheets found in the workbook, by name
	own    []*ownSheet           // the instructor's own sheets (Kept among them), in workbook order
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
	ref  string
	cell keptCell
}

type ownColumn struct {
	width  float64
	hidden bool
}

// workbookReader reads one workbook, each style once.
type workbookReader struct {
	f      *excelize.File
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

// readInstructorWork reads a gradebook's instructor work.
func readInstructorWork(data []byte, opts readOptions) (*instructorWork, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := &workbookReader{f: f, styles: map[int]*excelize.Style{}}
	w := &instructorWork{sheets: map[string]*sheetWork{}}
	for _, name := range f.GetSheetList() {
		i := slices.IndexFunc(gradebookLayouts, func(l sheetLayout) bool { return strings.EqualFold(l.Name, name) })
		if i < 0 || w.sheets[gradebookLayouts[i].Name] != nil {
			own, err := r.readOwnSheet(name)
			if err != nil {
				return nil, fmt.Errorf("sheet %s: %w", name, err)
			}
			w.own = append(w.own, own)
			continue
		}
		l := gradebookLayouts[i]
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

// sheetCells are a sheet's values as text (GetRows with raw values),
// reaching as far as the sheet's dimension: a formula written without a
// cached value has no text but still counts.
func (r *workbookReader) sheetCells(name string) ([][]string, int, error) {
	rows, err := r.f.GetRows(name, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, 0, err
	}
	width := 0
	for _, row := range rows {
		width = max(width, len(row))
	}
	if dim, err := r.f.GetSheetDimension(name); err == nil && dim != "" {
		last := dim[strings.LastIndex(dim, ":")+1:]
		if col, row, err := excelize.CellNameToCoordinates(last); err == nil {
			width = max(width, col)
			for len(rows) < row {
				rows = append(rows, nil)
			}
		}
	}
	return rows, width, nil
}

// rowKeyAt is the key of row i, read from the key columns.
func rowKeyAt(rows [][]string, i int, keyCols []int) string {
	parts := make([]string, len(keyCols))
	for k, c := range keyCols {
		parts[k] = keyPart(cellAt(rows, i, c))
	}
	return rowKey(parts)
}

func cellAt(rows [][]string, row, col int) string {
	if row < len(rows) && col < len(rows[row]) {
		return rows[row][col]
	}
	return ""
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
	retired bool // a column an earlier handin filled: never kept
	own     *instructorColumn
}

// readHandinSheet reads the instructor's columns and comments of one of
// handin's sheets, wherever its header row and columns are.
func (r *workbookReader) readHandinSheet(name string, l sheetLayout, written *writtenSheet) (*sheetWork, []keptValue, error) {
	rows, width, err := r.sheetCells(name)
	if err != nil {
		return nil, nil, err
	}
	headerAt, missingKey := findHeaderRow(rows, l)
	s := &sheetWork{hidden: map[string]bool{}, notes: map[noteKey]cellNote{}}
	if headerAt < len(rows) {
		s.headers = slices.Clone(rows[headerAt])
	}
	cols, err := r.classifyColumns(name, l, rows, headerAt, width, s)
	if err != nil {
		return nil, nil, err
	}
	keyCols := make([]int, len(l.Key))
	for i, k := range l.Key {
		keyCols[i] = slices.IndexFunc(cols, func(c sheetColumn) bool { return c.handin && strings.EqualFold(c.header, k) })
	}
	var unplaced []keptValue
	keep := func(row, c int, column string, value keptCell, why string) {
		desc := fmt.Sprintf("row %d", row+1)
		if row > headerAt && missingKey == "" {
			if key := rowKeyAt(rows, row, keyCols); key != "" {
				desc = describeKey(l, key)
			}
		}
		unplaced = append(unplaced, keptValue{Sheet: l.Name, Row: desc, Column: column, Cell: ref(c, row), Value: value, Why: why})
	}
	keys := make([]string, len(rows)) // row key of each row, "" when it has none
	for i := range rows {
		why := ""
		switch {
		case i < headerAt:
			why = "it could not be placed: it was above the header row"
		case i == headerAt:
			continue
		case missingKey != "":
			why = fmt.Sprintf("it could not be placed: the sheet has no %q column to say whose row it was", missingKey)
		default:
			if keys[i] = rowKeyAt(rows, i, keyCols); keys[i] == "" {
				why = fmt.Sprintf("it could not be placed: its row had no %s", l.Key[0])
			}
		}
		for c, col := range cols {
			raw := cellAt(rows, i, c)
			cellWhy := why
			if col.retired {
				continue
			}
			if col.handin {
				if written == nil || raw == "" {
					continue // handin's own value, or nothing to keep
				}
				same, known, wrote := written.wrote(keys[i], col.header, canonical(raw))
				if cellWhy == "" && same {
					continue
				}
				if cellWhy == "" {
					cellWhy = typedWhy(col.header, wrote, known)
				}
			}
			cell, ok, err := r.readKeptCell(name, ref(c, i), raw)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %w", ref(c, i), err)
			}
			switch {
			case !ok:
			case cellWhy != "":
				keep(i, c, col.header, cell, cellWhy)
			default:
				prev, dup := col.own.cells[keys[i]]
				if !dup {
					col.own.cells[keys[i]] = placedCell{cell: cell, from: ref(c, i)}
				} else if prev.cell.canonical() != cell.canonical() {
					keep(i, c, col.header, cell, fmt.Sprintf("it could not be placed: another row of %s (%s) holds another value in this column",
						describeKey(l, keys[i]), prev.from))
				}
			}
		}
	}
	notes, err := r.notes(name)
	if err != nil {
		return nil, nil, err
	}
	for _, n := range notes {
		c, i := n.col, n.row
		col := sheetColumn{header: "Untitled " + columnLetter(c)}
		if c < len(cols) {
			col = cols[c]
		}
		switch {
		case i == headerAt && col.own != nil:
			col.own.note = &n.cellNote
		case i == headerAt:
			s.notes[noteKey{"", col.header}] = n.cellNote
		case i > headerAt && i < len(keys) && keys[i] != "":
			s.notes[noteKey{keys[i], col.header}] = n.cellNote
		default:
			keep(i, c, col.header+" (comment)", keptCell{Value: n.text}, "a comment that could not be placed: its row had no "+l.Key[0])
		}
	}
	// A column with neither header nor content is only formatting.
	s.columns = slices.DeleteFunc(s.columns, func(c *instructorColumn) bool {
		return c.untitled && len(c.cells) == 0 && c.note == nil
	})
	return s, unplaced, nil
}

// typedWhy says why a value in one of handin's columns was kept.
func typedWhy(header, wrote string, known bool) string {
	if !known {
		return fmt.Sprintf("typed into %s, a column handin fills, on a row handin did not write", header)
	}
	if wrote == "" {
		return fmt.Sprintf("typed into %s, a column handin fills (it had left the cell empty)", header)
	}
	return fmt.Sprintf("typed into %s, a column handin fills (it had written %q)", header, wrote)
}

// findHeaderRow is the first of the top rows that holds every key header.
// When none does, it is row 1 and missingKey names the key header missing.
func findHeaderRow(rows [][]string, l sheetLayout) (at int, missingKey string) {
	for i := range min(len(rows), 10) {
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
// each) from the instructor's (every other header, or cells under none).
func (r *workbookReader) classifyColumns(name string, l sheetLayout, rows [][]string, headerAt, width int, s *sheetWork) ([]sheetColumn, error) {
	handin := l.handinColumns()
	claimed := map[string]bool{}
	cols := make([]sheetColumn, width)
	for c := range width {
		h := strings.TrimSpace(cellAt(rows, headerAt, c))
		letter := columnLetter(c)
		visible, err := r.f.GetColVisible(name, letter)
		if err != nil {
			return nil, err
		}
		i := slices.IndexFunc(handin, func(hc column) bool { return strings.EqualFold(hc.Header, h) })
		switch {
		case i >= 0 && !claimed[handin[i].Header]:
			claimed[handin[i].Header] = true
			cols[c] = sheetColumn{header: handin[i].Header, handin: true}
			if !visible {
				s.hidden[handin[i].Header] = true
			}
			continue
		case slices.ContainsFunc(l.Retired, func(rh string) bool { return strings.EqualFold(rh, h) }):
			cols[c] = sheetColumn{header: h, retired: true}
			continue
		}
		untitled := h == ""
		if untitled {
			h = "Untitled " + letter
		}
		w, err := r.f.GetColWidth(name, letter)
		if err != nil {
			return nil, err
		}
		styleID, err := r.f.GetColStyle(name, letter)
		if err != nil {
			return nil, err
		}
		style, err := r.style(styleID)
		if err != nil {
			return nil, err
		}
		own := &instructorColumn{header: h, width: w, hidden: !visible, style: style, untitled: untitled, cells: map[string]placedCell{}}
		cols[c] = sheetColumn{header: h, own: own}
		s.columns = append(s.columns, own)
	}
	return cols, nil
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
	rows, width, err := r.sheetCells(name)
	if err != nil {
		return nil, err
	}
	s := &ownSheet{name: name}
	for i := range rows {
		for c := range width {
			cell, ok, err := r.readKeptCell(name, ref(c, i), cellAt(rows, i, c))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", ref(c, i), err)
			}
			if ok {
				s.cells = append(s.cells, ownCell{ref: ref(c, i), cell: cell})
				s.rows = i + 1
			}
		}
	}
	notes, err := r.notes(name)
	if err != nil {
		return nil, err
	}
	for _, n := range notes {
		s.notes = append(s.notes, n.cellNote)
		s.rows = max(s.rows, n.row+1)
	}
	for c := range width {
		w, err := r.f.GetColWidth(name, columnLetter(c))
		if err != nil {
			return nil, err
		}
		visible, err := r.f.GetColVisible(name, columnLetter(c))
		if err != nil {
			return nil, err
		}
		s.columns = append(s.columns, ownColumn{width: w, hidden: !visible})
	}
	merged, err := r.f.GetMergeCells(name, true)
	if err != nil {
		return nil, err
	}
	for _, m := range merged {
		s.merged = append(s.merged, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	return s, nil
}
