package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"handin/grade"
	"handin/grade/claims"
)

func claimsCommand() *cli.Command {
	return withExitCodes(&cli.Command{
		Name:  "claims",
		Usage: "list and show the rules that judge checklist claims against a repository",
		Description: `Lists the built-in claims rules (one set per template year) and prints a set
in the rules file format, a starting point for rules of your own: see
'handin claims COMMAND --help'.`,
		Subcommands: []*cli.Command{
			{
				Name:  "list",
				Usage: "list the built-in claims rules",
				Description: `Lists the built-in claims rules: one set per template year, each judging the
checklist items of that year's template. 'handin grade' uses the set of its
spec's year unless --claims names another set or a rules file.

Example:
   handin claims list`,
				Action: func(c *cli.Context) error {
					spec, err := grade.LoadSpec(grade.DefaultSpec)
					if err != nil {
						return err
					}
					def, err := grade.LoadClaims("", spec)
					if err != nil {
						return err
					}
					tw := tabwriter.NewWriter(streamsOf(c).out, 0, 0, 2, ' ', 0)
					fmt.Fprintln(tw, "NAME\tRULES\tSOURCE")
					for _, name := range claims.List() {
						rules, err := claims.Load(name)
						if err != nil {
							return err
						}
						mark := ""
						if name == def.Name {
							mark = " (default)"
						}
						fmt.Fprintf(tw, "%s%s\t%d\t%s\n", name, mark, len(rules.Rules), rules.Source)
					}
					return tw.Flush()
				},
			},
			{
				Name:      "show",
				Usage:     "print claims rules (built-in name or file) in the rules file format",
				ArgsUsage: "NAME|FILE",
				Description: `Prints every rule (the checklist items it judges, their module tags, the
paths, text and dependencies that are evidence) with any base resolved, in the
rules file format: a starting point for rules of your own (--claims FILE, or
claims = "FILE" in handin.toml). A file of your own may also start from a
built-in set (base = "2026") and list only the rules it drops or changes.

Example:
   handin claims show 2026 > claims.toml`,
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return usageError("claims show: give one rule set name or file")
					}
					rules, err := claims.Load(c.Args().First())
					if err != nil {
						return usageError("claims show: %w", err)
					}
					return rules.WriteTOML(streamsOf(c).out)
				},
			},
		},
	}, exitCodes{exitOK: "printed", exitUsage: usageMeaning})
}
