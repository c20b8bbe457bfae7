package export

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"handin/grade"
	"handin/internal/slowtest"
)

// exportLoopEnv makes the test binary a process that exports the
// workspace in a loop, until it is killed: "WORKSPACE|OUT".
const exportLoopEnv = "HANDIN_TEST_EXPORT_LOOP"

// TestKillDuringExportKeepsTheGradebook kills a real export process
// (SIGKILL) at random moments, over and over, while it rewrites the
// gradebook: the gradebook on disk is always a whole workbook with every
// grade, and the next export neither mistakes it for an edited one (no
// backup) nor leaves anything undocumented in the folder.
func TestKillDuringExportKeepsTheGradebook(t *testing.T) {
	if dirs := os.Getenv(exportLoopEnv); dirs != "" {
		exportLoop(t, dirs)
		return
	}
	slowtest.Skip(t, "an export killed over and over, 60 groups")
	ws, out := t.TempDir(), t.TempDir()
	var groups []testGroup
	grades := map[int][3]string{}
	for n := 1; n <= 60; n++ {
		groups = append(groups, largeGroup(n))
		grades[n] = [3]string{strconv.Itoa(n % 13), fmt.Sprintf("report of group %d", n), "NS"}
	}
	writeWorkspace(t, ws, groups...)
	export(t, ws, out)
	name := filepath.Join(out, GradebookFile)
	editGradebook(t, name, grades, nil)
	if sum := export(t, ws, out); sum.GradebookBackup == "" {
		t.Fatal("no backup of the graded workbook")
	}

	// Each kill lands within an export, at a moment picked from how long
	// the child's last export took (measured just now, on this machine as
	// loaded as it is): every other kill waits for the gradebook's write
	// (its temporary file) for up to two exports' time, the others land at
	// a random moment of the next one and a half, mid-write if the test
	// sees the write in time.
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 11))
	midWrite := 0
	for kill := range 6 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillDuringExportKeepsTheGradebook$", "-test.count=1")
		cmd.Env = append(os.Environ(), exportLoopEnv+"="+ws+"|"+out)
		starts := exportStarts(t, cmd)
		// The child is ready once it has started an export; one whole
		// export later it has said how long one takes.
		first := nextStart(t, starts)
		took := nextStart(t, starts).Sub(first)
		until := time.Now().Add(2 * took)
		if kill%2 == 1 {
			until = time.Now().Add(time.Duration(rng.Int64N(int64(took)*3/2) + 1))
		}
		for time.Now().Before(until) {
			if writingGradebook(t, out) {
				midWrite++
				break
			}
			time.Sleep(time.Millisecond) // leave the machine to the export
		}
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait() // killed: the error says so
		f := openWorkbook(t, name)
		rows := rowsByKey(t, f, SheetGroups, "Group")
		comment := columns(t, f, SheetGroups)["Comment"]
		for n, g := range grades {
			if got := cellValue(t, f, SheetGroups, comment+strconv.Itoa(rows[strconv.Itoa(n)])); got != g[1] {
				t.Fatalf("kill %d: group %d Comment %q, want %q", kill, n, got, g[1])
			}
		}
	}
	t.Logf("%d of 6 kills landed while the gradebook was being written", midWrite)
	if midWrite == 0 {
		t.Errorf("no kill landed while the gradebook was being written")
	}
	sum := export(t, ws, out)
	if sum.GradebookBackup != "" || len(sum.Warnings) != 0 || sum.Kept != 0 {
		t.Errorf("export after the kills: backup %q, warnings %q, kept %d: a killed export looked like an edit", sum.GradebookBackup, sum.Warnings, sum.Kept)
	}
	if backups := backupFiles(t, out); len(backups) != 1 {
		t.Errorf("backups %v, want only the graded workbook's", backups)
	}
	if extra := undocumented(t, out); len(extra) != 0 {
		t.Errorf("left in the output folder: %q", extra)
	}
}

// exportStarts starts cmd, an exportLoop, and gives the time of each
// export it says it starts.
func exportStarts(t *testing.T, cmd *exec.Cmd) <-chan time.Time {
	t.Helper()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	starts := make(chan time.Time, 16)
	go func() {
		defer close(starts)
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			if lines.Text() == exportStarted {
				starts <- time.Now()
			}
		}
	}()
	return starts
}

// nextStart waits for the child's next export to start.
func nextStart(t *testing.T, starts <-chan time.Time) time.Time {
	t.Helper()
	at, ok := <-starts
	if !ok {
		t.Fatal("the export loop ended before it was killed")
	}
	return at
}

// exportStarted is the line exportLoop prints as it starts an export.
const exportStarted = "export started"

// writingGradebook says whether an export is writing the gradebook: its
// temporary file (atomicfile's) is there.
func writingGradebook(t *testing.T, out string) bool {
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "."+GradebookFile+".tmp-") {
			return true
		}
	}
	return false
}

// exportLoop is the process the test kills: it exports again and again,
// each time with group 1's result changed, so that each gradebook differs
// from the one before, and says when it starts each. It stops by itself
// after ten minutes (orphaned: nobody killed it).
func exportLoop(t *testing.T, dirs string) {
	ws, out, _ := strings.Cut(dirs, "|")
	start := time.Now()
	for i := 0; time.Since(start) < 10*time.Minute; i++ {
		fmt.Println(exportStarted)
		g := largeGroup(1)
		g.result.Findings = append(g.result.Findings, problems(fmt.Sprintf("export %d", i))...)
		w := openWorkspace(t, ws)
		if err := grade.SaveResult(w, g.result); err != nil {
			t.Fatal(err)
		}
		w.Close()
		if _, err := runExport(ws, Options{Out: out, Logger: quietLogger}); err != nil {
			t.Fatal(err)
		}
	}
}
