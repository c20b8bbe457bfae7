package main

import (
	"os"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"handin": func() { os.Exit(run(os.Args, newStreams(os.Stdout, os.Stderr))) },
	})
}

// TestScripts runs the CLI scenarios in testdata/script/*.txtar.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			// Scripts may read the shared corpus when it exists.
			env.Setenv("SHARED", sharedDir())
			env.Values[githubAPIKey] = &githubAPIHolder{}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"gitcourse": gitCourse, // serve synthetic repositories (scrape_test.go)
			// The demo course and the pipeline's outputs (demo_test.go).
			"servedemo":    serveDemo,
			"waitfiles":    waitFiles,
			"xlsxrows":     xlsxRows,
			"xlsxset":      xlsxSet,
			"resultgroups": resultGroups,
			"githubapi":    githubAPI, // GitHub's API on loopback (githubapi_test.go)
			// writebytes FILE "GO STRING": bytes txtar cannot hold (NUL, Latin-1),
			// written from a Go string literal.
			"writebytes": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 2 {
					ts.Fatalf("usage: writebytes FILE \"GO STRING\"")
				}
				data, err := strconv.Unquote(args[1])
				ts.Check(err)
				ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(data), 0o644))
			},
		},
	})
}
