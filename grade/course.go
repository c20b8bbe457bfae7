package grade

import (
	"fmt"

	"handin/workspace"
)

// course is what comparing the groups of a course with each other found:
// shared histories, and rows of groups.csv that list one student or one
// repository twice.
type course struct {
	shared map[int][]SharedHistory
	roster map[int][]Finding
}

// courseFacts is what the comparison says of one group.
type courseFacts struct {
	shared []SharedHistory
	roster []Finding
}

func (c course) of(group int) courseFacts {
	return courseFacts{shared: c.shared[group], roster: c.roster[group]}
}

// compareGroups compares the groups with each other: their histories, read
// from their snapshots, and their rows of the roster the last scrape saved.
// A roster that cannot be read is an error; the histories are still
// compared.
func compareGroups(ws *workspace.Workspace, groups []int) (course, error) {
	c := course{shared: sharedHistories(lineages(ws, groups))}
	describeShared(ws, c.shared)
	roster, err := ws.LoadRoster()
	if err != nil {
		return c, fmt.Errorf("roster checks: %w", err)
	}
	c.roster = rosterClashes(roster)
	return c, nil
}

// setCourseFacts replaces what the result says of the other groups. It
// reports whether anything changed.
func (r *GroupResult) setCourseFacts(c courseFacts, levels Levels) bool {
	shared := r.setSharedHistory(c.shared, levels)
	roster := r.setRosterClashes(c.roster, levels)
	return shared || roster
}
