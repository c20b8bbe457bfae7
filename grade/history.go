package grade

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"handin/workspace"
)

// SharedHistory says that another group's repository shares commits with
// this one, up to both deadline commits: one repository forked or copied
// from the other, both started from one first commit, or one group handing
// in twice. Which it is, the instructor decides.
type SharedHistory struct {
	Group    int  `json:"group"`          // the other group
	Commits  int  `json:"common_commits"` // commits in both histories
	SameRoot bool `json:"same_root"`      // a first commit (without parents) in both
	// Newest is the newest commit in both histories: where they part.
	Newest     string    `json:"newest_common_sha"`
	NewestTime time.Time `json:"newest_common_time"`
}

func (h SharedHistory) equal(o SharedHistory) bool {
	return h.Group == o.Group && h.Commits == o.Commits && h.SameRoot == o.SameRoot &&
		h.Newest == o.Newest && h.NewestTime.Equal(o.NewestTime)
}

// Summary says what the two histories share, in one line.
func (h SharedHistory) Summary() string {
	if h.SameRoot && h.Commits == 1 {
		return fmt.Sprintf("the same first commit %s of %s, nothing after it", shortSHA(h.Newest), h.NewestTime.Format(time.DateOnly))
	}
	root := ""
	if h.SameRoot {
		root = ", from the same first commit"
	}
	return fmt.Sprintf("%d commits in common%s, the newest %s of %s", h.Commits, root, shortSHA(h.Newest), h.NewestTime.Format(time.DateOnly))
}

func (h SharedHistory) finding() Finding {
	return newFinding(KindSharedHistory, 0, "shares git history with group %d: %s", h.Group, h.Summary())
}

// lineage is what comparing histories needs of one group's commits.
type lineage struct {
	group   int
	commits []lineCommit
}

type lineCommit struct {
	sha  string
	root bool // a first commit, without parents
	time time.Time
}

// lineages reads the commits of each group's snapshot, one at a time. A
// snapshot that cannot be read is left out: grading its group says why.
func lineages(ws *workspace.Workspace, groups []int) []lineage {
	var out []lineage
	for _, g := range groups {
		commits, err := ws.LoadCommits(g)
		if err != nil {
			continue
		}
		l := lineage{group: g, commits: make([]lineCommit, len(commits))}
		for i, c := range commits {
			l.commits[i] = lineCommit{sha: c.SHA, root: len(c.Parents) == 0, time: c.CommitTime}
		}
		out = append(out, l)
	}
	return out
}

// sharedHistories finds, for every group, the other groups whose deadline
// histories hold a commit of its own (a commit SHA in both; a shared first
// commit is one of them). Groups without commits share nothing.
func sharedHistories(groups []lineage) map[int][]SharedHistory {
	type ref struct{ group, commit int } // indexes into groups and its commits
	owners := map[string][]ref{}
	for i, l := range groups {
		for j, c := range l.commits {
			refs := owners[c.sha]
			if len(refs) > 0 && refs[len(refs)-1].group == i {
				continue // listed twice in one history
			}
			owners[c.sha] = append(refs, ref{i, j})
		}
	}
	type pair struct{ a, b int } // group indexes, a < b
	pairs := map[pair]*SharedHistory{}
	for _, refs := range owners {
		if len(refs) < 2 {
			continue
		}
		c := groups[refs[0].group].commits[refs[0].commit]
		for x := range refs {
			for _, other := range refs[x+1:] {
				key := pair{refs[x].group, other.group}
				h := pairs[key]
				if h == nil {
					h = &SharedHistory{}
					pairs[key] = h
				}
				h.Commits++
				h.SameRoot = h.SameRoot || c.root
				if newer(c, h) {
					h.Newest, h.NewestTime = c.sha, c.time
				}
			}
		}
	}
	out := map[int][]SharedHistory{}
	for key, h := range pairs {
		ga, gb := groups[key.a].group, groups[key.b].group
		h.Group = gb
		out[ga] = append(out[ga], *h)
		h.Group = ga
		out[gb] = append(out[gb], *h)
	}
	for g := range out {
		slices.SortFunc(out[g], func(x, y SharedHistory) int { return cmp.Compare(x.Group, y.Group) })
	}
	return out
}

// newer: c is newer than the newest common commit found so far (the
// smaller SHA on equal times, so that the answer is the same in any order).
func newer(c lineCommit, h *SharedHistory) bool {
	if h.Newest == "" {
		return true
	}
	if t := c.time.Compare(h.NewestTime); t != 0 {
		return t > 0
	}
	return c.sha < h.Newest
}

// setSharedHistory replaces the result's shared history and its findings,
// at the course's levels. It reports whether anything changed.
func (r *GroupResult) setSharedHistory(shared []SharedHistory, levels Levels) bool {
	if slices.EqualFunc(r.SharedHistory, shared, SharedHistory.equal) {
		return false
	}
	r.SharedHistory = shared
	found := make([]Finding, len(shared))
	for i, h := range shared {
		found[i] = h.finding()
	}
	r.replaceFindings([]Kind{KindSharedHistory}, found, levels)
	return true
}
