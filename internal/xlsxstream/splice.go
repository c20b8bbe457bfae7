package xlsxstream

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Splice copies a saved workbook, putting each spooled sheet's rows, by
// sheet name, at the end of its <sheetData> (after the rows the sheet was
// saved with). The sheets must have been written by excelize's stream
// writer, which closes <sheetData> with a literal </sheetData>.
func Splice(book []byte, spools map[string]*Spool) ([]byte, error) {
	parts, err := Open(book)
	if err != nil {
		return nil, err
	}
	byPart := map[string]*Spool{}
	for sheet, s := range spools {
		name, ok := parts.sheets[sheet]
		if !ok {
			return nil, fmt.Errorf("no sheet %s to put rows in", sheet)
		}
		byPart[name] = s
	}
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		s, ok := byPart[f.Name]
		if !ok {
			if err := zw.Copy(f); err != nil {
				return nil, err
			}
			continue
		}
		if err := spliceSheet(zw, f, s); err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func spliceSheet(zw *zip.Writer, f *zip.File, s *Spool) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	sheet, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return err
	}
	end := bytes.LastIndex(sheet, []byte("</sheetData>"))
	if end < 0 {
		return errors.New("no sheetData")
	}
	w, err := zw.Create(f.Name)
	if err != nil {
		return err
	}
	if _, err := w.Write(sheet[:end]); err != nil {
		return err
	}
	if err := s.writeTo(w); err != nil {
		return err
	}
	_, err = w.Write(sheet[end:])
	return err
}
