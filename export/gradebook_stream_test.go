package export

import (
	"os"
	"testing"

	"handin/grade"
)

// resultsOf is a source of results held in memory.
func resultsOf(results []*grade.GroupResult) resultSource {
	return func(each func(*grade.GroupResult) error) error {
		for _, r := range results {
			if err := each(r); err != nil {
				return err
			}
		}
		return nil
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
	parts, err := openWorkbookParts(data)
	if err != nil {
		t.Fatal(err)
	}
	for sheet := range parts.sheets {
		scan, err := parts.scanSheet(sheet, func(*sheetScan, int, []sheetCell) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(scan.cols); i++ {
			if scan.cols[i].Min <= scan.cols[i-1].Max {
				t.Errorf("sheet %s: column formats out of order: %d-%d after %d-%d", sheet,
					scan.cols[i].Min, scan.cols[i].Max, scan.cols[i-1].Min, scan.cols[i-1].Max)
				break
			}
		}
	}
}
