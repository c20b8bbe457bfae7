package main

import (
	"fmt"
	"math"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"handin/grade"
	"handin/grade/identity"
	"handin/grade/similarity"
	"handin/internal/coursetime"
)

func gradeCommand() *cli.Command {
	return withExitCodes(&cli.Command{
		Name:  "grade",
		Usage: "grade every scraped group: report checks, roster, repository statistics",
		Description: `Grades the snapshots that 'handin scrape' left in the workspace, without any
network: finds the report at the deadline commit (reports/README.md, or a README
it was moved to), checks it against the spec, compares Questions 1 and 2 with
the roster, computes repository statistics and maps commit authors to students.
Writes WORKSPACE/groups/NNN/result.json per group and prints one line per group.

Commit authors are matched to student ids by their DTU email, an id in their
name or GitHub login, what the roster says of its students (names, addresses,
GitHub logins: groups.csv's columns or the students file, read by the scrape),
the name on their GitHub profile, or --authors: a CSV of "author email or
name,student id" lines the instructor keeps for the rest.

Every finding has a level (act, grade, check, info: 'handin findings' lists
them) and a group's state is the highest of its findings' (ok when all are
information). --level KIND=LEVEL, or [levels] in the course file, changes a
kind's level.

Each checklist item is judged against the deadline tree with the claims rules
of the spec's year (or --claims, see 'handin claims list'): evidence, no
evidence, or cannot tell. A ticked item without evidence is to check; files
the scrape did not keep are never taken as missing. Groups whose repositories
share history are told so on both pages; grading one group (--group) also
updates that note in the results of the groups it shares history with.

Every answer is compared with the other groups' answers to the question, and
every report as a whole with the others, within the course and with --archive
(earlier courses' answers: see 'handin archive'): answers sharing passages of
at least --similarity-words words that make --similarity-share percent of
either answer are told to both groups (similar-answer, similar-report). The
template's text and text in more than --similarity-common reports never count.

Example:
   handin grade --workspace ws
   handin grade --workspace ws --group 7 --spec 2025 --authors authors.csv --json
   handin grade --workspace ws --claims our-claims.toml`,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "workspace", Usage: "workspace `DIR` (as written by handin scrape)", Required: true},
			&cli.IntSliceFlag{Name: "group", Usage: "grade only group `N` (repeatable)"},
			&cli.StringFlag{Name: "tz", Value: coursetime.DefaultZone, Usage: "course time `ZONE` of the activity matrix"},
			&cli.BoolFlag{Name: "json", Usage: "print a JSON array instead of a table"},
		}, gradeFlags()...),
		Action: runGrade,
	}, workspaceExits("every group ok", notOKMeaning))
}

// gradeFlags are the flags that configure grading, shared with commands that
// grade as one of their steps (gradeSetup reads them, and --tz).
func gradeFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "spec", Value: grade.DefaultSpec, Usage: "built-in spec `NAME` (see 'handin spec list') or a spec FILE"},
		&cli.StringFlag{Name: "authors", Usage: "authors.csv `FILE`: commit author email or name -> student id"},
		&cli.StringFlag{Name: "claims", Usage: "checklist claims rules: built-in `NAME` (see 'handin claims list') or a rules FILE (default: the spec's year)"},
		levelFlag(),
		groupTimeoutFlag(),
		archiveFlag(false),
		nameFlag(),
		&cli.IntFlag{Name: "similarity-share", Value: percentOf(similarity.DefaultShare),
			Usage: "answers alike when the words they share are at least `PERCENT` of either answer's own words"},
		&cli.IntFlag{Name: "similarity-words", Value: similarity.DefaultWords,
			Usage: "answers alike only when they share at least `N` words"},
		&cli.IntFlag{Name: "similarity-common", Value: similarity.DefaultCommon,
			Usage: "text in more than `N` reports (of the course and the archive) is common, never evidence of a copy"},
	}
}

// percentOf is a share as a whole percentage.
func percentOf(share float64) int { return int(math.Round(share * 100)) }

// similarityOptions reads the archive and the thresholds of answer
// similarity.
func similarityOptions(c *cli.Context) (grade.SimilarityOptions, error) {
	share, words, common := c.Int("similarity-share"), c.Int("similarity-words"), c.Int("similarity-common")
	switch {
	case share < 1 || share > 100:
		return grade.SimilarityOptions{}, fmt.Errorf("--similarity-share %d: want a percentage from 1 to 100", share)
	case words < 1:
		return grade.SimilarityOptions{}, fmt.Errorf("--similarity-words %d: want at least 1", words)
	case common < 1:
		return grade.SimilarityOptions{}, fmt.Errorf("--similarity-common %d: want at least 1", common)
	}
	if dir := c.String("archive"); dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return grade.SimilarityOptions{}, fmt.Errorf("--archive: %w (write one with 'handin archive add')", err)
		}
	}
	return grade.SimilarityOptions{
		Options: similarity.Options{Share: float64(share) / 100, Words: words, Common: common},
		Archive: c.String("archive"), Course: courseName(c),
	}, nil
}

// notOKMeaning is exit code 1 of the commands that grade.
const notOKMeaning = "some group is not ok (act, grade or check) or failed"

// levelFlag sets the level of a kind of finding ([levels] in the course
// file).
func levelFlag() cli.Flag {
	return &cli.StringSliceFlag{Name: "level", Usage: "give a kind of finding another level: `KIND=LEVEL` (act, grade, check or info; repeatable; see 'handin findings')"}
}

// levelsOption reads --level (and [levels]) into the levels to grade with.
func levelsOption(c *cli.Context) (grade.Levels, error) {
	own := map[string]string{}
	for _, kv := range c.StringSlice("level") {
		kind, level, ok := strings.Cut(kv, "=")
		if !ok {
			return grade.Levels{}, fmt.Errorf("--level %q: want KIND=LEVEL", kv)
		}
		own[strings.TrimSpace(kind)] = level
	}
	return grade.NewLevels(own)
}

// groupTimeoutFlag is --group-timeout, of the commands that grade or
// export.
func groupTimeoutFlag() cli.Flag {
	return &cli.DurationFlag{Name: "group-timeout", Value: grade.DefaultGroupTimeout,
		Usage: "how long grading one group, or making its page, may take (`DURATION`); a group over it is told so, and the course goes on"}
}

// gradeOptions loads the spec and options named by gradeFlags, --tz and
// --group. Errors are usage errors (exit 2).
func gradeOptions(c *cli.Context) (grade.Options, error) {
	var opts grade.Options
	var err error
	if opts.Spec, err = grade.LoadSpec(c.String("spec")); err != nil {
		return grade.Options{}, usageError("grade: %w", err)
	}
	if opts.Claims, err = grade.LoadClaims(c.String("claims"), opts.Spec); err != nil {
		return grade.Options{}, usageError("grade: %w", err)
	}
	if opts.Levels, err = levelsOption(c); err != nil {
		return grade.Options{}, usageError("grade: %w", err)
	}
	if opts.TimeZone, err = coursetime.LoadZone(c.String("tz")); err != nil {
		return grade.Options{}, usageError("grade: --tz: %w", err)
	}
	if file := c.String("authors"); file != "" {
		if opts.Authors, err = identity.ReadAuthorsCSV(file); err != nil {
			return grade.Options{}, usageError("grade: %w", err)
		}
	}
	if opts.Similarity, err = similarityOptions(c); err != nil {
		return grade.Options{}, usageError("grade: %w", err)
	}
	opts.Only = c.IntSlice("group")
	opts.GroupTimeout = c.Duration("group-timeout")
	return opts, nil
}

func runGrade(c *cli.Context) error {
	opts, err := gradeOptions(c)
	if err != nil {
		return err
	}
	io := streamsOf(c)
	opts.Logger = io.logger()
	ws, err := openWorkspace(c.String("workspace"), false)
	if err != nil {
		return err
	}
	defer closeWorkspace(ws, io)
	sum, err := grade.Run(c.Context, ws, opts)
	if err != nil {
		return ioError("grade: %w", err)
	}
	if len(sum.Groups) == 0 && len(sum.Errors) == 0 {
		return usageError("grade: no snapshots in %s (run 'handin scrape' first)", ws.Root())
	}
	if err := printGrades(io, sum, c.Bool("json")); err != nil {
		return err
	}
	for _, err := range sum.Errors {
		fmt.Fprintln(io.err, "handin: grade:", err)
	}
	switch {
	case len(sum.Errors) > 0:
		return withCode(exitIO)
	case sum.Count(grade.StateOK) < len(sum.Groups):
		return withCode(exitViolations)
	}
	return nil
}

func printGrades(io streams, sum *grade.Summary, asJSON bool) error {
	if asJSON {
		return io.printJSON(sum.Groups)
	}
	tw := tabwriter.NewWriter(io.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "GROUP\tSTATE\tSTATUS\tPASSED\tREASONS\tREPORT")
	for _, g := range sum.Groups {
		passed := "-"
		if g.Questions > 0 {
			passed = fmt.Sprintf("%d/%d", g.Passed, g.Questions)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\n", g.Group, g.State, g.Status, passed, len(g.Reasons), orDash(printable(g.Report)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(io.out, "%s graded: %s\n", plural(len(sum.Groups), "group"), stateCounts(sum.Count))
	return err
}

// stateCounts says how many groups are in each state, in the order a
// course is worked through: "0 failed, 1 act, 4 grade, 2 check, 1 ok".
func stateCounts(count func(grade.State) int) string {
	var parts []string
	for _, s := range grade.States() {
		parts = append(parts, fmt.Sprintf("%d %s", count(s), s))
	}
	return strings.Join(parts, ", ")
}
