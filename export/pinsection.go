package export

import (
	"fmt"
	"slices"
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
	Link        string // the commit on GitHub; "" elsewhere
	Committed   string
	Why         string
	NotOnBranch bool
	ClockAhead  bool
	Evidence    []evidenceRow
	// Late are the late commits that changed the report or its figures
	// and the others by people; BotLate those by bots that changed
	// neither, apart.
	Late, BotLate []lateRow
	LateCount     int
	MoreLate      int // late commits not listed
	Backdated     bool
	OutOfOrder    bool
	Notes         []string
}

type evidenceRow struct {
	Source string // who saw the branch, and for a push which kind and by whom
	Time   string
	Tip    string // short SHA, "" for an empty branch
	Proves string
}

type lateRow struct {
	SHA, Link, Committed, Author, Subject string
	// After says how long after the deadline it was committed ("32 s
	// after"), or that it is dated at or before the deadline.
	After string
	// Pushed is the evidence window it was pushed in: "between 23:50 and
	// 00:10 (handin's evidence log)"; "" when no sighting had it.
	Pushed    string
	Bot       bool
	Backdated bool
	Work      bool // it changed the report or its figures
	Files     []workspace.LateFile
	// FilesSummary counts its files in a few words: "the report, 3
	// figures, 2 other files"; FilesOmitted are those not listed.
	FilesSummary string
	FilesOmitted int
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
	if repo != "" {
		s.Link = repo + "/commit/" + p.SHA
	}
	for _, c := range p.Late {
		row := lateRow{SHA: short(c.SHA), Committed: at(c.CommitTime), Author: c.AuthorName, Subject: c.Subject,
			After: afterDeadline(c.CommitTime, r.Deadline), Pushed: pushWindow(c, before, after, at), Bot: c.Bot,
			Backdated: c.Backdated, Files: c.Files, FilesSummary: filesSummary(c), FilesOmitted: c.FilesOmitted}
		row.Work = slices.ContainsFunc(c.Files, func(f workspace.LateFile) bool { return f.Report || f.Figure })
		if repo != "" && hexSHA.MatchString(c.SHA) {
			row.Link = repo + "/commit/" + c.SHA
		}
		if row.Bot && !row.Work {
			s.BotLate = append(s.BotLate, row)
		} else {
			s.Late = append(s.Late, row)
		}
	}
	return s
}

// afterDeadline says how long after the deadline a commit is dated.
func afterDeadline(committed, deadline time.Time) string {
	if d := committed.Sub(deadline); d > 0 {
		return grade.Delay(d) + " after the deadline"
	}
	return "dated at or before the deadline"
}

// pushWindow is the evidence window a late commit was pushed in: after the
// last sighting without it (the one before the deadline, or the first
// after it when that did not have it either), by the first that had it.
func pushWindow(c workspace.LateCommit, before, after *workspace.Evidence, at func(time.Time) string) string {
	if c.SeenAt.IsZero() {
		return ""
	}
	seen := at(c.SeenAt) + " (" + c.SeenBy.Name() + ")"
	var from *workspace.Evidence
	switch {
	case after != nil && after.Time.Before(c.SeenAt):
		from = after
	case before != nil:
		from = before
	}
	if from == nil {
		return "by " + seen
	}
	return "between " + at(from.Time) + " and " + seen
}

// filesSummary counts a late commit's files: "the report, 3 figures, 2
// other files".
func filesSummary(c workspace.LateCommit) string {
	report, figures, other := false, 0, c.FilesOmitted
	for _, f := range c.Files {
		switch {
		case f.Report:
			report = true
		case f.Figure:
			figures++
		default:
			other++
		}
	}
	var parts []string
	if report {
		parts = append(parts, "the report")
	}
	if figures > 0 {
		parts = append(parts, countOf(figures, "figure", "figures"))
	}
	if other > 0 {
		word := "files"
		if len(parts) > 0 {
			word = "other files"
		}
		parts = append(parts, countOf(other, strings.TrimSuffix(word, "s"), word))
	}
	return strings.Join(parts, ", ")
}

// countOf is "1 figure", "3 figures".
func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
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
