package claims

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// A Jupyter notebook (.ipynb) is JSON; its code cells are Python. The text
// searches that read Python files read a notebook's code cells as Python
// source: markdown cells and outputs never count (an output could hold
// anything, a markdown cell is prose). Evidence in a notebook points to the
// line of the .ipynb file that holds the code line's JSON string: the very
// line for notebooks Jupyter saved (one string per source line), the line
// of the whole source where a cell's source is one string.

// notebookExt is a notebook's file extension, lowercased.
const notebookExt = ".ipynb"

func isNotebook(lowerPath string) bool { return strings.HasSuffix(lowerPath, notebookExt) }

// errNotNotebook is why a file named .ipynb is not read: its JSON does not
// hold cells.
var errNotNotebook = errors.New("not a Jupyter notebook: no cells")

// pythonCellMagics are the cell magics (%%name on a cell's first line)
// whose cell body is still Python; a cell under another one (%%bash,
// %%html, %%writefile) is another language or a file's text, and is left
// out.
var pythonCellMagics = map[string]bool{"time": true, "timeit": true, "capture": true, "prun": true}

// notebookCode returns the code cells of a notebook (nbformat 4 cells[],
// or nbformat 3 worksheets[].cells[] with their input) as Python text, and
// for each of its lines the line of raw that holds it. IPython lines
// (%magic, !shell command) are left out: a command run from a notebook is
// like one typed in a terminal, which leaves no file the rules could trust.
func notebookCode(raw []byte) (code []byte, lines []int, err error) {
	w := notebookWalker{dec: json.NewDecoder(bytes.NewReader(raw)), raw: raw, line: 1}
	tok, err := w.dec.Token()
	if err != nil {
		return nil, nil, notebookError(err)
	}
	if tok != json.Delim('{') {
		return nil, nil, errNotNotebook
	}
	if err := w.object(nbRoot); err != nil {
		return nil, nil, notebookError(err)
	}
	if _, err := w.dec.Token(); err != io.EOF {
		return nil, nil, errors.New("invalid JSON: text after the notebook")
	}
	if !w.sawCells {
		return nil, nil, errNotNotebook
	}
	var out bytes.Buffer
	for _, c := range w.cells {
		if c.cellType != "code" {
			continue
		}
		for _, l := range pythonLines(c.lines()) {
			out.WriteString(l.text)
			out.WriteByte('\n')
			lines = append(lines, l.at)
		}
	}
	return out.Bytes(), lines, nil
}

func notebookError(err error) error {
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	return err
}

// notebookLine is one line of a cell's source and the line of the .ipynb
// file that holds it.
type notebookLine struct {
	text string
	at   int
}

// pythonLines leaves out a cell's IPython lines, and the whole cell when a
// cell magic makes it another language.
func pythonLines(lines []notebookLine) []notebookLine {
	var out []notebookLine
	for i, l := range lines {
		trimmed := strings.TrimLeft(l.text, " \t")
		if i == 0 && strings.HasPrefix(trimmed, "%%") {
			name, _, _ := strings.Cut(strings.TrimPrefix(trimmed, "%%"), " ")
			if !pythonCellMagics[strings.TrimSpace(name)] {
				return nil
			}
			continue
		}
		if strings.HasPrefix(trimmed, "%") || strings.HasPrefix(trimmed, "!") {
			continue
		}
		out = append(out, l)
	}
	return out
}

// notebookCell is a cell as read: its type and its source's JSON strings,
// each with the line of the file it ends on (a JSON string holds no raw
// line break, so that is the line it is on).
type notebookCell struct {
	cellType string
	pieces   []notebookLine
}

// lines joins the cell's source pieces (nbformat concatenates them; each
// usually ends with a line break) into lines, each with the file line of
// the piece it starts in.
func (c notebookCell) lines() []notebookLine {
	var out []notebookLine
	open := false // the last line has no line break yet: the next piece continues it
	for _, p := range c.pieces {
		for k, text := range strings.Split(p.text, "\n") {
			if k == 0 && open {
				out[len(out)-1].text += text
				continue
			}
			out = append(out, notebookLine{text: text, at: p.at})
		}
		open = !strings.HasSuffix(p.text, "\n")
		if !open {
			out = out[:len(out)-1] // the empty line after the final break
		}
	}
	return out
}

// Where a JSON value sits in a notebook: only these are read, any other
// value is skipped.
type notebookPlace int

const (
	nbOther      notebookPlace = iota
	nbRoot                     // the notebook object
	nbWorksheets               // nbformat 3: the worksheets array
	nbWorksheet                // nbformat 3: one worksheet object
	nbCells                    // the cells array
	nbCell                     // one cell object
	nbSource                   // a cell's source (nbformat 3: input): a string or an array of strings
	nbCellType                 // a cell's cell_type
)

// notebookWalker reads a notebook's JSON token by token, to know the file
// line of each source string; the values it does not read are skipped
// whole, without recursion (encoding/json refuses nesting past 10,000).
type notebookWalker struct {
	dec      *json.Decoder
	raw      []byte
	cells    []notebookCell
	sawCells bool
	// line is the line of raw at offset: lines are counted forward only.
	offset int64
	line   int
}

// lineAt returns the 1-based line of raw at offset, which never goes back.
func (w *notebookWalker) lineAt(offset int64) int {
	w.line += bytes.Count(w.raw[w.offset:offset], []byte("\n"))
	w.offset = offset
	return w.line
}

// inside is the place of a key's value in an object at place.
func inside(place notebookPlace, key string) notebookPlace {
	switch {
	case place == nbRoot && key == "cells", place == nbWorksheet && key == "cells":
		return nbCells
	case place == nbRoot && key == "worksheets":
		return nbWorksheets
	case place == nbCell && (key == "source" || key == "input"):
		return nbSource
	case place == nbCell && key == "cell_type":
		return nbCellType
	}
	return nbOther
}

// object reads an object's members after its '{', and its '}'.
func (w *notebookWalker) object(place notebookPlace) error {
	for w.dec.More() {
		key, err := w.dec.Token()
		if err != nil {
			return err
		}
		k, _ := key.(string)
		if err := w.value(inside(place, k)); err != nil {
			return err
		}
	}
	_, err := w.dec.Token()
	return err
}

// value reads one value at place.
func (w *notebookWalker) value(place notebookPlace) error {
	if place == nbOther {
		return w.skip()
	}
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		if place == nbCells || place == nbWorksheets {
			return w.skipRest() // an array was expected
		}
		return w.object(place)
	case json.Delim('['):
		return w.array(place)
	}
	if s, ok := tok.(string); ok {
		w.str(place, s)
	}
	return nil
}

// array reads an array's elements after its '[', and its ']'.
func (w *notebookWalker) array(place notebookPlace) error {
	element := nbOther
	switch place {
	case nbWorksheets:
		element = nbWorksheet
	case nbCells:
		w.sawCells = true
		element = nbCell
	case nbSource:
		element = nbSource
	}
	for w.dec.More() {
		if element == nbCell {
			w.cells = append(w.cells, notebookCell{})
		}
		if element == nbSource {
			// Only strings: an array in a source is not one.
			tok, err := w.dec.Token()
			if err != nil {
				return err
			}
			if s, ok := tok.(string); ok {
				w.str(nbSource, s)
			} else if d, ok := tok.(json.Delim); ok && (d == '[' || d == '{') {
				if err := w.skipRest(); err != nil {
					return err
				}
			}
			continue
		}
		if err := w.value(element); err != nil {
			return err
		}
	}
	_, err := w.dec.Token()
	return err
}

// str takes a string at place: a piece of the current cell's source, or
// its type.
func (w *notebookWalker) str(place notebookPlace, s string) {
	if len(w.cells) == 0 {
		return
	}
	c := &w.cells[len(w.cells)-1]
	switch place {
	case nbSource:
		c.pieces = append(c.pieces, notebookLine{text: s, at: w.lineAt(w.dec.InputOffset())})
	case nbCellType:
		c.cellType = s
	}
}

// skip skips one value (outputs, metadata) without making Go values of it:
// several times quicker than token by token.
func (w *notebookWalker) skip() error {
	var value json.RawMessage
	return w.dec.Decode(&value)
}

// skipRest skips the rest of an object or array whose opening token was
// read, counting depth instead of recursing.
func (w *notebookWalker) skipRest() error {
	for depth := 1; depth > 0; {
		tok, err := w.dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
	}
	return nil
}
