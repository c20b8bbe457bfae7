package feedback

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"handin/export"
	"handin/internal/inputfile"
	"handin/internal/xlsxstream"
)

// Marks are what the instructor typed into the gradebook for one group,
// each value as the spreadsheet shows it ("" where the cell is empty).
type Marks struct {
	Grade, Comment string         // Groups: Grade, Comment
	Total, Max     string         // Groups: Total (as last computed), Max
	Questions      map[int]Scored // Questions: Score, Comment, by question
}

// Scored is the instructor's score and comment on one question.
type Scored struct{ Score, Comment string }

// The headers of the columns read here, by header, wherever the
// instructor moved them: export names them.
var (
	groupsColumns    = []string{"Group", export.HeaderGrade, export.HeaderComment, export.HeaderTotal, export.HeaderMax}
	questionsColumns = []string{"Group", "Question", export.HeaderScore, export.HeaderComment}
)

// maxGradebook bounds the gradebook read, as an export reads it.
const maxGradebook = 256 << 20

// headerRows is how far down a sheet its header row is looked for (an
// instructor may add rows above it).
const headerRows = 10

// ReadMarks reads the instructor's marks from a gradebook, by group. A
// sheet or column that is not there gives empty values: a gradebook without
// a rubric has no Score, Total or Max.
func ReadMarks(path string) (map[int]*Marks, error) {
	data, err := inputfile.Read(path, maxGradebook)
	if err != nil {
		return nil, err
	}
	book, err := xlsxstream.Open(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	marks := map[int]*Marks{}
	of := func(group int) *Marks {
		if marks[group] == nil {
			marks[group] = &Marks{Questions: map[int]Scored{}}
		}
		return marks[group]
	}
	err = scanSheet(book, export.SheetGroups, groupsColumns, func(v []string) {
		if g, ok := number(v[0]); ok {
			m := of(g)
			m.Grade, m.Comment, m.Total, m.Max = v[1], v[2], v[3], v[4]
		}
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	err = scanSheet(book, export.SheetQuestions, questionsColumns, func(v []string) {
		g, ok := number(v[0])
		q, qok := number(v[1])
		if ok && qok && (v[2] != "" || v[3] != "") {
			of(g).Questions[q] = Scored{Score: v[2], Comment: v[3]}
		}
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return marks, nil
}

// scanSheet gives row the values of the columns headed by headers (their
// first one, the group, must be there) in every row below the header row;
// a sheet without that header row gives nothing.
func scanSheet(book *xlsxstream.Book, sheet string, headers []string, row func(values []string)) error {
	var cols []int // by header; -1 for a header not found
	_, err := book.Scan(sheet, func(_ *xlsxstream.Sheet, i int, cells []xlsxstream.Cell) error {
		if cols == nil {
			if i < headerRows {
				cols = headerColumns(cells, headers)
			}
			return nil
		}
		values := make([]string, len(headers))
		for _, c := range cells {
			for h, col := range cols {
				if c.Col == col {
					values[h] = cellValue(c)
				}
			}
		}
		row(values)
		return nil
	})
	if errors.Is(err, xlsxstream.ErrNoSheet) {
		return nil // an instructor may delete a sheet
	}
	return err
}

// headerColumns are the columns of headers in a header row (compared
// without case and surrounding space); nil when the row is not the header
// row (no column of headers[0]).
func headerColumns(cells []xlsxstream.Cell, headers []string) []int {
	cols := make([]int, len(headers))
	for h := range cols {
		cols[h] = -1
	}
	for _, c := range cells {
		for h, header := range headers {
			if cols[h] < 0 && c.Type != "e" && strings.EqualFold(strings.TrimSpace(c.Value), header) {
				cols[h] = c.Col
			}
		}
	}
	if cols[0] < 0 {
		return nil
	}
	return cols
}

// cellValue is a cell's value as a spreadsheet shows it, nearly: numbers
// in at most 12 significant digits (7, 7.5, not 7.4999999999999), booleans
// as TRUE and FALSE, an error (#VALUE!) or a formula never computed as "".
func cellValue(c xlsxstream.Cell) string {
	switch c.Type {
	case "e":
		return ""
	case "b":
		return map[string]string{"1": "TRUE", "0": "FALSE"}[c.Value]
	case "", "n":
		if f, err := strconv.ParseFloat(c.Value, 64); err == nil {
			return strconv.FormatFloat(f, 'g', 12, 64)
		}
	}
	return strings.TrimSpace(c.Value)
}

// number is a whole number written in a cell ("7", or 7 as a number).
func number(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0
}
