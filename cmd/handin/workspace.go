package main

import (
	"errors"
	"fmt"

	"handin/workspace"
)

// openWorkspace opens (create: creates) the workspace a command works in
// and holds its lock until the returned close function runs. A held lock
// is told apart (exit 4) from a missing folder (exit 2) and an unwritable
// one (exit 3).
func openWorkspace(dir string, create bool) (*workspace.Workspace, error) {
	open := workspace.Open
	if create {
		open = workspace.Create
	}
	ws, err := open(dir)
	switch {
	case err == nil:
		return ws, nil
	case errors.Is(err, workspace.ErrLocked):
		return nil, err
	case !create:
		return nil, usageError("%w (run 'handin scrape' first, or check --workspace)", err)
	}
	return nil, ioError("%w", err)
}

// closeWorkspace releases the workspace; a failure to clean it up is worth
// a warning, not a failed command.
func closeWorkspace(ws *workspace.Workspace, io streams) {
	if err := ws.Close(); err != nil {
		fmt.Fprintln(io.err, "handin: warning:", err)
	}
}
