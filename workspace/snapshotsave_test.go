package workspace

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// saveWithReport saves a snapshot of group 3 at sha whose report says text.
func saveWithReport(t *testing.T, w *Workspace, sha, text string) {
	t.Helper()
	files := stageWithReport(t, w, text)
	if err := w.SaveSnapshot(&Snapshot{Group: 3, Status: StatusOK, Pin: Pin{SHA: sha}}, files); err != nil {
		t.Fatal(err)
	}
}

// stageWithReport copies a report saying text into a new files folder of
// group 3.
func stageWithReport(t *testing.T, w *Workspace, text string) string {
	t.Helper()
	files, err := w.NewFilesDir(3)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(files, "reports"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(files, "reports", "README.md"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return files
}

// wantSnapshot reopens the workspace in dir (as the run after a crash
// does) and checks that group 3's snapshot is sha with its own report.
func wantSnapshot(t *testing.T, dir, sha, text string) {
	t.Helper()
	w := create(t, dir)
	s, err := w.LoadSnapshot(3)
	if err != nil {
		t.Fatalf("no snapshot after the reopen: %v", err)
	}
	report, err := s.ReadFile("reports/README.md")
	if s.Pin.SHA != sha || string(report) != text {
		t.Errorf("snapshot %s with report %q (%v), want %s with %q", s.Pin.SHA, report, err, sha, text)
	}
	entries, err := os.ReadDir(w.GroupDir(3))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != snapshotFile && e.Name() != filesDir {
			t.Errorf("the group folder still holds %s", e.Name())
		}
	}
	w.Close()
}

// A snapshot is replaced whole or not at all: wherever a save stops (a
// crash, a full disk, a snapshot JSON cannot hold), the next run finds the
// old snapshot with its files or the new one with its files, never
// neither, never the one with the other's files.
func TestSnapshotIsReplacedWhole(t *testing.T) {
	// The steps of a save, each the last one done before the crash.
	steps := []struct {
		name string
		do   func(t *testing.T, w *Workspace, staging string)
		new  bool // the new snapshot is the group's once the step is done
	}{
		{"staged", func(*testing.T, *Workspace, string) {}, false},
		{"snapshot.json written", func(t *testing.T, w *Workspace, staging string) {
			mustDo(t, WriteJSON(filepath.Join(staging, snapshotFile), &Snapshot{Group: 3, Status: StatusOK, Pin: Pin{SHA: "new"}}))
		}, false},
		{"made ready", func(t *testing.T, w *Workspace, staging string) {
			mustDo(t, WriteJSON(filepath.Join(staging, snapshotFile), &Snapshot{Group: 3, Status: StatusOK, Pin: Pin{SHA: "new"}}))
			mustDo(t, os.Rename(staging, filepath.Join(w.GroupDir(3), readyName)))
		}, true},
		{"old files moved away", func(t *testing.T, w *Workspace, staging string) {
			mustDo(t, WriteJSON(filepath.Join(staging, snapshotFile), &Snapshot{Group: 3, Status: StatusOK, Pin: Pin{SHA: "new"}}))
			mustDo(t, os.Rename(staging, filepath.Join(w.GroupDir(3), readyName)))
			old := filepath.Join(w.GroupDir(3), oldFilesPrefix+"x")
			mustDo(t, os.Mkdir(old, 0o755))
			mustDo(t, os.Rename(w.FilesPath(3), filepath.Join(old, filesDir)))
		}, true},
		{"new files moved in", func(t *testing.T, w *Workspace, staging string) {
			mustDo(t, WriteJSON(filepath.Join(staging, snapshotFile), &Snapshot{Group: 3, Status: StatusOK, Pin: Pin{SHA: "new"}}))
			ready := filepath.Join(w.GroupDir(3), readyName)
			mustDo(t, os.Rename(staging, ready))
			old := filepath.Join(w.GroupDir(3), oldFilesPrefix+"x")
			mustDo(t, os.Mkdir(old, 0o755))
			mustDo(t, os.Rename(w.FilesPath(3), filepath.Join(old, filesDir)))
			mustDo(t, os.Rename(filepath.Join(ready, filesDir), w.FilesPath(3)))
		}, true},
		{"snapshot.json moved in", func(t *testing.T, w *Workspace, staging string) {
			mustDo(t, WriteJSON(filepath.Join(staging, snapshotFile), &Snapshot{Group: 3, Status: StatusOK, Pin: Pin{SHA: "new"}}))
			ready := filepath.Join(w.GroupDir(3), readyName)
			mustDo(t, os.Rename(staging, ready))
			mustDo(t, os.Rename(w.FilesPath(3), filepath.Join(w.GroupDir(3), oldFilesPrefix+"x")))
			mustDo(t, os.Rename(filepath.Join(ready, filesDir), w.FilesPath(3)))
			mustDo(t, os.Rename(filepath.Join(ready, snapshotFile), w.SnapshotPath(3)))
		}, true},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			dir := t.TempDir()
			w := create(t, dir)
			saveWithReport(t, w, "old", "the old report")
			staging := filepath.Dir(stageWithReport(t, w, "the new report"))
			step.do(t, w, staging)
			w.lock.release() // killed: no Close
			if step.new {
				wantSnapshot(t, dir, "new", "the new report")
			} else {
				wantSnapshot(t, dir, "old", "the old report")
			}
		})
	}

	t.Run("unencodable", func(t *testing.T) {
		dir := t.TempDir()
		w := create(t, dir)
		saveWithReport(t, w, "old", "the old report")
		files := stageWithReport(t, w, "the new report")
		err := w.SaveSnapshot(&Snapshot{Group: 3, Status: StatusOK, Pin: Pin{SHA: "new"}, ScrapedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, files)
		if !errors.Is(err, ErrUnencodable) {
			t.Errorf("saving a snapshot after year 9999: %v, want ErrUnencodable", err)
		}
		w.Close()
		wantSnapshot(t, dir, "old", "the old report")
	})
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
