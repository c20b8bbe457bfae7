package gradebook

// Cell values: how handin writes its own, how it compares a cell read back
// with what it wrote, and how an instructor's cell moves from one workbook
// into the next with its type.

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// canonical is a cell's value as text, the same for what handin wrote and
// for what it reads back, also after a spreadsheet program saved the file:
// numbers in 12 significant digits (LibreOffice stores 46045.95763888889
// as 46045.9576388889), line breaks as LF.
func canonical(raw string) string {
	if f, err := strconv.ParseFloat(strings.TrimSpace(raw), 64); err == nil {
		return strconv.FormatFloat(f, 'g', 12, 64)
	}
	return strings.ReplaceAll(raw, "\r\n", "\n")
}

// canonicalOf is canonical for a value handin writes (see cellText and
// workbookWriter.cellValue), as the stream writer writes it (xlsxstream's
// TestStreamWriterWritesNumbersAsTheirValue).
func canonicalOf(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return canonical(cellText(v))
	case int:
		return canonical(strconv.Itoa(v))
	case float64:
		return canonical(strconv.FormatFloat(v, 'g', -1, 64))
	case bool:
		if v {
			return "1"
		}
		return "0"
	case time.Time:
		if v.IsZero() {
			return ""
		}
		return canonical(strconv.FormatFloat(excelSerial(v), 'g', -1, 64))
	case Link:
		return canonical(cellText(v.Text))
	case Formula:
		return "=" + v.Text
	}
	return fmt.Sprint(v) // a type handin does not write: value refuses it
}

// cellText is text as a cell can hold it: characters XML cannot carry (a
// control character in a commit author's name) become U+FFFD, and the text
// is cut at the spreadsheet limit of 32,767 characters.
func cellText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0xFFFE && r != 0xFFFF {
			return r
		}
		return '\uFFFD'
	}, s)
	if utf8.RuneCountInString(s) > excelize.TotalCellChars {
		s = string([]rune(s)[:excelize.TotalCellChars])
	}
	return s
}

// wallClock is a time's wall clock as a zone-less time: spreadsheets have
// no time zones, so the cell shows the time as it was recorded (in the
// course's zone).
func wallClock(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

// excelSerial is a time as a spreadsheet stores it: days since 1899-12-30.
func excelSerial(t time.Time) float64 {
	return float64(wallClock(t).Unix()-time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).Unix()) / 86400
}

// cellKind is the type of an instructor's cell.
type cellKind int

const (
	kindText cellKind = iota
	kindNumber
	kindBool
	kindDate // an ISO 8601 date cell (t="d"), as some programs write them
)

// keptCell is an instructor's cell read from a workbook, carried into the
// next one with its type and style: a number stays a number, a date (a
// number with a date format) a date, text that looks like a formula text.
type keptCell struct {
	Kind    cellKind
	Value   string          // the stored value: text, a number, 1/0
	Formula string          // the instructor's own formula, kept as one
	Style   *excelize.Style // nil: the default style
}

// canonical is the cell's value for comparisons: its formula when it has
// one, so that a changed formula is a changed value.
func (k keptCell) canonical() string {
	if k.Formula != "" {
		return "=" + k.Formula
	}
	return canonical(k.Value)
}

// display is the cell as one line of text, for messages.
func (k keptCell) display() string {
	if k.Formula != "" {
		return "=" + k.Formula
	}
	return k.Value
}

// wraps says whether the cell's style wraps its text.
func (k keptCell) wraps() bool { return wraps(k.Style) }

func wraps(s *excelize.Style) bool { return s != nil && s.Alignment != nil && s.Alignment.WrapText }

// streamValue is the cell as the stream writer takes it. A formula is
// written as a formula only when asFormula is set (the cell is on the
// instructor's own row or sheet); elsewhere its text is kept as text.
func (k keptCell) streamValue(w *workbookWriter, asFormula bool) (any, error) {
	style := 0
	if k.Style != nil {
		var err error
		if style, err = w.style(k.Style); err != nil {
			return nil, err
		}
	}
	cell := excelize.Cell{StyleID: style, Value: k.Value}
	switch {
	case k.Formula != "" && asFormula:
		cell.Value, cell.Formula = nil, k.Formula
	case k.Formula != "":
		cell.Value = k.display()
	case k.Kind == kindNumber:
		cell.Value, _ = strconv.ParseFloat(k.Value, 64)
	case k.Kind == kindBool:
		cell.Value = k.Value == "1" || strings.EqualFold(k.Value, "true")
	case k.Kind == kindDate:
		if t, err := time.Parse("2006-01-02T15:04:05.999999999", strings.TrimSuffix(k.Value, "Z")); err == nil {
			cell.Value = wallClock(t)
		}
	}
	return cell, nil
}
