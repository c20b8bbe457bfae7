package gradebook

// The formulas handin writes, with their columns named by header: where a
// column lands depends on the instructor's columns before it, known only
// once every sheet's columns are laid out.

import (
	"slices"
	"strings"

	"handin/internal/lazyregexp"
)

// columnName is a {Header} or {Sheet!Header} of a Formula's text.
var columnName = &lazyregexp.Regexp{Expr: `\{([^{}!]+!)?([^{}!]+)\}`}

// resolve is a formula's text with its column names replaced by their
// references in the new workbook: {Sheet!Header} by the whole column
// (Questions!$K:$K), {Header} by this sheet's cell on row (0-based). A
// name of no column is #REF!, as a spreadsheet program shows a reference
// to a deleted column.
func (s *sheetStream) resolve(text string, row int) string {
	return columnName.Re().ReplaceAllStringFunc(text, func(m string) string {
		parts := columnName.FindStringSubmatch(m)
		sheet, header := strings.TrimSuffix(parts[1], "!"), parts[2]
		if sheet == "" {
			col := s.columnIndex(s.layout.Name, header)
			if col < 0 {
				return "#REF!"
			}
			return ref(col, row)
		}
		col := s.columnIndex(sheet, header)
		if col < 0 {
			return "#REF!"
		}
		letter := columnLetter(col)
		return sheetRef(sheet) + "!$" + letter + ":$" + letter
	})
}

// columnIndex is where the column of this header is on a handin sheet of
// the new workbook, -1 when it has none.
func (s *sheetStream) columnIndex(sheet, header string) int {
	return slices.IndexFunc(s.columnsOf[sheet], func(h string) bool { return strings.EqualFold(h, header) })
}

// sheetRef is a sheet's name as a formula names it: quoted unless it is
// letters, digits and underscores.
func sheetRef(name string) string {
	if strings.IndexFunc(name, func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) < 0 {
		return name
	}
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}
