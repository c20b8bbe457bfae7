package export

// The rows of handin's sheets are kept on disk while the gradebook is
// written: excelize's stream writer holds up to 16 MB of each sheet in
// memory until the workbook is saved (some 40 MB for 1,000 groups), so
// rows are rendered a batch at a time through a scratch workbook's stream
// writer, appended to a temporary file, and spliced into the saved
// workbook (see spliceRows). The rows are thus written exactly as excelize
// writes them.

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"
)

// spoolBatch is how many rows a scratch workbook renders at a time.
const spoolBatch = 2000

// rowSpool is a sheet's rows, rendered as SpreadsheetML into a temporary
// file. Every cell must carry its style id: the scratch workbook has
// none of the real one's column styles.
type rowSpool struct {
	file    *os.File
	out     *bufio.Writer
	scratch *excelize.File
	sw      *excelize.StreamWriter
	n       int // rows in the scratch workbook
}

// newRowSpool starts a spool in dir, named as atomicfile names its
// temporary files (see removeInterruptedWrites).
func newRowSpool(dir string) (*rowSpool, error) {
	f, err := os.CreateTemp(dir, ".gradebook-rows.tmp-*")
	if err != nil {
		return nil, err
	}
	return &rowSpool{file: f, out: bufio.NewWriterSize(f, 64<<10)}, nil
}

// add renders a row (1-based row number, in increasing order).
func (s *rowSpool) add(row int, cells []any, opts ...excelize.RowOpts) error {
	if s.sw == nil {
		s.scratch = excelize.NewFile()
		var err error
		if s.sw, err = s.scratch.NewStreamWriter(s.scratch.GetSheetName(0)); err != nil {
			return err
		}
	}
	if err := s.sw.SetRow(ref(0, row-1), cells, opts...); err != nil {
		return err
	}
	if s.n++; s.n >= spoolBatch {
		return s.flush()
	}
	return nil
}

// flush moves the scratch workbook's rows to the file.
func (s *rowSpool) flush() error {
	if s.sw == nil {
		return nil
	}
	defer func() {
		s.scratch.Close()
		s.scratch, s.sw, s.n = nil, nil, 0
	}()
	if err := s.sw.Flush(); err != nil {
		return err
	}
	sheet := &sheetCapture{}
	s.scratch.SetZipWriter(func(io.Writer) excelize.ZipWriter { return sheet })
	if _, err := s.scratch.WriteTo(io.Discard); err != nil {
		return err
	}
	rows, err := sheetDataOf(sheet.data.Bytes())
	if err != nil {
		return err
	}
	_, err = s.out.Write(rows)
	return err
}

// sheetDataOf is what a worksheet's <sheetData> element holds.
func sheetDataOf(sheet []byte) ([]byte, error) {
	_, after, ok := bytes.Cut(sheet, []byte("<sheetData>"))
	rows, _, ok2 := bytes.Cut(after, []byte("</sheetData>"))
	if !ok || !ok2 {
		return nil, errors.New("a rendered sheet without sheetData")
	}
	return rows, nil
}

// writeTo writes the rows rendered so far.
func (s *rowSpool) writeTo(w io.Writer) error {
	if err := s.flush(); err != nil {
		return err
	}
	if err := s.out.Flush(); err != nil {
		return err
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(w, s.file)
	return err
}

// close removes the file.
func (s *rowSpool) close() error {
	if s.scratch != nil {
		s.scratch.Close()
	}
	return errors.Join(s.file.Close(), os.Remove(s.file.Name()))
}

// sheetCapture is a zip writer that keeps the one worksheet of a scratch
// workbook and drops every other part.
type sheetCapture struct{ data bytes.Buffer }

func (c *sheetCapture) Create(name string) (io.Writer, error) {
	if strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml") {
		return &c.data, nil
	}
	return io.Discard, nil
}

func (c *sheetCapture) AddFS(fs.FS) error { return nil }
func (c *sheetCapture) Close() error      { return nil }

// spliceRows copies a saved workbook, putting each spooled sheet's rows at
// the end of its <sheetData> (after the header row written there).
func spliceRows(book []byte, spools map[string]*rowSpool) ([]byte, error) {
	parts, err := openWorkbookParts(book)
	if err != nil {
		return nil, err
	}
	byPart := map[string]*rowSpool{}
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

func spliceSheet(zw *zip.Writer, f *zip.File, s *rowSpool) error {
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
