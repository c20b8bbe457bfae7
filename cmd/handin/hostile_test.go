//go:build linux

package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"handin/export"
	"handin/export/gradebook"
	"handin/grade"
	"handin/internal/slowtest"
	"handin/scrape/gittest"
)

// hostileCourseDir names the course folder TestHostileCourseRun runs
// 'handin run' in, when the test binary is started by TestHostileCourse.
const hostileCourseDir = "HANDIN_HOSTILE_COURSE"

// hostileOnly, when set, names the cases (comma-separated) TestHostileCourse
// builds, to measure each alone.
const hostileOnly = "HANDIN_HOSTILE_ONLY"

// hostileBomb is the file of zeros one repository holds: 256 MiB (it packs
// to 256 KB) stands for the 2 GiB of the issue, which costs only time here:
// the scrape's memory must not grow with it either way
// (scrape.BenchmarkScrapePeakRSS runs 2 GiB).
const hostileBomb = 256 << 20

// Limits of the whole run: the scrape with four workers, grading and
// export. The address space is limited in the child process itself, so
// that a run that would take more crashes there rather than the machine.
const (
	hostileRSSLimit       = 1 << 30
	hostileAddressSpace   = 4 << 30
	hostileWorkspaceLimit = 512 << 20
)

// hostileCase is one group of the hostile course: a repository served by
// git http-backend (build), a pack served as it is (pack), or one of the
// hostile server's own (hostile).
type hostileCase struct {
	name    string
	build   func(*gittest.Repo, int) error
	pack    func(group int) (tip string, pack []byte)
	hostile bool
	branch  string
	// status is the scrape status the group must end with.
	status string
	// check looks at the group's result and page (HTML unescaped).
	check func(t *testing.T, r *grade.GroupResult, page string)
}

func hostileCases() []hostileCase {
	return []hostileCase{
		{name: "ok.git", build: commits(func(g int) []gittest.Commit {
			return []gittest.Commit{{Message: "report", Author: hostileWho, When: hostileHandedIn, Files: hostileReport(g)}}
		}), status: "ok"},
		{name: "year10000.git", build: withOddDate("253402300800 +0000"), status: "ok", check: func(t *testing.T, r *grade.GroupResult, page string) {
			wantFinding(t, r, grade.KindImplausibleDates, "")
			wantOnPage(t, page, "253402300800 +0000")
		}},
		{name: "zone2500.git", build: withOddDate("1768900000 +2500"), status: "ok", check: func(t *testing.T, r *grade.GroupResult, page string) {
			wantOnPage(t, page, "1768900000 +2500")
		}},
		{name: "names.git", build: commits(func(g int) []gittest.Commit {
			files := hostileReport(g)
			files["Icon\r"] = []byte{}
			files["docs/a\nb.md"] = []byte("# newline\n")
			files["docs/tab\tname.py"] = []byte("pass\n")
			return []gittest.Commit{{Message: "report", Author: hostileWho, When: hostileHandedIn, Files: files, RawNames: map[string][]byte{"..": []byte("up")}}}
		}), status: "ok", check: func(t *testing.T, r *grade.GroupResult, page string) {
			wantOnPage(t, page, "Icon\\r")
			wantOnPage(t, page, "a later answer")
		}},
		{name: "bomb.git", build: commits(func(g int) []gittest.Commit {
			return []gittest.Commit{{Message: "report and data", Author: hostileWho, When: hostileHandedIn, Files: hostileReport(g),
				Zeros: map[string]int64{"data/zeros.bin": hostileBomb, "reports/figures/huge.png": 25 << 20}}}
		}), status: "ok", check: func(t *testing.T, r *grade.GroupResult, page string) {
			wantOnPage(t, page, "figure reports/figures/huge.png is in the repository but was not copied into the snapshot: 25.0 MiB, over the 20.0 MiB a file may take")
		}},
		{name: "huge404.git", hostile: true, status: "not-found"},
		{name: "endless.git", hostile: true, status: "error"},
		{name: "drip.git", hostile: true, status: "timeout"},
		{name: "latefanout.git", build: lateFanOut, status: "ok", check: func(t *testing.T, r *grade.GroupResult, page string) {
			wantFinding(t, r, grade.KindCut, "the late commits' trees have more than 100000 entries to compare")
			wantFinding(t, r, grade.KindLateCommits, "")
		}},
		{name: "authors.git", build: hugeAuthors, status: "ok", check: func(t *testing.T, r *grade.GroupResult, page string) {
			wantFinding(t, r, grade.KindCut, "100 commits whose author name is cut to 256 bytes")
			wantFinding(t, r, grade.KindCut, "100 commits whose author address is cut to 256 bytes")
		}},
		{name: "parents.git", build: manyParents, status: "ok", check: func(t *testing.T, r *grade.GroupResult, page string) {
			wantFinding(t, r, grade.KindCut, "100 commits with more than 100 parents")
		}},
		{name: "longname.git", build: longFolderName, status: "ok", check: func(t *testing.T, r *grade.GroupResult, page string) {
			wantOnPage(t, page, "skipped 1 tree entries whose names cannot be file names")
			wantOnPage(t, page, "a later answer")
		}},
		{name: "deltachain.git", pack: deltaChainPack, status: "error", check: func(t *testing.T, r *grade.GroupResult, page string) {
			if !strings.Contains(r.Error, "deltas, over the 50 git sends") {
				t.Errorf("error %q, want the delta chain named", r.Error)
			}
		}},
		{name: "gzip.git", hostile: true, status: "error", check: func(t *testing.T, r *grade.GroupResult, page string) {
			if !strings.Contains(r.Error, "the server encoded its answer") {
				t.Errorf("error %q, want the encoded answer named", r.Error)
			}
		}},
		{name: "display.git", build: displayTricks, status: "ok", check: func(t *testing.T, r *grade.GroupResult, page string) {
			wantOnPage(t, page, `Eve\u202elin\u200b`)
			wantOnPage(t, page, `fix \u202egnp.exe\u200b`)
			wantOnPage(t, page, `src/\u202egnp.exe`)
			if strings.ContainsAny(page, rightToLeftOverride+zeroWidthSpace) {
				t.Error("the page shows a right-to-left override or a zero-width space as it is")
			}
		}},
		// A report that takes markdown parsers quadratic time: checked,
		// or over the time a group may take and said so.
		{name: "slowreport.git", build: slowReport, status: "ok", check: func(t *testing.T, r *grade.GroupResult, page string) {
			if r.Check == nil && !hasKind(r, grade.KindOverBudget) {
				t.Errorf("the report was neither checked nor said over budget: %v", r.Findings)
			}
			t.Logf("checked %v, over the time a group may take %v, the page shows the report %v",
				r.Check != nil, hasKind(r, grade.KindOverBudget), !strings.Contains(page, "could not be made within"))
		}},
		{name: "longbranch.git", build: longDefaultBranch, status: "error", check: func(t *testing.T, r *grade.GroupResult, page string) {
			if !strings.Contains(r.Error, "the branch name is too long to keep") {
				t.Errorf("error %q, want the branch name said too long", r.Error)
			}
		}},
	}
}

// hostileGradebook is the name HANDIN_HOSTILE_ONLY selects the gradebook
// bomb by: a gradebook.xlsx in the output folder whose shared strings
// inflate to 2 GiB.
const hostileGradebook = "gradebook.xlsx"

// selectedCases are the cases named by HANDIN_HOSTILE_ONLY (the first when
// it names none, as the course needs a repository), or all; and whether
// the gradebook bomb is selected.
func selectedCases(t *testing.T) (cases []hostileCase, gradebookBomb bool) {
	all := hostileCases()
	only := os.Getenv(hostileOnly)
	if only == "" {
		return all, true
	}
	for _, name := range strings.Split(only, ",") {
		if name == hostileGradebook {
			gradebookBomb = true
			continue
		}
		i := slices.IndexFunc(all, func(c hostileCase) bool { return c.name == name })
		if i < 0 {
			t.Fatalf("%s: no case %q", hostileOnly, name)
		}
		cases = append(cases, all[i])
	}
	if len(cases) == 0 {
		cases = all[:1]
	}
	return cases, gradebookBomb
}

// TestHostileCourse runs 'handin run' (in a child process under an
// address-space limit, to measure its peak memory) on a course whose
// repositories and servers attack it (hostileCases; the issues that found
// them name each). Every group gets a result and a page, the run ends with
// 0 or 1 within minutes, no output holds more than a short excerpt of
// what the servers sent, memory and the workspace stay bounded, and
// nothing outside the workspace and the output folder is written.
func TestHostileCourse(t *testing.T) {
	slowtest.Skip(t, "a course of hostile repositories and servers, a 256 MiB file among them")
	if err := gittest.GitAvailable(); err != nil {
		t.Skipf("SKIPPING: %v", err)
	}
	dir := t.TempDir()
	served := mustMkdir(t, filepath.Join(dir, "served"))
	server, err := gittest.NewServer(served)
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	hostile := gittest.NewHostile()
	defer hostile.Close()

	cases, gradebookBomb := selectedCases(t)
	rows := []string{"group_number,student_1,repo_url,branch"}
	var bomb string // its row
	for i, c := range cases {
		n := i + 1
		url := hostile.RepoURL(c.name)
		switch {
		case c.build != nil:
			repo, err := gittest.NewRepo(filepath.Join(served, c.name))
			if err != nil {
				t.Fatal(err)
			}
			if err := c.build(repo, n); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			// Packed as GitHub keeps repositories, so that serving it
			// costs the server no delta search.
			if out, err := exec.Command("git", "-C", repo.Dir, "repack", "-adq").CombinedOutput(); err != nil {
				t.Fatalf("%s: git repack: %v\n%s", c.name, err, out)
			}
			url = server.RepoURL(c.name)
		case c.pack != nil:
			tip, pack := c.pack(n)
			hostile.ServePack(c.name, tip, pack)
		}
		rows = append(rows, fmt.Sprintf("%d,s%06d,%s,%s", n, n, url, c.branch))
		if c.name == "bomb.git" {
			bomb = rows[len(rows)-1]
		}
	}
	rows = append(rows, "1,s000090,"+server.RepoURL(cases[0].name)+",") // group 1 again
	rows = append(rows, "x,s000091,"+server.RepoURL(cases[0].name)+",") // no number
	writeFileIn(t, dir, "groups.csv", strings.Join(rows, "\n")+"\n")
	out := mustMkdir(t, filepath.Join(dir, "out"))
	var bombed string
	if gradebookBomb {
		writeGradebookBomb(t, filepath.Join(out, export.GradebookFile))
		bombed = fileDigest(t, filepath.Join(out, export.GradebookFile))
	}
	mustMkdir(t, filepath.Join(dir, "tmp"))
	before := treeState(t, dir, "ws", "out")

	// The timeout per repository: what the largest honest repository (the
	// bomb) takes to scrape on this machine just now, three times over, and
	// at least 30 s; the dripping server uses all of it.
	timeout := 30 * time.Second
	if bomb != "" {
		timeout = max(timeout, 3*scrapeTime(t, "group_number,student_1,repo_url,branch\n"+bomb+"\n"))
	}
	child := runHostileChild(t, dir, timeout)
	t.Logf("handin run: exit %d in %s (timeout %s), peak RSS %.1f MiB, workspace at most %.1f MiB",
		child.Exit, child.took.Round(time.Millisecond), timeout.Round(time.Millisecond), mib(child.PeakRSS), mib(child.peakWorkspace))
	logGroupSizes(t, dir, cases)
	if child.Exit != exitOK && child.Exit != exitViolations {
		t.Errorf("exit code %d, want 0 or 1; stderr:\n%s", child.Exit, readIn(t, dir, "stderr"))
	}
	if child.PeakRSS > hostileRSSLimit {
		t.Errorf("peak RSS %.1f MiB, over %.0f MiB", mib(child.PeakRSS), mib(hostileRSSLimit))
	}
	if child.peakWorkspace > hostileWorkspaceLimit {
		t.Errorf("the workspace took up to %.1f MiB, over %.0f MiB", mib(child.peakWorkspace), mib(hostileWorkspaceLimit))
	}
	if after := treeState(t, dir, "ws", "out"); !maps.Equal(before, after) {
		t.Errorf("files outside the workspace and the output folder changed:\n%s", stateDiff(before, after))
	}
	if gradebookBomb {
		if fileDigest(t, filepath.Join(out, export.GradebookFile)) != bombed {
			t.Error("the gradebook bomb was not left as it was")
		}
		if _, err := os.Stat(filepath.Join(out, gradebook.PendingFile)); err != nil {
			t.Errorf("no new gradebook beside the bomb: %v", err)
		}
		if stdout := readIn(t, dir, "stdout"); !strings.Contains(stdout, "inflates past what handin reads") {
			t.Error("the run does not say why the gradebook was not read")
		}
	}
	checkHostileResults(t, dir, cases)
	checkServerExcerpts(t, dir)
	if slices.ContainsFunc(cases, func(c hostileCase) bool { return c.name == "display.git" }) {
		checkAuthorsFile(t, dir)
	}
}

// checkAuthorsFile writes authors.csv of the course's unmapped identities:
// display.git's address, "a;=2+2@evil.example", is quoted, so that a
// spreadsheet splitting lines at ';' opens it as one text cell, not a
// formula (grade/identity tests every separator).
func checkAuthorsFile(t *testing.T, dir string) {
	t.Helper()
	name := filepath.Join(dir, "authors.csv")
	var errOut strings.Builder
	if code := run([]string{"handin", "authors", "--workspace", filepath.Join(dir, "ws"), "--authors", name}, streams{out: io.Discard, err: &errOut}); code != exitOK {
		t.Fatalf("handin authors: exit %d\n%s", code, errOut.String())
	}
	if data := readIn(t, dir, "authors.csv"); !strings.Contains(data, "\n\"a;=2+2@evil.example\",") {
		t.Errorf("authors.csv does not quote the address of display.git:\n%.2000s", data)
	}
}

// checkHostileResults checks what the run wrote of every group.
func checkHostileResults(t *testing.T, dir string, cases []hostileCase) {
	var summary runSummary
	if err := json.Unmarshal([]byte(readIn(t, dir, "stdout")), &summary); err != nil {
		t.Fatalf("summary: %v\n%s", err, readIn(t, dir, "stdout"))
	}
	if summary.Total != len(cases)+2 {
		t.Errorf("summary: %d groups, want the %d rows", summary.Total, len(cases)+2)
	}
	results := readResults(t, filepath.Join(dir, "out", export.ResultsFile))
	byGroup := map[int]*grade.GroupResult{}
	for _, r := range results.Groups {
		byGroup[r.Group] = r
	}
	for i, c := range cases {
		n := i + 1
		r := byGroup[n]
		if r == nil {
			t.Errorf("group %d (%s) has no result", n, c.name)
			continue
		}
		page, err := os.ReadFile(filepath.Join(dir, "out", "groups", fmt.Sprintf("%03d.html", n)))
		if err != nil {
			t.Errorf("group %d (%s) has no page: %v", n, c.name, err)
			continue
		}
		if string(r.Status) != c.status {
			t.Errorf("group %d (%s): status %s (%s), want %s", n, c.name, r.Status, r.Error, c.status)
		}
		if c.check != nil {
			t.Run(c.name, func(t *testing.T) { c.check(t, r, html.UnescapeString(string(page))) })
		}
	}
	if len(results.InvalidRows) != 2 || results.InvalidRows[0].Line != len(cases)+2 || results.InvalidRows[1].Line != len(cases)+3 {
		t.Errorf("invalid rows %+v, want lines %d and %d", results.InvalidRows, len(cases)+2, len(cases)+3)
	}
}

func wantFinding(t *testing.T, r *grade.GroupResult, kind grade.Kind, text string) {
	t.Helper()
	for _, f := range r.Findings {
		if f.Kind == kind && strings.Contains(f.Message, text) {
			return
		}
	}
	var found []string
	for _, f := range r.Findings {
		found = append(found, fmt.Sprintf("%s: %.200s", f.Kind, f.Message))
	}
	t.Errorf("no %s finding saying %q:\n%s", kind, text, strings.Join(found, "\n"))
}

func hasKind(r *grade.GroupResult, kind grade.Kind) bool {
	return slices.ContainsFunc(r.Findings, func(f grade.Finding) bool { return f.Kind == kind })
}

func wantOnPage(t *testing.T, page, text string) {
	t.Helper()
	if !strings.Contains(page, text) {
		t.Errorf("the page does not say %q", text)
	}
}

// scrapeTime is how long 'handin scrape' of a course (groups.csv's
// content) takes, into a workspace of its own.
func scrapeTime(t *testing.T, groups string) time.Duration {
	t.Helper()
	dir := t.TempDir()
	writeFileIn(t, dir, "groups.csv", groups)
	started := time.Now()
	args := []string{"handin", "scrape", "--groups", filepath.Join(dir, "groups.csv"), "--workspace", filepath.Join(dir, "ws"),
		"--deadline", courseDeadline.Format(time.RFC3339), "--timeout", "10m"}
	if code := run(args, streams{out: io.Discard, err: io.Discard}); code != exitOK {
		t.Fatalf("handin scrape of %q: exit %d", groups, code)
	}
	return time.Since(started)
}

// hostileRun is what the child process reports, and what the parent saw
// of it.
type hostileRun struct {
	Exit    int   `json:"exit"`
	PeakRSS int64 `json:"peak_rss"`

	took          time.Duration
	peakWorkspace int64
}

// runHostileChild runs TestHostileCourseRun in a child process on the
// course in dir, watching its memory and its workspace as it runs.
func runHostileChild(t *testing.T, dir string, timeout time.Duration) hostileRun {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHostileCourseRun$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), hostileCourseDir+"="+dir, envName("timeout")+"="+timeout.String(), "TMPDIR="+filepath.Join(dir, "tmp"))
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	started := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var seen hostileRun
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for waiting := true; waiting; {
		select {
		case err := <-done:
			waiting = false
			if err != nil {
				t.Fatalf("the run's child process: %v (peak RSS at least %.1f MiB, workspace at most %.1f MiB)\n%s",
					err, mib(seen.PeakRSS), mib(seen.peakWorkspace), tail(output.String(), 4000))
			}
		case <-tick.C:
			seen.PeakRSS = max(seen.PeakRSS, statusBytes(cmd.Process.Pid, "VmHWM:"))
			seen.peakWorkspace = max(seen.peakWorkspace, diskUsage(filepath.Join(dir, "ws")))
		}
	}
	var child hostileRun
	if err := json.Unmarshal([]byte(lastLine(output.String(), "hostile run: ")), &child); err != nil {
		t.Fatalf("the child printed no result: %v\n%s", err, output.String())
	}
	child.took, child.peakWorkspace = time.Since(started), seen.peakWorkspace
	return child
}

// TestHostileCourseRun is the child process of TestHostileCourse: it limits
// its own address space, runs 'handin run' on the course folder (stdout
// and stderr into files there), and prints its exit code and peak RSS
// (VmHWM: this process alone; the servers run in the parent).
func TestHostileCourseRun(t *testing.T) {
	dir := os.Getenv(hostileCourseDir)
	if dir == "" {
		t.Skip("runs only as the child process of TestHostileCourse")
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: hostileAddressSpace, Max: hostileAddressSpace}); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	stdout, err := os.Create("stdout")
	if err != nil {
		t.Fatal(err)
	}
	defer stdout.Close()
	stderr, err := os.Create("stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer stderr.Close()
	// The timeout comes from the parent, in HANDIN_TIMEOUT.
	code := run([]string{"handin", "run", "--groups", "groups.csv", "--workspace", "ws", "--out", "out", "--deadline", courseDeadline.Format(time.RFC3339),
		"--workers", "4", "--json"}, streams{out: stdout, err: stderr})
	report, _ := json.Marshal(hostileRun{Exit: code, PeakRSS: statusBytes(os.Getpid(), "VmHWM:")})
	fmt.Printf("hostile run: %s\n", report)
}

// statusBytes is a size line of /proc/PID/status (VmHWM:, VmRSS:), in
// bytes; 0 when it cannot be read.
func statusBytes(pid int, field string) int64 {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(status)) {
		if kib, ok := strings.CutPrefix(line, field); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(kib), "kB")), 10, 64)
			return n << 10
		}
	}
	return 0
}

// diskUsage is the bytes the files under dir take on disk, as far as it
// can be read while they change.
func diskUsage(dir string) int64 {
	var total int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if info, err := d.Info(); err == nil {
			if st, ok := info.Sys().(*syscall.Stat_t); ok {
				total += st.Blocks * 512
			}
		}
		return nil
	})
	return total
}

// logGroupSizes logs what each group's clone and folder take in the
// workspace.
func logGroupSizes(t *testing.T, dir string, cases []hostileCase) {
	for i, c := range cases {
		n := i + 1
		clone := diskUsage(filepath.Join(dir, "ws", "repos", fmt.Sprintf("%03d.git", n)))
		group := diskUsage(filepath.Join(dir, "ws", "groups", fmt.Sprintf("%03d", n)))
		t.Logf("group %2d %-16s clone %8.1f MiB, group folder %8.1f MiB", n, c.name, mib(clone), mib(group))
	}
}

// treeState is every file under dir (but the named folders, stdout and
// stderr) with its size and modification time.
func treeState(t *testing.T, dir string, skip ...string) map[string]string {
	t.Helper()
	state := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() && slices.Contains(skip, rel) {
			return filepath.SkipDir
		}
		if rel == "stdout" || rel == "stderr" {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		state[rel] = fmt.Sprintf("%s %d %s", info.Mode(), info.Size(), info.ModTime().Format(time.RFC3339Nano))
		if d.IsDir() {
			state[rel] = info.Mode().String()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return state
}

// stateDiff lists the paths whose state differs.
func stateDiff(before, after map[string]string) string {
	var lines []string
	for _, p := range slices.Sorted(maps.Keys(maps.Collect(func(yield func(string, string) bool) {
		for k, v := range before {
			yield(k, v)
		}
		for k, v := range after {
			yield(k, v)
		}
	}))) {
		if before[p] != after[p] {
			lines = append(lines, fmt.Sprintf("  %s: %q -> %q", p, before[p], after[p]))
		}
	}
	return strings.Join(lines[:min(len(lines), 20)], "\n")
}

func fileDigest(t *testing.T, name string) string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

func tail(s string, n int) string { return s[max(0, len(s)-n):] }

// checkServerExcerpts looks through every file the run wrote (workspace,
// clones, pages, gradebook, results, stdout, stderr) for what the hostile
// servers sent: at most a short excerpt of it may be anywhere.
func checkServerExcerpts(t *testing.T, dir string) {
	const maxExcerpt = 4 << 10
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(p, filepath.Join(dir, "served")) {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, marker := range []string{gittest.HugeBodyMarker, gittest.EndlessRefMarker} {
			if n := strings.Count(string(data), marker) * len(marker); n > maxExcerpt {
				t.Errorf("%s holds %d bytes of %q", p, n, marker)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// hostileResults is results.json as the test reads it.
type hostileResults struct {
	Groups      []*grade.GroupResult `json:"groups"`
	InvalidRows []struct {
		Line int `json:"line"`
	} `json:"invalid_rows"`
}

func readResults(t *testing.T, name string) hostileResults {
	t.Helper()
	var r hostileResults
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func writeFileIn(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readIn(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// lastLine is what follows prefix on the last line of out starting with it.
func lastLine(out, prefix string) string {
	var found string
	for line := range strings.Lines(out) {
		if rest, ok := strings.CutPrefix(line, prefix); ok {
			found = strings.TrimSpace(rest)
		}
	}
	return found
}
