// Package workspace owns a course's workspace folder: where everything lies
// on disk, the data each stage hands to the next (a group's snapshot at its
// deadline commit, the commits and files in it, the pin that says which
// commit counts), saving it atomically, loading it, and the lock that keeps
// two handin commands out of one workspace.
//
// The layout:
//
//	ROOT/
//	  .handin.lock                    held by the command using the workspace
//	  repos/NNN.git                   bare clone of group NNN's branch
//	  groups/NNN/snapshot.json        the snapshot (Snapshot)
//	  groups/NNN/files/...            files copied out of the deadline commit
//	  groups/NNN/observations.jsonl   the evidence log (Observation per line)
//	  groups/NNN/result.json          the grade of the snapshot
//	  tmp/                            clones in progress
//
// It knows no git: scrape fills snapshots, grade and export read them.
package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"handin/internal/atomicfile"
)

// File and folder names inside the workspace and a group folder.
const (
	reposDir         = "repos"
	groupsDir        = "groups"
	tmpDir           = "tmp"
	snapshotFile     = "snapshot.json"
	filesDir         = "files"
	observationsFile = "observations.jsonl"
	resultFile       = "result.json"
	unreachedFile    = "unreached.json"
)

// Workspace is an open, locked workspace folder. Close releases it.
type Workspace struct {
	root string
	lock *lockFile
}

// Root is the workspace folder.
func (w *Workspace) Root() string { return w.root }

// GroupDir is the folder of one group.
func (w *Workspace) GroupDir(group int) string {
	return filepath.Join(w.root, groupsDir, groupFolderName(group))
}

func groupFolderName(group int) string { return fmt.Sprintf("%03d", group) }

// ClonePath is where the bare clone of a group's repository is kept.
func (w *Workspace) ClonePath(group int) string {
	return filepath.Join(w.root, reposDir, fmt.Sprintf("%03d.git", group))
}

// TmpDir holds clones in progress; it is emptied whenever the workspace is
// opened, since nothing in it is ever complete.
func (w *Workspace) TmpDir() string { return filepath.Join(w.root, tmpDir) }

// NewCloneDir makes an empty folder in TmpDir to clone a group's
// repository into, for the caller to rename to ClonePath once complete.
func (w *Workspace) NewCloneDir(group int) (string, error) {
	if err := os.MkdirAll(w.TmpDir(), 0o755); err != nil {
		return "", fmt.Errorf("workspace: %w", err)
	}
	dir, err := os.MkdirTemp(w.TmpDir(), fmt.Sprintf("%03d-*.git", group))
	if err != nil {
		return "", fmt.Errorf("workspace: %w", err)
	}
	return dir, nil
}

// SnapshotPath is where a group's snapshot is kept.
func (w *Workspace) SnapshotPath(group int) string {
	return filepath.Join(w.GroupDir(group), snapshotFile)
}

// FilesPath is the folder of the files copied out of a group's deadline
// commit.
func (w *Workspace) FilesPath(group int) string { return filepath.Join(w.GroupDir(group), filesDir) }

// ResultPath is where a group's result is kept.
func (w *Workspace) ResultPath(group int) string {
	return filepath.Join(w.GroupDir(group), resultFile)
}

// Groups lists the group numbers that have a folder, in ascending order.
func (w *Workspace) Groups() ([]int, error) {
	entries, err := os.ReadDir(filepath.Join(w.root, groupsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list groups: %w", err)
	}
	var groups []int
	for _, e := range entries { // ReadDir sorts by name; names are zero-padded numbers
		n, err := strconv.Atoi(e.Name())
		if err == nil && e.IsDir() && n >= 0 && e.Name() == groupFolderName(n) {
			groups = append(groups, n)
		}
	}
	return groups, nil
}

// Create opens the workspace at root for a command that fills it (scrape,
// run), making the folder when it does not exist yet.
func Create(root string) (*Workspace, error) {
	if root == "" {
		return nil, errors.New("workspace: no folder given")
	}
	for _, sub := range []string{reposDir, groupsDir} {
		if err := os.MkdirAll(filepath.Join(root, sub), 0o755); err != nil {
			return nil, fmt.Errorf("workspace: %w", err)
		}
	}
	return open(root)
}

// Open opens an existing workspace for a command that reads what an earlier
// scrape left (grade, export, page). A missing folder is an error: a typo
// must not look like an empty course.
func Open(root string) (*Workspace, error) {
	if root == "" {
		return nil, errors.New("workspace: no folder given")
	}
	info, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("workspace: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("workspace %s: not a folder", root)
	}
	return open(root)
}

func open(root string) (*Workspace, error) {
	lock, err := acquire(root)
	if err != nil {
		return nil, err
	}
	w := &Workspace{root: root, lock: lock}
	// Leftovers of an interrupted run: nothing in tmp/ is ever complete;
	// a group's snapshot is the old one or the new one (recoverSnapshots).
	if err := os.RemoveAll(w.TmpDir()); err != nil {
		w.Close()
		return nil, fmt.Errorf("workspace: clean %s: %w", w.TmpDir(), err)
	}
	if err := w.recoverSnapshots(); err != nil {
		w.Close()
		return nil, fmt.Errorf("workspace: %w", err)
	}
	return w, nil
}

// Close empties tmp/ and releases the lock.
func (w *Workspace) Close() error {
	err := os.RemoveAll(w.TmpDir())
	w.lock.release()
	return err
}

// ErrUnencodable: a value holds something JSON cannot write (a time after
// year 9999, ...). It is a fact about the data, not the disk: the caller
// can store something else instead.
var ErrUnencodable = errors.New("cannot be written as JSON")

// WriteJSON writes v as indented JSON to name atomically: readers (and the
// next run after a crash) see the old file or the new, never a mix. A value
// JSON cannot hold gives an error wrapping ErrUnencodable, and name is left
// as it was.
func WriteJSON(name string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("write %s: %w: %w", name, ErrUnencodable, err)
	}
	return atomicfile.Write(name, append(data, '\n'), 0o644)
}

// ReadJSON reads the JSON file name into v.
func ReadJSON(name string, v any) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	return nil
}
