package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/urfave/cli/v2"

	"handin/grade"
)

func gradeCommand() *cli.Command {
	return &cli.Command{
		Name:  "grade",
		Usage: "grade every scraped group: report checks, roster, repository statistics",
		Description: `Grades the snapshots that 'handin scrape' left in the workspace, without any
network: finds the report at the deadline commit (reports/README.md, or a README
it was moved to), checks it against the spec, compares Questions 1 and 2 with
the roster, computes repository statistics and maps commit authors to students.
Writes WORKSPACE/groups/NNN/result.json per group and prints one line per group.

Commit authors are matched to student ids by their DTU email, an id in their
name or GitHub login, or --authors: a CSV of "author email or name,student id"
lines the instructor keeps for the rest.

Exit code: 0 no group has problems, 1 some group has problems, 2 usage or I/O
error (a snapshot that cannot be read, a result that cannot be written).

Example:
   handin grade --workspace ws
   handin grade --workspace ws --group 7 --spec 2025 --authors authors.csv --json`,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "workspace", Usage: "workspace `DIR` (as written by handin scrape)", Required: true},
			&cli.IntSliceFlag{Name: "group", Usage: "grade only group `N` (repeatable)"},
			&cli.StringFlag{Name: "tz", Value: grade.DefaultTimeZone, Usage: "course time `ZONE` of the activity matrix"},
			&cli.BoolFlag{Name: "json", Usage: "print a JSON array instead of a table"},
		}, gradeFlags()...),
		Action: runGrade,
	}
}

// gradeFlags are the flags that configure grading, shared with commands that
// grade as one of their steps (gradeSetup reads them, and --tz).
func gradeFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "spec", Value: grade.DefaultSpec, Usage: "built-in spec `NAME` (see 'handin spec list') or a spec FILE"},
		&cli.StringFlag{Name: "authors", Usage: "authors.csv `FILE`: commit author email or name -> student id"},
	}
}

// gradeSetup loads the spec and options named by gradeFlags and --tz. Errors
// are usage errors (exit 2).
func gradeSetup(c *cli.Context) (*grade.Spec, grade.Options, error) {
	spec, err := grade.LoadSpec(c.String("spec"))
	if err != nil {
		return nil, grade.Options{}, usageError("grade: %w", err)
	}
	var opts grade.Options
	if opts.TimeZone, err = time.LoadLocation(c.String("tz")); err != nil {
		return nil, grade.Options{}, usageError("grade: --tz: %w", err)
	}
	if file := c.String("authors"); file != "" {
		if opts.Authors, err = grade.ReadAuthorsCSV(file); err != nil {
			return nil, grade.Options{}, usageError("grade: %w", err)
		}
	}
	return spec, opts, nil
}

func runGrade(c *cli.Context) error {
	spec, opts, err := gradeSetup(c)
	if err != nil {
		return err
	}
	workspace := c.String("workspace")
	results, errs := grade.GradeWorkspace(c.Context, workspace, spec, opts, c.IntSlice("group"))
	if err := c.Context.Err(); err != nil {
		return fmt.Errorf("grade: %w", err)
	}
	if len(results) == 0 && len(errs) == 0 {
		return usageError("grade: no snapshots in %s (run 'handin scrape' first)", workspace)
	}
	if err := printGrades(c.App.Writer, results, c.Bool("json")); err != nil {
		return err
	}
	for _, err := range errs {
		fmt.Fprintln(c.App.ErrWriter, "handin: grade:", err)
	}
	switch {
	case len(errs) > 0:
		return withCode(exitUsage)
	case withProblems(results) > 0:
		return withCode(exitViolations)
	}
	return nil
}

// gradeLine is one group in the table and in --json.
type gradeLine struct {
	Group     int      `json:"group"`
	Status    string   `json:"status"`
	Report    string   `json:"report,omitempty"`
	Passed    int      `json:"passed"`
	Questions int      `json:"questions"` // 0 when the report was not checked
	Problems  []string `json:"problems"`
}

func printGrades(w io.Writer, results []*grade.GroupResult, asJSON bool) error {
	lines := make([]gradeLine, len(results))
	for i, r := range results {
		lines[i] = gradeLine{Group: r.Group, Status: r.Status, Report: r.ReportPath, Problems: r.Problems}
		if r.Check != nil {
			lines[i].Passed, lines[i].Questions = r.Check.Passed, len(r.Check.Questions)
		}
	}
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(lines)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "GROUP\tSTATUS\tPASSED\tPROBLEMS\tREPORT")
	for _, l := range lines {
		passed := "-"
		if l.Questions > 0 {
			passed = fmt.Sprintf("%d/%d", l.Passed, l.Questions)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\n", l.Group, l.Status, passed, len(l.Problems), orDash(printable(l.Report)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d groups graded, %d with problems\n", len(results), withProblems(results))
	return err
}

func withProblems(results []*grade.GroupResult) int {
	n := 0
	for _, r := range results {
		if len(r.Problems) > 0 {
			n++
		}
	}
	return n
}

// printable keeps a student-chosen path from driving the terminal.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
}
