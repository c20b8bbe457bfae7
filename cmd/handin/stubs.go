package main

import "github.com/urfave/cli/v2"

// Temporary stubs, each replaced by its own file as the command is built.

func notYet(name string) *cli.Command {
	return &cli.Command{Name: name, Action: func(*cli.Context) error { return usageError("%s: not implemented yet", name) }}
}

func checkCommand() *cli.Command  { return notYet("check") }
func specCommand() *cli.Command   { return notYet("spec") }
func scrapeCommand() *cli.Command { return notYet("scrape") }
func gradeCommand() *cli.Command  { return notYet("grade") }
func exportCommand() *cli.Command { return notYet("export") }
func pageCommand() *cli.Command   { return notYet("page") }
func runCommand() *cli.Command    { return notYet("run") }
func initCommand() *cli.Command   { return notYet("init") }
func demoCommand() *cli.Command   { return notYet("demo") }
