package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"handin/export"
	"handin/grade"
	"handin/scrape"
	"handin/workspace"
)

// pipeline is everything one run of scrape, grade and export needs.
type pipeline struct {
	scrape scrape.Options
	grade  grade.Options
	export export.Options
	io     streams // progress on a terminal, log lines otherwise
}

// runPipeline scrapes, grades and exports: three stages of one shape, each
// shown as it starts and ends. An interrupted stage keeps what finished and
// ends the run (exit 130); the next run resumes.
func runPipeline(ctx context.Context, ws *workspace.Workspace, p pipeline) (*runSummary, error) {
	start := time.Now()
	d := newStageDisplay(p.io)
	p.grade.Only, p.export.Only = p.scrape.Only, p.scrape.Only
	p.export.GroupTimeout = p.grade.GroupTimeout
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

// runSummary is what 'handin run' and 'handin demo' report.
type runSummary struct {
	Total int `json:"total"`
	// Failed groups have no deadline commit graded from this run: the
	// repository was not found, handin could not reach it, ...
	Failed int `json:"failed"`
	// Act, Grade, Check and OK count the graded groups by state.
	Act   int `json:"act"`
	Grade int `json:"grade"`
	Check int `json:"check"`
	OK    int `json:"ok"`
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
	Group   int              `json:"group"`
	State   grade.State      `json:"state"`   // failed, act, grade, check or ok
	Status  workspace.Status `json:"status"`  // how the scrape of the graded snapshot ended
	Reasons int              `json:"reasons"` // findings above information
	Error   string           `json:"error,omitempty"`
	// ScrapeFailed is how this run's scrape ended when it failed and the
	// group was graded from its earlier snapshot (ScrapeError says why).
	ScrapeFailed workspace.Status `json:"scrape_failed,omitempty"`
	ScrapeError  string           `json:"scrape_error,omitempty"`
}

func (s *runSummary) exitCode() int {
	switch {
	case s.gradeErrors > 0:
		return exitIO
	case s.OK < s.Total || s.NotScrapedAgain > 0:
		return exitViolations // a cron job's owner must look
	}
	return exitOK
}

// tally sorts every group of the course into its state, as
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
		g := runGroup{Group: r.Group, State: r.State, Status: r.Status, Reasons: len(r.Reasons), Error: printable(r.Error)}
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

// count is how many groups are in a state.
func (s *runSummary) count(state grade.State) int {
	switch state {
	case grade.StateFailed:
		return s.Failed
	case grade.StateAct:
		return s.Act
	case grade.StateGrade:
		return s.Grade
	case grade.StateCheck:
		return s.Check
	}
	return s.OK
}

func (s *runSummary) add(g runGroup) {
	if g.ScrapeFailed != "" {
		s.NotScrapedAgain++
	}
	switch g.State {
	case grade.StateFailed:
		s.Failed++
	case grade.StateAct:
		s.Act++
	case grade.StateGrade:
		s.Grade++
	case grade.StateCheck:
		s.Check++
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
	fmt.Fprintf(w, "%s: %s (%d fetched, %d unchanged, %.1fs)\n",
		plural(s.Total, "group"), stateCounts(s.count), s.Fetched, s.Unchanged, s.Seconds)
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
