package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

// completionCommand prints a shell completion script that uses urfave/cli's
// --generate-bash-completion protocol.
func completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a bash or zsh completion script",
		ArgsUsage: "bash|zsh",
		Description: `Example:
   source <(handin completion bash)`,
		Action: func(c *cli.Context) error {
			switch c.Args().First() {
			case "bash", "":
				fmt.Fprint(c.App.Writer, bashCompletion)
			case "zsh":
				fmt.Fprint(c.App.Writer, "autoload -U +X bashcompinit && bashcompinit\n"+bashCompletion)
			default:
				return usageError("completion: unknown shell %q (want bash or zsh)", c.Args().First())
			}
			return nil
		},
	}
}

const bashCompletion = `_handin_complete() {
  local cur opts
  COMPREPLY=()
  cur="${COMP_WORDS[COMP_CWORD]}"
  opts=$( "${COMP_WORDS[@]:0:$COMP_CWORD}" --generate-bash-completion 2>/dev/null )
  COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
  [ ${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=( $(compgen -f -- "${cur}") )
  return 0
}
complete -o default -F _handin_complete handin
`
