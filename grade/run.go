package grade

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"

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

// Run grades the snapshots of the workspace (only opts.Only, when given),
// saves each result and hands it to each (when not nil; calls come one at a
// time, in no particular order). A snapshot that cannot be loaded or a
// result that cannot be saved is reported in the errors and the others go
// on. Groups are graded in parallel, one per CPU, and no more results are
// held than there are workers: memory does not grow with the course.
//
// Groups whose repositories share history are told so in both results. With
// opts.Only the graded groups are compared with every group of the
// workspace, and the saved results of the others are updated where what
// they share with the graded groups changed.
func Run(ctx context.Context, ws *workspace.Workspace, opts Options, each func(*GroupResult)) []error {
	groups, err := ws.SnapshotGroups(opts.Only)
	if err != nil {
		return []error{err}
	}
	others, err := otherGroups(ws, groups, opts.Only)
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	shared := sharedHistories(lineages(ws, slices.Concat(groups, others)))
	var mu sync.Mutex // guards errs and each
	var workers errgroup.Group
	workers.SetLimit(runtime.GOMAXPROCS(0))
	for _, g := range groups {
		workers.Go(func() error {
			if ctx.Err() != nil {
				return nil // interrupted: the groups graded so far are kept
			}
			r, err := gradeGroup(ws, g, opts, shared[g])
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			}
			if r != nil && each != nil {
				each(r)
			}
			return nil
		})
	}
	workers.Wait()
	if err := ctx.Err(); err != nil {
		return append(errs, fmt.Errorf("grade: %w", err))
	}
	for _, g := range others {
		if err := updateSharedHistory(ws, g, shared[g]); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// gradeGroup grades and saves one group's snapshot. The result comes back
// even when saving it failed; nil when the snapshot could not be loaded.
func gradeGroup(ws *workspace.Workspace, group int, opts Options, shared []SharedHistory) (*GroupResult, error) {
	s, err := ws.LoadSnapshot(group)
	if err != nil {
		return nil, fmt.Errorf("group %d: %w", group, err)
	}
	r := Grade(s, opts)
	r.setSharedHistory(shared)
	return r, SaveResult(ws, r)
}

// otherGroups are the groups with a snapshot outside only (none when only
// is empty: every group is graded).
func otherGroups(ws *workspace.Workspace, graded, only []int) ([]int, error) {
	if len(only) == 0 {
		return nil, nil
	}
	all, err := ws.SnapshotGroups(nil)
	if err != nil {
		return nil, fmt.Errorf("shared history: %w", err)
	}
	return slices.DeleteFunc(all, func(g int) bool { return slices.Contains(graded, g) }), nil
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
