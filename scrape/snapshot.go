package scrape

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// Status says how scraping one group ended.
type Status string

const (
	StatusOK            Status = "ok"
	StatusInvalid       Status = "invalid"       // bad groups.csv row
	StatusNotFound      Status = "not-found"     // 404, or private without a token
	StatusAuthFailed    Status = "auth-failed"   // 401/403 with a token
	StatusTimeout       Status = "timeout"       // per-repo timeout hit
	StatusNetworkError  Status = "network-error" // transient failures, retries exhausted
	StatusEmptyRepo     Status = "empty-repo"    // no commits at all
	StatusNoCommit      Status = "no-commit-before-deadline"
	StatusNoReport      Status = "no-report" // deadline tree has no report anywhere
	StatusInternalError Status = "error"     // anything else (disk, corrupt pack)
)

// Infrastructure reports whether a status means handin could not look at the
// repository (as opposed to a fact about what the students handed in).
func (s Status) Infrastructure() bool {
	switch s {
	case StatusTimeout, StatusNetworkError, StatusAuthFailed, StatusInternalError:
		return true
	}
	return false
}

// Pinned reports whether the status comes with a deadline commit to grade
// (ok, or no-report: the commit is there, the report is not).
func (s Status) Pinned() bool { return s == StatusOK || s == StatusNoReport }

// Snapshot is everything later stages know about a group's repository at its
// deadline commit. It is plain data: parse, grade and export never touch git.
type Snapshot struct {
	Group    int      `json:"group"`
	Students []string `json:"students"`           // roster ids from groups.csv
	URL      string   `json:"url"`                // clone URL, credentials removed
	WebURL   string   `json:"web_url"`            // browsable URL (https://github.com/o/r) when known
	MovedTo  string   `json:"moved_to,omitempty"` // where URL redirects to (a renamed repository)
	Branch   string   `json:"branch"`
	Status   Status   `json:"status"`
	Error    string   `json:"error,omitempty"` // why, when Status is not ok

	Deadline  time.Time `json:"deadline"`
	ScrapedAt time.Time `json:"scraped_at"`
	TipSHA    string    `json:"tip_sha,omitempty"` // branch tip when scraped

	DeadlineSHA  string    `json:"deadline_sha,omitempty"`
	DeadlineTime time.Time `json:"deadline_time,omitempty"` // committer time of DeadlineSHA
	LateCommits  int       `json:"late_commits"`            // first-parent commits after DeadlineSHA
	// NonMonotonic: committer times go backwards somewhere on the first-parent
	// chain (rewritten or backdated history).
	NonMonotonic bool `json:"non_monotonic"`
	// Backdated: the observation log pins a different commit than the dates
	// do, i.e. commits dated before the deadline were pushed after it.
	Backdated bool   `json:"backdated"`
	PinnedBy  string `json:"pinned_by,omitempty"` // "committer-date" or "observation"
	// ObservedAt is when the observation that pinned DeadlineSHA was made.
	ObservedAt   time.Time `json:"observed_at,omitzero"`
	DateBasedSHA string    `json:"date_based_sha,omitempty"` // set when it differs from DeadlineSHA

	// Commits reachable from DeadlineSHA (all parents), newest first.
	Commits []Commit `json:"commits"`
	// Tree is every file of the deadline commit.
	Tree []File `json:"tree"`
	// Exported lists the files copied out of the deadline commit into the
	// snapshot's files/ folder (report folder, README files, figures).
	Exported []string `json:"exported"`
	// Notes are non-fatal remarks (size limits hit, symlinks skipped).
	Notes []string `json:"notes,omitempty"`

	// dir is the folder holding snapshot.json and files/; set by Load.
	dir string
}

// Commit is one commit's metadata.
type Commit struct {
	SHA         string    `json:"sha"`
	Parents     []string  `json:"parents"`
	AuthorName  string    `json:"author_name"`
	AuthorEmail string    `json:"author_email"`
	AuthorTime  time.Time `json:"author_time"`
	CommitTime  time.Time `json:"commit_time"`
	Message     string    `json:"message"`
}

// File is one entry of the deadline tree.
type File struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	Mode   string `json:"mode"`             // "file", "exec", "symlink", "submodule"
	Target string `json:"target,omitempty"` // symlink target, recorded, never followed
}

// SnapshotFile is the snapshot's file name inside a group folder.
const SnapshotFile = "snapshot.json"

// FilesDir is the folder (inside a group folder) holding the exported files
// of the deadline commit.
const FilesDir = "files"

// GroupDir is the folder of one group inside a workspace.
func GroupDir(workspace string, group int) string {
	return filepath.Join(workspace, "groups", fmt.Sprintf("%03d", group))
}

// Dir is the group folder this snapshot was loaded from.
func (s *Snapshot) Dir() string { return s.dir }

// Open opens an exported file of the deadline commit by its repository path
// (slash-separated, relative to the repo root). It never leaves the
// snapshot's files/ folder: paths are cleaned against the repository root and
// opened through os.Root, which also refuses symlinks that point outside.
// Files not exported give fs.ErrNotExist.
func (s *Snapshot) Open(repoPath string) (*os.File, error) {
	clean := path.Clean("/" + repoPath)[1:]
	if clean == "" || !fs.ValidPath(clean) || strings.Contains(repoPath, "\\") {
		return nil, fmt.Errorf("open %q: %w", repoPath, fs.ErrInvalid)
	}
	if s.dir == "" {
		return nil, fmt.Errorf("open %q: snapshot has no folder: %w", repoPath, fs.ErrNotExist)
	}
	root, err := os.OpenRoot(filepath.Join(s.dir, FilesDir))
	if err != nil {
		return nil, fmt.Errorf("open %q: %w", repoPath, err)
	}
	defer root.Close()
	return root.Open(filepath.FromSlash(clean))
}

// ReadFile returns an exported file of the deadline commit (see Open).
func (s *Snapshot) ReadFile(repoPath string) ([]byte, error) {
	f, err := s.Open(repoPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// HasFile reports whether the deadline tree holds exactly this path.
func (s *Snapshot) HasFile(repoPath string) bool {
	for _, f := range s.Tree {
		if f.Path == repoPath {
			return true
		}
	}
	return false
}

// LoadSnapshot reads a group's snapshot from a workspace.
func LoadSnapshot(workspace string, group int) (*Snapshot, error) {
	return LoadSnapshotDir(GroupDir(workspace, group))
}

// LoadSnapshotDir reads the snapshot kept in a group folder.
func LoadSnapshotDir(dir string) (*Snapshot, error) {
	data, err := os.ReadFile(filepath.Join(dir, SnapshotFile))
	if err != nil {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	var s Snapshot
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("load snapshot %s: %w", filepath.Join(dir, SnapshotFile), err)
	}
	s.dir = dir
	return &s, nil
}

// LoadAll reads every group snapshot in a workspace, sorted by group number.
// A snapshot that cannot be read is reported in errs and skipped.
func LoadAll(workspace string) (snaps []*Snapshot, errs []error) {
	entries, err := os.ReadDir(filepath.Join(workspace, "groups"))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, []error{fmt.Errorf("list workspace: %w", err)}
	}
	for _, e := range entries { // ReadDir sorts by name; names are zero-padded numbers
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(workspace, "groups", e.Name())
		if _, err := os.Stat(filepath.Join(dir, SnapshotFile)); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		s, err := LoadSnapshotDir(dir)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		snaps = append(snaps, s)
	}
	return snaps, errs
}
