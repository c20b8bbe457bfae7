package scrape_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"handin/grade"
	"handin/internal/demo"
	"handin/internal/slowtest"
	"handin/scrape"
	"handin/workspace"
)

// The demo course scraped from a server with partial fetch (as GitHub) and
// from one without grades to the same results, every field of every
// group's result.json.
func TestDemoCoursePartialAndWholeFetchGradeAlike(t *testing.T) {
	slowtest.Skip(t, "the whole demo course, scraped and graded twice")
	if err := demo.CheckGit(); err != nil {
		t.Skipf("SKIPPING: %v", err)
	}
	now := time.Date(2026, 1, 23, 10, 0, 0, 0, time.UTC)
	c, err := demo.Build(t.TempDir(), now)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := demo.Serve(c)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	groups, err := scrape.ReadGroupsFile(c.GroupsFile, demo.Location())
	if err != nil {
		t.Fatal(err)
	}
	spec, err := grade.LoadSpec("2026")
	if err != nil {
		t.Fatal(err)
	}
	scrapeAndGrade := func(name string) (results map[int][]byte, wholeNotes int) {
		ws, err := workspace.Create(filepath.Join(t.TempDir(), name))
		if err != nil {
			t.Fatal(err)
		}
		defer ws.Close()
		ctx := context.Background()
		opts := scrape.Options{Groups: groups, Deadline: c.Deadline, RetryDelay: time.Millisecond, Now: func() time.Time { return now }}
		if _, err := scrape.Run(ctx, ws, opts); err != nil {
			t.Fatal(err)
		}
		sum, err := grade.Run(ctx, ws, grade.Options{Spec: spec})
		if err != nil || len(sum.Errors) > 0 {
			t.Fatal(err, sum.Errors)
		}
		results = map[int][]byte{}
		for _, graded := range sum.Groups {
			if results[graded.Group], err = os.ReadFile(ws.ResultPath(graded.Group)); err != nil {
				t.Fatal(err)
			}
		}
		snaps, errs := ws.Snapshots(nil)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		for _, s := range snaps {
			if slices.ContainsFunc(s.Notes, func(n string) bool { return strings.Contains(n, "fetched whole") }) {
				wholeNotes++
			}
		}
		return results, wholeNotes
	}

	partial, wholeNotes := scrapeAndGrade("partial")
	if wholeNotes != 0 {
		t.Errorf("%d groups fetched whole from a server with partial fetch", wholeNotes)
	}
	for _, g := range c.Groups {
		srv.WithoutFilter(g.Repo)
	}
	whole, wholeNotes := scrapeAndGrade("whole")
	if reachable := len(c.Groups) - len(c.GroupsWith(demo.CaseUnreachable)); wholeNotes != reachable {
		t.Errorf("%d groups say they were fetched whole, want %d", wholeNotes, reachable)
	}
	if len(partial) != len(c.Groups) || len(whole) != len(partial) {
		t.Fatalf("%d and %d results, want %d", len(partial), len(whole), len(c.Groups))
	}
	for group, p := range partial {
		if !bytes.Equal(p, whole[group]) {
			t.Errorf("group %d: result from a partial fetch\n%s\nfrom a whole fetch\n%s", group, p, whole[group])
		}
	}
}
