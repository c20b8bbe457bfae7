package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

// completionShells are the shells 'handin completion' writes a script for.
var completionShells = []string{"bash", "zsh"}

// completionCommand prints a shell completion script that uses urfave/cli's
// --generate-bash-completion protocol.
func completionCommand() *cli.Command {
	return withExitCodes(&cli.Command{
		Name:      "completion",
		Usage:     "print a bash or zsh completion script",
		ArgsUsage: "bash|zsh",
		Description: `Completes commands, subcommands and flags (type - or -- and TAB); where
handin has nothing to offer, file names.

Example:
   source <(handin completion bash)    # in ~/.bashrc
   source <(handin completion zsh)     # in ~/.zshrc`,
		BashComplete: func(c *cli.Context) {
			for _, shell := range completionShells {
				fmt.Fprintln(streamsOf(c).out, shell)
			}
		},
		Action: func(c *cli.Context) error {
			switch c.Args().First() {
			case "bash", "":
				fmt.Fprint(streamsOf(c).out, bashCompletion)
			case "zsh":
				fmt.Fprint(streamsOf(c).out, zshPrelude+bashCompletion)
			default:
				return usageError("completion: unknown shell %q (want bash or zsh)", c.Args().First())
			}
			return nil
		},
	}, exitCodes{exitOK: "printed", exitUsage: usageMeaning + " (an unknown shell)"})
}

// hideLeafHelpCommands drops the "help" subcommand urfave/cli gives every
// command: on a command without subcommands it is the only completion
// offered, where the shell should complete a file name ('handin check <TAB>').
// --help still works.
func hideLeafHelpCommands(cmds []*cli.Command) {
	for _, c := range cmds {
		if len(c.Subcommands) == 0 {
			c.HideHelpCommand = true
		}
		hideLeafHelpCommands(c.Subcommands)
	}
}

// zshPrelude lets zsh run the bash script (compdef comes with compinit).
const zshPrelude = `(( $+functions[compdef] )) || { autoload -U +X compinit && compinit }
autoload -U +X bashcompinit && bashcompinit
`

// bashCompletion asks handin itself for the words that may follow. A word
// being typed as a flag is passed on, so that handin lists the flags; "--"
// alone would end handin's flags (urfave/cli then runs the command instead
// of completing), so "-" stands for it, and nothing is asked after a "--".
const bashCompletion = `_handin_complete() {
  local cur="${COMP_WORDS[COMP_CWORD]}"
  local -a args
  args=("${COMP_WORDS[@]:0:$COMP_CWORD}")
  COMPREPLY=()
  case " ${args[*]} " in *" -- "*) return 0 ;; esac
  case "$cur" in
    --) args+=(-) ;;
    -*) args+=("$cur") ;;
  esac
  local opts
  opts=$("${args[@]}" --generate-bash-completion 2>/dev/null) || return 0
  COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -o default -F _handin_complete handin
`
