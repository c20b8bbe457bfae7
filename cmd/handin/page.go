package main

import (
	"flag"
	"io"
	"strconv"

	"github.com/urfave/cli/v2"
)

func pageCommand() *cli.Command {
	return withExitCodes(&cli.Command{
		Name:      "page",
		Usage:     "regenerate one group's page and its rows in the index, gradebook and results.json",
		ArgsUsage: "N...",
		Description: `Re-renders the pages of the given groups from their current result (after
'handin grade --group N', e.g. for an extension) and updates their rows in
index.html, gradebook.xlsx (your Grade/Comment columns are kept) and
results.json. Every other group's page and rows stay as the last export wrote them.

Example:
   handin page 7 --workspace ws --out site`,
		Flags: exportFlags(false),
		Action: func(c *cli.Context) error {
			args, err := parseTrailingFlags(c)
			if err != nil {
				return c.Command.OnUsageError(c, err, false)
			}
			if len(args) == 0 {
				return usageError("page: no group number given (try 'handin page 7 --workspace ws')")
			}
			if c.String("workspace") == "" {
				return usageError("page: --workspace DIR is required")
			}
			var groups []int
			for _, arg := range args {
				n, err := strconv.Atoi(arg)
				if err != nil || n < 0 {
					return usageError("page: %q is not a group number", arg)
				}
				groups = append(groups, n)
			}
			return runExport(c, "page", groups, nil)
		},
	}, exportExits())
}

// parseTrailingFlags applies flags written after the arguments ("handin page
// 7 --workspace ws"): urfave/cli stops parsing flags at the first argument.
// It returns the arguments alone.
func parseTrailingFlags(c *cli.Context) ([]string, error) {
	set := flag.NewFlagSet(c.Command.Name, flag.ContinueOnError)
	set.SetOutput(io.Discard)
	for _, f := range c.Command.Flags {
		if err := f.Apply(set); err != nil {
			return nil, err
		}
	}
	var args []string
	rest := c.Args().Slice()
	for len(rest) > 0 {
		if err := set.Parse(rest); err != nil {
			return nil, err
		}
		if rest = set.Args(); len(rest) > 0 {
			args, rest = append(args, rest[0]), rest[1:]
		}
	}
	var err error
	set.Visit(func(f *flag.Flag) {
		if setErr := c.Set(f.Name, f.Value.String()); setErr != nil && err == nil {
			err = setErr
		}
	})
	return args, err
}
