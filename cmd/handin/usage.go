package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// Usage errors say what is wrong in one line, with a suggestion when the
// mistake is close to something handin knows, and where the full help is:
// never the whole help text above the error.

// rootAction runs for 'handin' alone and for an unknown command.
func rootAction(c *cli.Context) error {
	if c.NArg() == 0 {
		cli.HelpPrinter(streamsOf(c).err, cli.AppHelpTemplate, c.App)
		return usageError("no command given")
	}
	name := c.Args().First()
	var names []string
	for _, cmd := range c.App.Commands {
		names = append(names, cmd.Names()...)
	}
	hint := ""
	if s := closest(name, names); s != "" {
		hint = fmt.Sprintf(": did you mean %q?", s)
	}
	return usageError("unknown command %q%s (see 'handin --help')", name, hint)
}

// closest is the candidate within a typo or two of word ("" when none is).
func closest(word string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := editDistance(word, c); d < bestDist && d <= max(1, len(c)/3) {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of two short ASCII words.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// onUsageError reports a bad flag or flag value of cmd (a full name such as
// "spec show").
func onUsageError(cmd string, flags []cli.Flag) cli.OnUsageErrorFunc {
	return func(_ *cli.Context, err error, _ bool) error {
		// Go's flag package names flags with one dash; handin's are --long.
		msg := strings.Replace(err.Error(), "flag -", "flag --", 1)
		if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
			name = strings.TrimLeft(name, "-")
			var names []string
			for _, f := range flags {
				names = append(names, f.Names()...)
			}
			msg = fmt.Sprintf("unknown flag --%s", name)
			if s := closest(name, names); s != "" {
				msg += fmt.Sprintf(": did you mean --%s?", s)
			}
		}
		where := strings.TrimSpace("handin " + cmd)
		return usageError("%s (see '%s --help')", strings.TrimPrefix(cmd+": "+msg, ": "), where)
	}
}

// withUsageErrors sets onUsageError on every command and subcommand.
func withUsageErrors(prefix string, cmds []*cli.Command) {
	for _, c := range cmds {
		name := strings.TrimSpace(prefix + " " + c.Name)
		c.OnUsageError = onUsageError(name, c.Flags)
		withUsageErrors(name, c.Subcommands)
	}
}
