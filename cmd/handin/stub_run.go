package main

import "github.com/urfave/cli/v2"

func runCommand() *cli.Command  { return notYet("run") }
func initCommand() *cli.Command { return notYet("init") }
