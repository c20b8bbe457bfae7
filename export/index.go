package export

import (
	"bytes"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"

	"handin/grade"
	"handin/internal/atomicfile"
	"handin/internal/visible"
)

// indexData is what templates/index.html shows.
type indexData struct {
	CSP    string
	CSS    template.CSS
	Counts stateCounts
	// Scraped is the newest scrape; Deadline the deadline of most groups,
	// OwnDeadline the groups with another one; Specs the specs the reports
	// were checked against. Times are in the course's zone, Zone.
	Scraped, Deadline, Exported, Zone string
	OwnDeadline                       []int
	Specs                             string
	Rows                              []indexRow
	Gaps                              []rosterGap // groups.csv rows without a result
}

// stateCounts counts the groups of the course by state, as 'handin run'
// and the gradebook count them: every graded group by its state, and every
// groups.csv row without a result as failed.
type stateCounts struct {
	Groups, OK, Problems, Failed int
}

func countStates(results []*grade.GroupResult, gaps []rosterGap) stateCounts {
	c := stateCounts{Groups: len(results) + len(gaps), Failed: len(gaps)}
	for _, r := range results {
		switch r.State {
		case grade.StateOK:
			c.OK++
		case grade.StateProblems:
			c.Problems++
		default:
			c.Failed++
		}
	}
	return c
}

// indexRow is one group's line of the index: the numbers that decide a
// grade, or for a failed group what happened (and no numbers: nothing was
// observed).
type indexRow struct {
	row
	State   grade.State
	Failure *failure
	// Other are the problem kinds no column counts, most severe first.
	Other []kindGroup
}

// columnKinds are the kinds the index's columns count: questions passed
// (words, images, missing), unanswered, missing figures, late commits and
// backdating, ticked without evidence, CI.
func columnKind(k grade.Kind) bool {
	switch k {
	case grade.KindWords, grade.KindImages, grade.KindMissing, grade.KindUnanswered, grade.KindLateCommits,
		grade.KindBackdated, grade.KindTickedWithoutEvidence, grade.KindNotScraped, grade.KindCIFailing:
		return true
	}
	return k.MissingFigure()
}

func newIndexRow(r *grade.GroupResult) indexRow {
	ir := indexRow{row: newRow(r), State: r.State, Failure: failureOf(r)}
	for _, g := range problemGroups(groupFindings(r.Findings, nil)) {
		if !columnKind(g.Kind) {
			ir.Other = append(ir.Other, g)
		}
	}
	return ir
}

// writeIndex writes the table of all groups, pre-sorted by group (the
// Content-Security-Policy forbids scripts, so there is no client-side sort).
func writeIndex(name string, results []*grade.GroupResult, gaps []rosterGap, now time.Time) error {
	d := newIndexData(results, gaps, now)
	var buf bytes.Buffer
	if err := templates().ExecuteTemplate(&buf, "index.html", d); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return atomicfile.Write(name, []byte(visible.String(buf.String())), 0o644)
}

func newIndexData(results []*grade.GroupResult, gaps []rosterGap, now time.Time) indexData {
	zone := ""
	if len(results) > 0 {
		zone = results[0].TimeZone
	}
	at := courseClock(zone)
	d := indexData{CSP: contentSecurityPolicy, CSS: styleSheet(), Counts: countStates(results, gaps), Gaps: gaps,
		Exported: at.At(now), Zone: at.Zone()}
	var scraped time.Time
	deadlines := map[time.Time]int{}
	var specs []string
	for _, r := range results {
		d.Rows = append(d.Rows, newIndexRow(r))
		if r.ScrapedAt.After(scraped) {
			scraped = r.ScrapedAt
		}
		deadlines[r.Deadline.UTC()]++
		if r.Check != nil && !slices.Contains(specs, r.Check.Spec) {
			specs = append(specs, r.Check.Spec)
		}
	}
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
	d.Scraped, d.Deadline = at.At(scraped), at.At(deadline)
	slices.Sort(specs)
	d.Specs = strings.Join(specs, ", ")
	return d
}
