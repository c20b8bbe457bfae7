package main

import "github.com/urfave/cli/v2"

// notYet is a placeholder for a command whose file has not been written yet.
func notYet(name string) *cli.Command {
	return &cli.Command{Name: name, Action: func(*cli.Context) error { return usageError("%s: not implemented yet", name) }}
}
