package workspace

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Observation is one look at a group's remote branch. Time is taken after
// the tip was known, so "TipSHA was pushed by Time" always holds.
type Observation struct {
	Time   time.Time `json:"time"`
	URL    string    `json:"url"` // redacted
	Branch string    `json:"branch"`
	TipSHA string    `json:"tip_sha"` // "" when the remote branch was empty
	// MovedTo is where URL redirected to: observations made before the
	// instructor updated groups.csv to it still count.
	MovedTo string `json:"moved_to,omitempty"`
}

// ObservationsPath is a group's append-only evidence log: every time a
// scrape looked at the group's remote and which tip it saw there.
func (w *Workspace) ObservationsPath(group int) string {
	return filepath.Join(w.GroupDir(group), observationsFile)
}

// AppendObservation adds one line to the group's log and syncs it, so an
// observation made before a crash is not lost.
func (w *Workspace) AppendObservation(group int, o Observation) error {
	line, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("record observation: %w", err)
	}
	if err := os.MkdirAll(w.GroupDir(group), 0o755); err != nil {
		return fmt.Errorf("record observation: %w", err)
	}
	f, err := os.OpenFile(w.ObservationsPath(group), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("record observation: %w", err)
	}
	_, err = f.Write(append(line, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return fmt.Errorf("record observation: %w", err)
	}
	return nil
}

// Observations returns a group's evidence log in file order. Lines that do
// not parse (a line torn by a crash) are skipped; a missing log is an empty
// one.
func (w *Workspace) Observations(group int) ([]Observation, error) {
	f, err := os.Open(w.ObservationsPath(group))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read observations: %w", err)
	}
	defer f.Close()
	var obs []Observation
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var o Observation
		if json.Unmarshal(sc.Bytes(), &o) == nil && !o.Time.IsZero() {
			obs = append(obs, o)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read observations: %w", err)
	}
	return obs, nil
}
