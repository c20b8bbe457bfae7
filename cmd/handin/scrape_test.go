package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"handin/grade"
	"handin/scrape"
	"handin/scrape/gittest"
	"handin/workspace"
)

// courseDeadline is the deadline the repositories served by gitcourse are
// built around (scrape_*.txtar pass it to handin scrape).
var courseDeadline = time.Date(2026, 1, 23, 23, 59, 59, 0, time.FixedZone("CET", 3600))

// courseServers maps a running script to its gitcourse server.
var courseServers sync.Map // *testscript.TestScript -> *gittest.Server

// gitCourse is the testscript command
//
//	gitcourse serve [-token T] CSV NAME...
//	gitcourse wait NAME
//
// serve builds a repository per NAME (group i+1 clones the i-th), serves
// them over loopback smart HTTP until the script ends, writes CSV (a
// groups.csv) and sets $GITHOST. A name's prefix picks its repository:
// "empty" no commits, "late" only a commit after the deadline, "missing" none
// at all (404), "hang" a server that never answers, "private" requires the
// token T, "nohost" a URL whose host never resolves (.invalid), "badurl" a
// row whose URL is no URL; anything else has a report committed two hours
// before the deadline and one commit after it. wait blocks until NAME was
// requested.
func gitCourse(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! gitcourse")
	}
	if len(args) == 2 && args[0] == "wait" {
		v, ok := courseServers.Load(ts)
		if !ok {
			ts.Fatalf("gitcourse wait: no gitcourse serve before")
		}
		server := v.(*gittest.Server)
		for deadline := time.Now().Add(30 * time.Second); server.Requests(args[1]+".git") == 0; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				ts.Fatalf("gitcourse wait: %s never requested", args[1])
			}
		}
		return
	}
	if len(args) < 3 || args[0] != "serve" {
		ts.Fatalf("usage: gitcourse serve [-token T] CSV NAME... | gitcourse wait NAME")
	}
	args = args[1:]
	var token string
	if args[0] == "-token" {
		token, args = args[1], args[2:]
	}
	root := ts.MkAbs(".served")
	ts.Check(os.MkdirAll(root, 0o755))
	server, err := gittest.NewServer(root)
	ts.Check(err)
	courseServers.Store(ts, server)
	ts.Defer(func() {
		courseServers.Delete(ts)
		server.Close()
	})
	csv := []string{"group_number,student_1,student_2,student_3,student_4,student_5,repo_url"}
	for i, name := range args[1:] {
		ts.Check(buildCourseRepo(filepath.Join(root, name+".git"), name))
		switch {
		case strings.HasPrefix(name, "hang"):
			server.Hang(name + ".git")
		case strings.HasPrefix(name, "private"):
			server.RequireToken(name+".git", token)
		}
		repoURL := server.RepoURL(name + ".git")
		switch {
		case strings.HasPrefix(name, "nohost"):
			repoURL = "http://" + name + ".invalid/mlops.git"
		case strings.HasPrefix(name, "badurl"):
			repoURL = "not a repository URL"
		}
		csv = append(csv, fmt.Sprintf("%d,s%06d,,,,,%s", i+1, 100000+i, repoURL))
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(strings.Join(csv, "\n")+"\n"), 0o644))
	u, err := url.Parse(server.URL)
	ts.Check(err)
	ts.Setenv("GITHOST", u.Host)
}

// buildCourseRepo writes the repository a gitcourse name stands for.
func buildCourseRepo(dir, name string) error {
	if strings.HasPrefix(name, "missing") {
		return nil
	}
	repo, err := gittest.NewRepo(dir)
	if err != nil || strings.HasPrefix(name, "empty") {
		return err
	}
	who := gittest.Signature{Name: "Student", Email: "student@example.com"}
	report := map[string][]byte{
		"reports/README.md":     []byte("# Report\n\n### Question 1\n> **Group number?**\n\nAnswer: " + name + "\n\n![a](figures/a.png)\n"),
		"reports/figures/a.png": []byte("\x89PNG not really"),
	}
	if !strings.HasPrefix(name, "late") {
		if _, err := repo.Commit("main", gittest.Commit{Message: "report", Author: who, When: courseDeadline.Add(-2 * time.Hour), Files: report}); err != nil {
			return err
		}
	}
	_, err = repo.Commit("main", gittest.Commit{Message: "after the deadline", Author: who, When: courseDeadline.Add(time.Hour), Files: report})
	return err
}

// TestScrapeNeverShowsTheToken runs handin scrape twice over a course whose
// groups.csv pastes credentials into URLs, once with the right token and once
// with a refused one, and looks for every secret in everything the runs left:
// stdout, stderr (log lines) and every file under the workspace.
func TestScrapeNeverShowsTheToken(t *testing.T) {
	if err := gittest.GitAvailable(); err != nil {
		t.Skipf("SKIPPING: %v", err)
	}
	const token, refused, pasted = "ghs_InstructorToken0001", "ghs_RefusedToken0002", "ghp_PastedIntoCSV0003"
	dir := t.TempDir()
	t.Chdir(dir) // no handin.toml from elsewhere
	served := filepath.Join(dir, "served")
	server, err := gittest.NewServer(mustMkdir(t, served))
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	for _, name := range []string{"private", "pasted"} {
		if err := buildCourseRepo(filepath.Join(served, name+".git"), name); err != nil {
			t.Fatal(err)
		}
	}
	server.RequireToken("private.git", token)
	server.RequireToken("pasted.git", pasted) // only the pasted credentials would open it
	withCredentials := func(name string) string {
		return strings.Replace(server.RepoURL(name), "://", "://x-access-token:"+pasted+"@", 1)
	}
	csv := "group_number,student_1,repo_url\n" +
		"1,s100001," + server.RepoURL("private.git") + "\n" +
		"2,s100002," + withCredentials("pasted.git") + "\n" +
		"3,s100003," + withCredentials("missing.git") + "\n" +
		"4,s100004," + pasted + "@github.com/o/r\n" // no scheme: an invalid row
	writeFile(t, "groups.csv", csv)
	writeFile(t, "token.txt", token+"\n")
	writeFile(t, "refused.txt", refused+"\n")
	u, err := url.Parse(server.URL)
	if err != nil {
		t.Fatal(err)
	}

	var stdout, stderr strings.Builder
	for _, tc := range []struct {
		tokenFile string
		private   workspace.Status
	}{{"token.txt", workspace.StatusOK}, {"refused.txt", workspace.StatusAuthFailed}} {
		var out, errOut strings.Builder
		run([]string{"handin", "scrape", "--groups", "groups.csv", "--workspace", "ws", "--deadline", courseDeadline.Format(time.RFC3339),
			"--token-file", tc.tokenFile, "--token-host", "http://" + u.Host, "--refresh", "--json"}, streams{out: &out, err: &errOut})
		stdout.WriteString(out.String())
		stderr.WriteString(errOut.String())
		var sum scrape.Summary
		if err := json.Unmarshal([]byte(out.String()), &sum); err != nil {
			t.Fatalf("%s: %v\n%s%s", tc.tokenFile, err, out.String(), errOut.String())
		}
		want := map[int]workspace.Status{1: tc.private, 2: workspace.StatusAuthFailed, 3: workspace.StatusNotFound, 4: workspace.StatusInvalid}
		for _, o := range sum.Outcomes {
			if o.Status != want[o.Group] {
				t.Errorf("%s: group %d is %s (%s), want %s", tc.tokenFile, o.Group, o.Status, o.Error, want[o.Group])
			}
		}
	}
	for _, secret := range []string{token, refused, pasted} {
		if strings.Contains(stdout.String(), secret) || strings.Contains(stderr.String(), secret) {
			t.Errorf("the output shows %s:\n%s%s", secret, stdout.String(), stderr.String())
		}
		err := filepath.WalkDir("ws", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err == nil && strings.Contains(string(data), secret) {
				t.Errorf("%s holds %s", p, secret)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// loopbackCourse makes a new folder the test's working folder, with a git
// server on loopback for the repositories written under served; it skips
// the test where git is not installed.
func loopbackCourse(t *testing.T) (dir, served string, server *gittest.Server) {
	t.Helper()
	if err := gittest.GitAvailable(); err != nil {
		t.Skipf("SKIPPING: %v", err)
	}
	dir = t.TempDir()
	t.Chdir(dir)
	served = mustMkdir(t, filepath.Join(dir, "served"))
	server, err := gittest.NewServer(served)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(server.Close)
	return dir, served, server
}

// runCourse runs handin run on groups.csv of the working folder dir, into
// ws and site, with extra arguments, and returns the results of
// site/results.json; an exit other than 0 or 1 fails the test.
func runCourse(t *testing.T, dir string, extra ...string) []grade.GroupResult {
	t.Helper()
	var out, errOut strings.Builder
	args := append([]string{"handin", "run", "--groups", "groups.csv", "--workspace", "ws", "--out", "site",
		"--deadline", courseDeadline.Format(time.RFC3339), "--json"}, extra...)
	if code := run(args, streams{out: &out, err: &errOut}); code != exitOK && code != exitViolations {
		t.Fatalf("handin run: exit %d\n%s%s", code, out.String(), errOut.String())
	}
	var results struct {
		Groups []grade.GroupResult `json:"groups"`
	}
	if err := json.Unmarshal([]byte(readIn(t, dir, "site/results.json")), &results); err != nil {
		t.Fatal(err)
	}
	return results.Groups
}

func mustMkdir(t *testing.T, dir string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
