package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"handin/export"
	"handin/grade"
	"handin/internal/atomicfile"
	"handin/internal/coursetime"
	"handin/internal/demo"
	"handin/scrape"
)

// demoMarker marks a folder written by handin demo, which a later demo may
// clear and write again.
const demoMarker = ".handin-demo"

func demoCommand() *cli.Command {
	return withExitCodes(&cli.Command{
		Name:  "demo",
		Usage: "run the whole pipeline on a synthetic course, offline",
		Description: `Builds a synthetic course of 24 groups (repositories with histories by several
authors and generated reports: good ones, too-short answers, missing figures,
placeholders left, a wrong group number, a missing student, a late commit, a
backdated commit, an unreachable repository, a repository without a report, a
report moved to the root README), serves it over loopback HTTP inside this
process (through git http-backend: git must be installed), and runs scrape,
grade and export on it, as 'handin run' does. No network is needed.

DIR becomes a course folder: handin.toml, groups.csv, workspace/ and site/
(index.html, a page per group, gradebook.xlsx, results.json). With
--keep-serving the repositories stay served until Ctrl-C, so 'handin run' in
DIR works from another terminal.

Example:
   go run ./cmd/handin demo
   handin demo --out /tmp/demo --keep-serving`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Value: "handin-demo", Usage: "course folder `DIR` to write (replaced if a previous demo wrote it)"},
			&cli.BoolFlag{Name: "keep-serving", Usage: "keep serving the repositories until Ctrl-C"},
			&cli.IntFlag{Name: "groups", Value: demo.DefaultGroups, Usage: "`N` groups (the cases repeat)"},
			&cli.IntFlag{Name: "workers", Value: scrape.DefaultWorkers, Usage: "`N` parallel clones"},
			&cli.BoolFlag{Name: "json", Usage: "print the summary as JSON"},
		},
		Action: runDemo,
	}, exitCodes{
		exitOK:        "the pipeline ran (its groups' findings are on purpose)",
		exitUsage:     usageMeaning + ", git missing, or a folder the demo did not write",
		exitIO:        ioMeaning,
		exitCancelled: interruptedMeaning,
	})
}

// demoSummary is the run summary plus what the demo course is.
type demoSummary struct {
	*runSummary
	Dir      string     `json:"dir"`
	Server   string     `json:"server"`
	Deadline time.Time  `json:"deadline"`
	Cases    []demoCase `json:"cases"`
}

type demoCase struct {
	Group int       `json:"group"`
	Case  demo.Case `json:"case"`
}

func runDemo(c *cli.Context) error {
	if c.NArg() > 0 {
		return usageError("demo: unexpected argument %q (flags only)", c.Args().First())
	}
	if err := demo.CheckGit(); err != nil {
		return usageError("%w", err)
	}
	if c.Int("groups") < 1 || c.Int("workers") < 1 {
		return usageError("demo: --groups and --workers must be at least 1")
	}
	dir, err := filepath.Abs(c.String("out"))
	if err != nil {
		return usageError("demo: %w", err)
	}
	if err := prepareDemoDir(dir); err != nil {
		return usageError("demo: %w", err)
	}
	tmp, err := os.MkdirTemp("", "handin-demo-repos-")
	if err != nil {
		return ioError("demo: %w", err)
	}
	defer os.RemoveAll(tmp)

	course, err := demo.Build(filepath.Join(tmp, "course"), time.Now(), demo.WithGroups(c.Int("groups")))
	if err != nil {
		return ioError("%w", err)
	}
	srv, err := demo.Serve(course)
	if err != nil {
		return ioError("%w", err)
	}
	defer srv.Close()
	if err := writeDemoCourse(dir, course); err != nil {
		return ioError("demo: %w", err)
	}
	io := streamsOf(c)
	fmt.Fprintf(io.err, "handin demo: %d groups served at %s (loopback), deadline %s\n",
		len(course.Groups), srv.URL, course.Deadline.Format("2006-01-02 15:04:05 MST"))

	sum, err := runDemoCourse(c.Context, dir, course, c.Int("workers"), io)
	if err != nil {
		return err
	}
	sum.CourseFile = filepath.Join(dir, CourseFileName)
	ds := demoSummary{runSummary: sum, Dir: dir, Server: srv.URL, Deadline: course.Deadline}
	for _, g := range course.Groups {
		ds.Cases = append(ds.Cases, demoCase{Group: g.Number, Case: g.Case})
	}
	if err := printDemoSummary(io, ds, c.Bool("json")); err != nil {
		return err
	}
	if c.Bool("keep-serving") {
		fmt.Fprintf(io.err, "handin demo: serving the repositories at %s until Ctrl-C; meanwhile try: cd %s && handin run\n", srv.URL, dir)
		<-c.Context.Done()
	}
	return nil
}

// runDemoCourse replays the cron scrapes around the deadline, then runs the
// pipeline on the demo course in dir, as 'handin run' would. The workspace
// is released when it returns, so that with --keep-serving 'handin run'
// works in dir.
func runDemoCourse(ctx context.Context, dir string, course *demo.Course, workers int, io streams) (*runSummary, error) {
	ws, err := openWorkspace(filepath.Join(dir, "workspace"), true)
	if err != nil {
		return nil, err
	}
	defer closeWorkspace(ws, io)
	replayed, err := course.ReplayDeadline(ctx, ws)
	if err != nil {
		return nil, ioError("%w", err)
	}
	if len(replayed) > 0 {
		fmt.Fprintf(io.err, "handin demo: replayed cron scrapes 10 minutes before and 1 minute after the deadline for group(s) %v: "+
			"group(s) %v pushed in between (it counts), group(s) %v pushed a commit dated before the deadline after them (backdated), "+
			"group(s) %v stopped answering after them (graded from old data); the others are first scraped after the deadline\n",
			replayed, course.GroupsWith(demo.CaseLastMinute), course.GroupsWith(demo.CaseBackdated), course.GroupsWith(demo.CaseStopsAnswering))
	}
	groups, err := scrape.ReadGroupsFile(filepath.Join(dir, "groups.csv"), demo.Location())
	if err != nil {
		return nil, ioError("demo: %w", err)
	}
	spec, err := grade.LoadSpec(grade.DefaultSpec)
	if err != nil {
		return nil, ioError("demo: %w", err)
	}
	rules, err := grade.LoadClaims("", spec)
	if err != nil {
		return nil, ioError("demo: %w", err)
	}
	return runPipeline(ctx, ws, pipeline{
		scrape: scrape.Options{Groups: groups, GroupsFile: filepath.Join(dir, "groups.csv"), Deadline: course.Deadline, Workers: workers, Timeout: time.Minute},
		grade:  grade.Options{Spec: spec, Claims: rules},
		export: export.Options{Out: filepath.Join(dir, "site")},
		io:     io,
	})
}

// prepareDemoDir makes dir an empty folder: it may be absent, empty, or a
// previous demo's folder (which is cleared); anything else is refused.
func prepareDemoDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return os.MkdirAll(dir, 0o755)
	case err != nil:
		return err
	case len(entries) == 0:
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, demoMarker)); err != nil {
		return fmt.Errorf("%s is not empty and was not written by handin demo: choose another --out", dir)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("clear the previous demo: %w", err)
		}
	}
	return nil
}

// writeDemoCourse makes dir a course folder for the served demo course:
// groups.csv, handin.toml and the marker.
func writeDemoCourse(dir string, course *demo.Course) error {
	groups, err := os.ReadFile(course.GroupsFile)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(dir, "groups.csv"), groups, 0o644); err != nil {
		return err
	}
	courseFile := fmt.Sprintf(`# Course file of the synthetic course written by 'handin demo'. Its repositories
# are served only while 'handin demo --keep-serving' runs (the port changes on
# every demo). See 'handin init' for a commented example of every key.
groups = "groups.csv"
deadline = %q
time_zone = %q
spec = "2026"
workspace = "workspace"
out = "site"
`, course.Deadline.Format(time.RFC3339), coursetime.DefaultZone)
	if err := atomicfile.Write(filepath.Join(dir, CourseFileName), []byte(courseFile), 0o644); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, demoMarker), []byte("written by handin demo: a later demo replaces this folder\n"), 0o644)
}

func printDemoSummary(io streams, s demoSummary, asJSON bool) error {
	if asJSON {
		return io.printJSON(s)
	}
	if err := printRunSummary(io, s.runSummary, false); err != nil {
		return err
	}
	w := io.out
	fmt.Fprintln(w, "\nWhat the groups show:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	state := map[int]grade.State{}
	for _, g := range s.Groups {
		state[g.Group] = g.State
	}
	for i, dc := range s.Cases {
		if i == demo.DefaultGroups {
			fmt.Fprintf(tw, "  ...\t\t\t(the cases repeat)\n")
			break
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\n", dc.Group, state[dc.Group], dc.Case, dc.Case.Describe())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nOpen %s in a browser and %s in a spreadsheet program.\n", s.Index, s.Gradebook)
	return err
}
