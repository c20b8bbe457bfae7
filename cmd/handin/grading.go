package main

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"handin/export"
	"handin/export/gradebook"
	"handin/grade"
	"handin/grade/rubric"
)

// gradingFlags say how a course grades in the gradebook: shared by the
// commands that write it.
func gradingFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "rubric", Usage: "rubric `FILE`: a Score and Comment per question, a Total per group (handin rubric init writes one)"},
		&cli.StringSliceFlag{Name: "grader", Usage: "a grader's `NAME`, dealt to the groups new to the gradebook (repeat it, or graders = [...] in the course file)"},
	}
}

// gradingOptions are the rubric and graders the flags name.
func gradingOptions(c *cli.Context) (*rubric.Rubric, []string, error) {
	var graders []string
	for _, g := range c.StringSlice("grader") {
		if g = strings.TrimSpace(g); g != "" && !slices.ContainsFunc(graders, func(h string) bool { return strings.EqualFold(g, h) }) {
			graders = append(graders, g)
		}
	}
	file := c.String("rubric")
	if file == "" {
		return nil, graders, nil
	}
	r, err := rubric.Load(file)
	if err != nil {
		return nil, nil, usageError("%w", err)
	}
	return r, graders, nil
}

func rubricCommand() *cli.Command {
	return withExitCodes(&cli.Command{
		Name:  "rubric",
		Usage: "write and show the rubric: the points of each question",
		Description: `A rubric gives the gradebook a Score and a Comment per group and question
(the Questions sheet) and each group a Total (a formula over its scores, which
updates as you type) and Max (the Groups sheet). Name it with rubric = "FILE"
in the course file (or --rubric): see 'handin rubric COMMAND --help'.`,
		Subcommands: []*cli.Command{
			withCourse(&cli.Command{
				Name:      "init",
				Usage:     "write a rubric of every question of the spec at one point, to edit",
				ArgsUsage: "[FILE]",
				Description: `Writes FILE (default: the course file's rubric, else rubric.toml) with every
question of the spec (--spec, or spec in the course file) at one point and a
comment saying how to give points by criteria or by section. An existing file
is never overwritten.

Example:
   handin rubric init rubric.toml && $EDITOR rubric.toml`,
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "spec", Value: grade.DefaultSpec, Usage: "the spec whose questions it lists: a built-in `YEAR` or a spec file"},
					&cli.StringFlag{Name: "rubric", Usage: "the rubric `FILE` to write (or give it as the argument)"},
				},
				Action: func(c *cli.Context) error {
					if c.NArg() > 1 {
						return usageError("rubric init: give at most one file")
					}
					name := cmp.Or(c.Args().First(), c.String("rubric"), "rubric.toml")
					spec, err := grade.LoadSpec(c.String("spec"))
					if err != nil {
						return usageError("rubric init: %w", err)
					}
					var b strings.Builder
					if err := rubric.Init(spec).WriteTOML(&b); err != nil {
						return err
					}
					if err := writeNewFile(name, []byte(b.String())); err != nil {
						return usageError("rubric init: %w", err)
					}
					fmt.Fprintf(streamsOf(c).out, "wrote %s: %d questions of spec %s at one point; edit it, then set rubric = %q in %s\n",
						name, len(spec.Questions), spec.Name, name, CourseFileName)
					return nil
				},
			}),
			withCourse(&cli.Command{
				Name:      "show",
				Usage:     "print the rubric: the points of each question and section",
				ArgsUsage: "[FILE]",
				Description: `Prints each question's and section's points and criteria, and the most a
report can score, of FILE (default: the course file's rubric).

Example:
   handin rubric show`,
				Flags: []cli.Flag{&cli.StringFlag{Name: "rubric", Usage: "the rubric `FILE` (or give it as the argument)"}},
				Action: func(c *cli.Context) error {
					name := cmp.Or(c.Args().First(), c.String("rubric"))
					if name == "" || c.NArg() > 1 {
						return usageError("rubric show: give one rubric file, or set rubric in %s", CourseFileName)
					}
					r, err := rubric.Load(name)
					if err != nil {
						return usageError("rubric show: %w", err)
					}
					return showRubric(streamsOf(c), r)
				},
			}),
		},
	}, exitCodes{exitOK: "written or printed", exitUsage: usageMeaning + " (a rubric that cannot be read or is wrong, a file that exists)"})
}

// showRubric prints a rubric as a table.
func showRubric(io streams, r *rubric.Rubric) error {
	tw := tabwriter.NewWriter(io.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PART\tPOINTS\tCRITERIA")
	for _, q := range r.Questions {
		fmt.Fprintf(tw, "question %d\t%s\t%s\n", q.Number, rubric.Format(q.Points), r.Describe(q.Number))
	}
	for _, s := range r.Sections {
		fmt.Fprintf(tw, "section %s\t%s\t%s\n", s.Name, rubric.Format(s.Points), r.Describe(s.Questions[0]))
	}
	fmt.Fprintf(tw, "total\t%s\t\n", rubric.Format(r.Max()))
	return tw.Flush()
}

func gradebookCommand() *cli.Command {
	return withExitCodes(&cli.Command{
		Name:  "gradebook",
		Usage: "merge graders' copies of the gradebook into it",
		Description: `Several graders each grade in a copy of gradebook.xlsx; 'handin gradebook
merge' brings what they typed back into the one gradebook: see
'handin gradebook merge --help'.`,
		Subcommands: []*cli.Command{withCourse(&cli.Command{
			Name:      "merge",
			Usage:     "merge graders' copies of the gradebook into it, then export",
			ArgsUsage: "COPY.xlsx...",
			Description: `Reads each copy's values in your columns (Grade, Comment, Graded by, Grader,
Score, columns you added) and puts every one that differs from the gradebook
into it; an empty cell never empties one. A cell two copies set to different
values keeps the gradebook's value, and each copy's value goes to the Kept
sheet with the file it came from and what the other copy said: choose, and
type it into the gradebook. handin's columns, comments and sheets of a copy's
own are not merged. The gradebook is backed up first
(gradebook.YYYYMMDD-HHMMSS.xlsx) and must be closed; then everything is
exported as 'handin export' does. It prints what came from each copy.

Example:
   handin gradebook merge ~/Downloads/gradebook-ab.xlsx ~/Downloads/gradebook-cd.xlsx`,
			Flags: exportFlags(true),
			Action: func(c *cli.Context) error {
				if c.NArg() == 0 {
					return usageError("gradebook merge: give the graders' copies (COPY.xlsx ...)")
				}
				var copies []string // each once: a copy named twice agrees with itself
				for _, name := range c.Args().Slice() {
					if info, err := os.Stat(name); err != nil || !info.Mode().IsRegular() {
						return usageError("gradebook merge: %s is not a file that can be read", name)
					}
					if !slices.ContainsFunc(copies, func(n string) bool { return filepath.Clean(n) == filepath.Clean(name) }) {
						copies = append(copies, name)
					}
				}
				return runExport(c, "gradebook merge", nil, copies)
			},
		})},
	}, workspaceExits("merged and exported", "").
		with(exitUsage, usageMeaning+" (nothing graded yet, a copy that is not a file, a rubric that cannot be read)").
		with(exitIO, ioMeaning+" (no gradebook to merge into, or it is open in a spreadsheet program; a copy that cannot be read)"))
}

// printMerged says what came into the gradebook from each copy, by sheet
// and column with the groups, and every conflict.
func printMerged(io streams, changes []gradebook.Change) {
	type column struct{ file, sheet, header string }
	counts := map[column]int{}
	groups := map[column][]string{}
	var order []column
	for _, ch := range changes {
		if ch.Conflict {
			continue
		}
		k := column{ch.File, ch.Sheet, ch.Column}
		if counts[k] == 0 {
			order = append(order, k)
		}
		counts[k]++
		group, _, _ := strings.Cut(strings.TrimPrefix(ch.Row, "Group "), ",")
		if !slices.Contains(groups[k], group) {
			groups[k] = append(groups[k], group)
		}
	}
	slices.SortStableFunc(order, func(a, b column) int { return cmp.Compare(a.file, b.file) })
	if len(order) == 0 {
		fmt.Fprintln(io.out, "merged:    nothing: every copy holds what the gradebook holds")
	}
	for _, k := range order {
		fmt.Fprintf(io.out, "merged:    %s: %s %s: %s (group %s)\n", k.file, k.sheet, k.header, plural(counts[k], "value"), strings.Join(groups[k], ", "))
	}
	for i := 0; i < len(changes); i++ {
		ch := changes[i]
		if !ch.Conflict {
			continue
		}
		says := []string{fmt.Sprintf("%s says %q", ch.File, ch.Value)}
		for i+1 < len(changes) && changes[i+1].Conflict && changes[i+1].Row == ch.Row && changes[i+1].Column == ch.Column && changes[i+1].Sheet == ch.Sheet {
			i++
			says = append(says, fmt.Sprintf("%s says %q", changes[i].File, changes[i].Value))
		}
		fmt.Fprintf(io.out, "conflict:  %s, %s, %s: %s: the gradebook keeps its value, both are on the %s sheet\n",
			ch.Sheet, ch.Row, ch.Column, strings.Join(says, ", "), gradebook.KeptSheet)
	}
}

// printGrading says what the export did of the grading: the graders dealt.
func printGrading(io streams, sum *export.Summary) {
	if sum.Dealt > 0 {
		fmt.Fprintf(io.out, "graders:   %s new to the gradebook given a grader\n", plural(sum.Dealt, "group"))
	}
}
