package main

import (
	"fmt"
	"slices"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"handin/grade"
)

func findingsCommand() *cli.Command {
	return withExitCodes(&cli.Command{
		Name:  "findings",
		Usage: "list the kinds of findings, their levels and what each means",
		Description: `Lists the four levels (act: resolve before grading; grade: bears on the
grade; check: a person should look, it may be fine; info: nothing to do) and
every kind of finding with its level and what it means. A group's state is the
highest level of its findings: act, grade, check, or ok when all are
information (failed when nothing was graded).

The levels are the defaults, with the course file's [levels] table (kind =
level) and --level KIND=LEVEL over them, as 'handin grade' and 'handin run'
use them; a kind whose level the course changed says its default.

Example:
   handin findings
   handin findings --level late-commits=check --json`,
		Flags: []cli.Flag{
			levelFlag(),
			&cli.BoolFlag{Name: "json", Usage: "print the kinds as JSON"},
		},
		Action: runFindings,
	}, exitCodes{exitOK: "printed", exitUsage: usageMeaning})
}

// kindLine is one kind as 'handin findings' lists it.
type kindLine struct {
	Kind    grade.Kind  `json:"kind"`
	Level   grade.Level `json:"level"`
	Default grade.Level `json:"default"`
	Title   string      `json:"title"`
	Meaning string      `json:"meaning"`
}

func runFindings(c *cli.Context) error {
	levels, err := levelsOption(c)
	if err != nil {
		return usageError("findings: %w", err)
	}
	var lines []kindLine
	for _, k := range grade.KindTable {
		lines = append(lines, kindLine{Kind: k.Kind, Level: levels.Of(k.Kind), Default: k.Level, Title: k.Title, Meaning: k.Meaning})
	}
	slices.SortStableFunc(lines, func(a, b kindLine) int { return a.Level.Compare(b.Level) })
	io := streamsOf(c)
	if c.Bool("json") {
		return io.printJSON(lines)
	}
	fmt.Fprintln(io.out, "A group's state is the highest level of its findings (ok when all are info):")
	tw := tabwriter.NewWriter(io.out, 0, 0, 2, ' ', 0)
	for _, l := range grade.AllLevels() {
		fmt.Fprintf(tw, "  %s\t%s\n", l, l.Meaning())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(io.out)
	tw = tabwriter.NewWriter(io.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tLEVEL\tMEANING")
	for _, l := range lines {
		level := string(l.Level)
		if l.Level != l.Default {
			level += " (default " + string(l.Default) + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", l.Kind, level, l.Meaning)
	}
	return tw.Flush()
}
