package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/urfave/cli/v2"

	"handin/export/feedback"
	"handin/export/gradebook"
	"handin/grade"
	"handin/internal/github"
	"handin/internal/inputfile"
	"handin/scrape"
	"handin/workspace"
)

// defaultFeedbackTitle is the feedback issue's title unless the course
// file says otherwise.
const defaultFeedbackTitle = "Feedback on your report"

// maxFeedbackTemplate bounds a feedback template file.
const maxFeedbackTemplate = 1 << 20

func feedbackCommand() *cli.Command {
	return withExitCodes(&cli.Command{
		Name:  "feedback",
		Usage: "write each group's feedback from the gradebook; --post it as an issue on the group's repository",
		Description: `Writes OUT/feedback/NNN.md for every graded group (or --group N): the
Grade, Comment, Total and Max of the gradebook's Groups sheet, the Score and
Comment of each question on its Questions sheet (when those columns are
there), and the group's findings of the levels --feedback-level names
(default: grade), worded for students. The text comes from a Go
text/template (--feedback-template FILE, or the built-in one), whose data
docs/feedback.md documents. Text from the repository is escaped: it never
becomes a link, an image, HTML or a mention in GitHub's rendering.

Without --post nothing is sent: each group's feedback is printed, with the
repository and issue it would go to. With --post each group's repository
on --github-host gets one issue titled --feedback-title: opened the first
time, found again by a hidden line in its body and updated when the
feedback changed, left alone (no request) when it did not. The token
(GITHUB_TOKEN, GH_TOKEN or --token-file; it needs write access to issues)
goes to --github-api only. A rate limit is waited out within --timeout per
group; a repository the token cannot reach fails that group only. The
last line counts the groups posted, updated, unchanged and failed.

Example:
   handin feedback --workspace ws --out site
   handin feedback --workspace ws --out site --post`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "workspace", Usage: "workspace `DIR` (graded by handin grade)", Required: true},
			&cli.StringFlag{Name: "out", Usage: "output `DIR` holding gradebook.xlsx (default: WORKSPACE/export)"},
			&cli.IntSliceFlag{Name: "group", Usage: "only group `N` (repeatable)"},
			&cli.StringFlag{Name: "feedback-template", Usage: "Go text/template `FILE` (default: the built-in one)"},
			&cli.StringSliceFlag{Name: "feedback-level", Usage: "findings of `LEVEL` go in: act, grade, check, info (repeatable; default: grade)"},
			&cli.StringFlag{Name: "feedback-title", Value: defaultFeedbackTitle, Usage: "the issue's `TITLE`"},
			&cli.BoolFlag{Name: "post", Usage: "open or update the feedback issue on each group's repository"},
			tokenFileFlag(),
			&cli.StringFlag{Name: "github-host", Value: github.DefaultHost, Usage: "`HOST` whose repositories get the issues (a GitHub Enterprise server's)"},
			&cli.StringFlag{Name: "github-api", Usage: "GitHub's REST API `URL` (default: https://api.github.com for github.com, else https://HOST/api/v3)"},
			&cli.DurationFlag{Name: "timeout", Value: scrape.DefaultTimeout, Usage: "give up on one group's issue after `D`, rate-limit waits included"},
		},
		Action: runFeedback,
	}, workspaceExits("written (and, with --post, every group posted, updated or unchanged)",
		"some group's feedback could not be made or posted (the others were)"))
}

// feedbackRun is one feedback command's settings.
type feedbackRun struct {
	levels   []grade.Level
	template *template.Template
	title    string
	github   github.Config
	poster   *feedback.Poster // nil without --post
	timeout  time.Duration    // for one group's issue
}

func runFeedback(c *cli.Context) error {
	if c.NArg() > 0 {
		return usageError("feedback: unexpected argument %q (flags only; for one group use --group N)", c.Args().First())
	}
	run, err := feedbackSettings(c)
	if err != nil {
		return err
	}
	io := streamsOf(c)
	ws, err := openWorkspace(c.String("workspace"), false)
	if err != nil {
		return err
	}
	defer closeWorkspace(ws, io)
	out, _ := outDir(c, ws.Root())
	groups, err := ws.GradedGroups()
	if err != nil {
		return ioError("feedback: %w", err)
	}
	if only := c.IntSlice("group"); len(only) > 0 {
		for _, g := range only {
			if !slices.Contains(groups, g) {
				return usageError("feedback: group %d has no result (run 'handin run --group %d')", g, g)
			}
		}
		groups = slices.Compact(slices.Sorted(slices.Values(only)))
	}
	if len(groups) == 0 {
		return usageError("feedback: nothing graded in %s (run 'handin run' first)", ws.Root())
	}
	book := filepath.Join(out, gradebook.File)
	marks, err := feedback.ReadMarks(book)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return usageError("feedback: no gradebook %s (run 'handin export' first, or give --out)", book)
	case err != nil:
		return ioError("feedback: gradebook: %w", err)
	}
	if lock := gradebook.LockFile(book); lock != "" {
		fmt.Fprintf(io.err, "handin: warning: %s is open in a spreadsheet program (%s is there): feedback holds what was last saved\n", book, lock)
	}

	counts := map[feedback.Outcome]int{}
	for _, g := range groups {
		if err := c.Context.Err(); err != nil {
			return err // interrupted: the groups so far are written (and posted)
		}
		outcome, link, err := run.release(c.Context, ws, out, g, marks[g], io)
		if c.Context.Err() != nil {
			return c.Context.Err()
		}
		var werr *writeError
		if errors.As(err, &werr) {
			return ioError("feedback: group %d: %w", g, werr.err)
		}
		counts[outcome]++
		switch {
		case err != nil:
			fmt.Fprintf(io.out, "group %d: failed: %s\n", g, printable(err.Error()))
		case run.poster != nil:
			fmt.Fprintf(io.out, "group %d: %s %s\n", g, outcome, printable(link))
		}
	}
	if run.poster == nil {
		fmt.Fprintf(io.out, "%s written to %s; nothing posted (add --post to post it)\n",
			plural(len(groups)-counts[feedback.Failed], "feedback file"), filepath.Join(out, feedback.Dir))
	} else {
		fmt.Fprintf(io.out, "feedback: %d posted, %d updated, %d unchanged, %d failed\n",
			counts[feedback.Posted], counts[feedback.Updated], counts[feedback.Unchanged], counts[feedback.Failed])
	}
	if counts[feedback.Failed] > 0 {
		return withCode(exitViolations)
	}
	return nil
}

// writeError: a feedback file could not be written, which ends the run
// (exit 3): the disk or the output folder, not the group, is at fault.
type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }

// release writes one group's feedback file and, with --post, posts it;
// without, it prints what would be posted. A group whose result or
// feedback cannot be made fails alone; a file that cannot be written is a
// *writeError.
func (run *feedbackRun) release(ctx context.Context, ws *workspace.Workspace, out string, g int, marks *feedback.Marks, io streams) (feedback.Outcome, string, error) {
	r, err := grade.LoadResult(ws, g)
	if err != nil {
		return feedback.Failed, "", err
	}
	body, err := feedback.Render(run.template, feedback.Build(r, marks, run.levels))
	if err != nil {
		return feedback.Failed, "", err
	}
	file, err := feedback.WriteFile(out, g, body)
	if err != nil {
		return feedback.Failed, "", &writeError{err}
	}
	if run.poster == nil {
		printWouldPost(io, run, r, file, body)
		return "", "", nil
	}
	return run.post(ctx, r.URL, body)
}

// post posts one group's feedback within the time a group may take.
func (run *feedbackRun) post(ctx context.Context, cloneURL, body string) (feedback.Outcome, string, error) {
	ctx, cancel := context.WithTimeout(ctx, run.timeout)
	defer cancel()
	return run.poster.Post(ctx, cloneURL, body)
}

// printWouldPost prints what --post would send for a group.
func printWouldPost(io streams, run *feedbackRun, r *grade.GroupResult, file, body string) {
	where := "no repository on " + run.github.Host
	if repo, ok := run.github.Repo(r.URL); ok {
		where = repo.String()
	}
	fmt.Fprintf(io.out, "--- group %d: %s, issue %q (%s)\n%s", r.Group, where, run.title, file, body)
}

// feedbackSettings reads the command's flags: usage errors (exit 2).
func feedbackSettings(c *cli.Context) (*feedbackRun, error) {
	run := &feedbackRun{
		timeout: c.Duration("timeout"),
		title:   strings.TrimSpace(c.String("feedback-title")),
		github:  gitHubConfig(c),
	}
	if run.timeout <= 0 {
		return nil, usageError("feedback: --timeout must be positive")
	}
	if run.title == "" {
		return nil, usageError("feedback: --feedback-title is empty")
	}
	if err := run.github.Check(); err != nil {
		return nil, usageError("feedback: --github-api: %w", err)
	}
	levels := c.StringSlice("feedback-level")
	if len(levels) == 0 {
		run.levels = feedback.DefaultLevels
	}
	for _, s := range levels {
		l, err := grade.ParseLevel(strings.TrimSpace(s))
		if err != nil {
			return nil, usageError("feedback: --feedback-level: %w", err)
		}
		run.levels = append(run.levels, l)
	}
	var text string
	name := c.String("feedback-template")
	if name != "" {
		data, err := inputfile.Read(name, maxFeedbackTemplate)
		if err != nil {
			return nil, usageError("feedback: --feedback-template: %w", err)
		}
		text = string(data)
	}
	var err error
	if run.template, err = feedback.Template(name, text); err != nil {
		return nil, usageError("%w", err)
	}
	if !c.Bool("post") {
		return run, nil
	}
	token, err := accessToken(c.String("token-file"))
	if err != nil {
		return nil, usageError("feedback: %w", err)
	}
	if token == "" {
		return nil, usageError("feedback: --post needs a token that may write issues: set GITHUB_TOKEN or GH_TOKEN, or give --token-file")
	}
	client, err := github.New(run.github.API, token)
	if err != nil {
		return nil, usageError("feedback: --github-api: %w", err)
	}
	run.poster = &feedback.Poster{API: client, GitHub: run.github, Title: run.title}
	return run, nil
}
