package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"handin/grade"
)

func specCommand() *cli.Command {
	return withExitCodes(&cli.Command{
		Name:  "spec",
		Usage: "list, show and extract template specs (the per-question constraints)",
		Description: `Lists the built-in specs (one per course year), prints a spec in the spec
file format, and derives next year's from a template's text: see
'handin spec COMMAND --help'.`,
		Subcommands: []*cli.Command{
			{
				Name:  "list",
				Usage: "list the built-in specs",
				Description: `Lists the built-in specs: one per course year, equal to the course checker
(report.py check) in force that January.

Example:
   handin spec list`,
				Action: func(c *cli.Context) error {
					tw := tabwriter.NewWriter(streamsOf(c).out, 0, 0, 2, ' ', 0)
					fmt.Fprintln(tw, "NAME\tQUESTIONS\tSOURCE")
					for _, name := range grade.BuiltinSpecs() {
						spec, err := grade.LoadSpec(name)
						if err != nil {
							return err
						}
						def := ""
						if name == grade.DefaultSpec {
							def = " (default)"
						}
						fmt.Fprintf(tw, "%s%s\t%d\t%s\n", name, def, len(spec.Questions), spec.Source)
					}
					return tw.Flush()
				},
			},
			{
				Name:      "show",
				Usage:     "print a spec (built-in name or file) in the spec file format",
				ArgsUsage: "NAME|FILE",
				Description: `Prints every question's word and image range in the spec file format, a
starting point for a spec file of your own (--spec FILE).

Example:
   handin spec show 2026 > spec-2027.toml`,
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return usageError("spec show: give one spec name or file")
					}
					spec, err := grade.LoadSpec(c.Args().First())
					if err != nil {
						return usageError("spec show: %w", err)
					}
					return spec.WriteTOML(streamsOf(c).out)
				},
			},
			{
				Name:      "extract",
				Usage:     "derive a spec from a template's text",
				ArgsUsage: "TEMPLATE.md",
				Description: `Reads the "Answer length" lines and the screenshot wording of each question and
prints a spec file; questions it could not determine are named on stderr and left
unconstrained. Review the result, then use it with --spec FILE.

Example:
   handin spec extract reports/README.md > spec-2027.toml`,
				Flags: []cli.Flag{&cli.StringFlag{Name: "name", Usage: "spec `NAME` (default: the template's file name)"}},
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return usageError("spec extract: give one template file")
					}
					file := c.Args().First()
					data, err := readReport(file)
					if err != nil {
						return usageError("spec extract: %s: %w", file, err)
					}
					name := c.String("name")
					if name == "" {
						name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
					}
					spec, undetermined, err := grade.ExtractSpec(data, name)
					if err != nil {
						return usageError("spec extract: %s: %w", file, err)
					}
					if len(undetermined) > 0 {
						fmt.Fprintf(streamsOf(c).err, "handin: %s: could not determine questions %s (left unconstrained)\n",
							file, joinInts(undetermined))
					}
					return spec.WriteTOML(streamsOf(c).out)
				},
			},
		},
	}, exitCodes{exitOK: "printed", exitUsage: usageMeaning})
}
