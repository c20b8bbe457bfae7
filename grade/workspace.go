package grade

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"handin/internal/atomicfile"
	"handin/scrape"
)

// ResultFile is a group's result file name inside its group folder.
const ResultFile = "result.json"

// ResultPath is where a group's result is kept in a workspace.
func ResultPath(workspace string, group int) string {
	return filepath.Join(scrape.GroupDir(workspace, group), ResultFile)
}

// WriteResult writes a group's result to the workspace atomically. The JSON
// is stable: grading the same snapshot twice writes the same bytes.
func WriteResult(workspace string, r *GroupResult) error {
	if err := atomicfile.WriteJSON(ResultPath(workspace, r.Group), r); err != nil {
		return fmt.Errorf("group %d: %w", r.Group, err)
	}
	return nil
}

// LoadResult reads a group's result from the workspace.
func LoadResult(workspace string, group int) (*GroupResult, error) {
	name := ResultPath(workspace, group)
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("load result: %w", err)
	}
	var r GroupResult
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("load result %s: %w", name, err)
	}
	return &r, nil
}

// GradeWorkspace grades the snapshots of a workspace (only the groups listed
// in only, when it is not empty) and writes each result. Results come back
// sorted by group; a snapshot that cannot be loaded or a result that cannot
// be written is reported in errs and the others go on.
func GradeWorkspace(ctx context.Context, workspace string, spec *Spec, opts Options, only []int) ([]*GroupResult, []error) {
	snaps, errs := loadSnapshots(workspace, only)
	var results []*GroupResult
	for _, s := range snaps {
		if err := ctx.Err(); err != nil {
			return results, append(errs, fmt.Errorf("grade: %w", err))
		}
		if want := scrape.GroupDir(workspace, s.Group); filepath.Clean(s.Dir()) != want {
			// its result would land in (and overwrite) another group's folder
			errs = append(errs, fmt.Errorf("snapshot in %s is for group %d, whose folder is %s", s.Dir(), s.Group, want))
			continue
		}
		r := Group(s, spec, opts)
		if err := WriteResult(workspace, r); err != nil {
			errs = append(errs, err)
		}
		results = append(results, r)
	}
	return results, errs
}

func loadSnapshots(workspace string, only []int) ([]*scrape.Snapshot, []error) {
	if len(only) == 0 {
		return scrape.LoadAll(workspace)
	}
	groups := slices.Clone(only)
	slices.Sort(groups)
	var snaps []*scrape.Snapshot
	var errs []error
	for _, g := range slices.Compact(groups) {
		s, err := scrape.LoadSnapshot(workspace, g)
		if err != nil {
			errs = append(errs, fmt.Errorf("group %d: %w", g, err))
			continue
		}
		snaps = append(snaps, s)
	}
	return snaps, errs
}
