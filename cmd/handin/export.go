package main

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"handin/export"
)

// exportFlags are shared by export and page. page checks --workspace itself:
// it may come after the group numbers, where urfave/cli does not look.
func exportFlags(requireWorkspace bool) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "workspace", Usage: "workspace `DIR` (graded by handin grade)", Required: requireWorkspace},
		&cli.StringFlag{Name: "out", Usage: "output `DIR` (default: WORKSPACE/export)"},
		&cli.BoolFlag{Name: "json", Usage: "print the summary as JSON"},
	}
}

func exportCommand() *cli.Command {
	return &cli.Command{
		Name:  "export",
		Usage: "write a page per group, the index, gradebook.xlsx and results.json",
		Description: `Turns the graded workspace into what instructors open and grade from:
OUT/index.html (all groups), OUT/groups/NNN.html (one self-contained page per
group: the report at the deadline with its figures inlined, violations, checklist,
statistics), OUT/gradebook.xlsx and OUT/results.json. Pages work offline and
print to PDF; student HTML is sanitized and pages load nothing from anywhere.

The gradebook's Grade, Comment and Graded by columns (and the Students sheet's
Comment) are yours: every export carries them over, also for a group or student
that has no result any more (its row stays, status "no result"), and keeps the
previous file as gradebook.YYYYMMDD-HHMMSS.xlsx (the 20 newest backups are
kept). If the gradebook is open in a spreadsheet program or unreadable it is
left alone and the new one is written beside it. Pages of groups that have no
result any more are removed.

Exit code: 0 written, 2 usage or I/O error.

Example:
   handin export --workspace ws --out site
   handin export --workspace ws --json`,
		Flags: exportFlags(true),
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError("export: unexpected argument %q (flags only; for one group use 'handin page N')", c.Args().First())
			}
			return runExport(c, "export", nil)
		},
	}
}

func runExport(c *cli.Context, name string, only []int) error {
	io := streamsOf(c)
	ws, err := openWorkspace(c.String("workspace"), false)
	if err != nil {
		return err
	}
	defer closeWorkspace(ws, io)
	sum, err := export.Run(c.Context, ws, export.Options{
		Out:  outDir(c, ws.Root()),
		Only: only,
		// Warnings go to the summary (printed below); the log carries
		// per-group remarks such as an unreadable snapshot.
		Logger: io.logger(),
	})
	if err != nil {
		return exportError(name, err)
	}
	return printExport(io, sum, c.Bool("json"))
}

// exportError: nothing graded yet is a usage error, anything else a
// failure to read or write files.
func exportError(command string, err error) error {
	if errors.Is(err, export.ErrNothingGraded) {
		return usageError("%s: %w", command, err)
	}
	return ioError("%s: %w", command, err)
}

// outDir is --out, or WORKSPACE/export.
func outDir(c *cli.Context, workspace string) string {
	if out := c.String("out"); out != "" {
		return out
	}
	return filepath.Join(workspace, "export")
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
	for _, w := range sum.Warnings {
		fmt.Fprintln(stderr, "handin: warning:", w)
	}
	return nil
}
