package xlsxstream

// The rows of a streamed sheet are kept on disk while the workbook is
// written: excelize's stream writer holds up to 16 MB of each sheet in
// memory until the workbook is saved (some 40 MB for the gradebook of
// 1,000 groups), so rows are rendered a batch at a time through a scratch
// workbook's stream writer, appended to a temporary file, and spliced into
// the saved workbook (see Splice). The rows are thus written exactly as
// excelize writes them. This leans on three things excelize does (see
// excelize_test.go): the stream writer stores strings inline (a shared
// string would point into the scratch workbook's table), writes style ids
// as given (the scratch workbook has none of the real one's styles), and
// writes the rows inside a literal <sheetData> element.

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"
)

// spoolBatch is how many rows a scratch workbook renders at a time.
const spoolBatch = 2000

// Spool is a sheet's rows, rendered as SpreadsheetML into a temporary
// file. Every cell must carry its style id (an excelize.Cell with
// StyleID): the scratch workbook has none of the real one's column
// styles, and would give a time without one a date style of its own.
type Spool struct {
	file    *os.File
	out     *bufio.Writer
	scratch *excelize.File
	sw      *excelize.StreamWriter
	n       int // rows in the scratch workbook
}

// NewSpool starts a spool in a temporary file in dir, named by pattern as
// os.CreateTemp names files.
func NewSpool(dir, pattern string) (*Spool, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return &Spool{file: f, out: bufio.NewWriterSize(f, 64<<10)}, nil
}

// Add renders a row (1-based row number, in increasing order).
func (s *Spool) Add(row int, cells []any, opts ...excelize.RowOpts) error {
	if s.sw == nil {
		s.scratch = excelize.NewFile()
		var err error
		if s.sw, err = s.scratch.NewStreamWriter(s.scratch.GetSheetName(0)); err != nil {
			return err
		}
	}
	at, err := excelize.CoordinatesToCellName(1, row)
	if err != nil {
		return err
	}
	if err := s.sw.SetRow(at, cells, opts...); err != nil {
		return err
	}
	if s.n++; s.n >= spoolBatch {
		return s.flush()
	}
	return nil
}

// flush moves the scratch workbook's rows to the file.
func (s *Spool) flush() error {
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
func (s *Spool) writeTo(w io.Writer) error {
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

// Close removes the file.
func (s *Spool) Close() error {
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
