package gradebook

// What handin remembers of the gradebook it last wrote, in a small file
// next to it: the SHA-256 of the bytes (an unchanged file was not edited,
// so it needs no backup), the header rows (to notice a renamed column once)
// and digests of the values in handin's own columns (to tell a value the instructor
// typed into one of them from handin's own).

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"slices"

	"handin/internal/atomicfile"
	"handin/internal/inputfile"
)

// stateSchema changes when a field of the state changes meaning;
// a state of another schema is ignored (the next export then keeps a
// backup, which is safe).
const stateSchema = 2

// state is what handin remembers of the gradebook it last wrote (StateFile).
type state struct {
	Schema int `json:"schema"`
	// Book: SHA-256 of gradebook.xlsx as handin last wrote it, and of the
	// file that one replaced when that was handin's own too (the state is
	// saved before the rename, and a crash may leave either).
	Book []string `json:"book,omitempty"`
	// Pending: the same for gradebook.new.xlsx.
	Pending []string `json:"pending,omitempty"`
	// Headers: each sheet's header row as handin last wrote or read it.
	Headers map[string][]string `json:"headers,omitempty"`
	// Values: what handin wrote into its own columns of gradebook.xlsx.
	Values map[string]*writtenSheet `json:"values,omitempty"`
	// Plain: handin's sheets of gradebook.xlsx that held nothing of the
	// instructor's when written (no column, comment or hidden column of
	// theirs): while the file is unedited they need not be read back.
	Plain []string `json:"plain,omitempty"`
	// Backups: the instructor values each backup holds, as digests (see
	// valueDigests), so that pruning reads each backup once.
	Backups map[string]backupValues `json:"backups,omitempty"`
}

// backupValues are the digests of a backup's instructor values.
type backupValues struct {
	SHA256 string   `json:"sha256"`
	Values []string `json:"values"`
}

// valueDigests are the instructor values as short digests, sorted and
// without repeats: enough to tell whether a backup holds a value that no
// newer one does, without keeping the values themselves.
func valueDigests(values []string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		sum := sha256.Sum256([]byte(v))
		out[i] = hex.EncodeToString(sum[:8])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// writtenSheet is what handin wrote into its columns of one sheet, as
// digests (see cellDigest): of each cell's row key, column and canonical
// value, and of each row key. A digest is 8 bytes where the values
// themselves would take tens of MB for a course of 1,000 groups. The
// digests follow the state's JSON in its file as raw bytes (see save).
type writtenSheet struct {
	// Key is the sheet's key when written (Layout.Key): the row keys of
	// the digests are of these columns. Earlier versions did not record
	// it: see Layout.FormerKey.
	Key     []string  `json:"key,omitempty"`
	Columns []string  `json:"columns"`
	Cells   digestSet `json:"-"`
	Rows    digestSet `json:"-"`
	// CellDigests and RowDigests say how many digests of each follow.
	CellDigests int `json:"cell_digests"`
	RowDigests  int `json:"row_digests"`
}

// wrote says whether handin wrote this canonical value into this column on
// a row with this key (a key may have several rows: a student in two
// groups). known is false when it wrote no such row or column (a nil sheet
// has none); then every value there is the instructor's. wroteEmpty: the
// cell handin wrote there was empty.
func (w *writtenSheet) wrote(key, header, value string) (same, known, wroteEmpty bool) {
	if w == nil || key == "" || !slices.Contains(w.Columns, header) || !w.Rows.has(keyDigest(key)) {
		return false, false, false
	}
	if w.Cells.has(cellDigest(key, header, value)) {
		return true, true, false
	}
	return false, true, w.Cells.has(cellDigest(key, header, ""))
}

// hasRow says whether handin wrote a row of this key (a nil sheet has
// none).
func (w *writtenSheet) hasRow(key string) bool {
	return w != nil && w.Rows.has(keyDigest(key))
}

// keyOf is the key the digests were written with, for a sheet of layout l.
func (w *writtenSheet) keyOf(l Layout) []string {
	switch {
	case w.Key != nil:
		return w.Key
	case l.FormerKey != nil:
		return l.FormerKey
	}
	return l.Key
}

// digestSet is a sorted set of 8-byte digests.
type digestSet []uint64

// newDigestSet sorts the digests, in place, into a set.
func newDigestSet(digests []uint64) digestSet {
	slices.Sort(digests)
	return slices.Compact(digests)
}

func (s digestSet) has(d uint64) bool {
	_, found := slices.BinarySearch(s, d)
	return found
}

// maxDigests bounds the count a state file may give: a sheet has at most
// 2^20 rows of 2^14 columns.
const maxDigests = 1 << 34

// digestChunk is how many digests are read or written at a time.
const digestChunk = 4096

// write writes the digests big-endian, one after the other.
func (s digestSet) write(w io.Writer) error {
	buf := make([]byte, 0, 8*digestChunk)
	for chunk := range slices.Chunk(s, digestChunk) {
		buf = buf[:0]
		for _, d := range chunk {
			buf = binary.BigEndian.AppendUint64(buf, d)
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// readDigests reads n digests as write wrote them.
func readDigests(r io.Reader, n int) (digestSet, error) {
	if n < 0 || n > maxDigests {
		return nil, fmt.Errorf("%d digests", n)
	}
	s := make(digestSet, 0, n)
	buf := make([]byte, 8*digestChunk)
	for len(s) < n {
		chunk := buf[:8*min(digestChunk, n-len(s))]
		if _, err := io.ReadFull(r, chunk); err != nil {
			return nil, err
		}
		for i := 0; i < len(chunk); i += 8 {
			s = append(s, binary.BigEndian.Uint64(chunk[i:]))
		}
	}
	return s, nil
}

// cellDigest identifies a cell handin wrote: its row key, column and
// canonical value. A collision would take a typed value for handin's, so
// the digest is cryptographic: no value a student writes can aim at one.
func cellDigest(key, header, value string) uint64 {
	return digest64(key + "\x00" + header + "\x00" + value)
}

func keyDigest(key string) uint64 { return digest64(key) }

func digest64(s string) uint64 {
	sum := sha256.Sum256([]byte(s))
	return binary.BigEndian.Uint64(sum[:8])
}

func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// maxStateSize bounds the state read (inflated): some 20 MB for 1,000
// groups.
const maxStateSize = 1 << 30

// loadState reads the state; a missing, unreadable or older one is an
// empty state: every workbook on disk then counts as edited.
func loadState(name string) *state {
	empty := &state{Schema: stateSchema}
	f, err := os.Open(name)
	if err != nil {
		return empty
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		return empty
	}
	inflated := io.LimitReader(zr, maxStateSize) // past it: unreadable, so empty
	dec := json.NewDecoder(inflated)
	var s state
	if err := dec.Decode(&s); err != nil || s.Schema != stateSchema {
		return empty
	}
	digests := io.MultiReader(dec.Buffered(), inflated)
	newline := make([]byte, 1) // Encode ends the JSON with one
	if _, err := io.ReadFull(digests, newline); err != nil || newline[0] != '\n' {
		return empty
	}
	for _, sheet := range slices.Sorted(maps.Keys(s.Values)) {
		w := s.Values[sheet]
		if w == nil {
			return empty
		}
		if w.Cells, err = readDigests(digests, w.CellDigests); err != nil {
			return empty
		}
		if w.Rows, err = readDigests(digests, w.RowDigests); err != nil {
			return empty
		}
	}
	return &s
}

// save writes the state atomically: its JSON, then the digests of each
// sheet of Values (in the order of their names) as raw bytes, which JSON
// would hold in memory as one base64 string.
func (s *state) save(name string) error {
	return atomicfile.Stream(name, 0o644, func(w io.Writer) error {
		zw := gzip.NewWriter(w)
		for _, v := range s.Values {
			v.CellDigests, v.RowDigests = len(v.Cells), len(v.Rows)
		}
		if err := json.NewEncoder(zw).Encode(s); err != nil {
			return fmt.Errorf("gradebook state: %w", err)
		}
		for _, sheet := range slices.Sorted(maps.Keys(s.Values)) {
			for _, set := range []digestSet{s.Values[sheet].Cells, s.Values[sheet].Rows} {
				if err := set.write(zw); err != nil {
					return fmt.Errorf("gradebook state: %w", err)
				}
			}
		}
		return zw.Close()
	})
}

// maxWorkbookFile bounds a workbook file read (a gradebook of 1,000
// groups is some 20 MB).
const maxWorkbookFile = 256 << 20

// readIfExists is the file's content, or nil when there is no file. A file
// over maxWorkbookFile is an error wrapping inputfile.ErrTooLarge.
func readIfExists(name string) ([]byte, error) {
	data, err := inputfile.Read(name, maxWorkbookFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return data, err
}
