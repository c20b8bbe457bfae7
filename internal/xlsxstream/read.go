package xlsxstream

// Reading a workbook's sheets one row at a time, straight from the zip:
// excelize reads a sheet's cell types, styles and formulas only by loading
// the whole sheet (some 120 MB for the Claims sheet of 1,000 groups), while
// the gradebook needs each cell once. Values are read as excelize's GetRows
// with RawCellValue reads them (TestScanReadsAsExcelize); styles and
// comments still come from excelize, which does not load a sheet for them
// (TestCommentsAndStylesAreReadWithoutLoadingTheSheet).

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/xuri/efp"
	"github.com/xuri/excelize/v2"

	"handin/internal/lazyregexp"
)

// Book is a workbook's parts: its sheets, found by name, and its shared
// strings.
type Book struct {
	files  map[string]*zip.File
	sheets map[string]string // sheet name -> part name
	shared []string
}

// Limits on what a workbook's parts may inflate to: the sizes its zip
// declares, to which archive/zip holds every read. A workbook of a few MB
// can hold gigabytes of shared strings; a real gradebook of 1,000 groups
// holds some 120 MB of sheets and tens of MB of shared strings.
const (
	maxSheetPart     = 512 << 20 // a worksheet: read a row at a time
	maxSharedStrings = 128 << 20 // held in memory while the sheets are read
	maxOtherPart     = 64 << 20  // styles, comments, ...: read whole (by excelize)
	// MaxWorkbook bounds all parts together (excelize's UnzipSizeLimit
	// for the same workbook).
	MaxWorkbook = 1 << 30
)

// ErrTooLarge: a workbook inflates to more than handin reads of it.
var ErrTooLarge = errors.New("the workbook inflates past what handin reads")

// ErrNoSheet: the workbook has no sheet of that name.
var ErrNoSheet = errors.New("no sheet")

// Open reads where a workbook's sheets are and its shared strings. A
// workbook whose parts inflate past the limits above is refused (an error
// wrapping ErrTooLarge) before any is read.
func Open(data []byte) (*Book, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	if err := checkSizes(zr.File); err != nil {
		return nil, err
	}
	p := &Book{files: map[string]*zip.File{}, sheets: map[string]string{}}
	for _, f := range zr.File {
		p.files[strings.TrimPrefix(strings.ReplaceAll(f.Name, `\`, "/"), "/")] = f
	}
	book := "xl/workbook.xml"
	if rels, err := p.relationships("_rels/.rels", ""); err == nil {
		for _, r := range rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				book = r.Target
			}
		}
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := p.decode(book, &wb); err != nil {
		return nil, err
	}
	dir := path.Dir(book)
	rels, err := p.relationships(path.Join(dir, "_rels", path.Base(book)+".rels"), dir)
	if err != nil {
		return nil, err
	}
	byID := map[string]string{}
	for _, r := range rels {
		byID[r.ID] = r.Target
		if strings.HasSuffix(r.Type, "/sharedStrings") {
			if p.shared, err = p.sharedStrings(r.Target); err != nil {
				return nil, fmt.Errorf("shared strings: %w", err)
			}
		}
	}
	for _, s := range wb.Sheets {
		p.sheets[s.Name] = byID[s.ID]
	}
	return p, nil
}

// checkSizes refuses parts that inflate past their limit.
func checkSizes(files []*zip.File) error {
	var total uint64
	for _, f := range files {
		name := strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))
		limit := uint64(maxOtherPart)
		switch {
		case strings.HasPrefix(strings.TrimPrefix(name, "/"), "xl/worksheets/"):
			limit = maxSheetPart
		case path.Base(name) == "sharedstrings.xml":
			limit = maxSharedStrings
		}
		total += f.UncompressedSize64
		switch {
		case f.UncompressedSize64 > limit:
			return fmt.Errorf("%w: its part %s inflates to %s, over the %s handin reads of such a part",
				ErrTooLarge, f.Name, mib(f.UncompressedSize64), mib(limit))
		case total > MaxWorkbook:
			return fmt.Errorf("%w: its parts inflate to over %s", ErrTooLarge, mib(MaxWorkbook))
		}
	}
	return nil
}

func mib(n uint64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

type relationship struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
}

// relationships reads a .rels part, its targets made part names (relative
// ones are relative to dir).
func (p *Book) relationships(name, dir string) ([]relationship, error) {
	var rels struct {
		Rels []relationship `xml:"Relationship"`
	}
	if err := p.decode(name, &rels); err != nil {
		return nil, err
	}
	for i, r := range rels.Rels {
		if strings.HasPrefix(r.Target, "/") {
			rels.Rels[i].Target = strings.TrimPrefix(r.Target, "/")
		} else {
			rels.Rels[i].Target = path.Join(dir, r.Target)
		}
	}
	return rels.Rels, nil
}

func (p *Book) open(name string) (io.ReadCloser, error) {
	f, ok := p.files[name]
	if !ok {
		return nil, fmt.Errorf("the workbook has no part %s", name)
	}
	return f.Open()
}

func (p *Book) decode(name string, v any) error {
	rc, err := p.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(rc).Decode(v)
}

// itemText reads a string item (<si>, <is>) to its end: its <t> text, or
// that of its runs, without phonetic hints, as excelize reads it.
func itemText(dec *xml.Decoder) (string, error) {
	var b strings.Builder
	depth, inText, inHint := 1, false, 0
	for depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch t.Name.Local {
			case "t":
				inText = true
			case "rPh":
				inHint++
			}
		case xml.EndElement:
			depth--
			switch t.Name.Local {
			case "t":
				inText = false
			case "rPh":
				inHint--
			}
		case xml.CharData:
			if inText && inHint == 0 {
				b.Write(t)
			}
		}
	}
	return unescapeOOXML(b.String()), nil
}

// elementText reads a text-only element (<v>, <f>) to its end.
func elementText(dec *xml.Decoder) (string, error) {
	var b strings.Builder
	for depth := 1; depth > 0; {
		tok, err := dec.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			b.Write(t)
		}
	}
	return b.String(), nil
}

func (p *Book) sharedStrings(name string) ([]string, error) {
	rc, err := p.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var out []string
	dec := xml.NewDecoder(rc)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "si" {
			text, err := itemText(dec)
			if err != nil {
				return nil, err
			}
			out = append(out, text)
		}
	}
}

// escapedChar is a character XML cannot carry, written as _xHHHH_.
var escapedChar = &lazyregexp.Regexp{Expr: `_x[a-fA-F0-9]{4}_`}

// unescapeOOXML turns _xHHHH_ back into the character (and _x005F_ into
// the underscore that escapes a literal _xHHHH_), as excelize does.
func unescapeOOXML(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	return escapedChar.Re().ReplaceAllStringFunc(s, func(m string) string {
		n, _ := strconv.ParseUint(m[2:6], 16, 32)
		return string(rune(n))
	})
}

// Cell is one cell as read: its value as text, type, effective style and
// formula.
type Cell struct {
	Col     int    // 0-based
	Value   string // the raw value: text, a number, 1/0 for booleans
	Type    string // the t attribute: "", n, s, str, inlineStr, b, d, e
	Style   int    // the cell's style, else its row's, else its column's
	Formula string // without the leading =; shared formulas are resolved
}

// ColRange is a <col> element: the format of columns Min..Max (1-based).
type ColRange struct {
	Min    int     `xml:"min,attr"`
	Max    int     `xml:"max,attr"`
	Width  float64 `xml:"width,attr"`
	Hidden bool    `xml:"hidden,attr"`
	Style  int     `xml:"style,attr"`
}

// Sheet is what a sheet says besides its rows; the columns and the
// dimension are known before the first row is read, the merged ranges
// after the last.
type Sheet struct {
	Dimension    string
	Cols         []ColRange // in the order the sheet lists them
	DefaultWidth float64
	Merged       []string // "A1:C2" ranges
}

// col is the format of a column (0-based), the last <col> naming it.
func (s *Sheet) col(c int) (ColRange, bool) {
	var found ColRange
	ok := false
	for _, r := range s.Cols {
		if r.Min <= c+1 && c+1 <= r.Max {
			found, ok = r, true
		}
	}
	return found, ok
}

// Width is a column's width (0-based) as excelize's GetColWidth gives it.
func (s *Sheet) Width(c int) float64 {
	if r, ok := s.col(c); ok && r.Width != 0 {
		return r.Width
	}
	if s.DefaultWidth > 0 {
		return s.DefaultWidth
	}
	return defaultColumnWidth
}

// defaultColumnWidth is a column's width when the sheet says none.
const defaultColumnWidth = 9.140625

// Hidden says whether a column (0-based) is hidden.
func (s *Sheet) Hidden(c int) bool {
	r, ok := s.col(c)
	return ok && r.Hidden
}

// Style is a column's (0-based) default style.
func (s *Sheet) Style(c int) int {
	r, _ := s.col(c)
	return r.Style
}

// Extent is how many columns and rows the sheet's dimension says it has
// (0, 0 when it says none).
func (s *Sheet) Extent() (cols, rows int) {
	last := s.Dimension[strings.LastIndex(s.Dimension, ":")+1:]
	if c, r, err := excelize.CellNameToCoordinates(last); err == nil {
		return c, r
	}
	return 0, 0
}

// cellXML is what a <c> element says.
type cellXML struct {
	r, t, v, text string // text: an inline string's
	s             int
	f             *formulaXML
}

// formulaXML is an <f> element.
type formulaXML struct {
	text, t, ref string
	si           int // -1 when none
}

// readCell reads a <c> element to its end.
func readCell(dec *xml.Decoder, start xml.StartElement) (cellXML, error) {
	c := cellXML{r: xmlAttr(start, "r"), t: xmlAttr(start, "t")}
	c.s, _ = strconv.Atoi(xmlAttr(start, "s"))
	for {
		tok, err := dec.Token()
		if err != nil {
			return c, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return c, nil
		case xml.StartElement:
			switch t.Name.Local {
			case "v":
				c.v, err = elementText(dec)
			case "is":
				c.text, err = itemText(dec)
			case "f":
				f := &formulaXML{t: xmlAttr(t, "t"), ref: xmlAttr(t, "ref"), si: -1}
				if si, err := strconv.Atoi(xmlAttr(t, "si")); err == nil {
					f.si = si
				}
				f.text, err = elementText(dec)
				c.f = f
			default:
				err = dec.Skip()
			}
			if err != nil {
				return c, err
			}
		}
	}
}

// sharedFormula is the formula a range of cells shares, written once in
// the range's first cell.
type sharedFormula struct {
	formula  string
	col, row int // 1-based, of the cell that holds it
}

// Scan reads a sheet in order, giving each row (0-based) with its cells to
// row.
func (p *Book) Scan(sheet string, row func(s *Sheet, i int, cells []Cell) error) (*Sheet, error) {
	name, ok := p.sheets[sheet]
	if !ok {
		return nil, fmt.Errorf("%w %s", ErrNoSheet, sheet)
	}
	rc, err := p.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	s := &Sheet{}
	shared := map[int]sharedFormula{}
	dec := xml.NewDecoder(rc)
	rowAt := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return s, nil
		}
		if err != nil {
			return nil, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "dimension":
			s.Dimension = xmlAttr(se, "ref")
		case "sheetFormatPr":
			s.DefaultWidth, _ = strconv.ParseFloat(xmlAttr(se, "defaultColWidth"), 64)
			if s.DefaultWidth == 0 {
				s.DefaultWidth, _ = strconv.ParseFloat(xmlAttr(se, "baseColWidth"), 64)
			}
		case "col":
			var c ColRange
			if err := dec.DecodeElement(&c, &se); err != nil {
				return nil, err
			}
			s.Cols = append(s.Cols, c)
		case "mergeCell":
			s.Merged = append(s.Merged, xmlAttr(se, "ref"))
		case "row":
			rowAt++
			if r, err := strconv.Atoi(xmlAttr(se, "r")); err == nil {
				rowAt = r
			}
			rowStyle, _ := strconv.Atoi(xmlAttr(se, "s"))
			cells, err := p.rowCells(dec, se, rowAt, rowStyle, s, shared)
			if err != nil {
				return nil, fmt.Errorf("row %d: %w", rowAt, err)
			}
			if err := row(s, rowAt-1, cells); err != nil {
				return nil, err
			}
		}
	}
}

// rowCells reads the cells of a <row> (row is 1-based).
func (p *Book) rowCells(dec *xml.Decoder, start xml.StartElement, row, rowStyle int, s *Sheet, shared map[int]sharedFormula) ([]Cell, error) {
	var cells []Cell
	col := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if t.Name.Local == start.Name.Local {
				return cells, nil
			}
		case xml.StartElement:
			if t.Name.Local != "c" {
				if err := dec.Skip(); err != nil {
					return nil, err
				}
				continue
			}
			c, err := readCell(dec, t)
			if err != nil {
				return nil, err
			}
			col++
			if c.r != "" {
				if col, _, err = excelize.CellNameToCoordinates(c.r); err != nil {
					return nil, err
				}
			}
			cell := Cell{Col: col - 1, Type: c.t, Style: c.s, Value: c.v}
			if cell.Style == 0 {
				cell.Style = rowStyle
			}
			if cell.Style == 0 {
				cell.Style = s.Style(col - 1)
			}
			switch c.t {
			case "s":
				i, err := strconv.Atoi(strings.TrimSpace(c.v))
				if c.v != "" && (err != nil || i < 0 || i >= len(p.shared)) {
					return nil, fmt.Errorf("cell %s: no shared string %q", c.r, c.v)
				}
				if c.v != "" {
					cell.Value = p.shared[i]
				}
			case "inlineStr":
				cell.Value = c.text
			}
			if f := c.f; f != nil {
				cell.Formula = f.text
				if f.t == "shared" && f.si >= 0 {
					if f.ref != "" {
						shared[f.si] = sharedFormula{formula: f.text, col: col, row: row}
					} else if master, ok := shared[f.si]; ok {
						cell.Formula = master.shifted(col, row)
					}
				}
			}
			cells = append(cells, cell)
		}
	}
}

// shifted is the shared formula as written in the cell at col, row: its
// relative references moved by as much as the cell is from the one that
// holds it, as excelize's GetCellFormula does.
func (f sharedFormula) shifted(col, row int) string {
	p := efp.ExcelParser()
	tokens := p.Parse(f.formula)
	for i, t := range tokens {
		if t.TType == efp.TokenTypeOperand && t.TSubType == efp.TokenSubTypeRange {
			tokens[i].TValue = shiftReference(t.TValue, col-f.col, row-f.row)
		}
	}
	return p.Render()
}

// shiftReference moves the relative parts of a reference ("B2", "$B2",
// "B:C", "2:3", "A1:$B$2") by dCol columns and dRow rows.
func shiftReference(ref string, dCol, dRow int) string {
	parts := strings.Split(ref, ":")
	for i, part := range parts {
		plain := strings.ReplaceAll(part, "$", "")
		absCol, absRow := strings.HasPrefix(part, "$"), strings.LastIndex(part, "$") > 0
		if c, r, err := excelize.CellNameToCoordinates(plain); err == nil {
			if !absCol {
				c += dCol
			}
			if !absRow {
				r += dRow
			}
			name, _ := excelize.ColumnNumberToName(c)
			parts[i] = dollar(absCol) + name + dollar(absRow) + strconv.Itoa(r)
		} else if c, err := excelize.ColumnNameToNumber(plain); err == nil && !absCol {
			parts[i], _ = excelize.ColumnNumberToName(c + dCol)
		} else if r, err := strconv.Atoi(plain); err == nil && !absCol {
			parts[i] = strconv.Itoa(r + dRow)
		}
	}
	return strings.Join(parts, ":")
}

func dollar(abs bool) string {
	if abs {
		return "$"
	}
	return ""
}

func xmlAttr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}
