package grade

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"handin/workspace"
)

// SharedHistory says that another group's repository shares commits with
// this one, up to both deadline commits: one repository forked or copied
// from the other, both started from one first commit, or one group handing
// in twice. Which it is, the instructor decides, from the facts here: whose
// history is older, how far they go together, whether the reports are the
// same text, and who the students are.
type SharedHistory struct {
	Group    int  `json:"group"`          // the other group
	Commits  int  `json:"common_commits"` // commits in both histories
	SameRoot bool `json:"same_root"`      // a first commit (without parents) in both
	// Newest is the newest commit in both histories: where they part.
	Newest     string    `json:"newest_common_sha"`
	NewestTime time.Time `json:"newest_common_time"`
	// Own and OtherOwn count the commits only this history holds, and only
	// the other's: what each group did apart (the course's start apart).
	Own      int `json:"own_commits"`
	OtherOwn int `json:"other_own_commits"`
	// First and OtherFirst are the first commits of this history and of
	// the other's.
	First      FirstCommit `json:"first_commit"`
	OtherFirst FirstCommit `json:"other_first_commit"`
	// Students and OtherStudents are the two groups' roster students.
	Students      []string `json:"students"`
	OtherStudents []string `json:"other_students"`
	// Reports compares the two reports at the deadline; nil when either
	// group has no report that could be read.
	Reports *ReportComparison `json:"reports,omitempty"`
}

// FirstCommit is the oldest commit of a history without parents (the
// oldest commit when the history was cut before its first), and who made
// it.
type FirstCommit struct {
	SHA    string    `json:"sha"`
	Time   time.Time `json:"time"` // committer time
	Author string    `json:"author"`
	// PushedBy is the GitHub login that created the branch, when the push
	// log the scrape read reaches back to its creation.
	PushedBy string `json:"pushed_by,omitempty"`
}

// ReportComparison says how alike two reports are.
type ReportComparison struct {
	Same bool `json:"same"` // byte for byte
	// SameLines is the share, in percent (rounded down), of the longer
	// report's non-blank lines that the other report holds too (spaces at
	// either end ignored); 100 when Same.
	SameLines int `json:"same_lines_percent"`
}

// equal: both say the same, as their saved JSON (times read back from a
// result keep their offset, not their location).
func (h SharedHistory) equal(o SharedHistory) bool {
	a, errA := json.Marshal(h)
	b, errB := json.Marshal(o)
	return errA == nil && errB == nil && bytes.Equal(a, b)
}

// Brief says what matters most in a few words: how much is shared, whether
// the reports are the same text, whether the students are.
func (h SharedHistory) Brief() string {
	parts := []string{plural(h.Commits, "commit", "commits") + " in common"}
	if h.Reports != nil {
		parts = append(parts, h.Reports.Brief())
	}
	if s := studentOverlap(h.Students, h.OtherStudents); s != "" {
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// Brief: "the same report", "reports 93% the same lines".
func (c ReportComparison) Brief() string {
	if c.Same {
		return "the same report"
	}
	return fmt.Sprintf("reports %d%% the same lines", c.SameLines)
}

// studentOverlap: "the same students", "2 students in both"; "" when none.
func studentOverlap(a, b []string) string {
	both := 0
	for _, s := range a {
		if slices.ContainsFunc(b, func(o string) bool { return strings.EqualFold(o, s) }) {
			both++
		}
	}
	switch {
	case both == 0:
		return ""
	case both == len(a) && both == len(b):
		return "the same students"
	}
	return plural(both, "student", "students") + " in both"
}

// Facts are the comparison of this group (group) with the other, a line
// each, for the page: which history is older and who began it, where they
// part, the reports, the students.
func (h SharedHistory) Facts(group int) []string {
	this, other := fmt.Sprintf("group %d", group), fmt.Sprintf("group %d", h.Group)
	var older string
	switch c := h.First.Time.Compare(h.OtherFirst.Time); {
	case h.First.SHA == h.OtherFirst.SHA:
		older = "Both start from the same first commit: " + h.First.text()
	case c < 0 || c == 0 && h.First.SHA < h.OtherFirst.SHA:
		older = fmt.Sprintf("Older: %s, first commit %s; %s's %s", this, h.First.text(), other, h.OtherFirst.text())
	default:
		older = fmt.Sprintf("Older: %s, first commit %s; %s's %s", other, h.OtherFirst.text(), this, h.First.text())
	}
	facts := []string{older,
		fmt.Sprintf("%s in common, to %s of %s; after it %s has %s of its own, %s %d",
			plural(h.Commits, "commit", "commits"), shortSHA(h.Newest), h.NewestTime.Format("2006-01-02 15:04 -07:00"), this, plural(h.Own, "commit", "commits"), other, h.OtherOwn)}
	switch r := h.Reports; {
	case r == nil:
		facts = append(facts, "Reports: not compared (one group has no readable report)")
	case r.Same:
		facts = append(facts, "Reports at the deadline: the same text, byte for byte")
	default:
		facts = append(facts, fmt.Sprintf("Reports at the deadline: different; %d%% of the lines of the longer are in the other", r.SameLines))
	}
	facts = append(facts, fmt.Sprintf("Students: %s %s; %s %s", this, studentList(h.Students), other, studentList(h.OtherStudents)))
	return facts
}

func (f FirstCommit) text() string {
	if f.SHA == "" {
		return "unknown"
	}
	s := fmt.Sprintf("%s of %s by %s", shortSHA(f.SHA), f.Time.Format(time.DateOnly), cmp.Or(f.Author, "no name"))
	if f.PushedBy != "" {
		s += ", pushed by " + f.PushedBy
	}
	return s
}

func studentList(ids []string) string {
	if len(ids) == 0 {
		return "none on the roster"
	}
	return strings.Join(ids, ", ")
}

func (h SharedHistory) finding() Finding {
	return newFinding(KindSharedHistory, 0, "shares git history with group %d: %s", h.Group, h.Brief())
}

// lineage is what comparing histories needs of one group's commits.
type lineage struct {
	group    int
	commits  []lineCommit
	distinct int // commits, each SHA once
	first    FirstCommit
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
		l := lineage{group: g, commits: make([]lineCommit, len(commits)), first: firstCommit(commits)}
		seen := make(map[string]bool, len(commits))
		for i, c := range commits {
			l.commits[i] = lineCommit{sha: c.SHA, root: len(c.Parents) == 0, time: c.CommitTime}
			seen[c.SHA] = true
		}
		l.distinct = len(seen)
		out = append(out, l)
	}
	return out
}

// firstCommit is the oldest commit without parents (the oldest commit when
// the scrape cut the history before its first), the smaller SHA on equal
// times; zero for no commits.
func firstCommit(commits []workspace.Commit) FirstCommit {
	var first *workspace.Commit
	older := func(c *workspace.Commit) bool {
		if first == nil {
			return true
		}
		if (len(c.Parents) == 0) != (len(first.Parents) == 0) {
			return len(c.Parents) == 0
		}
		if t := c.CommitTime.Compare(first.CommitTime); t != 0 {
			return t < 0
		}
		return c.SHA < first.SHA
	}
	for i := range commits {
		if older(&commits[i]) {
			first = &commits[i]
		}
	}
	if first == nil {
		return FirstCommit{}
	}
	return FirstCommit{SHA: first.SHA, Time: first.CommitTime, Author: first.AuthorName}
}

// minCourseForStart is how many groups with commits a course needs before
// a commit most of them hold is taken for the course's own start (see
// sharedHistories): in a smaller course, most groups is a few, and a few
// histories alike are what this looks for.
const minCourseForStart = 6

// sharedHistories finds, for every group, the other groups whose deadline
// histories hold a commit of its own (a commit SHA in both; a shared first
// commit is one of them). Groups without commits share nothing. A commit
// more than half the histories of a course of minCourseForStart groups or
// more hold is the course's own start (every group cloned the course's
// starter repository) and is not counted: otherwise every group would be
// told of every other. What needs more than the commits (the reports, the
// students) is added by describeShared.
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
	withCommits := 0
	for _, l := range groups {
		if len(l.commits) > 0 {
			withCommits++
		}
	}
	courseStart := func(holders int) bool { return withCommits >= minCourseForStart && 2*holders > withCommits }
	started := make([]int, len(groups)) // commits of each history that are the course's start
	for _, refs := range owners {
		if courseStart(len(refs)) {
			for _, r := range refs {
				started[r.group]++
			}
			continue
		}
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
		a, b := groups[key.a], groups[key.b]
		ownA, ownB := a.distinct-h.Commits-started[key.a], b.distinct-h.Commits-started[key.b]
		ha := *h
		ha.Group, ha.Own, ha.OtherOwn, ha.First, ha.OtherFirst = b.group, ownA, ownB, a.first, b.first
		out[a.group] = append(out[a.group], ha)
		hb := *h
		hb.Group, hb.Own, hb.OtherOwn, hb.First, hb.OtherFirst = a.group, ownB, ownA, b.first, a.first
		out[b.group] = append(out[b.group], hb)
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
