package export

// What handin remembers of the gradebook it last wrote, in a small file
// next to it: the SHA-256 of the bytes (an unchanged file was not edited,
// so it needs no backup), the header rows (to notice a renamed column once)
// and the values of handin's own columns (to tell a value the instructor
// typed into one of them from handin's own).

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"

	"handin/internal/atomicfile"
)

// GradebookStateFile is the state file's name in the output folder.
const GradebookStateFile = ".gradebook-state.json.gz"

// gradebookStateSchema changes when a field of the state changes meaning;
// a state of another schema is ignored (the next export then keeps a
// backup, which is safe).
const gradebookStateSchema = 1

type gradebookState struct {
	Schema int `json:"schema"`
	// Book: SHA-256 of gradebook.xlsx as handin wrote it. While a write is
	// under way it holds the old and the new, so that a crash between the
	// rename and the state's update does not look like an edit.
	Book []string `json:"book,omitempty"`
	// Pending: SHA-256 of gradebook.new.xlsx as handin wrote it.
	Pending []string `json:"pending,omitempty"`
	// Headers: each sheet's header row as handin last wrote or read it.
	Headers map[string][]string `json:"headers,omitempty"`
	// Values: what handin wrote into its own columns of gradebook.xlsx.
	Values map[string]*writtenSheet `json:"values,omitempty"`
}

// writtenSheet is what handin wrote into its columns of one sheet: the
// canonical value of every cell, by row key (a key may have several rows:
// a student in two groups).
type writtenSheet struct {
	Columns []string              `json:"columns"`
	Rows    map[string][][]string `json:"rows"`
}

// wrote says whether handin wrote this canonical value into this column on
// a row with this key. known is false when it wrote no such row or column
// (a nil sheet has none); then every value there is the instructor's.
// wrote is the value handin wrote there, for messages.
func (w *writtenSheet) wrote(key, header, value string) (same, known bool, wrote string) {
	if w == nil || key == "" {
		return false, false, ""
	}
	i := slices.Index(w.Columns, header)
	rows := w.Rows[key]
	if i < 0 || len(rows) == 0 {
		return false, false, ""
	}
	for _, row := range rows {
		if i < len(row) && row[i] == value {
			return true, true, value
		}
	}
	if i < len(rows[0]) {
		wrote = rows[0][i]
	}
	return false, true, wrote
}

func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// loadGradebookState reads the state; a missing, unreadable or older one is
// an empty state: every workbook on disk then counts as edited.
func loadGradebookState(name string) *gradebookState {
	empty := &gradebookState{Schema: gradebookStateSchema}
	data, err := os.ReadFile(name)
	if err != nil {
		return empty
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return empty
	}
	var s gradebookState
	if err := json.NewDecoder(zr).Decode(&s); err != nil || s.Schema != gradebookStateSchema {
		return empty
	}
	return &s
}

// save writes the state atomically.
func (s *gradebookState) save(name string) error {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(s); err != nil {
		return fmt.Errorf("gradebook state: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("gradebook state: %w", err)
	}
	return atomicfile.Write(name, buf.Bytes(), 0o644)
}

// readIfExists is the file's content, or nil when there is no file.
func readIfExists(name string) ([]byte, error) {
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return data, err
}
