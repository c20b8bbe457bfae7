package scrape

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"handin/scrape/gittest"
	"handin/workspace"
)

// deadline of the synthetic course, in Copenhagen winter time.
var testDeadline = time.Date(2026, 1, 23, 23, 59, 59, 0, time.FixedZone("CET", 3600))

var (
	alice = gittest.Signature{Name: "Alice", Email: "alice@example.com"}
	bob   = gittest.Signature{Name: "Bob", Email: "bob@example.com"}
	carol = gittest.Signature{Name: "Carol", Email: "carol@example.com"}
)

// reportText is a filled-in exam template, as far as the no-report check
// cares, with the figure reportCommit writes.
const reportText = "# Exam report\n\n### Question 1\n> **Enter the group number.**\n\nAnswer: 1\n\n![loss](figures/loss.PNG)\n"

// course is a loopback git server and the repositories it serves.
type course struct {
	t      *testing.T
	root   string
	server *gittest.Server
	repos  map[string]*gittest.Repo
}

func newCourse(t *testing.T) *course {
	t.Helper()
	if err := gittest.GitAvailable(); err != nil {
		t.Skipf("SKIPPING real-git scrape tests: %v", err)
	}
	root := t.TempDir()
	server, err := gittest.NewServer(root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(server.Close)
	return &course{t: t, root: root, server: server, repos: map[string]*gittest.Repo{}}
}

// repo creates an empty served repository called name.
func (c *course) repo(name string) *gittest.Repo {
	c.t.Helper()
	r, err := gittest.NewRepo(filepath.Join(c.root, name))
	if err != nil {
		c.t.Fatal(err)
	}
	c.repos[name] = r
	return r
}

// commit adds a commit on branch and returns its SHA.
func (c *course) commit(name, branch string, commit gittest.Commit) string {
	c.t.Helper()
	sha, err := c.repos[name].Commit(branch, commit)
	if err != nil {
		c.t.Fatal(err)
	}
	return sha
}

// group is group number n cloning the served repository name.
func (c *course) group(n int, name string) Group {
	u := c.server.RepoURL(name)
	return Group{Number: n, Students: []string{"s123456"}, RawURL: u, URL: u, WebURL: strings.TrimSuffix(u, ".git")}
}

// at is a time relative to the deadline.
func at(d time.Duration) time.Time { return testDeadline.Add(d) }

// reportCommit writes the report, a figure and a source file.
func reportCommit(who gittest.Signature, when time.Time, msg string) gittest.Commit {
	return gittest.Commit{Message: msg, Author: who, When: when, Files: map[string][]byte{
		"reports/README.md":          []byte(reportText),
		"reports/figures/loss.PNG":   []byte("\x89PNG fake figure"),
		"README.md":                  []byte("# project\n\n![architecture](docs/architecture/diag.svg)\n"),
		"src/train.py":               []byte("print('train')\n"),
		"docs/architecture/diag.svg": []byte("<svg/>"),
	}}
}

// testRun is a scrape's options and the workspace folder it runs in.
type testRun struct {
	Options
	Workspace string
}

func testOptions(t *testing.T, groups ...Group) testRun {
	return testRun{Workspace: filepath.Join(t.TempDir(), "ws"), Options: Options{
		Groups:     groups,
		Deadline:   testDeadline,
		Workers:    3,
		Timeout:    20 * time.Second,
		RetryDelay: time.Millisecond,
		Now:        func() time.Time { return at(48 * time.Hour) },
	}}
}

// run scrapes as 'handin scrape' does: the workspace opened (and locked)
// for the run, then closed.
func run(ctx context.Context, o testRun) (*Summary, error) {
	ws, err := workspace.Create(o.Workspace)
	if err != nil {
		return nil, err
	}
	defer ws.Close()
	return Run(ctx, ws, o.Options)
}

// lookIn opens the workspace at dir as a later command would, reads one
// thing from it and closes it.
func lookIn[T any](t *testing.T, dir string, read func(ws *workspace.Workspace) (T, error)) T {
	t.Helper()
	ws, err := workspace.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	v, err := read(ws)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustRun(t *testing.T, opts testRun) *Summary {
	t.Helper()
	sum, err := run(context.Background(), opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return sum
}

func outcomeOf(t *testing.T, sum *Summary, group int) Outcome {
	t.Helper()
	for _, o := range sum.Outcomes {
		if o.Group == group {
			return o
		}
	}
	t.Fatalf("no outcome for group %d in %+v", group, sum.Outcomes)
	return Outcome{}
}

func loadSnap(t *testing.T, dir string, group int) *workspace.Snapshot {
	t.Helper()
	return lookIn(t, dir, func(ws *workspace.Workspace) (*workspace.Snapshot, error) { return ws.LoadSnapshot(group) })
}

// groupDir is a group's folder in the workspace at dir.
func groupDir(dir string, group int) string {
	return filepath.Join(dir, "groups", fmt.Sprintf("%03d", group))
}

func readObservations(t *testing.T, dir string, group int) []workspace.Observation {
	t.Helper()
	return lookIn(t, dir, func(ws *workspace.Workspace) ([]workspace.Observation, error) { return ws.Observations(group) })
}

func TestRunPinsTheDeadlineCommit(t *testing.T) {
	c := newCourse(t)

	// Group 1: several authors, a merged feature branch, a commit exactly at
	// the deadline, two after it.
	c.repo("g1.git")
	c.commit("g1.git", "main", reportCommit(alice, at(-72*time.Hour), "start"))
	if err := c.repos["g1.git"].SetBranch("feature", mustTip(t, c.repos["g1.git"], "main")); err != nil {
		t.Fatal(err)
	}
	c.commit("g1.git", "feature", gittest.Commit{Message: "model", Author: carol, When: at(-50 * time.Hour),
		Files: map[string][]byte{"src/model.py": []byte("model\n")}})
	c.commit("g1.git", "main", gittest.Commit{Message: "data", Author: bob, When: at(-49 * time.Hour),
		Files: map[string][]byte{"src/data.py": []byte("data\n")}})
	merge, err := c.repos["g1.git"].Merge("main", "feature", gittest.Commit{Message: "merge feature", Author: alice, When: at(-48 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	exact := c.commit("g1.git", "main", gittest.Commit{Message: "final", Author: bob, When: testDeadline,
		Files: map[string][]byte{"reports/README.md": []byte(reportText + "\nfinal\n")}})
	c.commit("g1.git", "main", gittest.Commit{Message: "late 1", Author: alice, When: at(time.Second),
		Files: map[string][]byte{"reports/README.md": []byte("rewritten after the deadline")}})
	c.commit("g1.git", "main", gittest.Commit{Message: "late 2", Author: alice, When: at(time.Hour)})

	// Group 2: the committer clock goes backwards on the first-parent chain.
	c.repo("g2.git")
	c.commit("g2.git", "main", reportCommit(alice, at(-time.Hour), "first"))
	backdated := c.commit("g2.git", "main", gittest.Commit{Message: "rebased", Author: bob, When: at(-48 * time.Hour)})
	c.commit("g2.git", "main", gittest.Commit{Message: "late", Author: bob, When: at(time.Hour)})

	// Group 3: no commits. Group 4: no reports/ folder. Group 5: only late commits.
	c.repo("g3.git")
	c.repo("g4.git")
	c.commit("g4.git", "main", gittest.Commit{Message: "code only", Author: alice, When: at(-time.Hour),
		Files: map[string][]byte{"README.md": []byte("# code\n"), "main.py": []byte("pass\n")}})
	c.repo("g5.git")
	c.commit("g5.git", "main", reportCommit(alice, at(time.Minute), "too late"))

	// Group 6: a symlink in reports/ pointing outside the repository, and a
	// README on a branch other than the default one.
	c.repo("g6.git")
	c.commit("g6.git", "main", gittest.Commit{Message: "old default", Author: alice, When: at(-9 * time.Hour),
		Files: map[string][]byte{"x": []byte("x")}})
	c.commit("g6.git", "submission", gittest.Commit{Message: "report", Author: alice, When: at(-2 * time.Hour),
		Files:    map[string][]byte{"reports/README.md": []byte(reportText + "![figure](fig.png)\n")},
		Symlinks: map[string]string{"reports/passwd.md": "../../../../../../etc/passwd", "reports/fig.png": "/etc/hostname"}})
	group6 := c.group(6, "g6.git")
	group6.Branch = "submission"

	// Group 8 has an extension (groups.csv's deadline column) covering group 5's late commit.
	group8 := c.group(8, "g5.git")
	extension := at(2 * time.Hour)
	group8.Deadline = &extension

	opts := testOptions(t, c.group(1, "g1.git"), c.group(2, "g2.git"), c.group(3, "g3.git"), c.group(4, "g4.git"),
		c.group(5, "g5.git"), group6, c.group(7, "missing.git"), group8)
	sum := mustRun(t, opts)

	want := map[int]workspace.Status{1: workspace.StatusOK, 2: workspace.StatusOK, 3: workspace.StatusEmptyRepo, 4: workspace.StatusNoReport, 5: workspace.StatusNoCommit, 6: workspace.StatusOK, 7: workspace.StatusNotFound, 8: workspace.StatusOK}
	if len(sum.Outcomes) != len(want) {
		t.Fatalf("got %d outcomes, want %d", len(sum.Outcomes), len(want))
	}
	for group, status := range want {
		if got := outcomeOf(t, sum, group); got.Status != status {
			t.Errorf("group %d: status %s (%s), want %s", group, got.Status, got.Error, status)
		}
	}
	ws := opts.Workspace

	g1 := loadSnap(t, ws, 1)
	if g1.Pin.SHA != exact || g1.Pin.LateCommits != 2 || g1.Pin.OutOfOrder || g1.Pin.By != workspace.PinnedByCommitterDate {
		t.Errorf("group 1: pinned %s late %d nonmono %v by %q; want %s, 2 late, monotonic, by date",
			g1.Pin.SHA, g1.Pin.LateCommits, g1.Pin.OutOfOrder, g1.Pin.By, exact)
	}
	if !g1.Pin.Time.Equal(testDeadline) || g1.Branch != "main" {
		t.Errorf("group 1: deadline time %v branch %q", g1.Pin.Time, g1.Branch)
	}
	if len(g1.Commits) != 5 || g1.Commits[0].SHA != exact {
		t.Fatalf("group 1: %d commits starting %v, want 5 starting with the deadline commit", len(g1.Commits), g1.Commits)
	}
	authors := map[string]bool{}
	for _, cm := range g1.Commits {
		authors[cm.AuthorEmail] = true
		if cm.SHA == merge && len(cm.Parents) != 2 {
			t.Errorf("merge commit has parents %v", cm.Parents)
		}
	}
	if len(authors) != 3 {
		t.Errorf("group 1 authors %v, want alice, bob and carol", authors)
	}
	report, err := g1.ReadFile("reports/README.md")
	if err != nil || !strings.Contains(string(report), "final") {
		t.Errorf("group 1 exported report %q, %v: want the deadline version", report, err)
	}
	wantExported := []string{"reports/README.md", "reports/figures/loss.PNG", "README.md", "docs/architecture/diag.svg",
		"src/data.py", "src/model.py", "src/train.py"}
	if !sameSet(g1.Copied, wantExported) {
		t.Errorf("group 1 exported %v, want %v", g1.Copied, wantExported)
	}
	if code, err := g1.ReadFile("src/train.py"); err != nil || string(code) != "print('train')\n" {
		t.Errorf("source file %q, %v", code, err)
	}
	if !g1.HasFile("src/model.py") || !g1.HasFile("src/train.py") {
		t.Errorf("group 1 tree lacks the merged files: %v", g1.Tree)
	}

	g2 := loadSnap(t, ws, 2)
	if g2.Pin.SHA != backdated || !g2.Pin.OutOfOrder || g2.Pin.LateCommits != 1 {
		t.Errorf("group 2: pinned %s nonmono %v late %d; want %s, true, 1", g2.Pin.SHA, g2.Pin.OutOfOrder, g2.Pin.LateCommits, backdated)
	}

	g5 := loadSnap(t, ws, 5)
	if g5.Pin.SHA != "" || g5.Pin.LateCommits != 1 || g5.TipSHA == "" {
		t.Errorf("group 5: pinned %q late %d tip %q", g5.Pin.SHA, g5.Pin.LateCommits, g5.TipSHA)
	}
	if g8 := loadSnap(t, ws, 8); g8.Pin.SHA != g5.TipSHA || !g8.Deadline.Equal(extension) {
		t.Errorf("group 8 (extension): pinned %q with deadline %v, want %s by %v", g8.Pin.SHA, g8.Deadline, g5.TipSHA, extension)
	}
	if n := c.server.Requests("missing.git"); n != 1 {
		t.Errorf("a 404 was asked %d times, want once (no retry)", n)
	}

	g6 := loadSnap(t, ws, 6)
	var links int
	for _, f := range g6.Tree {
		if f.Mode == "symlink" {
			links++
			if !strings.HasPrefix(f.NotCopied, "a symlink to") {
				t.Errorf("symlink %s: not copied because %q", f.Path, f.NotCopied)
			}
			if f.Path == "reports/passwd.md" && f.Target != "../../../../../../etc/passwd" {
				t.Errorf("symlink target %q", f.Target)
			}
		}
	}
	if links != 2 || g6.Branch != "submission" || len(g6.Notes) != 1 {
		t.Errorf("group 6: %d symlinks, branch %q, notes %q", links, g6.Branch, g6.Notes)
	}
	for _, p := range []string{"reports/passwd.md", "reports/fig.png"} {
		if _, err := os.Lstat(filepath.Join(groupDir(ws, 6), "files", p)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("symlink %s materialised: %v", p, err)
		}
	}

	// The workspace layout other stages and later runs rely on.
	for _, p := range []string{"repos/001.git/HEAD", "groups/001/snapshot.json", "groups/001/observations.jsonl", "groups/007/snapshot.json"} {
		if _, err := os.Stat(filepath.Join(ws, p)); err != nil {
			t.Errorf("workspace: %v", err)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(ws, "tmp")); len(entries) > 0 {
		t.Errorf("tmp not cleaned: %v", entries)
	}
	var names []string
	entries, _ := os.ReadDir(groupDir(ws, 1))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"files", "observations.jsonl", "snapshot.json"}) {
		t.Errorf("group folder holds %v", names)
	}
}

func mustTip(t *testing.T, r *gittest.Repo, branch string) string {
	t.Helper()
	sha, err := r.Tip(branch)
	if err != nil {
		t.Fatal(err)
	}
	return sha
}

func sameSet(a, b []string) bool {
	return len(a) == len(b) && !slices.ContainsFunc(a, func(s string) bool { return !slices.Contains(b, s) })
}

func TestRunTransportFailures(t *testing.T) {
	c := newCourse(t)
	for _, name := range []string{"retry.git", "down.git", "hang.git", "renamed.git", "private.git"} {
		c.repo(name)
		c.commit(name, "main", reportCommit(alice, at(-time.Hour), "report"))
	}
	c.server.FailNext("retry.git", 2, 500)
	c.server.FailNext("down.git", 100, 503)
	c.server.Hang("hang.git")
	c.server.Redirect("old-name.git", "renamed.git")
	c.server.Redirect("loop-a.git", "loop-b.git") // a hostile server: redirects forever
	c.server.Redirect("loop-b.git", "loop-a.git")
	const token = "ghs_SECRETtoken1234567890"
	c.server.RequireToken("private.git", token)

	groups := []Group{c.group(1, "retry.git"), c.group(2, "down.git"), c.group(3, "hang.git"),
		c.group(4, "old-name.git"), c.group(5, "private.git"), c.group(6, "loop-a.git")}
	host := mustHost(t, c.server.URL)

	var logs bytes.Buffer
	opts := testOptions(t, groups...)
	opts.Timeout = 2 * time.Second
	opts.Token, opts.TokenHosts = token, []string{"http://" + host}
	opts.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	sum := mustRun(t, opts)
	want := map[int]workspace.Status{1: workspace.StatusOK, 2: workspace.StatusNetworkError, 3: workspace.StatusTimeout, 4: workspace.StatusOK, 5: workspace.StatusOK, 6: workspace.StatusNetworkError}
	for group, status := range want {
		if got := outcomeOf(t, sum, group); got.Status != status {
			t.Errorf("group %d: status %s (%s), want %s", group, got.Status, got.Error, status)
		}
	}
	if n := c.server.Requests("down.git"); n != retryAttempts {
		t.Errorf("down.git got %d requests, want %d attempts", n, retryAttempts)
	}
	// The renamed repository is scraped at its new place; the snapshot keeps
	// the URL of groups.csv and says where it moved, here and on resume.
	renamed := loadSnap(t, opts.Workspace, 4)
	if got, want := renamed.Pin.SHA, mustTip(t, c.repos["renamed.git"], "main"); got != want {
		t.Errorf("redirected group pinned %s, want %s", got, want)
	}
	movedTo := c.server.RepoURL("renamed.git")
	if o := outcomeOf(t, sum, 4); o.MovedTo != movedTo || renamed.MovedTo != movedTo || renamed.URL != c.server.RepoURL("old-name.git") {
		t.Errorf("redirected group: outcome moved to %q, snapshot %q moved to %q; want %s", o.MovedTo, renamed.URL, renamed.MovedTo, movedTo)
	}
	if o := outcomeOf(t, sum, 1); o.MovedTo != "" {
		t.Errorf("a group that was not redirected moved to %q", o.MovedTo)
	}
	if o := outcomeOf(t, sum, 6); !strings.Contains(o.Error, "too many redirects") {
		t.Errorf("redirect loop: %q", o.Error)
	}
	if sum.InfrastructureFailures() != 3 {
		t.Errorf("infrastructure failures %d, want 3", sum.InfrastructureFailures())
	}
	out, _ := json.Marshal(sum)
	assertNoSecret(t, token, opts.Workspace, logs.Bytes(), out)

	opts.Only = []int{4}
	if o := outcomeOf(t, mustRun(t, opts), 4); !o.Resumed || o.MovedTo != movedTo {
		t.Errorf("resumed redirected group: resumed %v moved to %q", o.Resumed, o.MovedTo)
	}

	// Observations say where the URL led, so they still count once
	// groups.csv names the new URL (see TestLastObservationBy).
	if obs := readObservations(t, opts.Workspace, 4); len(obs) != 2 || obs[0].MovedTo != movedTo {
		t.Errorf("observations of the redirected group %+v", obs)
	}

	// Without a token the private repository looks like a missing one; with
	// a wrong one the credentials were refused; a token meant for another
	// host is never sent.
	for _, tc := range []struct {
		token string
		hosts []string
		want  workspace.Status
	}{{"", nil, workspace.StatusNotFound}, {"wrong-token", []string{"http://" + host}, workspace.StatusAuthFailed}, {token, nil, workspace.StatusNotFound},
		{token, []string{host}, workspace.StatusNotFound}} { // a host named without http:// gets it over https only
		opts := testOptions(t, c.group(5, "private.git"))
		opts.Token, opts.TokenHosts = tc.token, tc.hosts
		if got := outcomeOf(t, mustRun(t, opts), 5); got.Status != tc.want {
			t.Errorf("token %q hosts %v: status %s (%s), want %s", tc.token, tc.hosts, got.Status, got.Error, tc.want)
		}
	}
}

func mustHost(t *testing.T, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// assertNoSecret fails when secret occurs in any file under dir or in outputs.
func assertNoSecret(t *testing.T, secret, dir string, outputs ...[]byte) {
	t.Helper()
	for i, out := range outputs {
		if bytes.Contains(out, []byte(secret)) {
			t.Errorf("output %d contains the token", i)
		}
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("%s contains the token", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRunResumesAfterCancel(t *testing.T) {
	c := newCourse(t)
	var groups []Group
	for i, name := range []string{"a.git", "b.git", "c.git"} {
		c.repo(name)
		c.commit(name, "main", reportCommit(alice, at(-time.Hour), "report"))
		groups = append(groups, c.group(i+1, name))
	}
	opts := testOptions(t, groups...)
	opts.Workers = 1
	// Before the deadline: every push up to it counts, whenever scraped.
	opts.Now = func() time.Time { return at(-30 * time.Minute) }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts.Logger = slog.New(&onRecord{msg: "group scraped", do: cancel})
	sum, err := run(ctx, opts)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled run returned %v", err)
	}
	if len(sum.Outcomes) != 1 || sum.Outcomes[0].Group != 1 {
		t.Fatalf("cancelled run finished %+v, want group 1 only", sum.Outcomes)
	}
	first, err := os.ReadFile(filepath.Join(groupDir(opts.Workspace, 1), "snapshot.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []int{2, 3} {
		if _, err := os.Stat(filepath.Join(groupDir(opts.Workspace, g), "snapshot.json")); err == nil {
			t.Errorf("group %d has a snapshot after the cancelled run", g)
		}
	}

	// Leftovers of a run killed mid-way are removed by the next one.
	stale := []string{filepath.Join(opts.Workspace, "tmp", "002-123.git"), filepath.Join(groupDir(opts.Workspace, 1), ".files-new-1"),
		filepath.Join(groupDir(opts.Workspace, 1), ".files-old-2")}
	for _, dir := range stale {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}

	opts.Logger = nil
	before := c.server.Requests("a.git")
	sum = mustRun(t, opts)
	if len(sum.Outcomes) != 3 {
		t.Fatalf("resumed run: %+v", sum.Outcomes)
	}
	for _, o := range sum.Outcomes {
		if o.Status != workspace.StatusOK || o.Resumed != (o.Group == 1) {
			t.Errorf("group %d: status %s resumed %v", o.Group, o.Status, o.Resumed)
		}
	}
	if n := c.server.Requests("a.git") - before; n != 1 {
		t.Errorf("resumed group made %d requests, want 1 (the ref listing)", n)
	}
	for _, dir := range stale {
		if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s left behind: %v", dir, err)
		}
	}
	again, err := os.ReadFile(filepath.Join(groupDir(opts.Workspace, 1), "snapshot.json"))
	if err != nil || !bytes.Equal(first, again) {
		t.Errorf("group 1 snapshot changed by the resumed run (%v)", err)
	}
	if obs := readObservations(t, opts.Workspace, 1); len(obs) != 2 {
		t.Errorf("group 1 observations %+v, want one per run", obs)
	}

	// A new commit pushed before the deadline is fetched into the existing
	// clone; --refresh redoes an unchanged group.
	newer := c.commit("a.git", "main", gittest.Commit{Message: "fix", Author: bob, When: at(-time.Minute)})
	opts.Only = []int{1, 2}
	sum = mustRun(t, opts)
	if o := outcomeOf(t, sum, 1); o.Resumed || o.Pin.SHA != newer {
		t.Errorf("moved remote: resumed %v pinned %s, want a fetch pinning %s", o.Resumed, o.Pin.SHA, newer)
	}
	opts.Refresh = true
	if o := outcomeOf(t, mustRun(t, opts), 2); o.Resumed || o.Status != workspace.StatusOK {
		t.Errorf("refresh: resumed %v status %s", o.Resumed, o.Status)
	}
}

// onRecord is a slog handler that calls do once, on the first record with msg.
type onRecord struct {
	msg  string
	do   func()
	once sync.Once
}

func (h *onRecord) Enabled(context.Context, slog.Level) bool { return true }
func (h *onRecord) Handle(_ context.Context, r slog.Record) error {
	if r.Message == h.msg {
		h.once.Do(h.do)
	}
	return nil
}
func (h *onRecord) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *onRecord) WithGroup(string) slog.Handler      { return h }

func TestRunCancelStopsInFlightClones(t *testing.T) {
	c := newCourse(t)
	c.repo("hang.git")
	c.commit("hang.git", "main", reportCommit(alice, at(-time.Hour), "report"))
	c.server.Hang("hang.git")
	opts := testOptions(t, c.group(1, "hang.git"))
	opts.Timeout = time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := run(ctx, opts); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run returned %v, want the caller's cancellation", err)
	}
	if waited := time.Since(start); waited > 10*time.Second {
		t.Errorf("cancellation took %v", waited)
	}
	if _, err := os.Stat(filepath.Join(opts.Workspace, "tmp")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("tmp left behind: %v", err)
	}
	if _, err := os.Stat(filepath.Join(groupDir(opts.Workspace, 1), "snapshot.json")); err == nil {
		t.Error("a cancelled group got a snapshot")
	}
}

func TestRunPinsByObservation(t *testing.T) {
	c := newCourse(t)
	c.repo("obs.git")
	c.commit("obs.git", "main", reportCommit(alice, at(-24*time.Hour), "draft"))
	seen := c.commit("obs.git", "main", gittest.Commit{Message: "seen before the deadline", Author: alice, When: at(-time.Hour)})
	c.repo("skew.git")
	c.commit("skew.git", "main", reportCommit(alice, at(-24*time.Hour), "draft"))
	// The committer's clock runs ahead: dated after the deadline, yet on the
	// server when scrape looked before it.
	ahead := c.commit("skew.git", "main", gittest.Commit{Message: "clock ahead", Author: bob, When: at(20 * time.Minute)})

	opts := testOptions(t, c.group(1, "obs.git"), c.group(2, "skew.git"))
	now := at(-30 * time.Minute)
	opts.Now = func() time.Time { return now }
	sum := mustRun(t, opts)
	if o := outcomeOf(t, sum, 1); o.Pin.SHA != seen {
		t.Fatalf("before the deadline: pinned %s, want the tip %s", o.Pin.SHA, seen)
	}

	// A scrape just after the deadline sees the same tip; then the students
	// push a commit dated before the deadline, and one after.
	now = at(5 * time.Minute)
	mustRun(t, opts)
	backdated := c.commit("obs.git", "main", gittest.Commit{Message: "backdated", Author: bob, When: at(-10 * time.Minute),
		Files: map[string][]byte{"reports/README.md": []byte(reportText + "improved")}})
	after := c.commit("obs.git", "main", gittest.Commit{Message: "after", Author: bob, When: at(time.Hour)})
	now = at(2 * time.Hour)
	sum = mustRun(t, opts)

	g1 := loadSnap(t, opts.Workspace, 1)
	if g1.Pin.SHA != seen || g1.Pin.By != workspace.PinnedByObservation || !g1.Pin.Backdated || g1.Pin.DateBasedSHA != backdated || g1.Pin.LateCommits != 2 {
		t.Errorf("group 1: pinned %s by %s backdated %v date-based %s late %d; want %s by observation, backdated, %s, 2",
			g1.Pin.SHA, g1.Pin.By, g1.Pin.Backdated, g1.Pin.DateBasedSHA, g1.Pin.LateCommits, seen, backdated)
	}
	if len(g1.Pin.Evidence) != 2 || !g1.Pin.Evidence[0].Time.Equal(at(-30*time.Minute)) || !g1.Pin.Evidence[1].Time.Equal(at(5*time.Minute)) ||
		!outcomeOf(t, sum, 1).Pin.Backdated {
		t.Errorf("group 1: evidence %+v", g1.Pin.Evidence)
	}
	if len(g1.Pin.Late) != 2 || g1.Pin.Late[0].SHA != after || g1.Pin.Late[0].Backdated || !g1.Pin.Late[1].Backdated ||
		!slices.Equal(g1.Pin.Late[1].Files, []workspace.LateFile{{Path: "reports/README.md", Report: true}}) {
		t.Errorf("group 1: late commits %+v", g1.Pin.Late)
	}
	if report, _ := g1.ReadFile("reports/README.md"); strings.Contains(string(report), "improved") {
		t.Error("group 1 exported the backdated report")
	}
	g2 := loadSnap(t, opts.Workspace, 2)
	if g2.Pin.SHA != ahead || g2.Pin.Backdated || g2.Pin.By != workspace.PinnedByObservation || g2.Pin.LateCommits != 0 {
		t.Errorf("group 2: pinned %s backdated %v by %s late %d; want %s, not backdated, by observation, 0",
			g2.Pin.SHA, g2.Pin.Backdated, g2.Pin.By, g2.Pin.LateCommits, ahead)
	}
}

func TestRunKeepsGoodSnapshotOnFailure(t *testing.T) {
	c := newCourse(t)
	c.repo("flaky.git")
	sha := c.commit("flaky.git", "main", reportCommit(alice, at(-time.Hour), "report"))
	opts := testOptions(t, c.group(1, "flaky.git"))
	mustRun(t, opts)

	c.server.FailNext("flaky.git", 100, 502)
	opts.Refresh = true
	sum := mustRun(t, opts)
	o := outcomeOf(t, sum, 1)
	if o.Status != workspace.StatusNetworkError || !strings.Contains(o.Error, "kept the snapshot") || o.Kept != workspace.StatusOK {
		t.Errorf("outcome %s %q kept %q, want network-error keeping the ok snapshot", o.Status, o.Error, o.Kept)
	}
	// Graded from the kept snapshot: not failed, yet not reached.
	if o.Failed() || sum.Failed() != 0 || sum.Kept() != 1 || sum.InfrastructureFailures() != 1 {
		t.Errorf("failed %v (%d), kept %d, unreachable %d; want not failed, 1 kept, 1 unreachable",
			o.Failed(), sum.Failed(), sum.Kept(), sum.InfrastructureFailures())
	}
	s := loadSnap(t, opts.Workspace, 1)
	if s.Status != workspace.StatusOK || s.Pin.SHA != sha {
		t.Errorf("stored snapshot %s %s, want the earlier ok one", s.Status, s.Pin.SHA)
	}
	// The snapshot says the last scrape did not reach the repository, until
	// one does again (grading says the group is graded from old data).
	if u := s.Unreached; u == nil || u.Status != workspace.StatusNetworkError || u.Time.Before(s.ScrapedAt) {
		t.Errorf("unreached %+v, want this run's network error, not before the snapshot's scrape", u)
	}
	c.server.Reset("flaky.git")
	mustRun(t, opts)
	if s := loadSnap(t, opts.Workspace, 1); s.Unreached != nil {
		t.Errorf("reached again, yet unreached %+v", s.Unreached)
	}
}

// TestRunUnresolvableHost: a host that does not resolve (.invalid never
// does) is a failure to reach the server, counted with the others handin
// could not reach, never a repository found missing.
func TestRunUnresolvableHost(t *testing.T) {
	u := "http://group1.invalid/mlops.git"
	opts := testOptions(t, Group{Number: 1, Students: []string{"s123456"}, RawURL: u, URL: u})
	sum := mustRun(t, opts)
	o := outcomeOf(t, sum, 1)
	if o.Status != workspace.StatusNetworkError || !o.Failed() || sum.Failed() != 1 || sum.InfrastructureFailures() != 1 {
		t.Errorf("outcome %s %q: failed %d, unreachable %d; want network-error, 1 failed, 1 unreachable",
			o.Status, o.Error, sum.Failed(), sum.InfrastructureFailures())
	}
	var dnsErr *net.DNSError
	if _, err := net.LookupHost("group1.invalid"); !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
		t.Logf("this machine's resolver does not answer (%v): the message is the resolver's", err)
		return
	}
	if want := "could not resolve the host group1.invalid (no such host): check the repository URL in groups.csv"; !strings.Contains(o.Error, want) {
		t.Errorf("error %q, want it to say %q", o.Error, want)
	}
}

func TestRunKeepsSnapshotWhenRemoteEmptied(t *testing.T) {
	c := newCourse(t)
	c.repo("wiped.git")
	sha := c.commit("wiped.git", "main", reportCommit(alice, at(-time.Hour), "report"))
	opts := testOptions(t, c.group(1, "wiped.git"))
	mustRun(t, opts)

	// After the deadline the students delete and recreate the repository.
	if err := os.RemoveAll(filepath.Join(c.root, "wiped.git")); err != nil {
		t.Fatal(err)
	}
	c.repo("wiped.git")
	o := outcomeOf(t, mustRun(t, opts), 1)
	if o.Status != workspace.StatusEmptyRepo || !strings.Contains(o.Error, "kept the snapshot") || o.Kept != workspace.StatusOK || o.Failed() {
		t.Errorf("outcome %s %q kept %q failed %v, want empty-repo keeping the ok snapshot, not failed", o.Status, o.Error, o.Kept, o.Failed())
	}
	s := loadSnap(t, opts.Workspace, 1)
	if report, err := s.ReadFile("reports/README.md"); s.Status != workspace.StatusOK || s.Pin.SHA != sha || err != nil || len(report) == 0 {
		t.Errorf("stored snapshot %s %s, report %v: want the earlier ok one with its files", s.Status, s.Pin.SHA, err)
	}
}

func TestRunInvalidAndSelectedGroups(t *testing.T) {
	c := newCourse(t)
	c.repo("ok.git")
	c.commit("ok.git", "main", reportCommit(alice, at(-time.Hour), "report"))
	noNumber := Group{Line: 2, Err: errors.New(`groups.csv:2: group number "x" is not a positive integer`)}
	dup := Group{Number: 1, Line: 4, Err: errors.New("groups.csv:4: group 1 repeats line 3")}
	bad := Group{Number: 4, Line: 5, Err: errors.New("groups.csv:5: missing repo_url")}
	opts := testOptions(t, noNumber, c.group(1, "ok.git"), dup, bad)
	sum := mustRun(t, opts)
	if len(sum.Outcomes) != 4 || sum.Outcomes[0].Status != workspace.StatusInvalid || sum.Outcomes[1].Status != workspace.StatusOK ||
		sum.Outcomes[2].Status != workspace.StatusInvalid || sum.Outcomes[3].Status != workspace.StatusInvalid {
		t.Fatalf("outcomes %+v", sum.Outcomes)
	}
	if _, err := os.Stat(groupDir(opts.Workspace, 0)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a row without a group number got a folder: %v", err)
	}
	if s := loadSnap(t, opts.Workspace, 1); s.Status != workspace.StatusOK {
		t.Errorf("the duplicate row overwrote group 1: %s", s.Status)
	}
	if s := loadSnap(t, opts.Workspace, 4); s.Status != workspace.StatusInvalid || !strings.Contains(s.Error, "missing repo_url") {
		t.Errorf("group 4 snapshot %s %q", s.Status, s.Error)
	}

	opts.Only = []int{4}
	if sum := mustRun(t, opts); len(sum.Outcomes) != 1 || sum.Outcomes[0].Group != 4 {
		t.Errorf("--group 4 ran %+v", sum.Outcomes)
	}
	// The roster keeps every row, also those without a folder of their own.
	r := lookIn(t, opts.Workspace, func(ws *workspace.Workspace) (workspace.Roster, error) { return ws.LoadRoster() })
	if len(r.Rows) != 4 {
		t.Fatalf("roster %+v, want the 4 rows", r)
	}
	if r.Rows[0].Line != 2 || !strings.Contains(r.Rows[0].Error, "groups.csv:2") || r.Rows[2].Group != 1 || r.Rows[2].Error == "" || r.Rows[1].Error != "" {
		t.Errorf("roster rows %+v", r.Rows)
	}
	// Which row owns a group's folder: the valid row 1, not its duplicate;
	// the invalid row 4, whose number is free; no row without a number.
	if folders := []bool{r.Rows[0].Folder, r.Rows[1].Folder, r.Rows[2].Folder, r.Rows[3].Folder}; !slices.Equal(folders, []bool{false, true, false, true}) {
		t.Errorf("folder owners %v, want [false true false true]", folders)
	}
	opts.Only = []int{9}
	if _, err := run(context.Background(), opts); err == nil {
		t.Error("an unknown --group was accepted")
	}
	opts.Only, opts.Deadline = nil, time.Time{}
	if _, err := run(context.Background(), opts); err == nil {
		t.Error("a run without any deadline was accepted")
	}
}

func TestRunExportLimits(t *testing.T) {
	c := newCourse(t)
	c.repo("big.git")
	commit := reportCommit(alice, at(-time.Hour), "report")
	commit.Files["data/huge.png"] = make([]byte, maxCopyFileSize+1)
	commit.Files["reports/README.md"] = []byte("# no questions here\n\n![data](../data/huge.png)\n")
	c.commit("big.git", "main", commit)
	opts := testOptions(t, c.group(1, "big.git"))
	o := outcomeOf(t, mustRun(t, opts), 1)
	if o.Status != workspace.StatusNoReport {
		t.Errorf("status %s, want no-report", o.Status)
	}
	s := loadSnap(t, opts.Workspace, 1)
	if slices.Contains(s.Copied, "data/huge.png") || !slices.Contains(s.Copied, "reports/README.md") {
		t.Errorf("exported %v", s.Copied)
	}
	if !slices.ContainsFunc(s.Notes, func(n string) bool { return strings.Contains(n, "data/huge.png") }) {
		t.Errorf("no note about the oversized file: %q", s.Notes)
	}
	if !s.HasFile("data/huge.png") {
		t.Error("the oversized file is missing from the tree")
	}
}

// A delta git never writes (10 bytes built from 9 MiB), as a server sends
// it: the clone's pack store leaves it out, and the snapshot says so and
// lists the file it could not read; the 9 MiB file is listed with its size.
// (A server without partial fetch: one with sends the history alone.)
func TestRunNotesObjectsLeftOutOfTheClone(t *testing.T) {
	c := newCourse(t)
	r := c.repo("odd.git")
	c.server.WithoutFilter("odd.git")
	commit := reportCommit(alice, at(-time.Hour), "report")
	commit.Files["data/small.bin"] = make([]byte, 10)
	commit.Zeros = map[string]int64{"data/large.bin": 9 << 20}
	c.commit("odd.git", "main", commit)
	var odd gittest.Pack // the same two files, the small one as a delta on the large one
	odd.Delta(odd.Object(plumbing.BlobObject, make([]byte, 9<<20)), 9<<20, 10, gittest.CopyOp(0, 10))
	if err := r.AddPack(odd.Bytes()); err != nil {
		t.Fatal(err)
	}

	opts := testOptions(t, c.group(1, "odd.git"))
	if o := outcomeOf(t, mustRun(t, opts), 1); o.Status != workspace.StatusOK {
		t.Fatalf("status %s (%s)", o.Status, o.Error)
	}
	s := loadSnap(t, opts.Workspace, 1)
	for _, want := range []string{
		"1 objects of the fetched pack were left out, as git never writes them: an object of 1 KiB built from one of 9.0 MiB",
		"1 entries could not be read from the clone (missing, or a folder object over 8.0 MiB): data/small.bin",
	} {
		if !slices.Contains(s.Notes, want) {
			t.Errorf("notes %q\nwant %q", s.Notes, want)
		}
	}
	if !slices.ContainsFunc(s.Tree, func(f workspace.File) bool { return f.Path == "data/large.bin" && f.Size == 9<<20 }) {
		t.Errorf("the large file is not listed with its size: %+v", s.Tree)
	}
}

func TestRunPinsObservedTipAfterForcePush(t *testing.T) {
	c := newCourse(t)
	r := c.repo("rewrite.git")
	seen := c.commit("rewrite.git", "main", reportCommit(alice, at(-2*time.Hour), "handed in"))
	opts := testOptions(t, c.group(1, "rewrite.git"))
	opts.Now = func() time.Time { return at(30 * time.Minute) }
	mustRun(t, opts)

	// After the scrape after the deadline, the branch is replaced by
	// unrelated history dated before the deadline.
	other := c.commit("rewrite.git", "rewritten", reportCommit(bob, at(-3*time.Hour), "rewritten history"))
	if err := r.SetBranch("main", other); err != nil {
		t.Fatal(err)
	}
	opts.Now = func() time.Time { return at(time.Hour) }
	o := outcomeOf(t, mustRun(t, opts), 1)
	s := loadSnap(t, opts.Workspace, 1)
	if o.Pin.SHA != seen || !s.Pin.Backdated || s.Pin.DateBasedSHA != other || s.TipSHA != other || !s.Pin.NotOnBranch {
		t.Errorf("pinned %s backdated %v date-based %s tip %s not on branch %v; want the observed %s, backdated, %s, not on the branch",
			o.Pin.SHA, s.Pin.Backdated, s.Pin.DateBasedSHA, s.TipSHA, s.Pin.NotOnBranch, seen, other)
	}
	if report, err := s.ReadFile("reports/README.md"); err != nil || len(report) == 0 || len(s.Commits) != 1 || s.Commits[0].SHA != seen {
		t.Errorf("the pinned commit was not read from the clone: report %v, commits %+v", err, s.Commits)
	}
}

// A figure missing at the deadline that a late commit added is kept as
// that commit had it, apart from the deadline tree: no path of the
// repository reaches it, and a figure the tree has is not kept twice.
func TestRunKeepsFiguresAddedLate(t *testing.T) {
	c := newCourse(t)
	c.repo("late.git")
	c.commit("late.git", "main", reportCommit(alice, at(-time.Hour), "report"))
	figure := []byte("\x89PNG the figure that came late")
	c.commit("late.git", "main", gittest.Commit{Message: "add figures", Author: alice, When: at(32 * time.Second), Files: map[string][]byte{
		"reports/figures/late.png": figure, "reports/figures/loss.PNG": []byte("\x89PNG changed"), "notes.txt": []byte("x")}})
	opts := testOptions(t, c.group(1, "late.git"))
	mustRun(t, opts)
	s := loadSnap(t, opts.Workspace, 1)
	if len(s.Pin.Late) != 1 {
		t.Fatalf("late commits %+v", s.Pin.Late)
	}
	kept := map[string]bool{}
	for _, f := range s.Pin.Late[0].Files {
		kept[f.Path] = f.Kept
	}
	if !kept["reports/figures/late.png"] || kept["reports/figures/loss.PNG"] || kept["notes.txt"] {
		t.Errorf("kept %v: want only the figure the deadline tree lacks", kept)
	}
	f, err := s.OpenLate("reports/figures/late.png")
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(f)
	f.Close()
	if err != nil || !bytes.Equal(data, figure) {
		t.Errorf("late figure %q %v, want the late commit's", data, err)
	}
	for _, p := range []string{"reports/figures/late.png", ".git/late/reports/figures/late.png", "reports/../.GIT/late/reports/figures/late.png"} {
		if f, err := s.Open(p); err == nil {
			f.Close()
			t.Errorf("Open(%q) reaches the late figure as if it were in the deadline tree", p)
		}
	}
}
