package main

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"handin/scrape/gittest"
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
// token T; anything else has a report committed two hours before the
// deadline and one commit after it. wait blocks until NAME was requested.
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
		csv = append(csv, fmt.Sprintf("%d,s%06d,,,,,%s", i+1, 100000+i, server.RepoURL(name+".git")))
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
		"reports/README.md":     []byte("# Report\n\n### Question 1\n> **Group number?**\n\nAnswer: " + name + "\n"),
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
