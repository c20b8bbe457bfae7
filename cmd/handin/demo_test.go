package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/xuri/excelize/v2"

	"handin/internal/demo"
	"handin/scrape/gittest"
	"handin/workspace"
)

// demoServer is a demo course served for one script.
type demoServer struct {
	course *demo.Course
	server *gittest.Server
	hung   []string
}

// demoServers maps a running script to its servedemo server.
var demoServers sync.Map // *testscript.TestScript -> *demoServer

// serveDemo is the testscript command
//
//	servedemo [-observe WORKSPACE] [-hang N,N,...]
//	servedemo unhang
//
// It builds the demo course in .demo, serves it until the script ends and
// sets $GROUPS (its groups.csv) and $DEADLINE (RFC 3339). -observe replays
// the cron scrapes around the deadline into WORKSPACE, so the last-minute
// group's push counts and the backdated group shows as backdated; -hang makes the repositories of those groups never answer,
// until "servedemo unhang". It needs git: scripts start with
// "[!exec:git] skip".
func serveDemo(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! servedemo")
	}
	if len(args) == 1 && args[0] == "unhang" {
		v, ok := demoServers.Load(ts)
		if !ok {
			ts.Fatalf("servedemo unhang: no servedemo before")
		}
		d := v.(*demoServer)
		for _, name := range d.hung {
			d.server.Reset(name)
		}
		return
	}
	var observe string
	var hang []int
	for len(args) >= 2 {
		switch args[0] {
		case "-observe":
			observe = ts.MkAbs(args[1])
		case "-hang":
			for _, s := range strings.Split(args[1], ",") {
				n, err := strconv.Atoi(s)
				ts.Check(err)
				hang = append(hang, n)
			}
		default:
			ts.Fatalf("usage: servedemo [-observe WORKSPACE] [-hang N,...] | servedemo unhang")
		}
		args = args[2:]
	}
	if len(args) > 0 {
		ts.Fatalf("usage: servedemo [-observe WORKSPACE] [-hang N,...] | servedemo unhang")
	}
	course, err := demo.Build(ts.MkAbs(".demo"), time.Now())
	ts.Check(err)
	server, err := demo.Serve(course)
	ts.Check(err)
	d := &demoServer{course: course, server: server}
	demoServers.Store(ts, d)
	ts.Defer(func() {
		demoServers.Delete(ts)
		server.Close()
	})
	for _, n := range hang {
		g, ok := course.Group(n)
		if !ok {
			ts.Fatalf("servedemo: no group %d", n)
		}
		server.Hang(g.Repo)
		d.hung = append(d.hung, g.Repo)
	}
	if observe != "" {
		ws, err := workspace.Create(observe)
		ts.Check(err)
		_, err = course.ReplayDeadline(context.Background(), ws)
		ts.Check(errors.Join(err, ws.Close()))
	}
	ts.Setenv("GROUPS", course.GroupsFile)
	ts.Setenv("DEADLINE", course.Deadline.Format(time.RFC3339))
}

// waitFiles is the testscript command "waitfiles N GLOB": it waits until at
// least N files match GLOB (up to a minute).
func waitFiles(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: waitfiles N GLOB")
	}
	n, err := strconv.Atoi(args[0])
	ts.Check(err)
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		matches, err := filepath.Glob(ts.MkAbs(args[1]))
		ts.Check(err)
		if len(matches) >= n {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("waitfiles: %d of %d files match %s after a minute", len(matches), n, args[1])
		}
	}
}

// xlsxRows is the testscript command "xlsxrows FILE SHEET": it prints the
// sheet's rows, cells separated by tabs (line breaks inside a cell as " | ").
func xlsxRows(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: xlsxrows FILE SHEET")
	}
	f, err := excelize.OpenFile(ts.MkAbs(args[0]))
	ts.Check(err)
	defer f.Close()
	rows, err := f.GetRows(args[1])
	ts.Check(err)
	for _, row := range rows {
		for i, cell := range row {
			row[i] = strings.ReplaceAll(cell, "\n", " | ")
		}
		fmt.Fprintln(ts.Stdout(), strings.Join(row, "\t"))
	}
}

// xlsxSet is the testscript command "xlsxset FILE SHEET CELL VALUE": an
// instructor typing into the gradebook.
func xlsxSet(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 4 {
		ts.Fatalf("usage: xlsxset FILE SHEET CELL VALUE")
	}
	f, err := excelize.OpenFile(ts.MkAbs(args[0]))
	ts.Check(err)
	defer f.Close()
	ts.Check(f.SetCellValue(args[1], args[2], args[3]))
	ts.Check(f.Save())
}

// resultGroups is the testscript command "resultgroups FILE": it prints the
// group numbers of a results.json in file order, on one line.
func resultGroups(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: resultgroups FILE")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	var results struct {
		Groups []struct {
			Group int `json:"group"`
		} `json:"groups"`
	}
	ts.Check(json.Unmarshal(data, &results))
	var groups []string
	for _, r := range results.Groups {
		groups = append(groups, strconv.Itoa(r.Group))
	}
	fmt.Fprintln(ts.Stdout(), strings.Join(groups, " "))
}
