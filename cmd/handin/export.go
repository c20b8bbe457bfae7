package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"handin/export"
	"handin/workspace"
)

// exportExits are the exit codes of export and page.
func exportExits() exitCodes {
	return workspaceExits("written", "").with(exitUsage, usageMeaning+" (nothing graded yet, or a group without a result)")
}

// exportFlags are shared by export and page. page checks --workspace itself:
// it may come after the group numbers, where urfave/cli does not look.
func exportFlags(requireWorkspace bool) []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: "workspace", Usage: "workspace `DIR` (graded by handin grade)", Required: requireWorkspace},
		&cli.StringFlag{Name: "out", Usage: "output `DIR` (default: WORKSPACE/export)"},
		groupTimeoutFlag(),
		&cli.BoolFlag{Name: "json", Usage: "print the summary as JSON"},
	}, gradingFlags()...)
}

func exportCommand() *cli.Command {
	return withExitCodes(&cli.Command{
		Name:  "export",
		Usage: "write a page per group, the index, gradebook.xlsx and results.json",
		Description: `Turns the graded workspace into what instructors open and grade from:
OUT/index.html (all groups), OUT/groups/NNN.html (one self-contained page per
group: the report at the deadline with its figures inlined, violations, checklist,
statistics), OUT/gradebook.xlsx and OUT/results.json. Pages work offline and
print to PDF; student HTML is sanitized and pages load nothing from anywhere.

The gradebook is yours except handin's columns: every export reads it back by
header and puts each of your values (Grade, Comment, Graded by, columns you add,
cell comments) on the same row of the new one; a value whose row is gone moves
to its Kept sheet. When you edited the gradebook since the last export, it is
first kept as gradebook.YYYYMMDD-HHMMSS.xlsx; a backup is deleted only when
every value of yours it holds is in a newer backup or in the gradebook. If the
gradebook is open in a spreadsheet program or unreadable it is left alone and
the new one is gradebook.new.xlsx. Pages of groups that have no result any more
are removed. Without --out (or out in handin.toml) everything goes to
WORKSPACE/export, and the last line says so.

Example:
   handin export --workspace ws --out site
   handin export --workspace ws --json`,
		Flags: exportFlags(true),
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError("export: unexpected argument %q (flags only; for one group use 'handin page N')", c.Args().First())
			}
			return runExport(c, "export", nil, nil)
		},
	}, exportExits())
}

// runExport exports as the flags say: only these groups' pages (none: all
// of them), merging these copies of the gradebook into it.
func runExport(c *cli.Context, name string, only []int, merge []string) error {
	io := streamsOf(c)
	rubric, graders, err := gradingOptions(c)
	if err != nil {
		return err
	}
	ws, err := openWorkspace(c.String("workspace"), false)
	if err != nil {
		return err
	}
	defer closeWorkspace(ws, io)
	if err := checkGraded(ws, only); err != nil {
		return err
	}
	out, defaulted := outDir(c, ws.Root())
	sum, err := export.Run(c.Context, ws, export.Options{
		Out:          out,
		Only:         only,
		GroupTimeout: c.Duration("group-timeout"),
		Rubric:       rubric,
		Graders:      graders,
		Merge:        merge,
		// Warnings go to the summary (printed below); the log carries
		// per-group remarks such as an unreadable snapshot.
		Logger: io.logger(),
	})
	if err != nil {
		return exportError(name, err)
	}
	if !c.Bool("json") && len(merge) > 0 {
		printMerged(io, sum.Merged)
	}
	if err := printExport(io, sum, c.Bool("json")); err != nil {
		return err
	}
	if defaulted {
		printDefaultOut(io, out, c.Bool("json"))
	}
	return nil
}

// checkGraded says what to run for the first of the groups 'handin page'
// was given that has no result yet.
func checkGraded(ws *workspace.Workspace, groups []int) error {
	for _, g := range groups {
		if _, err := os.Stat(ws.ResultPath(g)); !errors.Is(err, fs.ErrNotExist) {
			continue // a result, or an error export.Run reports
		}
		if _, err := os.Stat(ws.SnapshotPath(g)); err == nil {
			return usageError("page: group %d has no result yet: it was scraped, not graded; run 'handin grade --group %d', then 'handin page %d'", g, g, g)
		}
		return usageError("page: group %d has no result yet: it was never scraped; run 'handin run --group %d' to scrape, grade and export it", g, g)
	}
	return nil
}

// exportError: nothing graded yet is a usage error, anything else a
// failure to read or write files.
func exportError(command string, err error) error {
	if errors.Is(err, export.ErrNothingGraded) {
		return usageError("%s: %w", command, err)
	}
	return ioError("%s: %w", command, err)
}

// outDir is --out (or out in the course file), else WORKSPACE/export
// (defaulted).
func outDir(c *cli.Context, workspace string) (dir string, defaulted bool) {
	if out := c.String("out"); out != "" {
		return out, false
	}
	return filepath.Join(workspace, "export"), true
}

// printDefaultOut ends the output of a command that wrote into the default
// output folder: an instructor who keeps the gradebook elsewhere must not
// take this one for theirs. With --json it goes to stderr.
func printDefaultOut(io streams, out string, asJSON bool) {
	w := io.out
	if asJSON {
		w = io.err
	}
	fmt.Fprintf(w, "written to %s, the default folder (no --out, no out in %s): a gradebook you keep elsewhere was not updated\n",
		out, CourseFileName)
}

func printExport(io streams, sum *export.Summary, asJSON bool) error {
	if asJSON {
		return io.printJSON(sum)
	}
	stdout, stderr := io.out, io.err
	fmt.Fprintf(stdout, "%s, %s written to %s\n", plural(sum.Groups, "group"), plural(len(sum.Pages), "page"), filepath.Join(sum.Out, export.PagesDir))
	if len(sum.Pages) == 1 {
		fmt.Fprintf(stdout, "page:      %s\n", sum.Pages[0])
	}
	for _, p := range sum.RemovedPages {
		fmt.Fprintf(stdout, "removed:   %s (group no longer graded)\n", p)
	}
	fmt.Fprintf(stdout, "index:     %s\n", sum.Index)
	fmt.Fprintf(stdout, "gradebook: %s\n", sum.Gradebook)
	if sum.GradebookBackup != "" {
		fmt.Fprintf(stdout, "backup:    %s\n", sum.GradebookBackup)
	}
	fmt.Fprintf(stdout, "results:   %s\n", sum.Results)
	printGrading(io, sum)
	for _, w := range sum.Warnings {
		fmt.Fprintln(stderr, "handin: warning:", w)
	}
	return nil
}
