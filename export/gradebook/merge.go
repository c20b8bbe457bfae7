package gradebook

// Merging graders' copies of the gradebook into it: each grader typed
// into a copy of their own, and what they typed comes back into the one
// gradebook, never silently over another grader's value.

import (
	"cmp"
	"fmt"
	"iter"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"handin/internal/inputfile"
)

// Change is a value a merge took from a copy, or could not take because
// two copies set the cell differently (a conflict: the value went to the
// Kept sheet, the gradebook kept its own).
type Change struct {
	File     string `json:"file"` // the copy, as named to Merge
	Sheet    string `json:"sheet"`
	Row      string `json:"row"` // "Group 7, Question 3"
	Column   string `json:"column"`
	Cell     string `json:"cell"` // in the copy
	Value    string `json:"value"`
	Conflict bool   `json:"conflict,omitempty"`
}

// Merge merges the instructor's values of graders' copies of the
// gradebook into the gradebook in dir (which must be there and closed),
// then writes it as Write does, with these rows: the gradebook is backed
// up first. A value of a copy that differs from the gradebook's comes in;
// an empty cell never empties one. A cell two copies set to different
// values keeps the gradebook's value, and each copy's goes to the Kept
// sheet, saying which file it came from and what the other said.
// Only the instructor's columns on handin's sheets are merged: handin's
// columns, comments and the copies' own sheets are not. Written.Merged
// lists what came from where.
func Merge(dir string, sheets []Layout, rows iter.Seq2[Row, error], copies []string, now time.Time) (*Written, error) {
	var read []*instructorWork
	for _, name := range copies {
		data, err := inputfile.Read(name, maxWorkbookFile)
		if err != nil {
			return nil, fmt.Errorf("copy %s: %w", name, err)
		}
		w, err := readInstructorWork(data, sheets, readOptions{})
		if err != nil {
			return nil, fmt.Errorf("copy %s: %w", name, err)
		}
		read = append(read, w)
	}
	var changes []Change
	written, err := writeBook(dir, sheets, rows, now, func(book *instructorWork) error {
		changes = mergeInto(book, copies, read)
		return nil
	})
	if err != nil {
		return nil, err
	}
	written.Merged = changes
	return written, nil
}

// proposal is a copy's value for a cell that differs from the gradebook's.
type proposal struct {
	file string
	cell placedCell
}

// cellAt is an instructor cell of the gradebook: sheet, column, row key.
type cellAt struct{ sheet, header, key string }

// mergeInto puts the copies' values into the gradebook's work and says
// what it did, in the order of the sheets, columns and rows.
func mergeInto(book *instructorWork, files []string, copies []*instructorWork) []Change {
	var changes []Change
	for _, l := range book.layouts {
		into := book.sheets[l.Name]
		if into == nil {
			into = &sheetWork{hidden: map[string]bool{}, notes: map[noteKey]cellNote{}}
			book.sheets[l.Name] = into
		}
		proposals := map[cellAt][]proposal{}
		var order []cellAt
		for i, c := range copies {
			from := c.sheets[l.Name]
			if from == nil {
				continue
			}
			for _, col := range from.columns {
				if col.untitled {
					continue
				}
				target := into.column(col)
				for _, key := range slices.Sorted(maps.Keys(col.cells)) {
					cell := col.cells[key]
					if have, ok := target.cells[key]; ok && have.cell.canonical() == cell.cell.canonical() {
						continue
					}
					at := cellAt{l.Name, target.header, key}
					if _, seen := proposals[at]; !seen {
						order = append(order, at)
					}
					proposals[at] = append(proposals[at], proposal{file: files[i], cell: cell})
				}
			}
		}
		for _, at := range order {
			changes = append(changes, into.settle(l, at, proposals[at], book)...)
		}
	}
	return changes
}

// column is the gradebook's instructor column of a copy's column's
// header, added (as the copy has it) when the gradebook has none.
func (s *sheetWork) column(like *instructorColumn) *instructorColumn {
	for _, c := range s.columns {
		if strings.EqualFold(c.header, like.header) {
			return c
		}
	}
	c := &instructorColumn{header: like.header, width: like.width, style: like.style, cells: map[string]placedCell{}}
	s.columns = append(s.columns, c)
	return c
}

// settle takes the copies' values for one cell: the value when they agree,
// else none, each going to Kept.
func (s *sheetWork) settle(l Layout, at cellAt, props []proposal, book *instructorWork) []Change {
	col := s.column(&instructorColumn{header: at.header})
	row := describeKey(l, at.key)
	change := func(p proposal, conflict bool) Change {
		return Change{File: p.file, Sheet: at.sheet, Row: row, Column: at.header, Cell: p.cell.from, Value: p.cell.cell.display(), Conflict: conflict}
	}
	agree := !slices.ContainsFunc(props, func(p proposal) bool { return p.cell.cell.canonical() != props[0].cell.cell.canonical() })
	if agree {
		col.cells[at.key] = props[0].cell
		out := make([]Change, len(props))
		for i, p := range props {
			out[i] = change(p, false)
		}
		return out
	}
	have := "its empty cell"
	if c, ok := col.cells[at.key]; ok {
		have = fmt.Sprintf("%q", c.cell.display())
	}
	out := make([]Change, len(props))
	for i, p := range props {
		var others []string
		for _, o := range props {
			if o.file != p.file {
				others = append(others, fmt.Sprintf("%s says %q", filepath.Base(o.file), o.cell.cell.display()))
			}
		}
		book.unplaced = append(book.unplaced, keptValue{Sheet: at.sheet, Row: row, Column: at.header, Cell: p.cell.from, Value: p.cell.cell,
			Why: fmt.Sprintf("from %s (the value here); %s: the copies differ, so the gradebook keeps %s: choose, and type it there",
				filepath.Base(p.file), strings.Join(others, ", "), have)})
		out[i] = change(p, true)
	}
	slices.SortStableFunc(out, func(a, b Change) int { return cmp.Compare(a.File, b.File) })
	return out
}
