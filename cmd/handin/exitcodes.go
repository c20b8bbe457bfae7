package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// exitCodes are what a command's exit codes mean, as its --help lists them.
// README.md's table of exit codes says the same, word for word: a test
// keeps the two equal.
type exitCodes map[int]string

// Meanings of the codes that several commands share; the README says more.
const (
	usageMeaning       = "usage error"
	ioMeaning          = "I/O error"
	lockedMeaning      = "workspace in use"
	interruptedMeaning = "interrupted"
)

// workspaceExits are the codes of a command that holds the workspace: what
// 0 and 1 mean for it (no 1 when violations is ""), then usage, I/O, the
// workspace in use and interrupted.
func workspaceExits(ok, violations string) exitCodes {
	codes := exitCodes{exitOK: ok, exitUsage: usageMeaning, exitIO: ioMeaning, exitLocked: lockedMeaning, exitCancelled: interruptedMeaning}
	if violations != "" {
		codes[exitViolations] = violations
	}
	return codes
}

// with is the codes with code meaning something else, or added.
func (c exitCodes) with(code int, meaning string) exitCodes {
	c[code] = meaning
	return c
}

// withExitCodes lists the command's exit codes in its description, before
// its example.
func withExitCodes(cmd *cli.Command, codes exitCodes) *cli.Command {
	text, example, hasExample := strings.Cut(cmd.Description, "\n\nExample:\n")
	var b strings.Builder
	b.WriteString(text + "\n\nExit codes:")
	for _, code := range slices.Sorted(maps.Keys(codes)) {
		fmt.Fprintf(&b, "\n   %-4d %s", code, codes[code])
	}
	if hasExample {
		b.WriteString("\n\nExample:\n" + example)
	}
	cmd.Description = b.String()
	return cmd
}
