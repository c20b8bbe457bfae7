package main

import (
	"context"
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

	"handin/export"
	"handin/grade"
	"handin/scrape"
	"handin/workspace"
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
	// The lock is held across scrape, grade and export: no other command
	// sees a snapshot replaced half-way through.
	ws, err := openWorkspace(c.String("workspace"), true)
	if err != nil {
		return err
	}
	defer closeWorkspace(ws, p.io)
	p.export.Out = outDir(c, ws.Root())
	sum, err := runPipeline(c.Context, ws, p)
	if err != nil {
		return err
	}
	sum.CourseFile = courseFile(c)
	if err := printRunSummary(p.io, sum, c.Bool("json")); err != nil {
		return err
	}
	return withCode(sum.exitCode())
}

// pipeline is everything one run of scrape, grade and export needs.
type pipeline struct {
	scrape scrape.Options
	grade  grade.Options
	export export.Options
	io     streams // progress on a terminal, log lines otherwise
}

// pipelineFromFlags reads the run's flags through the scrape and grade
// commands' own option builders.
func pipelineFromFlags(c *cli.Context) (pipeline, error) {
	scrapeOpts, err := scrapeOptions(c)
	if err != nil {
		return pipeline{}, err
	}
	gradeOpts, err := gradeOptions(c)
	if err != nil {
		return pipeline{}, err
	}
	return pipeline{scrape: scrapeOpts, grade: gradeOpts, io: streamsOf(c)}, nil
}

// runSummary is what 'handin run' and 'handin demo' report.
type runSummary struct {
	Total        int `json:"total"`
	OK           int `json:"ok"`
	WithProblems int `json:"with_problems"`
	// Failed groups have no deadline commit graded from this run: the
	// repository was not found, handin could not reach it, ...
	Failed int `json:"failed"`
	// NotScrapedAgain groups could not be scraped this run and are graded
	// from their earlier snapshot (counted by that grade above too).
	NotScrapedAgain int `json:"not_scraped_again"`
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
	// gradeErrors are snapshots that could not be graded (exit 3).
	gradeErrors int
}

// runGroup is one group's line in the summary.
type runGroup struct {
	Group    int              `json:"group"`
	State    grade.State      `json:"state"`  // ok, problems or failed
	Status   workspace.Status `json:"status"` // how the scrape of the graded snapshot ended
	Problems int              `json:"problems"`
	Error    string           `json:"error,omitempty"`
	// ScrapeFailed is how this run's scrape ended when it failed and the
	// group was graded from its earlier snapshot (ScrapeError says why).
	ScrapeFailed workspace.Status `json:"scrape_failed,omitempty"`
	ScrapeError  string           `json:"scrape_error,omitempty"`
}

func (s *runSummary) exitCode() int {
	switch {
	case s.gradeErrors > 0:
		return exitIO
	case s.WithProblems+s.Failed+s.NotScrapedAgain > 0:
		return exitViolations // a cron job's owner must look
	}
	return exitOK
}

// runPipeline scrapes, grades and exports: three stages of one shape, each
// shown as it starts and ends. An interrupted stage keeps what finished and
// ends the run (exit 130); the next run resumes.
func runPipeline(ctx context.Context, ws *workspace.Workspace, p pipeline) (*runSummary, error) {
	start := time.Now()
	d := newStageDisplay(p.io)
	p.grade.Only, p.export.Only = p.scrape.Only, p.scrape.Only
	p.grade.Logger, p.export.Logger = d.logger, d.logger

	scraped, err := stage(d, "scrape", scrapeStart(p.scrape), func() (*scrape.Summary, error) {
		return scrapeWithProgress(ctx, ws, p.scrape, p.io, d.logger)
	}, scrapeDetail)
	if err != nil {
		return nil, scrapeFailed(ctx, p.scrape, scraped, err)
	}
	graded, err := stage(d, "grade", "", func() (*grade.Summary, error) {
		return grade.Run(ctx, ws, p.grade)
	}, gradeDetail)
	if err != nil {
		return nil, gradeFailed(ctx, err)
	}
	exported, err := stage(d, "export", "", func() (*export.Summary, error) {
		return export.Run(ctx, ws, p.export)
	}, exportDetail)
	if err != nil {
		return nil, exportError("run: export", err)
	}

	sum := newRunSummary(ws, scraped, graded, exported)
	sum.Seconds = time.Since(start).Seconds()
	return sum, nil
}

// stage runs one stage of the pipeline between its display lines: the
// first says what it starts on, the last what it came to.
func stage[S any](d *stageDisplay, name, detail string, run func() (S, error), outcome func(S) string) (S, error) {
	d.begin(name, detail)
	sum, err := run()
	if err == nil {
		d.end(outcome(sum))
	}
	return sum, err
}

// scrapeStart is the scrape stage's first line.
func scrapeStart(opts scrape.Options) string {
	return fmt.Sprintf("%s, %s", plural(countSelected(opts), "group"), plural(max(opts.Workers, 1), "worker"))
}

// scrapeDetail is the scrape stage's last line. "failed" counts what the
// summary counts (Outcome.Failed); "could not be reached" every group
// handin could not look at, failed or graded from an earlier snapshot.
func scrapeDetail(scraped *scrape.Summary) string {
	fetched, unchanged := fetchCounts(scraped)
	detail := fmt.Sprintf("%d fetched, %d unchanged, %d failed", fetched, unchanged, scraped.Failed())
	if n := scraped.InfrastructureFailures(); n > 0 {
		detail += fmt.Sprintf(", %d could not be reached", n)
	}
	if n := scraped.Kept(); n > 0 {
		detail += fmt.Sprintf(", %s graded from an earlier snapshot", plural(n, "group"))
	}
	return detail
}

func gradeDetail(graded *grade.Summary) string {
	return plural(len(graded.Groups), "group") + " graded"
}

func exportDetail(exported *export.Summary) string {
	return fmt.Sprintf("%s in %s", plural(len(exported.Pages), "page"), exported.Out)
}

// scrapeFailed says how far an interrupted or failed scrape got: what
// finished is kept for the next run.
func scrapeFailed(ctx context.Context, opts scrape.Options, scraped *scrape.Summary, err error) error {
	done := 0
	if scraped != nil {
		done = len(scraped.Outcomes)
	}
	selected := plural(countSelected(opts), "group")
	if ctx.Err() != nil { // the whole message, not "context canceled"
		return fmt.Errorf("while scraping (%d of %s done and kept): run again to resume", done, selected)
	}
	return ioError("while scraping (%d of %s done and kept): %w; run again to resume", done, selected, err)
}

func gradeFailed(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return errors.New("while grading: run again (scraped groups are kept)")
	}
	return ioError("while grading: %w", err)
}

// fetchCounts are the repositories a scrape fetched and those it found
// current (their remote did not move), as after an interruption.
func fetchCounts(scraped *scrape.Summary) (fetched, unchanged int) {
	for _, o := range scraped.Outcomes {
		switch {
		case o.Resumed:
			unchanged++
		case o.Fetched():
			fetched++
		}
	}
	return fetched, unchanged
}

// newRunSummary is what the three stages came to.
func newRunSummary(ws *workspace.Workspace, scraped *scrape.Summary, graded *grade.Summary, exported *export.Summary) *runSummary {
	sum := &runSummary{Workspace: ws.Root(), Index: exported.Index, Gradebook: exported.Gradebook, Results: exported.Results}
	sum.Fetched, sum.Unchanged = fetchCounts(scraped)
	for _, err := range graded.Errors {
		sum.Warnings = append(sum.Warnings, "grade: "+err.Error())
	}
	sum.gradeErrors = len(graded.Errors)
	sum.tally(graded.Groups, scraped.Outcomes)
	sum.Warnings = append(sum.Warnings, exported.Warnings...)
	return sum
}

// scrapeWithProgress runs a scrape that shows its progress: a live line on
// a terminal (ended before Run returns), one log line per group otherwise.
func scrapeWithProgress(ctx context.Context, ws *workspace.Workspace, opts scrape.Options, io streams, logger *slog.Logger) (*scrape.Summary, error) {
	if !io.tty {
		opts.Logger = logger
		return scrape.Run(ctx, ws, opts)
	}
	live := newLiveProgress(io.err, countSelected(opts))
	defer live.finish()
	opts.Progress = live
	return scrape.Run(ctx, ws, opts)
}

// countSelected is how many groups a scrape will look at.
func countSelected(o scrape.Options) int {
	if len(o.Only) > 0 {
		return len(o.Only)
	}
	return len(o.Groups)
}

// tally sorts every group of the course into ok, problems or failed, as
// the index and the gradebook do: each graded group by its result's state,
// and each groups.csv row that gave no group of its own (a duplicated or
// unusable number) as failed. A group whose scrape failed this run but
// whose earlier snapshot was kept is graded from that snapshot; its line
// says what this run's scrape ran into.
func (s *runSummary) tally(graded []grade.Graded, outcomes []scrape.Outcome) {
	kept := map[int]scrape.Outcome{}
	for _, o := range outcomes {
		if o.Kept != "" {
			kept[o.Group] = o
		}
	}
	invalidResult := map[int]bool{}
	for _, r := range graded {
		invalidResult[r.Group] = r.Status == workspace.StatusInvalid
		g := runGroup{Group: r.Group, State: r.State, Status: r.Status, Problems: len(r.Problems), Error: printable(r.Error)}
		if o, ok := kept[r.Group]; ok {
			g.ScrapeFailed, g.ScrapeError = o.Status, printable(o.Error)
		}
		s.add(g)
	}
	for _, o := range outcomes {
		if o.Status == workspace.StatusInvalid && !invalidResult[o.Group] {
			s.add(runGroup{Group: o.Group, State: grade.StateFailed, Status: o.Status, Error: printable(o.Error)})
		}
	}
	s.Total = len(s.Groups)
}

func (s *runSummary) add(g runGroup) {
	if g.ScrapeFailed != "" {
		s.NotScrapedAgain++
	}
	switch g.State {
	case grade.StateFailed:
		s.Failed++
	case grade.StateProblems:
		s.WithProblems++
	default:
		s.OK++
	}
	s.Groups = append(s.Groups, g)
}

func printRunSummary(io streams, s *runSummary, asJSON bool) error {
	if asJSON {
		return io.printJSON(s)
	}
	w := io.out
	fmt.Fprintf(w, "%s: %d ok, %d with problems, %d failed (%d fetched, %d unchanged, %.1fs)\n",
		plural(s.Total, "group"), s.OK, s.WithProblems, s.Failed, s.Fetched, s.Unchanged, s.Seconds)
	if s.Failed > 0 {
		fmt.Fprintln(w, "failed:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, g := range s.Groups {
			if g.State == grade.StateFailed {
				fmt.Fprintf(tw, "  %d\t%s\t%s\n", g.Group, g.Status, g.Error)
			}
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if err := printKept(w, s.Groups); err != nil {
		return err
	}
	for _, warning := range s.Warnings {
		fmt.Fprintln(w, "warning:", printable(warning))
	}
	fmt.Fprintf(w, "index:     %s\n", s.Index)
	fmt.Fprintf(w, "gradebook: %s\n", s.Gradebook)
	_, err := fmt.Fprintf(w, "results:   %s\n", s.Results)
	return err
}

// printKept lists the groups this run could not scrape that are graded
// from their earlier snapshot.
func printKept(w io.Writer, groups []runGroup) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := false
	for _, g := range groups {
		if g.ScrapeFailed == "" {
			continue
		}
		if !header {
			fmt.Fprintln(w, "not scraped again (graded from the earlier snapshot):")
			header = true
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\n", g.Group, g.ScrapeFailed, g.ScrapeError)
	}
	return tw.Flush()
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

func newStageDisplay(s streams) *stageDisplay {
	d := &stageDisplay{logger: s.logger()}
	if s.tty {
		d.live = s.err
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
reads: groups file, deadline and time zone, spec and claims rules, workspace
and output folders, workers, timeout, and the path of a token file (never the
token). Edit it, put groups.csv next to it, and run 'handin run' in that
folder. An existing file is never overwritten.

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
