package export

import (
	"iter"
	"os"
	"testing"

	"handin/grade"
	"handin/internal/xlsxstream"
)

// resultsOf is a source of results held in memory.
func resultsOf(results []*grade.GroupResult) iter.Seq2[*grade.GroupResult, error] {
	return func(yield func(*grade.GroupResult, error) bool) {
		for _, r := range results {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// columnsAscend checks that every sheet of a workbook lists its column
// formats in ascending order, as spreadsheet programs need them.
func columnsAscend(t testing.TB, name string) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	book, err := xlsxstream.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, sheet := range openWorkbook(t, name).GetSheetList() {
		scan, err := book.Scan(sheet, func(*xlsxstream.Sheet, int, []xlsxstream.Cell) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(scan.Cols); i++ {
			if scan.Cols[i].Min <= scan.Cols[i-1].Max {
				t.Errorf("sheet %s: column formats out of order: %d-%d after %d-%d", sheet,
					scan.Cols[i].Min, scan.Cols[i].Max, scan.Cols[i-1].Min, scan.Cols[i-1].Max)
				break
			}
		}
	}
}
