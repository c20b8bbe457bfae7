package grade

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"handin/grade/identity"
	"handin/parse"
	"handin/workspace"
)

// reportFigures are what the report shows as figures: the repository paths
// its images and figure links point at, and its folder (a figure kept there
// is the report's too).
type reportFigures struct {
	dir      string // "" when there is no report
	paths    map[string]bool
	resolver *FigureResolver
}

// newReportFigures resolves every figure reference of the report as
// GitHub does.
func newReportFigures(rep *parse.Report, repo Repository) reportFigures {
	f := reportFigures{dir: path.Clean("./" + repo.ReportDir), paths: map[string]bool{},
		resolver: NewFigureResolver(repo.ReportDir, repo.URLs, nil)}
	for _, q := range rep.Questions {
		for _, img := range slices.Concat(q.Images, q.HTMLImages, q.LinkImages) {
			if p, ok := f.path(img.Target); ok {
				f.paths[p] = true
			}
		}
	}
	return f
}

// path is the repository path a figure reference points at.
func (f reportFigures) path(target string) (string, bool) {
	if f.resolver == nil {
		return "", false
	}
	fig := f.resolver.Resolve(target)
	if fig.Kind != FigureInRepo && fig.Kind != FigureOwnURL {
		return "", false
	}
	return fig.Path, true
}

// shows reports whether the repository path p is one of the report's
// figures: an image it links, or an image in its folder.
func (f reportFigures) shows(p string) bool {
	if f.dir == "" || !slices.Contains(figureFormats, strings.ToLower(path.Ext(p))) {
		return false
	}
	return f.paths[p] || f.dir == "." && !strings.Contains(p, "/") || strings.HasPrefix(p, f.dir+"/")
}

// characteriseLate says what the late commits did: each one's files are
// marked report (the report's own path) and figure (one the report shows),
// its author as a bot; the commits that changed the report or its figures
// are late work (one finding), the others late commits (another); a figure
// missing at the deadline that a late commit added says so.
func (r *GroupResult) characteriseLate(figures reportFigures) {
	p := &r.Pin
	if p.LateCommits == 0 {
		return
	}
	p.Late = slices.Clone(p.Late) // the snapshot's stays as scraped
	var work, other []workspace.LateCommit
	for i := range p.Late {
		c := &p.Late[i]
		c.Bot = identity.BotName(c.AuthorName)
		c.Files = slices.Clone(c.Files)
		for j := range c.Files {
			f := &c.Files[j]
			f.Report = r.ReportPath != "" && f.Path == r.ReportPath
			f.Figure = figures.shows(f.Path)
		}
		if slices.ContainsFunc(c.Files, func(f workspace.LateFile) bool { return f.Report || f.Figure }) {
			work = append(work, *c)
		} else {
			other = append(other, *c)
		}
	}
	if len(work) > 0 {
		r.add(KindLateWork, 0, "%s", lateWorkMessage(work, r.Deadline))
	}
	if len(other) > 0 || p.LateCommits > len(p.Late) {
		r.add(KindLateCommits, 0, "%s", lateCommitsMessage(other, p.LateCommits-len(p.Late), r.Deadline))
	}
	r.markAddedLate(figures)
}

// lateWorkMessage says what of the report changed after the deadline, in
// how many commits, and when.
func lateWorkMessage(work []workspace.LateCommit, deadline time.Time) string {
	report, figs := false, map[string]bool{}
	for _, c := range work {
		for _, f := range c.Files {
			report = report || f.Report
			if f.Figure {
				figs[f.Path] = true
			}
		}
	}
	var what []string
	if report {
		what = append(what, "the report")
	}
	if n := len(figs); n > 0 {
		what = append(what, plural(n, "figure", "figures"))
	}
	return fmt.Sprintf("%s changed after the deadline in %s, %s (%s)", strings.Join(what, " and "),
		plural(len(work), "late commit", "late commits"), lateSpan(work, deadline), lateSHAs(work))
}

// lateCommitsMessage counts the late commits that change neither the
// report nor its figures, bots' apart.
func lateCommitsMessage(other []workspace.LateCommit, unlisted int, deadline time.Time) string {
	bots := 0
	for _, c := range other {
		if c.Bot {
			bots++
		}
	}
	var parts []string
	if len(other) > 0 {
		verb := "change"
		if len(other) == 1 {
			verb = "changes"
		}
		msg := fmt.Sprintf("%s after the commit that counts %s neither the report nor its figures", plural(len(other), "late commit", "late commits"), verb)
		if bots > 0 {
			msg += fmt.Sprintf(" (%d by bots)", bots)
		}
		parts = append(parts, msg+", "+lateSpan(other, deadline))
	}
	if unlisted > 0 {
		parts = append(parts, fmt.Sprintf("%s not listed: what they changed is not known", plural(unlisted, "late commit", "late commits")))
	}
	return strings.Join(parts, "; ")
}

// lateSpan says how long after the deadline the commits were made: "32 s
// after the deadline", "2 h to 3 weeks after the deadline"; backdated
// commits (dated at or before it) say so.
func lateSpan(commits []workspace.LateCommit, deadline time.Time) string {
	var first, last time.Duration
	dated := 0
	for _, c := range commits {
		d := c.CommitTime.Sub(deadline)
		if d <= 0 {
			continue
		}
		if dated == 0 || d < first {
			first = d
		}
		last = max(last, d)
		dated++
	}
	var parts []string
	switch {
	case dated == 0:
	case first == last || Delay(first) == Delay(last):
		parts = append(parts, Delay(first)+" after the deadline")
	default:
		parts = append(parts, Delay(first)+" to "+Delay(last)+" after the deadline")
	}
	if n := len(commits) - dated; n > 0 {
		parts = append(parts, fmt.Sprintf("%d dated at or before the deadline, pushed after it", n))
	}
	return strings.Join(parts, "; ")
}

// maxSHAsNamed bounds the commits a late-work message names.
const maxSHAsNamed = 3

func lateSHAs(commits []workspace.LateCommit) string {
	var names []string
	for _, c := range commits[:min(len(commits), maxSHAsNamed)] {
		names = append(names, shortSHA(c.SHA)[:min(7, len(c.SHA))])
	}
	if more := len(commits) - len(names); more > 0 {
		names = append(names, fmt.Sprintf("%d more", more))
	}
	return strings.Join(names, ", ")
}

// markAddedLate says on each figure missing at the deadline that a late
// commit added it: the oldest late commit that touched its path.
func (r *GroupResult) markAddedLate(figures reportFigures) {
	if r.Check == nil {
		return
	}
	mark := func(findings []Finding) {
		for i := range findings {
			f := &findings[i]
			if f.Kind != KindMissingFile || f.AddedLate != nil {
				continue
			}
			p, ok := figures.path(f.Target)
			if !ok {
				continue
			}
			if c, ok := r.addedBy(p); ok {
				f.AddedLate = &LateAddition{SHA: c.SHA, Time: c.CommitTime, After: int64(c.CommitTime.Sub(r.Deadline) / time.Second)}
				f.Message += "; " + f.AddedLate.Text()
			}
		}
	}
	mark(r.Findings)
	for i := range r.Check.Questions {
		mark(r.Check.Questions[i].Findings)
	}
}

// addedBy is the oldest listed late commit that changed path p.
func (r *GroupResult) addedBy(p string) (workspace.LateCommit, bool) {
	for i := len(r.Pin.Late) - 1; i >= 0; i-- { // newest first: the oldest is last
		c := r.Pin.Late[i]
		if slices.ContainsFunc(c.Files, func(f workspace.LateFile) bool { return f.Path == p }) {
			return c, true
		}
	}
	return workspace.LateCommit{}, false
}

// Text says when and where the file arrived: "added 32 s after the
// deadline in 2e5d268".
func (a LateAddition) Text() string {
	sha := a.SHA[:min(7, len(a.SHA))]
	if a.After <= 0 {
		return "added in " + sha + ", dated at or before the deadline, pushed after it"
	}
	return fmt.Sprintf("added %s after the deadline in %s", Delay(time.Duration(a.After)*time.Second), sha)
}

// Delay says a duration after the deadline in the largest unit that fits:
// "32 s", "5 min", "3 h", "2 days", "3 weeks".
func Delay(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d/time.Hour))
	case d < 14*24*time.Hour:
		return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
	}
	return fmt.Sprintf("%d weeks", int(d/(7*24*time.Hour)))
}

// plural is "1 figure", "3 figures".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
