package xlsxstream

// What handin relies on excelize doing, one test each, named after the
// behaviour: an excelize upgrade that changes one fails the test that says
// which, and where it is relied on. go.mod points here.

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"math"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// streamed writes a workbook's first sheet with its stream writer: set
// runs before the stream starts, rows after, and it is flushed.
func streamed(t testing.TB, set func(f *excelize.File, sheet string), rows func(sw *excelize.StreamWriter)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	if set != nil {
		set(f, sheet)
	}
	sw, err := f.NewStreamWriter(sheet)
	must(t, err)
	rows(sw)
	must(t, sw.Flush())
	buf, err := f.WriteToBuffer()
	must(t, err)
	return buf.Bytes()
}

// part is a part of a saved workbook, "" when it has none of that name.
func part(t testing.TB, book []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	must(t, err)
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			must(t, err)
			defer rc.Close()
			data, err := io.ReadAll(rc)
			must(t, err)
			return string(data)
		}
	}
	return ""
}

// firstRow is the first row of a saved workbook's first sheet, as Scan
// reads it.
func firstRow(t testing.TB, book []byte) []Cell {
	t.Helper()
	b, err := Open(book)
	must(t, err)
	var row []Cell
	_, err = b.Scan("Sheet1", func(_ *Sheet, i int, cells []Cell) error {
		if i == 0 {
			row = cells
		}
		return nil
	})
	must(t, err)
	return row
}

// TestStreamWriterStoresStringsInline: the stream writer writes a string
// into its cell (t="inlineStr"), never into the workbook's shared strings
// and never as a formula. Spool relies on it: a row rendered in a scratch
// workbook carries its text with it into the real one (an index into the
// scratch workbook's shared strings would point at another text there).
// So does the gradebook's promise that a student's "=1+1" stays text.
func TestStreamWriterStoresStringsInline(t *testing.T) {
	book := streamed(t, nil, func(sw *excelize.StreamWriter) {
		must(t, sw.SetRow("A1", []any{"=1+1", excelize.Cell{StyleID: 1, Value: "styled text"}}))
	})
	for _, c := range firstRow(t, book) {
		if c.Type != "inlineStr" || c.Formula != "" {
			t.Errorf("column %d: %q written as type %q, formula %q; want an inline string", c.Col, c.Value, c.Type, c.Formula)
		}
	}
	if shared := part(t, book, "xl/sharedStrings.xml"); strings.Contains(shared, "<si>") {
		t.Errorf("the stream writer filled the shared strings: %s", shared)
	}
}

// TestStreamWriterWritesStyleIDsUnchecked: the stream writer writes a
// cell's style id as given, without looking it up. Spool relies on it: it
// renders rows in a scratch workbook that has none of the real one's
// styles.
// A formula cell is written as its formula alone, without a value, and
// the workbook asks to be computed when opened: a spreadsheet program
// computes the rubric's Total, and the gradebook reads an unsaved Total
// back as empty.
func TestStreamWriterWritesAFormulaWithoutAValue(t *testing.T) {
	book := streamed(t, func(f *excelize.File, _ string) {
		full := true
		must(t, f.SetCalcProps(&excelize.CalcPropsOptions{FullCalcOnLoad: &full}))
	}, func(sw *excelize.StreamWriter) {
		must(t, sw.SetRow("A1", []any{excelize.Cell{Formula: "SUMIFS(Sheet2!$D:$D,Sheet2!$A:$A,B1)"}}))
	})
	if row := firstRow(t, book); len(row) != 1 || row[0].Formula != "SUMIFS(Sheet2!$D:$D,Sheet2!$A:$A,B1)" || row[0].Value != "" {
		t.Errorf("formula cell read back as %+v, want the formula and no value", row)
	}
	if wb := part(t, book, "xl/workbook.xml"); !strings.Contains(wb, `fullCalcOnLoad="true"`) {
		t.Errorf("workbook.xml does not ask for a computation on load: %s", wb)
	}
}

func TestStreamWriterWritesStyleIDsUnchecked(t *testing.T) {
	const unknown = 4711 // no such style in a new workbook
	book := streamed(t, nil, func(sw *excelize.StreamWriter) {
		must(t, sw.SetRow("A1", []any{excelize.Cell{StyleID: unknown, Value: 1}, excelize.Cell{StyleID: unknown, Value: "x"}}))
	})
	row := firstRow(t, book)
	if len(row) != 2 || row[0].Style != unknown || row[1].Style != unknown {
		t.Errorf("cells %+v, want both with style %d", row, unknown)
	}
}

// TestStreamWriterEmitsLiteralSheetData: the stream writer writes a
// sheet's rows between a literal <sheetData> and </sheetData>, also when
// it has none. Spool cuts a rendered sheet's rows out there, and Splice
// puts rows in before the </sheetData> of a sheet saved with its header
// row only.
func TestStreamWriterEmitsLiteralSheetData(t *testing.T) {
	for _, rows := range []int{0, 1, 3} {
		book := streamed(t, nil, func(sw *excelize.StreamWriter) {
			for r := range rows {
				must(t, sw.SetRow("A"+strconv.Itoa(r+1), []any{r}))
			}
		})
		sheet := part(t, book, "xl/worksheets/sheet1.xml")
		data, err := sheetDataOf([]byte(sheet))
		if err != nil || strings.Count(string(data), "<row ") != rows || strings.Count(sheet, "</sheetData>") != 1 {
			t.Errorf("%d rows: between <sheetData> and </sheetData>: %q (%v) in\n%s", rows, data, err, sheet)
		}
	}
}

// TestColumnFormattedLastIsWrittenFirst: excelize puts the column
// formatted last first among a sheet's column formats, and a stream sheet
// is written in that order, so formatting columns in FormatOrder writes
// them ascending, as LibreOffice needs them (it ignores the widths
// otherwise). The gradebook formats its sheets' columns on the sheet
// (SetColWidth, SetColStyle, SetColVisible) and the instructor's own
// sheets' on their stream writer.
func TestColumnFormattedLastIsWrittenFirst(t *testing.T) {
	style := func(f *excelize.File) int {
		id, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true}})
		must(t, err)
		return id
	}
	onSheet := streamed(t, func(f *excelize.File, sheet string) {
		id := style(f)
		for i := range FormatOrder(4) {
			col, _ := excelize.ColumnNumberToName(i + 1)
			must(t, f.SetColWidth(sheet, col, col, float64(10+i)))
			must(t, f.SetColStyle(sheet, col, id))
			must(t, f.SetColVisible(sheet, col, i != 2))
		}
	}, func(sw *excelize.StreamWriter) {
		must(t, sw.SetRow("A1", []any{"a"}))
	})
	onStream := streamed(t, nil, func(sw *excelize.StreamWriter) {
		for i := range FormatOrder(4) {
			must(t, sw.SetColWidth(i+1, i+1, float64(10+i)))
			must(t, sw.SetColVisible(i+1, i+1, i != 2))
		}
		must(t, sw.SetRow("A1", []any{"a"}))
	})
	for name, book := range map[string][]byte{"formatted on the sheet": onSheet, "formatted on the stream writer": onStream} {
		b, err := Open(book)
		must(t, err)
		scan, err := b.Scan("Sheet1", func(*Sheet, int, []Cell) error { return nil })
		must(t, err)
		var order []int
		for _, c := range scan.Cols {
			order = append(order, c.Min)
		}
		if !slices.Equal(order, []int{1, 2, 3, 4}) {
			t.Errorf("%s in FormatOrder: columns written in the order %v, want ascending", name, order)
		}
		for i := range 4 {
			if scan.Width(i) != float64(10+i) || scan.Hidden(i) != (i == 2) {
				t.Errorf("%s: column %d width %v hidden %v", name, i+1, scan.Width(i), scan.Hidden(i))
			}
		}
	}
}

// TestSheetSettingsBeforeFlushAreKept: what is set on a sheet before its
// stream writer's Flush is saved with it: hyperlinks, comments (also those
// added once the stream has started), the autofilter and the page layout.
// The gradebook sets them on handin's sheets as their rows go by, the rows
// themselves waiting in a Spool, and streams the header row last; it adds
// the comments of the instructor's own sheets after their rows.
func TestSheetSettingsBeforeFlushAreKept(t *testing.T) {
	const link = "https://github.com/org/repo/blob/abc/README.md"
	landscape, wide := "landscape", 1
	book := streamed(t, func(f *excelize.File, sheet string) {
		must(t, f.SetCellHyperLink(sheet, "B2", link, "External"))
		must(t, f.AddComment(sheet, excelize.Comment{Cell: "C2", Author: "NS", Text: "set before the stream"}))
		must(t, f.AutoFilter(sheet, "A1:C3", nil))
		must(t, f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &wide}))
	}, func(sw *excelize.StreamWriter) {
		must(t, sw.SetRow("A1", []any{"Group", "Page", "Comment"}))
		must(t, sw.SetRow("A2", []any{1, "page", "c"}))
	})
	f, err := excelize.OpenReader(bytes.NewReader(book))
	must(t, err)
	defer f.Close()
	if ok, target, err := f.GetCellHyperLink("Sheet1", "B2"); !ok || target != link || err != nil {
		t.Errorf("hyperlink %v %q %v, want %q", ok, target, err, link)
	}
	if comments, err := f.GetComments("Sheet1"); err != nil || len(comments) != 1 || comments[0].Text != "set before the stream" {
		t.Errorf("comments %+v %v", comments, err)
	}
	filter := ""
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm._FilterDatabase" {
			filter = d.RefersTo
		}
	}
	if filter != "'Sheet1'!$A$1:$C$3" {
		t.Errorf("autofilter %q", filter)
	}
	if layout, err := f.GetPageLayout("Sheet1"); err != nil || layout.Orientation == nil || *layout.Orientation != landscape ||
		layout.FitToWidth == nil || *layout.FitToWidth != 1 {
		t.Errorf("page layout %+v %v, want landscape, one page wide", layout, err)
	}

	// A comment added between the stream's rows and its Flush.
	late := excelize.NewFile()
	defer late.Close()
	sw, err := late.NewStreamWriter("Sheet1")
	must(t, err)
	must(t, sw.SetRow("A1", []any{"own sheet"}))
	must(t, late.AddComment("Sheet1", excelize.Comment{Cell: "A1", Author: "NS", Text: "added once the stream started"}))
	must(t, sw.Flush())
	buf, err := late.WriteToBuffer()
	must(t, err)
	g, err := excelize.OpenReader(buf)
	must(t, err)
	defer g.Close()
	if comments, err := g.GetComments("Sheet1"); err != nil || len(comments) != 1 || comments[0].Text != "added once the stream started" {
		t.Errorf("comments added after NewStreamWriter: %+v %v", comments, err)
	}
}

// TestPropertiesAndDimensionSetBeforeTheStreamAreKept: a stream writer
// writes the sheet's properties and dimension as they are when it starts.
// The gradebook sets a sheet's extent (its rows are in a Spool, not in
// the stream) and fit-to-page printing before NewStreamWriter.
func TestPropertiesAndDimensionSetBeforeTheStreamAreKept(t *testing.T) {
	fit := true
	book := streamed(t, func(f *excelize.File, sheet string) {
		must(t, f.SetSheetDimension(sheet, "A1:N120"))
		must(t, f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}))
	}, func(sw *excelize.StreamWriter) {
		must(t, sw.SetRow("A1", []any{"header only"}))
	})
	f, err := excelize.OpenReader(bytes.NewReader(book))
	must(t, err)
	defer f.Close()
	if dim, err := f.GetSheetDimension("Sheet1"); err != nil || dim != "A1:N120" {
		t.Errorf("dimension %q %v, want A1:N120", dim, err)
	}
	if props, err := f.GetSheetProps("Sheet1"); err != nil || props.FitToPage == nil || !*props.FitToPage {
		t.Errorf("sheet properties %+v %v, want fit to page", props, err)
	}
}

// TestWriteToHandsEachPartToTheZipWriter: saving a workbook creates each
// part, its worksheets under xl/worksheets/, through the zip writer set
// with SetZipWriter. Spool keeps a scratch workbook's one worksheet that
// way, without writing the workbook anywhere.
func TestWriteToHandsEachPartToTheZipWriter(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	must(t, err)
	must(t, sw.SetRow("A2", []any{excelize.Cell{StyleID: 3, Value: "row two"}}))
	must(t, sw.Flush())
	parts := &partNames{}
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return parts })
	_, err = f.WriteTo(io.Discard)
	must(t, err)
	if !slices.Contains(parts.names, "xl/worksheets/sheet1.xml") || !slices.Contains(parts.names, "xl/workbook.xml") {
		t.Errorf("parts created %q", parts.names)
	}

	// And so a Spool renders rows as the stream writer writes them.
	row := []any{excelize.Cell{StyleID: 3, Value: "row two"}, 2, true}
	direct, err := sheetDataOf([]byte(part(t, streamed(t, nil, func(sw *excelize.StreamWriter) {
		must(t, sw.SetRow("A2", row))
	}), "xl/worksheets/sheet1.xml")))
	must(t, err)
	s, err := NewSpool(t.TempDir(), "rows-*")
	must(t, err)
	defer s.Close()
	must(t, s.Add(2, row))
	var spooled bytes.Buffer
	must(t, s.writeTo(&spooled))
	if spooled.String() != string(direct) || !strings.Contains(spooled.String(), "row two") {
		t.Errorf("spooled row %s, the stream writer's %s", spooled.String(), direct)
	}
}

// partNames is a zip writer that notes the parts created.
type partNames struct{ names []string }

func (p *partNames) Create(name string) (io.Writer, error) {
	p.names = append(p.names, name)
	return io.Discard, nil
}
func (p *partNames) AddFS(fs.FS) error { return nil }
func (p *partNames) Close() error      { return nil }

// TestStreamWriterWritesNumbersAsTheirValue: the stream writer writes an
// int as its digits, a bool as 1 or 0 (t="b") and a time as the serial
// day number of its wall clock (days since 1899-12-30, with the time of
// day as the fraction). The gradebook's state keeps digests of handin's
// values in that form (canonicalOf), to tell a cell handin wrote from one
// the instructor typed over it.
func TestStreamWriterWritesNumbersAsTheirValue(t *testing.T) {
	at := time.Date(2026, 1, 23, 22, 59, 0, 0, time.UTC)
	book := streamed(t, nil, func(sw *excelize.StreamWriter) {
		must(t, sw.SetRow("A1", []any{15, true, false, excelize.Cell{StyleID: 1, Value: at}}))
	})
	row := firstRow(t, book)
	serial := at.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24
	got := make([]string, len(row))
	for i, c := range row {
		got[i] = c.Type + ":" + c.Value
	}
	if len(row) != 4 || got[0] != ":15" && got[0] != "n:15" || got[1] != "b:1" || got[2] != "b:0" {
		t.Fatalf("cells written as %q, want 15, b:1, b:0 and the serial", got)
	}
	v, err := strconv.ParseFloat(row[3].Value, 64)
	if err != nil || row[3].Type != "" && row[3].Type != "n" || math.Abs(v-serial) > 1e-9 || row[3].Style != 1 {
		t.Errorf("time written as %q (style %d), want the serial %v", got[3], row[3].Style, serial)
	}
}

// TestCommentsAndStylesAreReadWithoutLoadingTheSheet: a workbook opened
// with a small UnzipXMLSizeLimit keeps its large sheets on disk, and
// GetComments and GetStyle read a sheet's comments and a cell's style
// without loading the sheet. The gradebook reads an instructor's workbook
// that way (its cells through Scan), so that reading back the gradebook
// of 1,000 groups holds a row at a time.
func TestCommentsAndStylesAreReadWithoutLoadingTheSheet(t *testing.T) {
	var style int
	book := streamed(t, func(f *excelize.File, sheet string) {
		var err error
		style, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
		must(t, err)
		must(t, f.AddComment(sheet, excelize.Comment{Cell: "B2", Author: "NS", Text: "a note"}))
	}, func(sw *excelize.StreamWriter) {
		for r := 1; r <= 5000; r++ {
			must(t, sw.SetRow("A"+strconv.Itoa(r), []any{r, fmt.Sprintf("text of row %d", r), excelize.Cell{StyleID: style, Value: r * 7}}))
		}
	})
	sheetSize := len(part(t, book, "xl/worksheets/sheet1.xml"))
	f, err := excelize.OpenReader(bytes.NewReader(book), excelize.Options{UnzipXMLSizeLimit: 64 << 10})
	must(t, err)
	defer f.Close()
	allocated := func(read func()) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		read()
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	notes := allocated(func() {
		comments, err := f.GetComments("Sheet1")
		if err != nil || len(comments) != 1 || comments[0].Text != "a note" {
			t.Errorf("comments %+v %v", comments, err)
		}
		s, err := f.GetStyle(style)
		if err != nil || s.Font == nil || !s.Font.Bold {
			t.Errorf("style %d: %+v %v", style, s, err)
		}
	})
	loading := allocated(func() {
		if v, err := f.GetCellValue("Sheet1", "B2"); err != nil || v != "text of row 2" {
			t.Errorf("B2 = %q %v", v, err)
		}
	})
	if notes > uint64(sheetSize)/10 || loading < uint64(sheetSize) {
		t.Errorf("comments and a style took %d bytes, a cell of the sheet %d: want a small part of the sheet's %d bytes, and the whole",
			notes, loading, sheetSize)
	}
}

// TestStyleReadIsAStyleToWrite: a style read with GetStyle, given to
// NewStyle in another workbook, is the same style there. The gradebook
// carries an instructor's cells into the new workbook with their styles
// that way: a date stays a date, a grade keeps its colour.
func TestStyleReadIsAStyleToWrite(t *testing.T) {
	date := "dd/mm/yyyy"
	for _, s := range []*excelize.Style{
		{CustomNumFmt: &date},
		{NumFmt: 10},
		{Font: &excelize.Font{Bold: true, Italic: true, Color: "991B1B", Size: 13, Family: "Arial"}},
		{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FEF3C7"}}},
		{Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top", WrapText: true}},
		{Border: []excelize.Border{{Type: "bottom", Color: "000000", Style: 2}}},
		{Protection: &excelize.Protection{Locked: true}},
	} {
		from, to := excelize.NewFile(), excelize.NewFile()
		id, err := from.NewStyle(s)
		must(t, err)
		read, err := from.GetStyle(id)
		must(t, err)
		copied, err := to.NewStyle(read)
		must(t, err)
		again, err := to.GetStyle(copied)
		must(t, err)
		if !reflect.DeepEqual(read, again) {
			t.Errorf("style %+v read as %+v, written again as %+v", s, read, again)
		}
		from.Close()
		to.Close()
	}
}

// TestCommentTextIsInTextOrInItsRuns: GetComments gives a comment's plain
// text in Text and the text of its runs (as LibreOffice and Excel write
// comments) in Paragraph only, never in both. The gradebook joins the two
// to carry an instructor's comment over.
func TestCommentTextIsInTextOrInItsRuns(t *testing.T) {
	book := streamed(t, func(f *excelize.File, sheet string) {
		must(t, f.AddComment(sheet, excelize.Comment{Cell: "A1", Author: "NS", Text: "plain"}))
		must(t, f.AddComment(sheet, excelize.Comment{Cell: "B1", Author: "NS", Paragraph: []excelize.RichTextRun{
			{Text: "NS:", Font: &excelize.Font{Bold: true}}, {Text: " in runs"},
		}}))
	}, func(sw *excelize.StreamWriter) {
		must(t, sw.SetRow("A1", []any{"a", "b"}))
	})
	f, err := excelize.OpenReader(bytes.NewReader(book))
	must(t, err)
	defer f.Close()
	comments, err := f.GetComments("Sheet1")
	must(t, err)
	got := map[string]string{}
	for _, c := range comments {
		var runs strings.Builder
		for _, r := range c.Paragraph {
			runs.WriteString(r.Text)
		}
		got[c.Cell] = c.Text + "|" + runs.String()
	}
	if want := map[string]string{"A1": "plain|", "B1": "|NS: in runs"}; !reflect.DeepEqual(got, want) {
		t.Errorf("comments read as Text|runs %q, want %q", got, want)
	}
}

// TestScanReadsAsExcelize: a sheet read row by row from the zip gives
// every cell's value, type, style and formula as excelize's own
// whole-sheet reading does (shared strings, rich text, escaped characters,
// booleans, dates, formulas shared down a column), and the columns'
// widths, hidden columns, column styles and merged ranges. The gradebook
// reads an instructor's workbook with Scan, and compares what it reads
// with what excelize wrote.
func TestScanReadsAsExcelize(t *testing.T) {
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetCellStr(sheet, "A1", "Group"))
	must(f.SetCellStr(sheet, "B1", "literal _x0041_ and _x005F_ stay"))
	must(f.SetCellStr(sheet, "C1", " leading and trailing \n"))
	must(f.SetCellRichText(sheet, "D1", []excelize.RichTextRun{{Text: "rich "}, {Text: "text", Font: &excelize.Font{Bold: true}}}))
	must(f.SetCellInt(sheet, "A2", 7))
	must(f.SetCellFloat(sheet, "B2", 46045.957638888889, -1, 64))
	must(f.SetCellBool(sheet, "C2", true))
	must(f.SetCellValue(sheet, "D2", time.Date(2026, 1, 28, 22, 59, 0, 0, time.UTC)))
	must(f.SetCellStr(sheet, "E2", "=1+1"))
	for row := 3; row <= 6; row++ {
		must(f.SetCellInt(sheet, "A"+strconv.Itoa(row), int64(row)))
	}
	shared, fill := excelize.STCellFormulaTypeShared, "B3:C6"
	must(f.SetCellFormula(sheet, "B3", "A3*2+$A$1+SUM(A$3:A3)", excelize.FormulaOpts{Type: &shared, Ref: &fill}))
	must(f.SetCellFormula(sheet, "E3", "SUM(A3:A6)"))
	must(f.SetCellStyle(sheet, "A3", "A3", bold))
	must(f.SetColWidth(sheet, "B", "C", 31))
	must(f.SetColVisible(sheet, "D", false))
	must(f.SetColStyle(sheet, "F", bold))
	must(f.SetCellStr(sheet, "F4", "in a styled column"))
	must(f.MergeCell(sheet, "A8", "C9"))
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}

	book, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	parts, err := Open(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	scan, err := parts.Scan(sheet, func(_ *Sheet, i int, cells []Cell) error {
		for _, c := range cells {
			at, _ := excelize.CoordinatesToCellName(c.Col+1, i+1)
			value, _ := book.GetCellValue(sheet, at, excelize.Options{RawCellValue: true})
			formula, _ := book.GetCellFormula(sheet, at)
			style, _ := book.GetCellStyle(sheet, at)
			kind, _ := book.GetCellType(sheet, at)
			if c.Value != value || c.Formula != formula || c.Style != style {
				t.Errorf("%s: read %q, formula %q, style %d; excelize reads %q, %q, %d", at, c.Value, c.Formula, c.Style, value, formula, style)
			}
			if got, want := cellTypeOf(c.Type), kind; got != want {
				t.Errorf("%s: type %q, excelize says %v", at, c.Type, want)
			}
			seen++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 20 {
		t.Errorf("only %d cells read", seen)
	}
	for c := range 7 {
		letter, _ := excelize.ColumnNumberToName(c + 1)
		width, _ := book.GetColWidth(sheet, letter)
		visible, _ := book.GetColVisible(sheet, letter)
		style, _ := book.GetColStyle(sheet, letter)
		if scan.Width(c) != width || scan.Hidden(c) == visible || scan.Style(c) != style {
			t.Errorf("column %s: width %v hidden %v style %d; excelize: %v %v %d", letter, scan.Width(c), scan.Hidden(c), scan.Style(c), width, !visible, style)
		}
	}
	if len(scan.Merged) != 1 || scan.Merged[0] != "A8:C9" {
		t.Errorf("merged %q", scan.Merged)
	}
	if formula, _ := book.GetCellFormula(sheet, "C6"); formula != "B6*2+$A$1+SUM(B$3:B6)" {
		t.Errorf("excelize reads the shared formula in C6 as %q: the case is not the one meant", formula)
	}
}

// cellTypeOf is excelize's cell type of a t attribute.
func cellTypeOf(t string) excelize.CellType {
	return map[string]excelize.CellType{
		"": excelize.CellTypeUnset, "n": excelize.CellTypeNumber, "b": excelize.CellTypeBool, "d": excelize.CellTypeDate,
		"e": excelize.CellTypeError, "s": excelize.CellTypeSharedString, "str": excelize.CellTypeFormula,
		"inlineStr": excelize.CellTypeInlineString,
	}[t]
}
