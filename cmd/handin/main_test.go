package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"handin": func() { os.Exit(run(os.Args, os.Stdout, os.Stderr)) },
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
			// writebinary FILE: a file with NUL bytes, which txtar cannot hold.
			"writebinary": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 1 {
					ts.Fatalf("usage: writebinary FILE")
				}
				ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte("\x89PNG\r\n\x1a\n\x00\x00"), 0o644))
			},
		},
	})
}
