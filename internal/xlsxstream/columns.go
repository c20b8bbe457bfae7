package xlsxstream

import "iter"

// FormatOrder counts n-1 down to 0: the order to format a sheet's n
// columns in (widths, styles, hidden). excelize puts the column formatted
// last first, and writes a stream sheet's columns in that order, while
// spreadsheet programs need them in ascending order (LibreOffice ignores
// the widths otherwise).
func FormatOrder(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := n - 1; i >= 0; i-- {
			if !yield(i) {
				return
			}
		}
	}
}
