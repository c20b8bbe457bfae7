package export

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"maps"
	"slices"
	"strings"
	"time"

	"handin/grade"
	"handin/internal/atomicfile"
	"handin/internal/lazyregexp"
	"handin/internal/visible"
)

// indexData is what templates/index.html shows.
type indexData struct {
	CSP string
	CSS template.CSS
	// ViewCSS shows one view of the table at a time: the rows of a state
	// or of a kind, when its anchor is the page's target (no script).
	ViewCSS template.CSS
	Total   int
	Counts  []stateCount
	// OldData are the groups graded from an earlier snapshot: this run
	// could not reach them.
	OldData []int
	// Scraped is the newest scrape; Deadline the deadline of most groups,
	// OwnDeadline the groups with another one; Specs the specs the reports
	// were checked against. Times are in the course's zone, Zone.
	Scraped, Deadline, Exported, Zone string
	OwnDeadline                       []int
	Specs                             string
	// BackdatingUnknown counts the groups whose evidence could not show
	// backdating.
	BackdatingUnknown int
	Views             []indexView // the views by kind, most pressing level first
	ViewLevels        []viewLevel // the same, by level
	Rows              []indexRow  // by state (grade.States), then group
	Gaps              []rosterGap // groups.csv rows without a result
	Grading           *gradingSummary
}

// stateCount is how many groups of the course are in a state, as 'handin
// run' and the gradebook count them: every graded group by its state, and
// every groups.csv row without a result as failed.
type stateCount struct {
	State   grade.State
	N       int
	Meaning string
}

// indexView is one view of the table: the groups with findings of a kind
// (at any level).
type indexView struct {
	ID     string // the anchor that shows it
	Title  string
	Level  grade.Level // the kind's default level
	Groups int
}

// viewLevel is the views of the kinds of one default level.
type viewLevel struct {
	Level grade.Level
	Views []indexView
}

// byLevel groups views by their level, keeping their order.
func byLevel(views []indexView) []viewLevel {
	var out []viewLevel
	for _, v := range views {
		if len(out) == 0 || out[len(out)-1].Level != v.Level {
			out = append(out, viewLevel{Level: v.Level})
		}
		out[len(out)-1].Views = append(out[len(out)-1].Views, v)
	}
	return out
}

// maxIndexReasons is how many reasons a row of the index names; its page
// names them all.
const maxIndexReasons = 3

// indexRow is one group's line of the index: its state, its first reasons
// and the numbers that decide a grade, or for a failed group what happened
// (and no numbers: nothing was observed).
type indexRow struct {
	row
	State       grade.State
	Failure     *failure
	MoreReasons int    // reasons beyond those shown
	Classes     string // its state, the kinds of its findings and its grader, for the views
	Progress    *progress
}

// Shown are the reasons the row names.
func (r indexRow) Shown() []reasonText { return r.Reasons[:min(len(r.Reasons), maxIndexReasons)] }

func newIndexRow(r *grade.GroupResult) indexRow {
	ir := indexRow{row: newRow(r), State: r.State, Failure: failureOf(r)}
	ir.MoreReasons = max(len(ir.Reasons)-maxIndexReasons, 0)
	classes := []string{"state-" + string(r.State)}
	for _, k := range findingKinds(r) {
		classes = append(classes, kindClass(k))
	}
	ir.Classes = strings.Join(classes, " ")
	return ir
}

// findingKinds are the kinds of a result's findings that can name a view,
// each once.
func findingKinds(r *grade.GroupResult) []grade.Kind {
	var kinds []grade.Kind
	for _, f := range r.Findings {
		if cssName.MatchString(string(f.Kind)) && !slices.Contains(kinds, f.Kind) {
			kinds = append(kinds, f.Kind)
		}
	}
	return kinds
}

// cssName is a kind name that is safe in a class and a selector as it is:
// every kind handin writes (a result could hold anything).
var cssName = &lazyregexp.Regexp{Expr: `^[a-z][a-z0-9-]{0,60}$`}

func kindClass(k grade.Kind) string { return "k-" + string(k) }

// writeIndex writes the table of all groups, pre-sorted by state and group
// (the Content-Security-Policy forbids scripts, so there is no client-side
// sort: the views are CSS).
func writeIndex(name string, results []*grade.GroupResult, gaps []rosterGap, view gradebookView, now time.Time) error {
	d := newIndexData(results, gaps, view, now)
	var buf bytes.Buffer
	if err := templates().ExecuteTemplate(&buf, "index.html", d); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return atomicfile.Write(name, []byte(visible.String(buf.String())), 0o644)
}

func newIndexData(results []*grade.GroupResult, gaps []rosterGap, view gradebookView, now time.Time) indexData {
	zone := ""
	if len(results) > 0 {
		zone = results[0].TimeZone
	}
	at := courseClock(zone)
	d := indexData{CSP: contentSecurityPolicy, CSS: styleSheet(), Gaps: gaps, Exported: at.At(now), Zone: at.Zone(),
		Total: len(results) + len(gaps)}
	var scraped time.Time
	deadlines := map[time.Time]int{}
	var specs []string
	kindGroups := map[grade.Kind]int{}
	for _, r := range results {
		row := newIndexRow(r)
		row.Progress = view.of(r.Group)
		if i := slices.IndexFunc(view.graders, func(g string) bool { return strings.EqualFold(g, row.Progress.Grader) }); i >= 0 {
			row.Classes += " " + graderClass(i)
		}
		d.Rows = append(d.Rows, row)
		if r.ScrapedAt.After(scraped) {
			scraped = r.ScrapedAt
		}
		deadlines[r.Deadline.UTC()]++
		if r.Check != nil && !slices.Contains(specs, r.Check.Spec) {
			specs = append(specs, r.Check.Spec)
		}
		if slices.ContainsFunc(r.Findings, func(f grade.Finding) bool { return f.Kind == grade.KindOldData }) {
			d.OldData = append(d.OldData, r.Group)
		}
		if r.Status.Pinned() && !r.Pin.BackdatingKnown {
			d.BackdatingUnknown++
		}
		for _, k := range findingKinds(r) {
			kindGroups[k]++
		}
	}
	slices.SortStableFunc(d.Rows, func(a, b indexRow) int {
		return cmp.Or(grade.CompareStates(a.State, b.State), a.Group-b.Group)
	})
	d.Counts = countStates(results, gaps)
	d.Views = kindViews(kindGroups)
	d.ViewLevels = byLevel(d.Views)
	d.Grading = view.summary(d.Rows, len(gaps))
	d.ViewCSS = viewCSS(d.Views, d.Grading.Graders)
	var deadline time.Time
	for t, n := range deadlines {
		if n > deadlines[deadline] || n == deadlines[deadline] && t.Before(deadline) {
			deadline = t
		}
	}
	for _, r := range results {
		if !r.Deadline.Equal(deadline) {
			d.OwnDeadline = append(d.OwnDeadline, r.Group)
		}
	}
	slices.Sort(d.OwnDeadline)
	d.Scraped, d.Deadline = at.At(scraped), at.At(deadline)
	slices.Sort(specs)
	d.Specs = strings.Join(specs, ", ")
	return d
}

// countStates counts the groups in each state, in the order a course is
// worked through.
func countStates(results []*grade.GroupResult, gaps []rosterGap) []stateCount {
	n := map[grade.State]int{grade.StateFailed: len(gaps)}
	for _, r := range results {
		n[r.State]++
	}
	var counts []stateCount
	for _, s := range grade.States() {
		counts = append(counts, stateCount{State: s, N: n[s], Meaning: s.Meaning()})
	}
	return counts
}

// kindViews are the views by kind: the kinds found in the course, by
// their default level and their order in grade.KindTable.
func kindViews(groups map[grade.Kind]int) []indexView {
	kinds := slices.SortedFunc(maps.Keys(groups), func(a, b grade.Kind) int {
		ia, ra := grade.KindOf(a)
		ib, rb := grade.KindOf(b)
		return cmp.Or(ia.Level.Compare(ib.Level), ra-rb, strings.Compare(string(a), string(b)))
	})
	views := make([]indexView, len(kinds))
	for i, k := range kinds {
		info, _ := grade.KindOf(k)
		views[i] = indexView{ID: "view-" + kindClass(k), Title: info.Title, Level: info.Level, Groups: groups[k]}
	}
	return views
}

// viewCSS hides, while a view's anchor is the target, the rows not in it,
// and shows the line that says which view this is.
func viewCSS(views []indexView, graders []graderView) template.CSS {
	var b strings.Builder
	rule := func(id, class string) {
		fmt.Fprintf(&b, "#%s:target ~ table.index tbody tr:not(.%s) { display: none; }\n", id, class)
		fmt.Fprintf(&b, "#%s:target ~ p.viewing.%s { display: block; }\n", id, id)
	}
	for _, s := range grade.States() {
		rule("view-state-"+string(s), "state-"+string(s))
	}
	for _, v := range views {
		rule(v.ID, strings.TrimPrefix(v.ID, "view-"))
	}
	for _, g := range graders {
		rule(g.ID, strings.TrimPrefix(g.ID, "view-"))
	}
	return template.CSS(b.String())
}
