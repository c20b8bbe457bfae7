package grade

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"golang.org/x/sync/errgroup"

	"handin/internal/budget"
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

// Summary is what grading a workspace came to: a line per group graded,
// in group order, and what could not be graded or saved.
type Summary struct {
	Groups []Graded
	// Errors are the snapshots that could not be read and the results that
	// could not be saved (each error names its group); every other group
	// was graded.
	Errors []error
}

// Count is how many groups graded are in state.
func (s *Summary) Count(state State) int {
	n := 0
	for _, g := range s.Groups {
		if g.State == state {
			n++
		}
	}
	return n
}

// Graded is what the summary says of a group's result; the result itself
// is saved in the workspace (LoadResult), so that grading holds no more of
// the course than its workers.
type Graded struct {
	Group     int              `json:"group"`
	State     State            `json:"state"`
	Status    workspace.Status `json:"status"`
	Report    string           `json:"report,omitempty"`
	Passed    int              `json:"passed"`
	Questions int              `json:"questions"` // 0 when the report was not checked
	// Reasons are the findings above information, most pressing first
	// (GroupResult.Reasons), a line each.
	Reasons []string `json:"reasons"`
	// Error is why the scrape found no deadline commit (the result's
	// Error); Status says as much for scripts, so it is not in the JSON.
	Error string `json:"-"`
}

// graded is the summary's line of a result.
func graded(r *GroupResult) Graded {
	g := Graded{Group: r.Group, State: r.State, Status: r.Status, Report: r.ReportPath, Reasons: []string{}, Error: r.Error}
	for _, p := range r.Reasons() {
		g.Reasons = append(g.Reasons, p.Text())
	}
	if r.Check != nil {
		g.Passed, g.Questions = r.Check.Passed, len(r.Check.Questions)
	}
	return g
}

// Run grades the snapshots of the workspace (only opts.Only, when given)
// and saves each result. A snapshot that cannot be loaded or a result that
// cannot be saved is one of the summary's errors and the other groups go
// on; Run returns an error only when it cannot go on (the workspace cannot
// be listed, ctx was cancelled), and then still returns the groups graded
// so far. Groups are graded in parallel, one per CPU, and no more results
// are held than there are workers: memory does not grow with the course.
//
// Groups whose repositories share history, whose answers share passages
// (with the archive of earlier courses too, when opts.Similarity names
// one), and groups whose rows of groups.csv list one student or one
// repository, are told so in both results. With opts.Only the graded groups
// are compared with every group of the workspace, and the saved results of
// the others are updated where what the comparison says of them changed.
func Run(ctx context.Context, ws *workspace.Workspace, opts Options) (*Summary, error) {
	groups, err := ws.SnapshotGroups(opts.Only)
	if err != nil {
		return nil, err
	}
	sum := &Summary{}
	others, err := otherGroups(ws, groups, opts.Only)
	if err != nil {
		sum.Errors = append(sum.Errors, err)
	}
	course, err := compareGroups(ctx, ws, slices.Concat(groups, others), opts)
	if err != nil {
		sum.Errors = append(sum.Errors, err)
	}
	var mu sync.Mutex // guards sum
	var workers errgroup.Group
	workers.SetLimit(runtime.GOMAXPROCS(0))
	for _, g := range groups {
		workers.Go(func() error {
			if ctx.Err() != nil {
				return nil // interrupted: the groups graded so far are kept
			}
			r, err := gradeGroup(ctx, ws, g, opts, course.of(g))
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				sum.Errors = append(sum.Errors, err)
			}
			if r != nil {
				sum.Groups = append(sum.Groups, graded(r))
			}
			return nil
		})
	}
	workers.Wait()
	slices.SortFunc(sum.Groups, func(a, b Graded) int { return a.Group - b.Group })
	if err := ctx.Err(); err != nil {
		return sum, err
	}
	for _, g := range others {
		if err := updateCourseFacts(ws, g, course.of(g), opts.Levels); err != nil {
			sum.Errors = append(sum.Errors, err)
		}
	}
	return sum, nil
}

// gradeGroup grades and saves one group's snapshot, within
// opts.GroupTimeout (a group over it gets a result saying so). The result
// comes back even when saving it failed; nil when the snapshot could not
// be loaded.
func gradeGroup(ctx context.Context, ws *workspace.Workspace, group int, opts Options, course courseFacts) (*GroupResult, error) {
	s, err := ws.LoadSnapshot(group)
	if err != nil {
		return nil, fmt.Errorf("group %d: %w", group, err)
	}
	limit := cmp.Or(opts.GroupTimeout, DefaultGroupTimeout)
	r, err := budget.Run(ctx, limit, func(ctx context.Context) *GroupResult { return gradeSnapshot(ctx, s, opts) })
	switch {
	case errors.Is(err, budget.ErrOver):
		opts.logger().WarnContext(ctx, "grade: over the time a group may take", "group", group, "timeout", limit)
		r = overBudget(s, opts, limit)
	case err != nil:
		return nil, nil // interrupted: Run says so
	}
	r.setCourseFacts(course, opts.Levels)
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

// updateCourseFacts rewrites a group's saved result when what comparing it
// with the other groups says changed. A group without a readable result is
// skipped: grading it compares it anew.
func updateCourseFacts(ws *workspace.Workspace, group int, course courseFacts, levels Levels) error {
	r, err := LoadResult(ws, group)
	if err != nil || !r.setCourseFacts(course, levels) {
		return nil
	}
	return SaveResult(ws, r)
}
