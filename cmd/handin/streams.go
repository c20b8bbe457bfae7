package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"strings"
	"unicode"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"
)

// streams is how a command talks to the person (or cron job) running it:
// results on out, progress, warnings and logs on err.
type streams struct {
	out io.Writer
	err io.Writer
	// tty: err is a terminal, so progress is drawn live and the log keeps
	// to warnings; without one (cron) every step is a log line.
	tty bool
}

// newStreams wraps the process's output; tty is detected on stderr.
func newStreams(stdout, stderr io.Writer) streams {
	f, ok := stderr.(*os.File)
	return streams{out: stdout, err: stderr, tty: ok && term.IsTerminal(int(f.Fd()))}
}

// streamsKey holds a command's streams in the app's metadata.
const streamsKey = "streams"

// streamsOf are the streams of the running command.
func streamsOf(c *cli.Context) streams { return c.App.Metadata[streamsKey].(streams) }

// printJSON writes v to out as indented JSON, for scripts.
func (s streams) printJSON(v any) error {
	enc := json.NewEncoder(s.out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// logger is the command's log on err: warnings only when a person watches
// the live display, every step otherwise.
func (s streams) logger() *slog.Logger {
	level := slog.LevelInfo
	if s.tty {
		level = slog.LevelWarn
	}
	return slog.New(slog.NewTextHandler(s.err, &slog.HandlerOptions{Level: level}))
}

// printable makes untrusted text (a student's file name, a server's error
// message) safe to print: one line, no control characters that could move
// the cursor or recolour the terminal.
func printable(s string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)), " ")
}
