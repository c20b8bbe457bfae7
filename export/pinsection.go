package export

import (
	"fmt"
	"strings"
	"time"

	"handin/grade"
	"handin/workspace"
)

// pinSection is the page's account of the commit that counts: which one,
// why, the sightings that prove it, and what was pushed after it. Times are
// in the course's time zone.
type pinSection struct {
	SHA         string
	Committed   string
	Why         string
	NotOnBranch bool
	ClockAhead  bool
	Evidence    []evidenceRow
	Late        []lateRow
	LateCount   int
	MoreLate    int // late commits not listed
	Backdated   bool
	OutOfOrder  bool
	Notes       []string
}

type evidenceRow struct {
	Source string // who saw the branch, and for a push which kind and by whom
	Time   string
	Tip    string // short SHA, "" for an empty branch
	Proves string
}

type lateRow struct {
	SHA, Link, Committed, Author, Subject string
	Seen                                  string // when a sighting first had it on the branch, and whose
	Backdated                             bool
	Files                                 []workspace.LateFile
	FilesOmitted                          int
}

// newPinSection describes r.Pin for the page.
func newPinSection(r *grade.GroupResult) pinSection {
	at := resultClock(r).At
	p := r.Pin
	s := pinSection{
		SHA: p.SHA, Committed: at(p.Time), NotOnBranch: p.NotOnBranch,
		ClockAhead: p.SHA != "" && p.Time.After(r.Deadline), LateCount: p.LateCommits, MoreLate: p.LateCommits - len(p.Late),
		Backdated: p.Backdated, OutOfOrder: p.OutOfOrder, Notes: p.Notes,
	}
	var before, after *workspace.Evidence
	for i, e := range p.Evidence {
		switch e.Role {
		case workspace.RoleOnTime:
			before = &p.Evidence[i]
			s.Evidence = append(s.Evidence, evidenceRow{Source: sourceText(e), Time: at(e.Time), Tip: short(e.TipSHA),
				Proves: "the last sighting at or before the deadline: everything on the branch then was pushed on time"})
		case workspace.RoleBound:
			after = &p.Evidence[i]
			s.Evidence = append(s.Evidence, evidenceRow{Source: sourceText(e), Time: at(e.Time), Tip: short(e.TipSHA),
				Proves: "the first sighting after the deadline: a commit dated at or before the deadline that it does not contain was pushed after the deadline"})
		}
	}
	s.Why = whyPinned(p, before, after, at)
	repo := githubRepo(r)
	for _, c := range p.Late {
		row := lateRow{SHA: short(c.SHA), Committed: at(c.CommitTime), Author: c.AuthorName, Subject: c.Subject,
			Backdated: c.Backdated, Files: c.Files, FilesOmitted: c.FilesOmitted}
		if repo != "" && hexSHA.MatchString(c.SHA) {
			row.Link = repo + "/commit/" + c.SHA
		}
		if !c.SeenAt.IsZero() {
			row.Seen = at(c.SeenAt) + " (" + c.SeenBy.Name() + ")"
		}
		s.Late = append(s.Late, row)
	}
	return s
}

// whyPinned is the sentence saying what makes the pinned commit count.
func whyPinned(p workspace.Pin, before, after *workspace.Evidence, at func(time.Time) string) string {
	proven := p.By != workspace.PinnedByCommitterDate && before != nil
	switch {
	case p.SHA == "":
		return "Nothing was on the branch by the deadline."
	case proven && before.Push == workspace.PushAtDeadline:
		return "GitHub's push log shows it on the branch at the deadline."
	case proven:
		return fmt.Sprintf("%s saw it on the branch at %s, before the deadline.", capital(before.Source.Name()), at(before.Time))
	case before != nil && after != nil:
		return fmt.Sprintf("It is dated at or before the deadline and was pushed between %s and %s: handin cannot tell whether before the deadline, so it counts.",
			at(before.Time), at(after.Time))
	case after != nil:
		return fmt.Sprintf("It is dated at or before the deadline and was on the branch when %s looked at %s; nothing seen before the deadline tells when it was pushed, so it counts.",
			after.Source.Name(), at(after.Time))
	}
	return "It is the newest commit on the branch dated at or before the deadline; no sighting of the branch tells when it was pushed."
}

// sourceText names who saw the branch; for a push, which kind and by whom.
func sourceText(e workspace.Evidence) string {
	text := e.Source.Name()
	switch {
	case e.Push == workspace.PushAtDeadline:
		text += ": the branch as it stood at the deadline"
	case e.Push != "" && e.Actor != "":
		text += ": " + e.Push + " by " + e.Actor
	case e.Push != "":
		text += ": " + e.Push
	}
	return text
}

// capital starts a sentence with a source's name.
func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// short is a commit's 10-character abbreviation; "" stays "".
func short(sha string) string { return sha[:min(len(sha), 10)] }
