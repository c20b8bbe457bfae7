// Command handin scrapes, checks, grades and exports the exam reports of the
// DTU course 02476 Machine Learning Operations.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"

	"handin/workspace"
)

// Exit codes shared by every command (documented in the README).
const (
	exitOK         = 0   // everything passed / every group ok
	exitViolations = 1   // the run worked and found violations or failed groups
	exitUsage      = 2   // bad flags or input: a missing file, a bad course file or groups.csv
	exitIO         = 3   // the workspace or the output could not be read or written
	exitLocked     = 4   // another handin command is using the workspace: try again later
	exitCancelled  = 130 // interrupted (Ctrl-C): finished work is kept, run again to resume
)

func main() {
	os.Exit(run(os.Args, newStreams(os.Stdout, os.Stderr)))
}

// run is main without os.Exit, so tests can call it in-process.
func run(args []string, io streams) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first Ctrl-C stops cleanly (temporary clones removed, finished
	// groups kept); a second one kills at once.
	context.AfterFunc(ctx, stop)

	err := newApp(io).RunContext(ctx, args)
	code, msg := exitCode(ctx, err)
	if msg != "" {
		fmt.Fprintln(io.err, "handin:", msg)
	}
	return code
}

func newApp(io streams) *cli.App {
	app := &cli.App{
		Name:                 "handin",
		Usage:                "scrape, check, grade and export 02476 MLOps exam reports",
		EnableBashCompletion: true,
		Writer:               io.out,
		ErrWriter:            io.err,
		Metadata:             map[string]any{streamsKey: io},
		// Errors are printed once, by run, not by urfave/cli.
		ExitErrHandler: func(*cli.Context, error) {},
		Action:         rootAction,
		Commands: []*cli.Command{
			checkCommand(),
			specCommand(),
			claimsCommand(),
			withCourse(findingsCommand()),
			// These read the course file (handin.toml) as well as flags.
			withCourse(scrapeCommand()),
			withCourse(gradeCommand()),
			withCourse(authorsCommand()),
			withCourse(exportCommand()),
			withCourse(pageCommand()),
			withCourse(runCommand()),
			rubricCommand(),
			gradebookCommand(),
			withCourse(feedbackCommand()),
			archiveCommand(),
			initCommand(),
			demoCommand(),
			completionCommand(),
		},
	}
	hideLeafHelpCommands(app.Commands)
	withUsageErrors("", app.Commands)
	app.OnUsageError = onUsageError("", app.Flags)
	return app
}

// exitError carries an exit code with an optional message.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// usageError: the command was given something it cannot use (exit 2).
func usageError(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// ioError: the workspace or the output could not be read or written (exit 3).
func ioError(format string, args ...any) error {
	return &exitError{code: exitIO, err: fmt.Errorf(format, args...)}
}

// withCode returns an error that makes the process exit with code and prints
// nothing more (the command already reported).
func withCode(code int) error {
	if code == exitOK {
		return nil
	}
	return &exitError{code: code}
}

// exitCode maps a command's error to the process's exit code and the line
// to print (none when the command reported already). Cancellation comes
// first: whatever a command was doing when Ctrl-C came, the run was
// interrupted.
func exitCode(ctx context.Context, err error) (code int, msg string) {
	var ee *exitError
	switch {
	case err == nil:
		return exitOK, ""
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return exitCancelled, "interrupted: " + err.Error()
	case errors.Is(err, workspace.ErrLocked):
		return exitLocked, err.Error() + ": try again when it has finished"
	case errors.As(err, &ee) && ee.err == nil:
		return ee.code, ""
	case errors.As(err, &ee):
		return ee.code, err.Error()
	}
	return exitUsage, err.Error() // urfave/cli's own errors: unknown flags, missing values
}
