package workspace

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Snapshot is everything later stages know about a group's repository at its
// deadline commit. It is plain data: parse, grade and export never touch git.
type Snapshot struct {
	Group    int      `json:"group"`
	Students []string `json:"students"` // roster ids from groups.csv
	URL      string   `json:"url"`      // clone URL, credentials removed
	WebURL   string   `json:"web_url"`  // browsable URL (https://github.com/o/r) when known
	// GitHub is the repository's home on the course's GitHub host
	// (https://HOST/OWNER/NAME: github.com or an Enterprise server's), where
	// its commits and files have GitHub's addresses; "" elsewhere.
	GitHub  string `json:"github,omitempty"`
	MovedTo string `json:"moved_to,omitempty"` // where URL redirects to (a renamed repository)
	Branch  string `json:"branch"`
	Status  Status `json:"status"`
	Error   string `json:"error,omitempty"` // why, when Status is not ok

	Deadline  time.Time `json:"deadline"`
	ScrapedAt time.Time `json:"scraped_at"`
	TipSHA    string    `json:"tip_sha,omitempty"` // branch tip when scraped
	Pin       Pin       `json:"pin"`

	// Commits reachable from the pinned commit (all parents), newest first.
	Commits []Commit `json:"commits"`
	// Tree is every file of the pinned commit.
	Tree []File `json:"tree"`
	// Copied lists the files copied out of the pinned commit into the
	// group's files/ folder (report folder, README files, figures).
	Copied []string `json:"copied"`
	// Notes are non-fatal remarks (size limits hit, symlinks skipped).
	Notes []string `json:"notes,omitempty"`
	// Cuts say what of the repository the scrape left out because it went
	// over one of its limits (a name too long, a history or a tree too
	// large), one line per limit.
	Cuts []string `json:"cuts,omitempty"`

	// Unreached is the last scrape that could not reach the repository
	// and kept this snapshot (nil when the last scrape reached it): the
	// group is graded from old data. Read by LoadSnapshot from its own file.
	Unreached *Unreached `json:"-"`
	// Roster is what groups.csv and the students file say of the group's
	// students besides their ids (names, addresses, GitHub logins): only
	// the students they say something of (RosterStudents has them all).
	Roster []Student `json:"roster,omitempty"`
	// Accounts are the GitHub accounts behind the addresses of Commits, and
	// the names on their profiles, as far as GitHub's API was read.
	Accounts []Account `json:"accounts,omitempty"`
	// CI is the CI status of the pinned commit; nil when the repository is
	// not on GitHub (or nothing was pinned).
	CI *CI `json:"ci,omitempty"`

	// dir is the group folder holding snapshot.json and files/; set by
	// LoadSnapshot.
	dir string
}

// Unreached is a scrape that could not look at a group's repository and
// kept the group's earlier snapshot.
type Unreached struct {
	Time   time.Time `json:"time"`
	Status Status    `json:"status"`
	Error  string    `json:"error,omitempty"`
}

// SaveUnreached records that a scrape could not reach the group's
// repository and kept its snapshot.
func (w *Workspace) SaveUnreached(group int, u Unreached) error {
	if err := WriteJSON(filepath.Join(w.GroupDir(group), unreachedFile), u); err != nil {
		return fmt.Errorf("save unreached: %w", err)
	}
	return nil
}

// ClearUnreached records that a scrape reached the group's repository.
func (w *Workspace) ClearUnreached(group int) error {
	err := os.Remove(filepath.Join(w.GroupDir(group), unreachedFile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("clear unreached: %w", err)
	}
	return nil
}

// loadUnreached is the group's unreached record; nil when there is none
// or it cannot be read (then nothing says the data is old).
func (w *Workspace) loadUnreached(group int) *Unreached {
	var u Unreached
	if ReadJSON(filepath.Join(w.GroupDir(group), unreachedFile), &u) != nil {
		return nil
	}
	return &u
}

// RosterStudents is every roster student of the group, in roster order,
// with what the roster says of them.
func (s *Snapshot) RosterStudents() []Student {
	out := make([]Student, len(s.Students))
	for i, id := range s.Students {
		if j := slices.IndexFunc(s.Roster, func(st Student) bool { return strings.EqualFold(st.ID, id) }); j >= 0 {
			out[i] = s.Roster[j]
		}
		out[i].ID = id
	}
	return out
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
	// DateNote says what the commit object really wrote when a date could
	// not be kept as written (after year 9999, a time zone of a day or
	// more): AuthorTime and CommitTime then hold the nearest date that can.
	DateNote string `json:"date_note,omitempty"`
}

// FileMode is what a tree entry is.
type FileMode string

const (
	ModeFile      FileMode = "file"
	ModeExec      FileMode = "exec"
	ModeSymlink   FileMode = "symlink"
	ModeSubmodule FileMode = "submodule"
)

// Regular reports whether the entry is a file with content (executable or
// not), as opposed to a link or a submodule.
func (m FileMode) Regular() bool { return m == ModeFile || m == ModeExec }

// File is one entry of the deadline tree.
type File struct {
	Path   string   `json:"path"`
	Size   int64    `json:"size"`
	Mode   FileMode `json:"mode"`
	Target string   `json:"target,omitempty"` // symlink target, recorded, never followed
	// SizeUnknown: the scrape could not learn the file's size, and Size is
	// 0: its contents were not fetched, and the server does not answer
	// object-info (partial clones).
	SizeUnknown bool `json:"size_unknown,omitempty"`
	// NotCopied says why a file the scrape copies (report, figure, README,
	// text file) was not copied: too large, a symlink, binary content, ...
	NotCopied string `json:"not_copied,omitempty"`
}

// Open opens a file copied out of the deadline commit by its repository path
// (slash-separated, relative to the repo root). It never leaves the group's
// files/ folder: paths are cleaned against the repository root and opened
// through os.Root, which also refuses symlinks that point outside. Files
// not copied give fs.ErrNotExist.
func (s *Snapshot) Open(repoPath string) (*os.File, error) {
	return s.open(filepath.Join(s.dir, filesDir), repoPath)
}

// OpenLate opens the version of a figure a late commit added, kept because
// the deadline tree lacks it (LateFile.Kept), by its repository path.
func (s *Snapshot) OpenLate(repoPath string) (*os.File, error) {
	return s.open(LateFilesDir(filepath.Join(s.dir, filesDir)), repoPath)
}

// LateFilesDir is where, in a snapshot's files folder, the figures late
// commits added are kept: under ".git", a name no tree copied into the
// folder has (git refuses it), so no repository path can reach them.
func LateFilesDir(filesFolder string) string { return filepath.Join(filesFolder, ".git", "late") }

// open opens repoPath (cleaned against the repository root) inside folder,
// through os.Root; a path with a ".git" component is no file of the
// repository.
func (s *Snapshot) open(folder, repoPath string) (*os.File, error) {
	clean := path.Clean("/" + repoPath)[1:]
	if clean == "" || !fs.ValidPath(clean) || strings.Contains(repoPath, "\\") {
		return nil, fmt.Errorf("open %q: %w", repoPath, fs.ErrInvalid)
	}
	if slices.ContainsFunc(strings.Split(clean, "/"), func(name string) bool { return strings.EqualFold(name, ".git") }) {
		return nil, fmt.Errorf("open %q: %w", repoPath, fs.ErrNotExist)
	}
	if s.dir == "" {
		return nil, fmt.Errorf("open %q: snapshot has no folder: %w", repoPath, fs.ErrNotExist)
	}
	root, err := os.OpenRoot(folder)
	if err != nil {
		return nil, fmt.Errorf("open %q: %w", repoPath, err)
	}
	defer root.Close()
	return root.Open(filepath.FromSlash(clean))
}

// ReadFile returns a file copied out of the deadline commit (see Open).
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
	_, ok := s.File(repoPath)
	return ok
}

// File is the deadline tree's entry of exactly this path.
func (s *Snapshot) File(repoPath string) (File, bool) {
	i := slices.IndexFunc(s.Tree, func(f File) bool { return f.Path == repoPath })
	if i < 0 {
		return File{}, false
	}
	return s.Tree[i], true
}

// LoadSnapshot reads a group's snapshot. A snapshot whose group number is
// not its folder's is refused: its result would land in, and overwrite,
// another group's folder.
func (w *Workspace) LoadSnapshot(group int) (*Snapshot, error) {
	name := w.SnapshotPath(group)
	var s Snapshot
	if err := ReadJSON(name, &s); err != nil {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	if s.Group != group {
		return nil, fmt.Errorf("snapshot %s is for group %d, whose folder is %s", name, s.Group, w.GroupDir(s.Group))
	}
	s.dir = w.GroupDir(group)
	s.Unreached = w.loadUnreached(group)
	return &s, nil
}

// Snapshots reads the snapshots of the given groups (every group that has
// one when only is empty), sorted by group. A snapshot that cannot be read
// is reported in errs and skipped.
func (w *Workspace) Snapshots(only []int) (snaps []*Snapshot, errs []error) {
	groups, err := w.selectGroups(only, snapshotFile)
	if err != nil {
		return nil, []error{err}
	}
	for _, g := range groups {
		s, err := w.LoadSnapshot(g)
		if err != nil {
			errs = append(errs, fmt.Errorf("group %d: %w", g, err))
			continue
		}
		snaps = append(snaps, s)
	}
	return snaps, errs
}

// SnapshotGroups lists the groups whose folder holds a snapshot (only,
// when given), ascending.
func (w *Workspace) SnapshotGroups(only []int) ([]int, error) {
	return w.selectGroups(only, snapshotFile)
}

// LoadCommits reads the commits of a group's snapshot and nothing else of
// it: what comparing the histories of a whole course needs, without
// holding every snapshot at once.
func (w *Workspace) LoadCommits(group int) ([]Commit, error) {
	var s struct {
		Group   int      `json:"group"`
		Commits []Commit `json:"commits"`
	}
	if err := ReadJSON(w.SnapshotPath(group), &s); err != nil {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	if s.Group != group {
		return nil, fmt.Errorf("snapshot %s is for group %d", w.SnapshotPath(group), s.Group)
	}
	return s.Commits, nil
}

// GradedGroups lists the groups whose folder holds a result, ascending.
func (w *Workspace) GradedGroups() ([]int, error) { return w.selectGroups(nil, resultFile) }

// selectGroups is only, sorted and without repeats, or else every group
// whose folder holds the file name.
func (w *Workspace) selectGroups(only []int, name string) ([]int, error) {
	if len(only) > 0 {
		return slices.Compact(slices.Sorted(slices.Values(only))), nil
	}
	all, err := w.Groups()
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(g int) bool {
		_, err := os.Stat(filepath.Join(w.GroupDir(g), name))
		return errors.Is(err, fs.ErrNotExist)
	}), nil
}

// A group's snapshot.json and files/ are replaced together, and never
// both removed: the new ones are put together in a staging folder of the
// group's (stagingPrefix), which one rename then makes readyName. Until
// that rename the old snapshot is untouched; from it on, the new snapshot
// is the group's, and moving it into place (its files/, then its
// snapshot.json) is finished by the save, or after a crash by the next
// open. Copy folders (newFilesPrefix), staging folders and old files/
// being removed are never read, and what an interrupted run left of them
// is removed when the workspace is opened.
const (
	newFilesPrefix = ".files-new-"
	stagingPrefix  = ".snapshot-new-"
	readyName      = ".snapshot-ready"
	oldFilesPrefix = ".files-old-"
)

// NewFilesDir makes an empty folder inside the group folder to copy the
// deadline commit's files into, for SaveSnapshot to move into place.
func (w *Workspace) NewFilesDir(group int) (string, error) {
	return w.newFolder(group, newFilesPrefix)
}

// newFolder makes a new folder named prefix and random digits in the
// group folder.
func (w *Workspace) newFolder(group int, prefix string) (string, error) {
	dir := w.GroupDir(group)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("group folder: %w", err)
	}
	tmp, err := os.MkdirTemp(dir, prefix)
	if err == nil {
		err = os.Chmod(tmp, 0o755) // MkdirTemp's 0700 would hide files/ from other readers
	}
	if err != nil {
		return "", fmt.Errorf("group folder: %w", err)
	}
	return tmp, nil
}

// recoverSnapshots finishes, in every group folder, a snapshot an
// interrupted run had made the group's, and removes the staging folders
// and old files/ it left.
func (w *Workspace) recoverSnapshots() error {
	groups, err := w.Groups()
	if err != nil {
		return err
	}
	for _, g := range groups {
		dir := w.GroupDir(g)
		if err := finishSnapshot(dir); err != nil {
			return fmt.Errorf("group folder: %w", err)
		}
		if err := removeStaleFilesIn(dir); err != nil {
			return err
		}
	}
	return nil
}

func removeStaleFilesIn(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("group folder: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, newFilesPrefix) || strings.HasPrefix(name, stagingPrefix) || strings.HasPrefix(name, oldFilesPrefix) {
			if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
				return fmt.Errorf("group folder: %w", err)
			}
		}
	}
	return nil
}

// SaveSnapshot makes s (and the files copied into newFiles, a folder from
// NewFilesDir, or "" when nothing was copied) the group's snapshot. The old
// snapshot stays whole until the new one is complete on disk (see
// stagingPrefix): a failure or a crash leaves the old, or the new. On
// failure newFiles is removed.
func (w *Workspace) SaveSnapshot(s *Snapshot, newFiles string) error {
	if err := w.commitSnapshot(s, newFiles); err != nil {
		if newFiles != "" {
			os.RemoveAll(newFiles) // no-op once staged
		}
		return fmt.Errorf("store snapshot of group %d: %w", s.Group, err)
	}
	s.dir = w.GroupDir(s.Group)
	return nil
}

// commitSnapshot stages s and newFiles, makes them the group's snapshot
// and moves them into place.
func (w *Workspace) commitSnapshot(s *Snapshot, newFiles string) error {
	staging, err := w.newFolder(s.Group, stagingPrefix)
	if err != nil {
		return err
	}
	defer os.RemoveAll(staging) // no-op once ready
	if newFiles != "" {
		if err := os.Rename(newFiles, filepath.Join(staging, filesDir)); err != nil {
			return err
		}
	} else if err := os.Mkdir(filepath.Join(staging, filesDir), 0o755); err != nil {
		return err // an empty files/: the old one goes (finishSnapshot)
	}
	if err := WriteJSON(filepath.Join(staging, snapshotFile), s); err != nil {
		return err
	}
	dir := w.GroupDir(s.Group)
	if err := finishSnapshot(dir); err != nil { // one left ready by a crash, first
		return err
	}
	if err := os.Rename(staging, filepath.Join(dir, readyName)); err != nil {
		return err
	}
	return finishSnapshot(dir)
}

// finishSnapshot moves the snapshot ready in the group folder dir (if any)
// into place: its files/ (an empty one only removes the old), then its
// snapshot.json, each in one rename, so that after a crash anywhere in
// between it is finished the same way.
func finishSnapshot(dir string) error {
	ready := filepath.Join(dir, readyName)
	if _, err := os.Stat(filepath.Join(ready, snapshotFile)); err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return os.RemoveAll(ready) // none, or finished but for its folder
	}
	files := filepath.Join(dir, filesDir)
	old := "" // where the old files/ went
	if next := filepath.Join(ready, filesDir); exists(next) {
		if exists(files) {
			var err error
			if old, err = os.MkdirTemp(dir, oldFilesPrefix); err != nil {
				return err
			}
			if err := os.Rename(files, filepath.Join(old, filesDir)); err != nil {
				return err
			}
		}
		if err := os.Rename(next, files); err != nil {
			return err
		}
	}
	if err := os.Rename(filepath.Join(ready, snapshotFile), filepath.Join(dir, snapshotFile)); err != nil {
		return err
	}
	if entries, err := os.ReadDir(files); err == nil && len(entries) == 0 {
		if err := os.Remove(files); err != nil {
			return err
		}
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return err
		}
	}
	return os.RemoveAll(ready)
}

func exists(name string) bool {
	_, err := os.Lstat(name)
	return err == nil
}

// UpdateSnapshot rewrites a group's snapshot.json alone, its files/ kept
// (roster or URL details changed, the commit did not).
func (w *Workspace) UpdateSnapshot(s *Snapshot) error {
	if err := WriteJSON(w.SnapshotPath(s.Group), s); err != nil {
		return fmt.Errorf("update snapshot of group %d: %w", s.Group, err)
	}
	return nil
}
