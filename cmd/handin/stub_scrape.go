package main

import "github.com/urfave/cli/v2"

func scrapeCommand() *cli.Command { return notYet("scrape") }
