package main

import "github.com/urfave/cli/v2"

func specCommand() *cli.Command { return notYet("spec") }
