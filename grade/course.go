package grade

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"handin/workspace"
)

// course is what comparing the groups of a course with each other found:
// shared histories, shared answers (with the archive's too), and rows of
// groups.csv that list one student or one repository twice.
type course struct {
	shared  map[int][]SharedHistory
	similar map[int][]Similarity
	roster  map[int][]Finding
}

// courseFacts is what the comparison says of one group.
type courseFacts struct {
	shared  []SharedHistory
	similar []Similarity
	roster  []Finding
}

func (c course) of(group int) courseFacts {
	return courseFacts{shared: c.shared[group], similar: c.similar[group], roster: c.roster[group]}
}

// compareGroups compares the groups with each other: their histories, read
// from their snapshots, their answers (and the archive's, when opts names
// one), and their rows of the roster the last scrape saved. A roster or an
// archive that cannot be read is an error; the rest is still compared.
func compareGroups(ctx context.Context, ws *workspace.Workspace, groups []int, opts Options) (course, error) {
	c := course{shared: sharedHistories(lineages(ws, groups))}
	describeShared(ws, c.shared)
	var errs []error
	var err error
	if c.similar, err = similarities(ctx, ws, groups, opts); err != nil {
		errs = append(errs, err)
	}
	roster, err := ws.LoadRoster()
	if err != nil {
		errs = append(errs, fmt.Errorf("roster checks: %w", err))
	} else {
		c.roster = rosterClashes(roster)
	}
	return c, errors.Join(errs...)
}

// setCourseFacts replaces what the result says of the other groups. It
// reports whether anything changed.
func (r *GroupResult) setCourseFacts(c courseFacts, levels Levels) bool {
	shared := r.setSharedHistory(c.shared, levels)
	similar := r.setSimilar(c.similar, levels)
	roster := r.setRosterClashes(c.roster, levels)
	return shared || similar || roster
}

// comparingKinds are the kinds of findings comparing the course's groups
// makes: each names another group (or an archived one) and its students.
var comparingKinds = []Kind{KindSharedHistory, KindSimilarAnswer, KindSimilarReport, KindStudentTwoRows, KindSameRepository}

// NamesOtherGroups reports whether findings of kind k come from comparing
// the group with others and name them: what only the instructor may read.
func NamesOtherGroups(k Kind) bool { return slices.Contains(comparingKinds, k) }
