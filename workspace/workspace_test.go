package workspace

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func create(t *testing.T, dir string) *Workspace {
	t.Helper()
	w, err := Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// One command at a time: a second one is told who holds the workspace, and
// gets it once the first has closed it.
func TestLock(t *testing.T) {
	dir := t.TempDir()
	w := create(t, dir)
	_, err := Open(dir)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "pid ") {
		t.Fatalf("second open: %v, want ErrLocked naming the holder", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Open(dir)
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	again.Close()
}

func TestOpenNeedsAFolder(t *testing.T) {
	if _, err := Open(filepath.Join(t.TempDir(), "typo")); err == nil {
		t.Error("opened a workspace that does not exist")
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(file); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("open a file: %v", err)
	}
	if _, err := Create(""); err == nil {
		t.Error("created a workspace without a folder")
	}
}

// Leftovers of an interrupted run are removed when the workspace is
// opened: nothing in them is ever complete.
func TestOpenRemovesLeftovers(t *testing.T) {
	dir := t.TempDir()
	w := create(t, dir)
	clone, err := w.NewCloneDir(1)
	if err != nil {
		t.Fatal(err)
	}
	files, err := w.NewFilesDir(1)
	if err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(w.GroupDir(1), oldFilesPrefix+"x")
	if err := os.Mkdir(old, 0o755); err != nil {
		t.Fatal(err)
	}
	w.lock.release() // killed: no Close
	create(t, dir)
	for _, p := range []string{clone, files, old} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s survived the reopen: %v", p, err)
		}
	}
}

func TestSaveAndLoadSnapshot(t *testing.T) {
	w := create(t, t.TempDir())
	first := &Snapshot{Group: 7, Status: StatusOK, Pin: Pin{SHA: "a1", LateCommits: 2}, Copied: []string{"reports/README.md"}}
	files, err := w.NewFilesDir(7)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(files, "reports"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(files, "reports", "README.md"), []byte("first"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := w.SaveSnapshot(first, files); err != nil {
		t.Fatal(err)
	}
	loaded, err := w.LoadSnapshot(7)
	if err != nil {
		t.Fatal(err)
	}
	if data, err := loaded.ReadFile("reports/README.md"); err != nil || string(data) != "first" || loaded.Pin.SHA != "a1" || loaded.Pin.LateCommits != 2 {
		t.Fatalf("loaded %+v, report %q (%v)", loaded, data, err)
	}
	for _, p := range []string{"../snapshot.json", "/etc/passwd", "reports/../../snapshot.json", `reports\README.md`} {
		if _, err := loaded.ReadFile(p); err == nil {
			t.Errorf("read %q out of the files folder", p)
		}
	}

	// A snapshot without files replaces the old one whole.
	if err := w.SaveSnapshot(&Snapshot{Group: 7, Status: StatusNotFound}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(w.FilesPath(7)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("files of the old snapshot kept: %v", err)
	}
	if groups, err := w.Groups(); err != nil || !slices.Equal(groups, []int{7}) {
		t.Errorf("groups %v (%v)", groups, err)
	}
}

// A snapshot copied into another group's folder is refused: its result
// would overwrite that group's.
func TestLoadSnapshotRefusesAnotherGroupsSnapshot(t *testing.T) {
	w := create(t, t.TempDir())
	if err := w.SaveSnapshot(&Snapshot{Group: 2, Status: StatusOK}, ""); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(w.SnapshotPath(2))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(w.GroupDir(4), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(w.SnapshotPath(4), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := w.LoadCommits(4); err == nil || !strings.Contains(err.Error(), "is for group 2") {
		t.Errorf("LoadCommits(4) = %v, want the misplaced snapshot refused", err)
	}
	if commits, err := w.LoadCommits(2); err != nil || commits != nil {
		t.Errorf("LoadCommits(2) = %v, %v; want no commits", commits, err)
	}
	snaps, errs := w.Snapshots(nil)
	if len(snaps) != 1 || snaps[0].Group != 2 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "is for group 2") {
		t.Errorf("snapshots %v, errors %v", snaps, errs)
	}
}

// The evidence log survives a line torn by a crash.
func TestObservations(t *testing.T) {
	w := create(t, t.TempDir())
	at := time.Date(2026, 1, 23, 12, 0, 0, 0, time.UTC)
	for i, tip := range []string{"a", ""} {
		if err := w.AppendObservation(3, Observation{Time: at.Add(time.Duration(i) * time.Hour), URL: "u", Branch: "main", TipSHA: tip}); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.OpenFile(w.ObservationsPath(3), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"time": "2026-01-23T14:00:00Z", "tip_sh`)
	f.Close()
	obs, err := w.Observations(3)
	if err != nil || len(obs) != 2 || obs[0].TipSHA != "a" || obs[1].TipSHA != "" {
		t.Errorf("observations %+v (%v)", obs, err)
	}
	if obs, err := w.Observations(4); err != nil || len(obs) != 0 {
		t.Errorf("a group never observed: %+v (%v)", obs, err)
	}
}

func TestRoster(t *testing.T) {
	w := create(t, t.TempDir())
	if r, err := w.LoadRoster(); err != nil || len(r.Rows) != 0 {
		t.Fatalf("roster before any scrape: %+v, %v", r, err)
	}
	want := Roster{File: "groups.csv", Rows: []RosterRow{{Line: 2, Group: 1, Students: []string{"s1"}}, {Line: 3, Error: "groups.csv:3: missing group number"}}}
	if err := w.SaveRoster(want); err != nil {
		t.Fatal(err)
	}
	got, err := w.LoadRoster()
	if err != nil || len(got.Rows) != 2 || got.Rows[1].Error != want.Rows[1].Error || got.File != "groups.csv" {
		t.Errorf("roster %+v (%v), want %+v", got, err, want)
	}
}
