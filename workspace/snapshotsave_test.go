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
	// The steps of a save, each the last one done before the crash, on
	// the new files copied (from NewFilesDir).
	stage := func(t *testing.T, w *Workspace, files string) string {
		staging, err := w.newFolder(3, stagingPrefix)
		mustDo(t, err)
		mustDo(t, os.Rename(files, filepath.Join(staging, filesDir)))
		mustDo(t, WriteJSON(filepath.Join(staging, snapshotFile), &Snapshot{Group: 3, Status: StatusOK, Pin: Pin{SHA: "new"}}))
		return staging
	}
	ready := func(t *testing.T, w *Workspace, files string) string {
		mustDo(t, os.Rename(stage(t, w, files), filepath.Join(w.GroupDir(3), readyName)))
		return filepath.Join(w.GroupDir(3), readyName)
	}
	oldAway := func(t *testing.T, w *Workspace, files string) string {
		r := ready(t, w, files)
		old := filepath.Join(w.GroupDir(3), oldFilesPrefix+"x")
		mustDo(t, os.Mkdir(old, 0o755))
		mustDo(t, os.Rename(w.FilesPath(3), filepath.Join(old, filesDir)))
		return r
	}
	newIn := func(t *testing.T, w *Workspace, files string) string {
		r := oldAway(t, w, files)
		mustDo(t, os.Rename(filepath.Join(r, filesDir), w.FilesPath(3)))
		return r
	}
	steps := []struct {
		name string
		do   func(t *testing.T, w *Workspace, files string)
		new  bool // the new snapshot is the group's once the step is done
	}{
		{"files copied", func(*testing.T, *Workspace, string) {}, false},
		{"staged", func(t *testing.T, w *Workspace, files string) { stage(t, w, files) }, false},
		{"made ready", func(t *testing.T, w *Workspace, files string) { ready(t, w, files) }, true},
		{"old files moved away", func(t *testing.T, w *Workspace, files string) { oldAway(t, w, files) }, true},
		{"new files moved in", func(t *testing.T, w *Workspace, files string) { newIn(t, w, files) }, true},
		{"snapshot.json moved in", func(t *testing.T, w *Workspace, files string) {
			mustDo(t, os.Rename(filepath.Join(newIn(t, w, files), snapshotFile), w.SnapshotPath(3)))
		}, true},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			dir := t.TempDir()
			w := create(t, dir)
			saveWithReport(t, w, "old", "the old report")
			step.do(t, w, stageWithReport(t, w, "the new report"))
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
