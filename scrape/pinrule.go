package scrape

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"handin/workspace"
)

// clockSkew is how far a commit may be dated before its parent without
// flagging the history: group members' laptop clocks disagree by seconds or
// minutes; rewritten or backdated history goes back hours or days.
const clockSkew = 10 * time.Minute

// history is the commit graph the pin rule looks at, by SHA: every commit
// reachable from the branch tip and from the observed tip. Only hashes,
// parents (the first one first) and committer times matter to the rule.
type history map[string]workspace.Commit

// pinCommit decides which commit counts. It is the whole rule, apart from
// git: loadHistory feeds it.
//
// By committer date the commit that counts is, on the first-parent chain of
// tip, the first commit (walking back from the tip) dated at or before the
// deadline. When the evidence log saw the branch at or before the deadline
// (observed != nil), the last tip seen then counts instead, and commits
// dated before the deadline that were not part of it are flagged as
// backdated: they were pushed after that observation.
//
// It returns the pin and the commits reachable from the pinned one, newest
// committer time first.
func pinCommit(h history, tip string, deadline time.Time, observed *workspace.Observation) (workspace.Pin, []workspace.Commit) {
	chain := h.firstParentChain(tip)
	var p workspace.Pin
	for i, c := range chain {
		if p.DateBasedSHA == "" && !c.CommitTime.After(deadline) {
			p.DateBasedSHA = c.SHA
		}
		if i+1 < len(chain) && c.CommitTime.Add(clockSkew).Before(chain[i+1].CommitTime) {
			p.OutOfOrder = true
		}
	}
	p.SHA, p.By = p.DateBasedSHA, workspace.PinnedByCommitterDate
	if o := observed; o != nil {
		// The tip seen by the last observation at or before the deadline
		// counts, if the clone still holds it.
		if _, inClone := h[o.TipSHA]; o.TipSHA == "" || inClone {
			p.SHA, p.By, p.ObservedAt = o.TipSHA, workspace.PinnedByObservation, o.Time
		} else {
			p.Notes = append(p.Notes, fmt.Sprintf("the tip observed at %s (%s) is missing from the clone: pinned by committer date",
				o.Time.Format(time.RFC3339), short(o.TipSHA)))
		}
	}

	commits := h.reachableFrom(p.SHA)
	reachable := make(map[string]bool, len(commits))
	for _, c := range commits {
		reachable[c.SHA] = true
	}
	p.LateCommits = len(chain)
	for i, c := range chain {
		if reachable[c.SHA] {
			p.LateCommits = i
			break
		}
	}
	switch {
	case p.SHA != "" && p.DateBasedSHA != "" && p.DateBasedSHA != p.SHA:
		p.Backdated = !reachable[p.DateBasedSHA]
	case p.SHA == "" && p.DateBasedSHA != "":
		p.Backdated = true // the branch was empty when last seen before the deadline
	}
	if p.Backdated {
		p.Notes = append(p.Notes, fmt.Sprintf(
			"backdated: commits dated before the deadline (up to %s) were pushed after the last observation before it (%s)",
			short(p.DateBasedSHA), p.ObservedAt.Format(time.RFC3339)))
	} else if p.By == workspace.PinnedByObservation && p.DateBasedSHA != p.SHA {
		p.Notes = append(p.Notes, fmt.Sprintf(
			"commits dated after the deadline were already pushed at %s (committer clock ahead)", p.ObservedAt.Format(time.RFC3339)))
	}
	if p.SHA != "" && p.LateCommits == len(chain) {
		p.Notes = append(p.Notes, "the branch was rewritten after the deadline: the pinned commit is no longer on it")
	}
	if c, ok := h[p.SHA]; ok {
		p.Time = c.CommitTime
	}
	if p.DateBasedSHA == p.SHA {
		p.DateBasedSHA = "" // only said when it differs
	}
	return p, commits
}

// firstParentChain is tip, its first parent, that one's first parent, ...
// down to the root (or to the first commit the history lacks).
func (h history) firstParentChain(tip string) []workspace.Commit {
	var chain []workspace.Commit
	for sha := tip; ; {
		c, ok := h[sha]
		if !ok {
			return chain
		}
		chain = append(chain, c)
		if len(c.Parents) == 0 {
			return chain
		}
		sha = c.Parents[0]
	}
}

// reachableFrom lists every commit reachable from sha (all parents), newest
// committer time first; none when sha is "".
func (h history) reachableFrom(sha string) []workspace.Commit {
	var out []workspace.Commit
	seen := map[string]bool{}
	for stack := []string{sha}; len(stack) > 0; {
		next := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		c, ok := h[next]
		if !ok || seen[next] {
			continue
		}
		seen[next] = true
		out = append(out, c)
		stack = append(stack, c.Parents...)
	}
	slices.SortFunc(out, func(a, b workspace.Commit) int {
		return cmp.Or(b.CommitTime.Compare(a.CommitTime), strings.Compare(a.SHA, b.SHA))
	})
	return out
}

// short is the 10-character abbreviation used in notes and tables.
func short(sha string) string {
	if sha == "" {
		return "none"
	}
	return sha[:min(len(sha), 10)]
}
