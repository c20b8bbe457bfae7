package xlsxstream

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"
)

// bombed is a workbook whose part name says it inflates to size bytes (as
// its zip declares, and archive/zip holds the part to).
func bombed(t *testing.T, name string, size uint64) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, UncompressedSize64: size, CompressedSize64: 2})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte{3, 0}) // an empty deflate stream: never read
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A workbook whose parts inflate past what is read of them is refused
// before any part is read: shared strings past 128 MiB, a sheet past
// 512 MiB, anything else past 64 MiB.
func TestOpenRefusesWorkbookBombs(t *testing.T) {
	for _, tc := range []struct {
		part string
		size uint64
	}{
		{"xl/sharedStrings.xml", 2 << 30},
		{"xl/SharedStrings.xml", maxSharedStrings + 1},
		{"xl/worksheets/sheet1.xml", maxSheetPart + 1},
		{`xl\styles.xml`, maxOtherPart + 1},
	} {
		_, err := Open(bombed(t, tc.part, tc.size))
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), tc.part) {
			t.Errorf("%s of %d bytes: %v, want ErrTooLarge naming the part", tc.part, tc.size, err)
		}
	}
	if _, err := Open(bombed(t, "xl/worksheets/sheet1.xml", maxSheetPart)); errors.Is(err, ErrTooLarge) {
		t.Errorf("a sheet at the limit: %v", err)
	}
}
