package export

import (
	"bytes"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestScanSheetReadsAsExcelize: a sheet read row by row from the zip gives
// every cell's value, type, style and formula as excelize's own whole-sheet
// reading does (shared strings, rich text, escaped characters, booleans,
// dates, formulas shared down a column), and the columns' widths, hidden
// columns, column styles and merged ranges.
func TestScanSheetReadsAsExcelize(t *testing.T) {
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
	parts, err := openWorkbookParts(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	scan, err := parts.scanSheet(sheet, func(_ *sheetScan, i int, cells []sheetCell) error {
		for _, c := range cells {
			at := ref(c.col, i)
			value, _ := book.GetCellValue(sheet, at, excelize.Options{RawCellValue: true})
			formula, _ := book.GetCellFormula(sheet, at)
			style, _ := book.GetCellStyle(sheet, at)
			kind, _ := book.GetCellType(sheet, at)
			if c.value != value || c.formula != formula || c.style != style {
				t.Errorf("%s: read %q, formula %q, style %d; excelize reads %q, %q, %d", at, c.value, c.formula, c.style, value, formula, style)
			}
			if got, want := cellTypeOf(c.typ), kind; got != want {
				t.Errorf("%s: type %q, excelize says %v", at, c.typ, want)
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
		letter := columnLetter(c)
		width, _ := book.GetColWidth(sheet, letter)
		visible, _ := book.GetColVisible(sheet, letter)
		style, _ := book.GetColStyle(sheet, letter)
		if scan.width(c) != width || scan.hidden(c) == visible || scan.style(c) != style {
			t.Errorf("column %s: width %v hidden %v style %d; excelize: %v %v %d", letter, scan.width(c), scan.hidden(c), scan.style(c), width, !visible, style)
		}
	}
	if len(scan.merged) != 1 || scan.merged[0] != "A8:C9" {
		t.Errorf("merged %q", scan.merged)
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
