package main

import (
	"github.com/urfave/cli/v2"
)

func runCommand() *cli.Command {
	return withExitCodes(&cli.Command{
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

Example:
   handin init && $EDITOR handin.toml && handin run
   handin run --course ~/courses/mlops-2026/handin.toml --json
   handin run --group 7
   # crontab: every 10 minutes around the deadline
   */10 * * * * cd ~/courses/mlops-2026 && handin run >> handin.log 2>&1`,
		Flags:  runFlags(),
		Action: runRun,
	}, workspaceExits("every group ok", notOKMeaning+", or could not be scraped again (graded from its earlier snapshot)"))
}

// runFlags are the scrape and grade flags, --out and --json.
func runFlags() []cli.Flag {
	flags := append(scrapeFlags(), gradeFlags()...)
	flags = append(flags,
		&cli.StringFlag{Name: "out", Usage: "output `DIR` for index.html, the pages, gradebook.xlsx and results.json (default: WORKSPACE/export)"},
		&cli.BoolFlag{Name: "json", Usage: "print the summary as JSON"},
	)
	return append(flags, gradingFlags()...)
}

func runRun(c *cli.Context) error {
	if c.NArg() > 0 {
		return usageError("run: unexpected argument %q (flags only)", c.Args().First())
	}
	p, err := pipelineFromFlags(c)
	if err != nil {
		return err
	}
	if p.export.Rubric, p.export.Graders, err = gradingOptions(c); err != nil {
		return err
	}
	// The lock is held across scrape, grade and export: no other command
	// sees a snapshot replaced half-way through.
	ws, err := openWorkspace(c.String("workspace"), true)
	if err != nil {
		return err
	}
	defer closeWorkspace(ws, p.io)
	out, defaulted := outDir(c, ws.Root())
	p.export.Out = out
	sum, err := runPipeline(c.Context, ws, p)
	if err != nil {
		return err
	}
	sum.CourseFile = courseFile(c)
	if err := printRunSummary(p.io, sum, c.Bool("json")); err != nil {
		return err
	}
	if defaulted {
		printDefaultOut(p.io, out, c.Bool("json"))
	}
	return withCode(sum.exitCode())
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
