package scrape

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

// ObservationsFile is the append-only log, inside a group folder, of every
// time scrape looked at the group's remote and which tip it saw there.
const ObservationsFile = "observations.jsonl"

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

// appendObservation adds one line to the group's log and syncs it, so an
// observation made before a crash is not lost.
func appendObservation(groupDir string, o Observation) error {
	line, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("record observation: %w", err)
	}
	if err := os.MkdirAll(groupDir, 0o755); err != nil {
		return fmt.Errorf("record observation: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(groupDir, ObservationsFile), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("record observation: %w", err)
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("record observation: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("record observation: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("record observation: %w", err)
	}
	return nil
}

// ReadObservations returns a group folder's observation log in file order.
// Lines that do not parse (a line torn by a crash) are skipped; a missing
// log is an empty one.
func ReadObservations(groupDir string) ([]Observation, error) {
	f, err := os.Open(filepath.Join(groupDir, ObservationsFile))
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

// lastObservationBy is the latest observation of this URL (asked for, or
// redirected to) and branch made at or before the deadline; ok is false when
// there is none.
func lastObservationBy(obs []Observation, url, branch string, deadline time.Time) (last Observation, ok bool) {
	for _, o := range obs {
		if (o.URL != url && o.MovedTo != url) || o.Branch != branch || o.Time.After(deadline) {
			continue
		}
		if !ok || !o.Time.Before(last.Time) {
			last, ok = o, true
		}
	}
	return last, ok
}
