package grade

import (
	"context"
	"fmt"
	"runtime"
	"slices"

	"golang.org/x/sync/errgroup"

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
// the others go on. Groups are graded in parallel, one per CPU: grading a
// group reads only its own snapshot.
//
// Groups whose repositories share history are told so in both results. With
// opts.Only the graded groups are compared with every group of the
// workspace, and the saved results of the others are updated where what
// they share with the graded groups changed.
func Run(ctx context.Context, ws *workspace.Workspace, opts Options) ([]*GroupResult, []error) {
	snaps, errs := ws.Snapshots(opts.Only)
	others, err := otherSnapshots(ws, opts.Only)
	if err != nil {
		errs = append(errs, err)
	}
	shared := sharedHistories(slices.Concat(snaps, others))
	results := make([]*GroupResult, len(snaps))
	saveErrs := make([]error, len(snaps))
	var workers errgroup.Group
	workers.SetLimit(runtime.GOMAXPROCS(0))
	for i, s := range snaps {
		workers.Go(func() error {
			if ctx.Err() != nil {
				return nil // interrupted: the groups graded so far are kept
			}
			r := Grade(s, opts)
			r.setSharedHistory(shared[s.Group])
			results[i], saveErrs[i] = r, SaveResult(ws, r)
			return nil
		})
	}
	workers.Wait()
	results = slices.DeleteFunc(results, func(r *GroupResult) bool { return r == nil })
	for _, err := range saveErrs {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return results, append(errs, fmt.Errorf("grade: %w", err))
	}
	for _, s := range others {
		if err := updateSharedHistory(ws, s.Group, shared[s.Group]); err != nil {
			errs = append(errs, err)
		}
	}
	return results, errs
}

// otherSnapshots loads the snapshots of the groups outside only (none when
// only is empty: every group is graded). One that cannot be loaded is left
// out: it is reported when its group is graded.
func otherSnapshots(ws *workspace.Workspace, only []int) ([]*workspace.Snapshot, error) {
	if len(only) == 0 {
		return nil, nil
	}
	groups, err := ws.Groups()
	if err != nil {
		return nil, fmt.Errorf("shared history: %w", err)
	}
	var out []*workspace.Snapshot
	for _, g := range groups {
		if slices.Contains(only, g) {
			continue
		}
		if s, err := ws.LoadSnapshot(g); err == nil {
			out = append(out, s)
		}
	}
	return out, nil
}

// updateSharedHistory rewrites a group's saved result when what it shares
// with other groups changed. A group without a readable result is skipped:
// grading it computes its history anew.
func updateSharedHistory(ws *workspace.Workspace, group int, shared []SharedHistory) error {
	r, err := LoadResult(ws, group)
	if err != nil || !r.setSharedHistory(shared) {
		return nil
	}
	return SaveResult(ws, r)
}
