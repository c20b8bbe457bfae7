package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"handin/internal/coursetime"
)

// courseValues runs a command with run's flags that applies the course file
// and returns the resulting flag values.
func courseValues(t *testing.T, args ...string) (map[string]any, error) {
	t.Helper()
	got := map[string]any{}
	flags := withEnvironment(append(runFlags(), courseFlag()))
	for _, f := range flags { // the probe checks no required flag
		if sf, ok := f.(*cli.StringFlag); ok {
			sf.Required = false
		}
	}
	app := &cli.App{
		Writer: io.Discard, ErrWriter: io.Discard, ExitErrHandler: func(*cli.Context, error) {},
		Commands: []*cli.Command{{
			Name:  "probe",
			Flags: flags,
			Action: func(c *cli.Context) error {
				file, err := applyCourse(c)
				if err != nil {
					return err
				}
				got["course"] = file
				for _, name := range []string{"groups", "students", "deadline", "tz", "spec", "authors", "workspace", "out", "token-file", "github-host", "github-api"} {
					got[name] = c.String(name)
				}
				got["workers"] = c.Int("workers")
				got["timeout"] = c.Duration("timeout")
				got["group-timeout"] = c.Duration("group-timeout")
				got["token-host"] = c.StringSlice("token-host")
				return nil
			},
		}},
	}
	err := app.RunContext(context.Background(), append([]string{"handin", "probe"}, args...))
	return got, err
}

func writeCourse(t *testing.T, text string) (dir, file string) {
	t.Helper()
	dir = t.TempDir()
	file = filepath.Join(dir, CourseFileName)
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, file
}

func TestCourseFilePrecedence(t *testing.T) {
	dir, file := writeCourse(t, `
groups = "groups.csv"
deadline = 2026-01-23T23:59:59
time_zone = "Europe/Paris"
spec = "specs/2027.toml"
workspace = "ws"
out = "/srv/pages"
workers = 3
timeout = "90s"
group_timeout = "2m"
token_hosts = ["github.com", "gitlab.example.org"]
students = "classlist.csv"
github_host = "github.example.edu"
github_api = "https://github.example.edu/api/v3"
`)
	t.Setenv("HANDIN_WORKERS", "7")
	t.Setenv("HANDIN_GITHUB_API", "https://api.example.edu")
	t.Setenv("HANDIN_DEADLINE", "")   // empty: ignored
	t.Setenv("HANDIN_TOKEN_FILE", "") // idem
	got, err := courseValues(t, "--course", file, "--workspace", "elsewhere", "--authors", "a.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"course":        file,
		"groups":        filepath.Join(dir, "groups.csv"),      // file, relative to its folder
		"deadline":      "2026-01-23T23:59:59",                 // a TOML local date-time, read in time_zone
		"tz":            "Europe/Paris",                        // file
		"spec":          filepath.Join(dir, "specs/2027.toml"), // a spec file is a path
		"authors":       "a.csv",                               // flag, relative to the working folder
		"workspace":     "elsewhere",                           // flag beats file
		"out":           "/srv/pages",                          // absolute stays
		"token-file":    "",                                    // nowhere: default
		"workers":       7,                                     // environment beats file
		"timeout":       90 * time.Second,                      // file
		"token-host":    []string{"github.com", "gitlab.example.org"},
		"group-timeout": 2 * time.Minute,                     // file
		"students":      filepath.Join(dir, "classlist.csv"), // a path
		"github-host":   "github.example.edu",                // file
		"github-api":    "https://api.example.edu",           // environment beats file
	}
	for k, w := range want {
		if g := got[k]; !equalValue(g, w) {
			t.Errorf("%s = %v, want %v", k, g, w)
		}
	}
}

func equalValue(a, b any) bool {
	as, aok := a.([]string)
	bs, bok := b.([]string)
	if aok || bok {
		return aok && bok && slices.Equal(as, bs)
	}
	return a == b
}

func TestCourseFileFoundInWorkingFolder(t *testing.T) {
	dir, _ := writeCourse(t, "spec = \"2025\"\nworkers = 2\n")
	t.Chdir(dir)
	got, err := courseValues(t)
	if err != nil {
		t.Fatal(err)
	}
	if got["course"] != CourseFileName || got["spec"] != "2025" || got["workers"] != 2 || got["groups"] != "" {
		t.Errorf("values %v", got)
	}
	t.Chdir(t.TempDir()) // no course file: defaults, no error
	got, err = courseValues(t)
	if err != nil || got["course"] != "" || got["workers"] != 4 || got["spec"] != "2026" {
		t.Errorf("without a course file: %v, %v", got, err)
	}
}

func TestCourseFileErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"worker = 4\n", `unknown key "worker"`},
		{"workers = 2.5\n", "workers: want a string, a whole number, a list of strings or a table of strings"},
		{"token_hosts = [1]\n", "token_hosts: list item 1 is not a string"},
		{"workers = \"many\"\n", `workers: invalid value "many"`},
		{"groups = \n", "course file"},
		// A bare date would be midnight UTC, a bare time year 0.
		{"deadline = 2026-01-23\n", "deadline: 2026-01-23 is not a date with a time of day"},
		{"deadline = 23:59:59\n", "deadline: 23:59:59 is not a date with a time of day"},
		// The token is never a key; the message says where it goes instead.
		{"token = \"ghp_0123456789\"\n", `"token": the token itself never goes in the course file: put it in a file of its own and set token_file`},
		{"github_token = \"ghp_0123456789\"\n", `"github_token": the token itself never goes`},
	} {
		_, file := writeCourse(t, tc.text)
		_, err := courseValues(t, "--course", file)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want it to mention %q", tc.text, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "ghp_") {
			t.Errorf("%q: the error shows the token: %v", tc.text, err)
		}
	}
	_, err := courseValues(t, "--course", filepath.Join(t.TempDir(), "nope.toml"))
	if err == nil || !strings.Contains(err.Error(), "does not exist (write one with 'handin init')") {
		t.Errorf("missing course file: %v", err)
	}
}

// The example handin init writes must be a valid course file whose values
// the flags accept as they are.
func TestInitExampleIsACourseFile(t *testing.T) {
	dir, file := writeCourse(t, exampleCourseFile)
	values, err := readCourseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	got, err := courseValues(t, "--course", file)
	if err != nil {
		t.Fatal(err)
	}
	if got["groups"] != filepath.Join(dir, "groups.csv") || got["workers"] != 4 || got["timeout"] != 5*time.Minute {
		t.Errorf("the example reads as %v", got)
	}
	zone, err := coursetime.LoadZone(got["tz"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := coursetime.ParseDeadline(got["deadline"].(string), zone); err != nil {
		t.Errorf("the example's deadline: %v", err)
	}
	for _, key := range []string{"groups", "deadline", "time_zone", "spec", "workspace", "out", "workers", "timeout"} {
		if _, ok := values[key]; !ok {
			t.Errorf("the example does not set %s", key)
		}
	}
	for _, k := range courseKeys {
		if !strings.Contains(exampleCourseFile, k.key+" = ") {
			t.Errorf("the example does not show key %s", k.key)
		}
	}
}

func TestRunInterruptedExitsWith130(t *testing.T) {
	dir := t.TempDir()
	groups := filepath.Join(dir, "groups.csv")
	if err := os.WriteFile(groups, []byte("group_number,student_1,repo_url\n1,s123456,https://github.com/o/r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	app := newApp(streams{out: io.Discard, err: io.Discard})
	err := app.RunContext(ctx, []string{"handin", "run", "--groups", groups, "--deadline", "2026-01-23T23:59:59+01:00", "--workspace", filepath.Join(dir, "ws")})
	if code, msg := exitCode(ctx, err); code != exitCancelled || !strings.Contains(msg, "run again to resume") {
		t.Fatalf("exit %d (%s), want %d saying to run again", code, msg, exitCancelled)
	}
}

func TestRunNeedsGroupsAndWorkspace(t *testing.T) {
	t.Chdir(t.TempDir())
	app := newApp(streams{out: io.Discard, err: io.Discard})
	err := app.RunContext(context.Background(), []string{"handin", "run", "--workspace", "ws"})
	code, msg := exitCode(context.Background(), err)
	if code != exitUsage {
		t.Fatalf("exit %d, want %d", code, exitUsage)
	}
	if !strings.Contains(msg, "no groups: give --groups, set groups in handin.toml, or write a course file with 'handin init'") {
		t.Errorf("message %q", msg)
	}
}

// Every command's --help ends with an example, and names the value of every
// flag that takes one ("--workers N", not "--workers value").
func TestEveryCommandHasAnExample(t *testing.T) {
	var visit func(prefix string, cmds []*cli.Command)
	visit = func(prefix string, cmds []*cli.Command) {
		for _, c := range cmds {
			if c.Action != nil && !strings.Contains(c.Description, "Example:\n   ") {
				t.Errorf("handin %s%s --help has no example", prefix, c.Name)
			}
			for _, f := range c.Flags {
				if u, ok := f.(cli.DocGenerationFlag); ok && u.TakesValue() && !strings.Contains(u.GetUsage(), "`") {
					t.Errorf("handin %s%s --%s: its value has no name in --help (write it in backticks)", prefix, c.Name, f.Names()[0])
				}
			}
			visit(prefix+c.Name+" ", c.Subcommands)
		}
	}
	visit("", newApp(streams{out: io.Discard, err: io.Discard}).Commands)
}
