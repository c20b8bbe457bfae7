package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"handin/export"
	"handin/grade"
	"handin/scrape"
)

func runCommand() *cli.Command {
	return &cli.Command{
		Name:  "run",
		Usage: "scrape, grade and export in one go (reads handin.toml)",
		Description: `Runs the whole job: scrape every group's repository at the deadline, grade
the snapshots, and write the pages, index.html, gradebook.xlsx and results.json.
Settings come from flags, then HANDIN_* environment variables (HANDIN_GROUPS,
HANDIN_DEADLINE, HANDIN_WORKSPACE, HANDIN_OUT, HANDIN_WORKERS, HANDIN_TOKEN_FILE,
... one per flag), then the course file (--course, or ./handin.toml; write one
with 'handin init'), then defaults. With a course file, 'handin run' needs no flags.

Made to run from cron: without a terminal it logs plain lines (one per group
scraped). An interrupted run keeps every finished group; the next run resumes
(groups whose remote did not move are not fetched again) and grades and
exports everything again, which is cheap. --group N re-runs only those groups
and regenerates only their pages and rows (an extension: give the group its
own deadline column in groups.csv).

Exit code: 0 every group ok, 1 some group has problems or could not be
scraped (see the summary), 2 usage or I/O error, 130 interrupted (run again
to resume).

Example:
   handin init && $EDITOR handin.toml && handin run
   handin run --course ~/courses/mlops-2026/handin.toml --json
   handin run --group 7
   # crontab: every 10 minutes around the deadline
   */10 * * * * cd ~/courses/mlops-2026 && handin run >> handin.log 2>&1`,
		Flags:  runFlags(),
		Action: runRun,
	}
}

// runFlags are the scrape and grade flags, --out and --json.
func runFlags() []cli.Flag {
	flags := append(scrapeFlags(), gradeFlags()...)
	return append(flags,
		&cli.StringFlag{Name: "out", Usage: "output `DIR` for index.html, the pages, gradebook.xlsx and results.json (default: WORKSPACE/export)"},
		&cli.BoolFlag{Name: "json", Usage: "print the summary as JSON"},
	)
}

func runRun(c *cli.Context) error {
	if c.NArg() > 0 {
		return usageError("run: unexpected argument %q (flags only)", c.Args().First())
	}
	p, err := pipelineFromFlags(c)
	if err != nil {
		return err
	}
	sum, err := runPipeline(c.Context, p)
	if err != nil {
		return err
	}
	sum.CourseFile = courseFile(c)
	if err := printRunSummary(c.App.Writer, sum, c.Bool("json")); err != nil {
		return err
	}
	return withCode(sum.exitCode())
}

// pipeline is everything one run of scrape, grade and export needs.
type pipeline struct {
	scrape scrape.Options
	spec   *grade.Spec
	grade  grade.Options
	out    string
	stderr io.Writer // progress on a terminal, log lines otherwise
}

// pipelineFromFlags reads the run's flags through the scrape and grade
// commands' own option builders.
func pipelineFromFlags(c *cli.Context) (pipeline, error) {
	scrapeOpts, err := scrapeOptions(c)
	if err != nil {
		return pipeline{}, err
	}
	spec, gradeOpts, err := gradeSetup(c)
	if err != nil {
		return pipeline{}, err
	}
	out := c.String("out")
	if out == "" {
		out = filepath.Join(scrapeOpts.Workspace, "export")
	}
	return pipeline{scrape: scrapeOpts, spec: spec, grade: gradeOpts, out: out, stderr: c.App.ErrWriter}, nil
}

// Group states in the run summary.
const (
	stateOK       = "ok"
	stateProblems = "problems"
	stateFailed   = "failed"
)

// runSummary is what 'handin run' and 'handin demo' report.
type runSummary struct {
	Total        int `json:"total"`
	OK           int `json:"ok"`
	WithProblems int `json:"with_problems"`
	// Failed groups have no deadline commit graded from this run: the
	// repository was not found, handin could not reach it, ...
	Failed int `json:"failed"`
	// Fetched repositories this run; Unchanged were current in the
	// workspace (their remote did not move), as after an interruption.
	Fetched    int        `json:"fetched"`
	Unchanged  int        `json:"unchanged"`
	Groups     []runGroup `json:"groups"`
	Workspace  string     `json:"workspace"`
	Index      string     `json:"index"`
	Gradebook  string     `json:"gradebook"`
	Results    string     `json:"results"`
	CourseFile string     `json:"course_file,omitempty"`
	Warnings   []string   `json:"warnings,omitempty"`
	Seconds    float64    `json:"seconds"`
	// gradeErrors are snapshots that could not be graded (exit 2).
	gradeErrors int
}

// runGroup is one group's line in the summary.
type runGroup struct {
	Group    int    `json:"group"`
	State    string `json:"state"`  // ok, problems or failed
	Status   string `json:"status"` // scrape status
	Problems int    `json:"problems"`
	Error    string `json:"error,omitempty"`
}

func (s *runSummary) exitCode() int {
	switch {
	case s.gradeErrors > 0:
		return exitUsage
	case s.WithProblems+s.Failed > 0:
		return exitViolations
	}
	return exitOK
}

// runPipeline scrapes, grades and exports. An interrupted scrape keeps what
// finished and ends the run (exit 130); the next run resumes.
func runPipeline(ctx context.Context, p pipeline) (*runSummary, error) {
	start := time.Now()
	display := newStageDisplay(p.stderr)
	sum := &runSummary{Workspace: p.scrape.Workspace}

	display.begin("scrape", fmt.Sprintf("%d groups, %d workers", countSelected(p.scrape), max(p.scrape.Workers, 1)))
	if display.live != nil {
		p.scrape.Progress = display.live
	} else {
		p.scrape.Logger = display.logger
	}
	scraped, err := scrape.Run(ctx, p.scrape)
	if err != nil {
		done := 0
		if scraped != nil {
			done = len(scraped.Outcomes)
		}
		if ctx.Err() != nil {
			return nil, &exitError{code: exitCancelled, err: fmt.Errorf(
				"interrupted while scraping (%d of %d groups done and kept): run again to resume", done, countSelected(p.scrape))}
		}
		return nil, usageError("run: scrape: %w", err)
	}
	outcomes := map[int]scrape.Outcome{}
	failed := 0
	for _, o := range scraped.Outcomes {
		outcomes[o.Group] = o
		if !o.Status.Pinned() {
			failed++
		}
		switch {
		case o.Resumed:
			sum.Unchanged++
		case o.DeadlineSHA != "" || o.Status == scrape.StatusEmptyRepo || o.Status == scrape.StatusNoCommit:
			sum.Fetched++
		}
	}
	display.end(fmt.Sprintf("%d fetched, %d unchanged, %d failed (%d could not be reached)",
		sum.Fetched, sum.Unchanged, failed, scraped.InfrastructureFailures()))

	display.begin("grade", "")
	results, gradeErrs := grade.GradeWorkspace(ctx, p.scrape.Workspace, p.spec, p.grade, p.scrape.Only)
	if ctx.Err() != nil {
		return nil, &exitError{code: exitCancelled, err: errors.New("interrupted while grading: run again (scraped groups are kept)")}
	}
	for _, err := range gradeErrs {
		sum.Warnings = append(sum.Warnings, "grade: "+err.Error())
	}
	sum.gradeErrors = len(gradeErrs)
	display.end(fmt.Sprintf("%d groups graded", len(results)))

	display.begin("export", "")
	exported, err := export.Export(ctx, export.Options{Workspace: p.scrape.Workspace, Out: p.out, Only: p.scrape.Only, Logger: display.logger})
	if err != nil {
		if ctx.Err() != nil {
			return nil, &exitError{code: exitCancelled, err: errors.New("interrupted while exporting: run again (scraped groups are kept)")}
		}
		return nil, usageError("run: %w", err)
	}
	sum.Index, sum.Gradebook, sum.Results = exported.Index, exported.Gradebook, exported.Results
	sum.Warnings = append(sum.Warnings, exported.Warnings...)
	display.end(fmt.Sprintf("%d pages in %s", len(exported.Pages), p.out))

	sum.tally(results, outcomes)
	sum.Seconds = time.Since(start).Seconds()
	return sum, nil
}

// countSelected is how many groups a scrape will look at.
func countSelected(o scrape.Options) int {
	if len(o.Only) > 0 {
		return len(o.Only)
	}
	return len(o.Groups)
}

// tally sorts every graded group into ok, problems or failed. A group whose
// scrape failed this run is failed even when an older snapshot was graded.
func (s *runSummary) tally(results []*grade.GroupResult, outcomes map[int]scrape.Outcome) {
	for _, r := range results {
		g := runGroup{Group: r.Group, Status: r.Status, Problems: len(r.Problems), Error: oneLine(r.Error), State: stateOK}
		if o, ok := outcomes[r.Group]; ok && o.Status != scrape.Status(r.Status) {
			g.Status, g.Error = string(o.Status), oneLine(o.Error)
		}
		switch st := scrape.Status(g.Status); {
		case !st.Pinned():
			g.State = stateFailed
			s.Failed++
		case g.Problems > 0:
			g.State = stateProblems
			s.WithProblems++
		default:
			s.OK++
		}
		s.Groups = append(s.Groups, g)
	}
	s.Total = len(s.Groups)
}

// oneLine folds a (remote server's) multi-line message onto one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func printRunSummary(w io.Writer, s *runSummary, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	fmt.Fprintf(w, "%d groups: %d ok, %d with problems, %d failed (%d fetched, %d unchanged, %.1fs)\n",
		s.Total, s.OK, s.WithProblems, s.Failed, s.Fetched, s.Unchanged, s.Seconds)
	if s.Failed > 0 {
		fmt.Fprintln(w, "failed:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, g := range s.Groups {
			if g.State == stateFailed {
				fmt.Fprintf(tw, "  %d\t%s\t%s\n", g.Group, g.Status, printable(g.Error))
			}
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	for _, warning := range s.Warnings {
		fmt.Fprintln(w, "warning:", printable(warning))
	}
	fmt.Fprintf(w, "index:     %s\n", s.Index)
	fmt.Fprintf(w, "gradebook: %s\n", s.Gradebook)
	_, err := fmt.Fprintf(w, "results:   %s\n", s.Results)
	return err
}

// stageDisplay shows the run's three stages as one display: on a terminal a
// line per stage with scrape's live progress line between; elsewhere (cron)
// plain log lines, one per stage and one per group scraped.
type stageDisplay struct {
	live    io.Writer // the terminal, or nil
	logger  *slog.Logger
	stage   int
	name    string
	started time.Time
}

const stageCount = 3

func newStageDisplay(stderr io.Writer) *stageDisplay {
	d := &stageDisplay{}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		d.live = stderr
		d.logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	} else {
		d.logger = slog.New(slog.NewTextHandler(stderr, nil))
	}
	return d
}

func (d *stageDisplay) begin(name, detail string) {
	d.stage++
	d.name, d.started = name, time.Now()
	if d.live != nil {
		fmt.Fprintln(d.live, strings.TrimSpace(fmt.Sprintf("[%d/%d] %s %s", d.stage, stageCount, name, detail)))
		return
	}
	d.logger.Info("stage started", "stage", name, "step", fmt.Sprintf("%d/%d", d.stage, stageCount))
}

func (d *stageDisplay) end(detail string) {
	took := time.Since(d.started).Round(time.Millisecond)
	if d.live != nil {
		fmt.Fprintf(d.live, "[%d/%d] %s done in %s: %s\n", d.stage, stageCount, d.name, took, detail)
		return
	}
	d.logger.Info("stage finished", "stage", d.name, "duration", took, "result", detail)
}

func initCommand() *cli.Command {
	return &cli.Command{
		Name:  "init",
		Usage: "write a commented example course file (handin.toml)",
		Description: `Writes DIR/handin.toml, a commented example of the course file 'handin run'
reads: groups file, deadline and time zone, spec, workspace and output folders,
workers, timeout, and the path of a token file (never the token). Edit it, put
groups.csv next to it, and run 'handin run' in that folder. An existing file is
never overwritten.

Exit code: 0 written, 2 the file exists or cannot be written.

Example:
   mkdir mlops-2026 && cd mlops-2026 && handin init && $EDITOR handin.toml`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "dir", Value: ".", Usage: "write the course file into `DIR`"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError("init: unexpected argument %q (use --dir DIR)", c.Args().First())
			}
			if err := os.MkdirAll(c.String("dir"), 0o755); err != nil {
				return usageError("init: %w", err)
			}
			name := filepath.Join(c.String("dir"), CourseFileName)
			if err := writeNewFile(name, []byte(exampleCourseFile)); err != nil {
				return usageError("init: %w", err)
			}
			fmt.Fprintf(c.App.Writer, "wrote %s: set groups and deadline, then run 'handin run' in %s\n", name, c.String("dir"))
			return nil
		},
	}
}

// writeNewFile creates name with data, refusing to replace an existing file.
func writeNewFile(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists: not overwritten", name)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
