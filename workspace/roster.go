package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"
)

// rosterFile keeps groups.csv as the last scrape read it.
const rosterFile = "roster.json"

// Roster is groups.csv as the last scrape read it: every row, valid or
// not, so that later stages list a group whose row is broken (a duplicated
// or missing number gives it no folder of its own) with the file and line.
type Roster struct {
	File   string      `json:"file"` // groups.csv as named to scrape
	ReadAt time.Time   `json:"read_at"`
	Rows   []RosterRow `json:"rows"`
}

// RosterRow is one row of groups.csv.
type RosterRow struct {
	Line     int      `json:"line"`
	Group    int      `json:"group"` // 0 when the row has no usable number
	Students []string `json:"students"`
	URL      string   `json:"url,omitempty"` // credentials removed
	// Repo names the repository the row's URL is of, the same for every
	// way of writing it (http or https, ssh, git@host:owner/name, letter
	// case, a trailing .git or slash): host and path in lower case, as
	// github.com/owner/name. "" when the URL is invalid.
	Repo  string `json:"repo,omitempty"`
	Error string `json:"error,omitempty"` // why the row is invalid, with file and line
	// Folder: the row owns its group number's folder (the first valid row
	// with that number, else the first invalid one), so the snapshot and
	// result there are this row's. A duplicate row owns none.
	Folder bool `json:"folder"`
}

// SaveRoster replaces the workspace's roster.
func (w *Workspace) SaveRoster(r Roster) error {
	if err := WriteJSON(filepath.Join(w.root, rosterFile), r); err != nil {
		return fmt.Errorf("save roster: %w", err)
	}
	return nil
}

// LoadRoster is the roster of the last scrape; an empty one when no scrape
// saved one yet.
func (w *Workspace) LoadRoster() (Roster, error) {
	var r Roster
	err := ReadJSON(filepath.Join(w.root, rosterFile), &r)
	if errors.Is(err, fs.ErrNotExist) {
		return Roster{}, nil
	}
	if err != nil {
		return Roster{}, fmt.Errorf("load roster: %w", err)
	}
	return r, nil
}
