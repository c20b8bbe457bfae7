package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"
)

func initCommand() *cli.Command {
	return withExitCodes(&cli.Command{
		Name:  "init",
		Usage: "write a commented example course file (handin.toml)",
		Description: `Writes DIR/handin.toml, a commented example of the course file 'handin run'
reads: groups file, deadline and time zone, spec and claims rules, workspace
and output folders, workers, timeout, and the path of a token file (never the
token). Edit it, put groups.csv next to it, and run 'handin run' in that
folder. An existing file is never overwritten.

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
			fmt.Fprintf(streamsOf(c).out, "wrote %s: set groups and deadline, then run 'handin run' in %s\n", name, c.String("dir"))
			return nil
		},
	}, exitCodes{exitOK: "written", exitUsage: "the file exists (never overwritten) or cannot be written"})
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

// exampleCourseFile is what 'handin init' writes.
const exampleCourseFile = `# handin course file: what stays the same on every run of this course.
# 'handin run' in this folder reads it. Paths are relative to this file's folder.
# A flag overrides a key (--workers 8), and so does its environment variable
# (HANDIN_WORKERS=8, HANDIN_DEADLINE=..., HANDIN_TOKEN_FILE=...).

# One row per group: group_number,student_1,...,student_5,repo_url
# (optional columns: deadline for an extension, branch, and student_N_name,
# student_N_email, student_N_github).
groups = "groups.csv"

# The class list: a CSV with a header id,name,email,github (names, addresses
# and GitHub logins match commits to students; groups.csv's columns win).
# students = "students.csv"

# The hand-in deadline: with a UTC offset (2026-01-23T23:59:59+01:00), or a
# wall-clock time in time_zone.
deadline = "2026-01-23 23:59:59"
time_zone = "Europe/Copenhagen"

# The report template's constraints: a built-in year ('handin spec list') or a
# spec file ('handin spec extract').
spec = "2026"

# The rules that judge the checklist against each repository: by default the
# built-in rules of the spec's year ('handin claims list'); or a rules file
# that adjusts them ('handin claims show 2026 > claims.toml').
# claims = "claims.toml"

# Clones, snapshots, the observation log and results. Keep it between runs:
# later runs only fetch what changed, and the log is the evidence of what was
# pushed before the deadline.
workspace = "workspace"

# index.html, one page per group, gradebook.xlsx and results.json.
out = "site"

# Grading in the gradebook: a rubric gives a Score and Comment per question
# and a Total per group ('handin rubric init' writes one); graders are dealt
# to the groups at their first export ('handin gradebook merge' brings their
# copies back).
# rubric = "rubric.toml"
# graders = ["ab", "cd"]

# Parallel clones, and how long one repository may take (retries included).
workers = 4
timeout = "5m"

# How long grading one group, or making its page, may take: a group over it
# (a report built to slow parsers down) is told so, and the course goes on.
# group_timeout = "1m"

# Answers copied between groups: every answer is compared with the other
# groups' answers to the question, and with the archive of earlier courses
# ('handin archive add' keeps this course's in it when it is over; name is
# this course's name there, by default this folder's name). Two answers are
# alike when they share passages of at least similarity_words words making
# at least similarity_share percent of either answer (the template's text
# never counts, nor text in more than similarity_common reports).
# archive = "~/handin-archive"
# name = "mlops"
# similarity_share = 30
# similarity_words = 30
# similarity_common = 5

# Private repositories: a file holding a GitHub token, one line (never the token
# itself here). Without it, $GITHUB_TOKEN or $GH_TOKEN is used when set. The
# token is sent to token_hosts only, over https ("http://host" for a server
# that has no https: the token then crosses the network readable).
# token_file = "~/.config/handin/github-token"
# token_hosts = ["github.com"]

# GitHub's API, read with the token for the repositories on github_host: the
# push log, the accounts behind commit addresses, the CI status of the commit
# that counts. For GitHub Enterprise: its host, and https://HOST/api/v3.
# github_host = "github.com"
# github_api = "https://api.github.com"

# Commit authors the roster cannot match by email or id: CSV of
# "author email or name,student id".
# authors = "authors.csv"

# Every finding has a level: act (resolve before grading), grade (bears on the
# grade), check (a person should look) or info; a group's state is the highest
# of its findings'. 'handin findings' lists each kind with its default. Give a
# kind another level here (or as a [levels] table: kind = "level").
# levels = { late-commits = "check", history-out-of-order = "info" }

# The feedback 'handin feedback' writes and, with --post, releases as an
# issue on each group's repository: the findings of these levels go in (act,
# grade, check, info), in this issue title, from a Go text/template file of
# yours instead of the built-in one (docs/feedback.md). --post needs a token
# that may write issues.
# feedback_levels = ["grade"]
# feedback_title = "Feedback on your report"
# feedback_template = "feedback.md.tmpl"
`
