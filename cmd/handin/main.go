// Command handin scrapes, checks, grades and exports the exam reports of the
// DTU course 02476 Machine Learning Operations.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // deadlines use Europe/Copenhagen even on machines without tzdata

	"github.com/urfave/cli/v2"
)

// Exit codes shared by every command (documented in the README).
const (
	exitOK         = 0 // everything passed / every group ok
	exitViolations = 1 // the run worked and found violations or failed groups
	exitUsage      = 2 // bad flags, unreadable input, I/O errors
	exitCancelled  = 130
)

func main() {
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}

// run is main without os.Exit, so testscript can call it in-process.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first Ctrl-C stops cleanly (temporary clones removed, finished
	// groups kept); a second one kills at once.
	context.AfterFunc(ctx, stop)

	app := newApp(stdout, stderr)
	err := app.RunContext(ctx, args)
	return exitCode(ctx, err, stderr)
}

func newApp(stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:                 "handin",
		Usage:                "scrape, check, grade and export 02476 MLOps exam reports",
		EnableBashCompletion: true,
		Writer:               stdout,
		ErrWriter:            stderr,
		// Errors are printed once, by exitCode, not by urfave/cli.
		ExitErrHandler: func(*cli.Context, error) {},
		Commands: []*cli.Command{
			checkCommand(),
			specCommand(),
			// These read the course file (handin.toml) as well as flags.
			withCourse(scrapeCommand()),
			withCourse(gradeCommand()),
			withCourse(exportCommand()),
			withCourse(pageCommand()),
			withCourse(runCommand()),
			initCommand(),
			demoCommand(),
			completionCommand(),
		},
	}
	hideLeafHelpCommands(app.Commands)
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

// usageError marks an error as exit code 2.
func usageError(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// withCode returns an error that makes the process exit with code and prints
// nothing more (the command already reported).
func withCode(code int) error {
	if code == exitOK {
		return nil
	}
	return &exitError{code: code}
}

func exitCode(ctx context.Context, err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "handin:", ee.err)
		}
		return ee.code
	}
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "handin: interrupted:", err)
		return exitCancelled
	}
	fmt.Fprintln(stderr, "handin:", err)
	return exitUsage
}
