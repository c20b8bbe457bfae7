package main

import (
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"handin/archive"
	"handin/grade"
)

func archiveCommand() *cli.Command {
	return withExitCodes(&cli.Command{
		Name:  "archive",
		Usage: "keep a finished course's answers, to compare later courses with",
		Description: `The archive is a folder (--archive, archive in the course file, HANDIN_ARCHIVE)
holding the deadline answers of finished courses: course, year, group, question
and text, nothing else (no names, no student ids, no repositories), so that it is
safe to keep for years. 'handin grade' and 'handin run' compare every answer with
it whenever it is set. See 'handin archive COMMAND --help'.`,
		Subcommands: []*cli.Command{
			withCourse(&cli.Command{
				Name:  "add",
				Usage: "store the course's deadline answers in the archive (again: replaces them)",
				Description: `Reads the report of every group at its deadline commit from the workspace and
stores its answers in the archive as the course --name (default: the name of the
course file's folder, or of the working folder) and the year of the groups'
deadline. Adding a course and year again replaces what the archive held for it;
the file is written whole or not at all.

Example:
   handin archive add --workspace workspace --archive ~/handin-archive --name mlops`,
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "workspace", Usage: "workspace `DIR` (as written by handin scrape)", Required: true},
					archiveFlag(true),
					nameFlag(),
				},
				Action: runArchiveAdd,
			}),
			withCourse(&cli.Command{
				Name:  "list",
				Usage: "list the courses the archive holds",
				Description: `Lists each course of the archive: its name, year, reports and answers, and its
file.

Example:
   handin archive list --archive ~/handin-archive`,
				Flags:  []cli.Flag{archiveFlag(true)},
				Action: runArchiveList,
			}),
		},
	}, exitCodes{exitOK: "done", exitUsage: "usage error (a course name that is no file name, an archive folder that is not there, nothing scraped)", exitIO: ioMeaning, exitLocked: lockedMeaning})
}

// archiveFlag is --archive: the archive folder.
func archiveFlag(required bool) cli.Flag {
	return &cli.StringFlag{Name: "archive", Required: required,
		Usage: "archive `DIR` of earlier courses' answers (see 'handin archive'): answers are compared with it"}
}

// nameFlag is --name: the course's name in the archive.
func nameFlag() cli.Flag {
	return &cli.StringFlag{Name: "name", Usage: "the course's `NAME` in the archive (default: the name of the course file's folder, or of the working folder)"}
}

// courseName is --name, or the name of the course file's folder (the
// working folder without one).
func courseName(c *cli.Context) string {
	if name := c.String("name"); name != "" {
		return name
	}
	dir := "."
	if file := courseFile(c); file != "" {
		dir = filepath.Dir(file)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	return filepath.Base(abs)
}

func runArchiveAdd(c *cli.Context) error {
	io := streamsOf(c)
	course := courseName(c)
	if err := archive.CheckName(course); err != nil {
		return usageError("archive add: %w (give --name)", err)
	}
	ws, err := openWorkspace(c.String("workspace"), false)
	if err != nil {
		return err
	}
	defer closeWorkspace(ws, io)
	reports, year, err := grade.CourseArchive(c.Context, ws)
	if err != nil {
		return ioError("archive add: %w", err)
	}
	if len(reports) == 0 {
		return usageError("archive add: no report in %s to archive (run 'handin scrape' first)", ws.Root())
	}
	name, err := archive.Add(c.String("archive"), course, year, reports)
	if err != nil {
		return ioError("archive add: %w", err)
	}
	_, err = fmt.Fprintf(io.out, "archived %s of %s %d in %s\n", plural(len(reports), "report"), course, year, name)
	return err
}

func runArchiveList(c *cli.Context) error {
	dir := c.String("archive")
	if _, err := os.Stat(dir); err != nil {
		return usageError("archive list: %w", err)
	}
	courses, err := archive.List(dir)
	io := streamsOf(c)
	tw := tabwriter.NewWriter(io.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "COURSE\tYEAR\tREPORTS\tANSWERS\tFILE")
	for _, k := range courses {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\n", k.Course, k.Year, k.Reports, k.Answers, k.File)
	}
	if flushErr := tw.Flush(); flushErr != nil {
		return flushErr
	}
	if err != nil {
		return ioError("archive list: %w", err)
	}
	return nil
}
