package scrape

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"handin/workspace"
)

// clockSkew is how far a commit may be dated before its parent without
// flagging the history: group members' laptop clocks disagree by seconds or
// minutes; rebased or rewritten history goes back hours or days.
const clockSkew = 10 * time.Minute

// history is the commit graph the pin rule looks at, by SHA: every commit
// reachable from the branch tip and from every tip a sighting saw. Only
// hashes, parents (the first one first) and committer times matter to the
// rule.
type history map[string]workspace.Commit

// pinCommit decides which commit counts. It is the whole rule, apart from
// git (loadHistory feeds it) and the evidence (the evidence log and GitHub's
// push log, in any order). A sighting is "the branch had tip X at time t".
//
//   - A sighting at or before the deadline proves that everything reachable
//     from its tip was pushed on time, whatever the committer dates say. The
//     last one (P) is what the rule relies on.
//   - The first sighting after the deadline (A) bounds what can have been
//     pushed by then: a commit dated at or before the deadline that its tip
//     does not contain was pushed after the deadline. It is backdated.
//   - In between, handin cannot know: a commit dated at or before the
//     deadline gets the benefit of the doubt. There is no in between when P
//     shows the branch at the deadline itself.
//   - The commit that counts is, walking the first-parent chain from A's tip
//     (the scraped tip when there is no A), the first commit reachable from
//     P or, in the doubt, dated at or before the deadline. When A's branch
//     no longer contains P's tip at all (rewritten after the deadline), P's
//     tip counts.
//
// Without sightings this is the committer-date rule: the newest commit on
// the first-parent chain of tip dated at or before the deadline. It returns
// the pin (late commits without their files: the caller reads those from
// git) and the commits reachable from the pinned one, newest first.
func pinCommit(h history, tip string, deadline time.Time, sightings []workspace.Evidence) (workspace.Pin, []workspace.Commit) {
	var p workspace.Pin
	sightings, p.Notes = usableSightings(h, sightings)
	before, after, disagreement := beforeAndAfter(h, sightings, deadline)
	if disagreement != "" {
		p.Notes = append(p.Notes, disagreement)
	}
	var onTime map[string]bool // reachable from P's tip
	if before != nil {
		onTime = h.reachSet(before.TipSHA)
		p.Evidence = append(p.Evidence, *before)
	}
	start := tip
	if after != nil {
		start = after.TipSHA
		p.Evidence = append(p.Evidence, *after)
	}
	doubt := before == nil || before.Time.Before(deadline)

	p.SHA = countingCommit(h, start, deadline, before, onTime, doubt)
	p.By = workspace.PinnedByCommitterDate
	if onTime[p.SHA] {
		p.By = workspace.PinnedByObservation
		if before.Source == workspace.SourcePushLog {
			p.By = workspace.PinnedByPushLog
		}
	}
	p.Time = h[p.SHA].CommitTime
	p.NotOnBranch = p.SHA != "" && !h.reachSet(tip)[p.SHA]
	p.DateBasedSHA, p.OutOfOrder = dateFacts(h.firstParentChain(tip), deadline)
	if p.DateBasedSHA == p.SHA {
		p.DateBasedSHA = "" // only said when it differs
	}

	late := lateCommits(h, tip, start, h.reachSet(p.SHA), onTime)
	p.LateCommits = len(late)
	p.Backdated = markBackdated(h, late, tip, start, deadline, after, doubt)
	markFirstSeen(h, late, sightings, deadline)
	p.Late = late[:min(len(late), workspace.MaxLateListed)]
	return p, h.reachableFrom(p.SHA)
}

// countingCommit walks the first-parent chain from start to the first
// commit reachable from P's tip (onTime) or, in the doubt, dated at or
// before the deadline. When the chain holds none but P saw a tip, the
// branch was rewritten after the deadline and P's tip counts.
func countingCommit(h history, start string, deadline time.Time, before *workspace.Evidence, onTime map[string]bool, doubt bool) string {
	for _, c := range h.firstParentChain(start) {
		if onTime[c.SHA] || (doubt && !c.CommitTime.After(deadline)) {
			return c.SHA
		}
	}
	if before != nil {
		return before.TipSHA
	}
	return ""
}

// dateFacts is what the committer dates of the branch's first-parent chain
// say: the commit they alone would pin, and whether they go backwards by
// more than clock skew somewhere.
func dateFacts(chain []workspace.Commit, deadline time.Time) (dateBased string, outOfOrder bool) {
	for i, c := range chain {
		if dateBased == "" && !c.CommitTime.After(deadline) {
			dateBased = c.SHA
		}
		if i+1 < len(chain) && c.CommitTime.Add(clockSkew).Before(chain[i+1].CommitTime) {
			outOfOrder = true
		}
	}
	return dateBased, outOfOrder
}

// markBackdated flags the late commits shown to be backdated and reports
// whether there is any: on the branch's own line of history (not a side
// branch brought in by an honestly dated merge), dated at or before the
// deadline, and not on the branch at the first sighting after the deadline
// (or, when a sighting shows the branch at the deadline itself, not on it
// then).
func markBackdated(h history, late []workspace.LateCommit, tip, start string, deadline time.Time, after *workspace.Evidence, doubt bool) bool {
	var firstAfter map[string]bool
	if after != nil {
		firstAfter = h.reachSet(after.TipSHA)
	}
	ownLine := map[string]bool{}
	for _, c := range slices.Concat(h.firstParentChain(tip), h.firstParentChain(start)) {
		ownLine[c.SHA] = true
	}
	found := false
	for i := range late {
		c := &late[i]
		c.Backdated = ownLine[c.SHA] && !c.CommitTime.After(deadline) && ((after != nil && !firstAfter[c.SHA]) || !doubt)
		found = found || c.Backdated
	}
	return found
}

// usableSightings drops the sightings whose tip the clone does not hold
// (pushed and force-pushed away before handin fetched it) and says so.
func usableSightings(h history, sightings []workspace.Evidence) (usable []workspace.Evidence, notes []string) {
	missing := map[workspace.EvidenceSource]int{}
	for _, s := range sightings {
		if _, ok := h[s.TipSHA]; ok || s.TipSHA == "" {
			usable = append(usable, s)
		} else {
			missing[s.Source]++
		}
	}
	for _, src := range slices.Sorted(maps.Keys(missing)) {
		notes = append(notes, fmt.Sprintf("%d sighting(s) in %s name a tip the clone does not hold (replaced before handin fetched it): not used",
			missing[src], src.Name()))
	}
	slices.SortStableFunc(usable, func(a, b workspace.Evidence) int { return a.Time.Compare(b.Time) })
	return usable, notes
}

// beforeAndAfter picks P, the last sighting at or before the deadline, and
// A, the first sighting after it whose tip contains P's (else the first
// after it), with their roles set. When the two sources disagree about the
// branch before the deadline (clocks differ: the evidence log saw a tip the
// push log says was not there yet, or the other way round), the sighting
// that proves more on time wins, and the disagreement is returned as a note.
func beforeAndAfter(h history, sightings []workspace.Evidence, deadline time.Time) (before, after *workspace.Evidence, disagreement string) {
	last := map[workspace.EvidenceSource]*workspace.Evidence{}
	for i := range sightings {
		if s := &sightings[i]; !s.Time.After(deadline) {
			last[s.Source] = s
			before = s
		}
	}
	if before != nil {
		for _, other := range last {
			if other != before && other.TipSHA != before.TipSHA && h.reachSet(other.TipSHA)[before.TipSHA] &&
				contradicts(sightings, before, other) {
				disagreement = fmt.Sprintf("%s and %s disagree about the branch before the deadline (%s or %s; their clocks differ): the one with more work counts",
					before.Source.Name(), other.Source.Name(), short(before.TipSHA), short(other.TipSHA))
				before = other
			}
		}
	}
	for i := range sightings {
		s := &sightings[i]
		// An empty branch after the deadline bounds nothing: handin cannot
		// tell it from a branch deleted after the deadline.
		if !s.Time.After(deadline) || s.TipSHA == "" {
			continue
		}
		if after == nil {
			after = s
		}
		if before == nil || before.TipSHA == "" || h.reachSet(s.TipSHA)[before.TipSHA] {
			after = s
			break
		}
	}
	return withRole(before, workspace.RoleOnTime), withRole(after, workspace.RoleBound), disagreement
}

// withRole is a copy of e (nil stays nil) playing role.
func withRole(e *workspace.Evidence, role workspace.EvidenceRole) *workspace.Evidence {
	if e == nil {
		return nil
	}
	c := *e
	c.Role = role
	return &c
}

// contradicts reports whether two sightings of different sources cannot both
// be right: the push log says the branch had another tip at the time the
// evidence log saw it.
func contradicts(sightings []workspace.Evidence, a, b *workspace.Evidence) bool {
	seen := a
	if seen.Source == workspace.SourcePushLog {
		seen = b
	}
	if seen.Source == workspace.SourcePushLog {
		return false
	}
	tip, known := pushLogTipAt(sightings, seen.Time)
	return known && tip != seen.TipSHA
}

// pushLogTipAt is the branch's tip at t by the push log: what the last push
// at or before t left, else what the first push after t replaced. known is
// false when the push log has no entry at all.
func pushLogTipAt(sightings []workspace.Evidence, t time.Time) (tip string, known bool) {
	for _, s := range sightings {
		if s.Source != workspace.SourcePushLog {
			continue
		}
		if s.Time.After(t) {
			if !known && s.Push != workspace.PushAtDeadline {
				return s.Before, true
			}
			return tip, known
		}
		tip, known = s.TipSHA, true
	}
	return tip, known
}

// lateCommits are the commits on the branch (as scraped, and as first seen
// after the deadline) that the pinned commit does not contain and no
// sighting proves on time, newest committer time first.
func lateCommits(h history, tip, start string, pinned, onTime map[string]bool) []workspace.LateCommit {
	seen := map[string]bool{}
	var late []workspace.LateCommit
	for _, c := range slices.Concat(h.reachableFrom(tip), h.reachableFrom(start)) {
		if pinned[c.SHA] || onTime[c.SHA] || seen[c.SHA] {
			continue
		}
		seen[c.SHA] = true
		late = append(late, workspace.LateCommit{
			SHA: c.SHA, AuthorName: c.AuthorName, CommitTime: c.CommitTime, Subject: subject(c.Message),
		})
	}
	slices.SortFunc(late, func(a, b workspace.LateCommit) int {
		return cmp.Or(b.CommitTime.Compare(a.CommitTime), strings.Compare(a.SHA, b.SHA))
	})
	return late
}

// maxSeenTips bounds how many distinct tips seen after the deadline are
// searched for the first one containing each late commit.
const maxSeenTips = 20

// markFirstSeen sets, on each late commit, the first sighting after the
// deadline whose tip contains it.
func markFirstSeen(h history, late []workspace.LateCommit, sightings []workspace.Evidence, deadline time.Time) {
	searched := map[string]bool{}
	for _, s := range sightings {
		if !s.Time.After(deadline) || s.TipSHA == "" || searched[s.TipSHA] || len(searched) == maxSeenTips {
			continue
		}
		searched[s.TipSHA] = true
		reach := h.reachSet(s.TipSHA)
		for i := range late {
			if late[i].SeenAt.IsZero() && reach[late[i].SHA] {
				late[i].SeenAt, late[i].SeenBy = s.Time, s.Source
			}
		}
	}
}

// subject is a commit message's first line.
func subject(message string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(message), "\n")
	return strings.TrimSpace(line)
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

// reachSet is the set of commits reachable from sha (all parents); empty
// when sha is "" or unknown.
func (h history) reachSet(sha string) map[string]bool {
	set := map[string]bool{}
	for stack := []string{sha}; len(stack) > 0; {
		next := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		c, ok := h[next]
		if !ok || set[next] {
			continue
		}
		set[next] = true
		stack = append(stack, c.Parents...)
	}
	return set
}

// reachableFrom lists every commit reachable from sha (all parents), newest
// committer time first; none when sha is "".
func (h history) reachableFrom(sha string) []workspace.Commit {
	set := h.reachSet(sha)
	out := make([]workspace.Commit, 0, len(set))
	for s := range set {
		out = append(out, h[s])
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
