package grade

import (
	"context"
	"fmt"

	"handin/workspace"
)

// SaveResult writes a group's result into the workspace atomically. The
// JSON is stable: grading the same snapshot twice writes the same bytes.
func SaveResult(ws *workspace.Workspace, r *GroupResult) error {
	if err := workspace.WriteJSON(ws.ResultPath(r.Group), r); err != nil {
		return fmt.Errorf("group %d: %w", r.Group, err)
	}
	return nil
}

// LoadResult reads a group's result from the workspace. A result written by
// another schema version is refused: its fields may mean something else.
func LoadResult(ws *workspace.Workspace, group int) (*GroupResult, error) {
	var r GroupResult
	if err := workspace.ReadJSON(ws.ResultPath(group), &r); err != nil {
		return nil, fmt.Errorf("load result: %w", err)
	}
	if r.Schema != SchemaVersion {
		return nil, fmt.Errorf("load result %s: schema %d, this handin reads %d: run 'handin grade' again", ws.ResultPath(group), r.Schema, SchemaVersion)
	}
	return &r, nil
}

// Run grades the snapshots of the workspace (only opts.Only, when given) and
// saves each result. Results come back sorted by group; a snapshot that
// cannot be loaded or a result that cannot be saved is reported in errs and
// the others go on.
func Run(ctx context.Context, ws *workspace.Workspace, opts Options) ([]*GroupResult, []error) {
	snaps, errs := ws.Snapshots(opts.Only)
	var results []*GroupResult
	for _, s := range snaps {
		if err := ctx.Err(); err != nil {
			return results, append(errs, fmt.Errorf("grade: %w", err))
		}
		r := Grade(s, opts)
		if err := SaveResult(ws, r); err != nil {
			errs = append(errs, err)
		}
		results = append(results, r)
	}
	return results, errs
}
