// Package demo builds a synthetic course for `handin demo`, the end-to-end
// tests and the benchmarks: one real git repository per group with a
// backdated history by several authors and an exam report generated from
// code in the shape of the 2026 template, each group showing one situation
// instructors meet (a good report, too-short answers, missing figures, a
// late or backdated commit, an unreachable repository, ...). Every text is
// written by this package; nothing comes from real student reports.
package demo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"golang.org/x/sync/errgroup"

	"handin/grade"
	"handin/internal/coursetime"
	"handin/scrape/gittest"
)

// Case is the situation a demo group demonstrates.
type Case string

const (
	CaseGood            Case = "good"
	CaseShortAnswers    Case = "short-answers"      // some answers below the minimum length
	CaseMissingFigures  Case = "missing-figures"    // figure links to files not committed, or with other letter case
	CasePlaceholders    Case = "placeholders"       // template placeholders left in the report
	CaseWrongGroup      Case = "wrong-group-number" // Question 1 names another group
	CaseMissingStudent  Case = "missing-student"    // a roster student missing from Question 2
	CaseUnmatchedAuthor Case = "unmatched-author"   // a student commits only under a private identity
	CaseLate            Case = "late-commits"       // report finished after the deadline
	CaseBackdated       Case = "backdated"          // commit dated before the deadline, pushed after the scrape right after it
	CaseLastMinute      Case = "last-minute"        // report finished minutes before the deadline, pushed after a cron scrape
	CaseUnreachable     Case = "unreachable"        // the repository URL answers 404
	CaseNoReport        Case = "no-report"          // the repository has no report at all
	CaseReportAtRoot    Case = "report-at-root"     // the report was moved to the root README.md
	CaseLateFigures     Case = "late-figures"       // the report's figures pushed 32 s after the deadline
	CaseBotLate         Case = "bot-late"           // only bots commit after the deadline
	CasePlaceholderLeft Case = "placeholder-left"   // every answer written with the template placeholder left below it
	CaseNoChecklist     Case = "no-checklist"       // the report's checklist deleted
	CaseQuestionDeleted Case = "question-deleted"   // a question's heading and answer deleted
	CaseCodeImages      Case = "code-images"        // figures written inside backticks: text on GitHub
	CaseStopsAnswering  Case = "stops-answering"    // scraped around the deadline, unreachable at the final run
)

// Describe says in a few words what a case shows.
func (k Case) Describe() string {
	switch k {
	case CaseGood:
		return "a complete report: every question passes"
	case CaseShortAnswers:
		return "five answers below the minimum length"
	case CaseMissingFigures:
		return "two figures never committed, one linked with the wrong letter case"
	case CasePlaceholders:
		return "template placeholders left in questions 27, 28 and 31"
	case CaseWrongGroup:
		return "Question 1 names another group"
	case CaseMissingStudent:
		return "a roster student is missing from Question 2"
	case CaseUnmatchedAuthor:
		return "a student commits under a nickname and private email only"
	case CaseLate:
		return "the report was finished after the deadline (late commits)"
	case CaseBackdated:
		return "a commit dated before the deadline, pushed after the scrape right after it: backdated"
	case CaseLastMinute:
		return "the report finished 3 minutes before the deadline, after a cron scrape: it counts"
	case CaseUnreachable:
		return "the repository URL answers 404"
	case CaseNoReport:
		return "the repository has no report"
	case CaseReportAtRoot:
		return "the report was moved to the root README.md"
	case CaseLateFigures:
		return "the report links figures of Question 14 that were pushed 32 seconds after the deadline"
	case CaseBotLate:
		return "only bots (dependabot, pre-commit-ci) commit after the deadline, none of it the report"
	case CasePlaceholderLeft:
		return "every answer written, the template's placeholder line left below each"
	case CaseNoChecklist:
		return "the report's checklist was deleted"
	case CaseQuestionDeleted:
		return "Question 23 was deleted from the report"
	case CaseCodeImages:
		return "the figures of Questions 19 and 21 are written inside backticks: GitHub shows text"
	case CaseStopsAnswering:
		return "scraped around the deadline, then the repository stops answering: graded from old data"
	}
	return string(k)
}

// caseCycle assigns cases to groups 1, 2, ...; courses with more groups
// repeat it. The default course is exactly one cycle.
var caseCycle = []Case{
	CaseGood, CaseShortAnswers, CaseLateFigures, CaseMissingFigures, CasePlaceholders, CaseGood,
	CaseWrongGroup, CaseMissingStudent, CaseBotLate, CaseLate, CaseBackdated, CaseGood,
	CaseUnreachable, CaseNoReport, CaseReportAtRoot, CasePlaceholderLeft, CaseUnmatchedAuthor, CaseNoChecklist,
	CaseQuestionDeleted, CaseLastMinute, CaseGood, CaseCodeImages, CaseStopsAnswering, CaseGood,
}

// caseOf is the case of group n.
func caseOf(n int) Case { return caseCycle[(n-1)%len(caseCycle)] }

// DefaultGroups is the size of the demo course.
const DefaultGroups = 24

// Group is one group of the course.
type Group struct {
	Number   int
	Case     Case
	Repo     string   // repository folder under Course.ReposDir (absent for CaseUnreachable)
	Students []string // roster ids, as in groups.csv
}

// Course is a built demo course.
type Course struct {
	Dir      string // holds everything below
	ReposDir string // bare repositories, served by Serve
	// GroupsFile is groups.csv, written by Serve once the server's URLs are known.
	GroupsFile string
	Deadline   time.Time
	Groups     []Group

	// held are the pushes made around the deadline, kept back for
	// ReplayDeadline.
	held []heldPush
	// vanishing are the groups whose repositories ReplayDeadline scrapes
	// and then stops serving.
	vanishing []Group
}

// heldPush is a branch move kept back until ReplayDeadline plays it:
// between its scrapes before and after the deadline, or after both.
type heldPush struct {
	group int
	repo  *gittest.Repo
	sha   string
	// afterDeadline: pushed after the scrape right after the deadline.
	afterDeadline bool
}

// Option changes what Build builds.
type Option func(*settings)

type settings struct{ groups int }

// WithGroups sets the number of groups (the case list repeats).
func WithGroups(n int) Option { return func(s *settings) { s.groups = n } }

// Location is the course's time zone: deadlines and commit times are
// Copenhagen wall-clock times.
func Location() *time.Location {
	loc, err := coursetime.LoadZone(coursetime.DefaultZone)
	if err != nil { // unreachable: coursetime links time/tzdata in
		return time.UTC
	}
	return loc
}

// Build writes the course's repositories under dir (which must be empty or
// absent). The deadline is 23:59:59 three days before now, Copenhagen time,
// so late commits are in the past; histories span the three weeks before it.
func Build(dir string, now time.Time, opts ...Option) (*Course, error) {
	s := settings{groups: DefaultGroups}
	for _, o := range opts {
		o(&s)
	}
	if s.groups < 1 {
		return nil, fmt.Errorf("demo: %d groups", s.groups)
	}
	spec, err := grade.LoadSpec("2026")
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("demo: %s is not empty", dir)
	}
	c := &Course{Dir: dir, ReposDir: filepath.Join(dir, "repos"), GroupsFile: filepath.Join(dir, "groups.csv")}
	if err := os.MkdirAll(c.ReposDir, 0o755); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	local := now.In(Location())
	c.Deadline = time.Date(local.Year(), local.Month(), local.Day()-3, 23, 59, 59, 0, Location())

	c.Groups = make([]Group, s.groups)
	held := make([]*heldPush, s.groups)
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i := range c.Groups {
		n := i + 1
		grp := Group{Number: n, Case: caseOf(n), Repo: fmt.Sprintf("group%02d-mlops.git", n)}
		g.Go(func() error {
			b := &groupBuilder{course: c, group: &grp, spec: spec, project: newProject(n)}
			if err := b.build(); err != nil {
				return fmt.Errorf("demo: group %d: %w", n, err)
			}
			c.Groups[i], held[i] = grp, b.held
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for _, h := range held {
		if h != nil {
			c.held = append(c.held, *h)
		}
	}
	for _, g := range c.Groups {
		if g.Case == CaseStopsAnswering {
			c.vanishing = append(c.vanishing, g)
		}
	}
	return c, nil
}

// Group returns the group with number n.
func (c *Course) Group(n int) (Group, bool) {
	if n < 1 || n > len(c.Groups) {
		return Group{}, false
	}
	return c.Groups[n-1], true
}

// GroupsWith lists the numbers of the groups demonstrating a case.
func (c *Course) GroupsWith(k Case) []int {
	var out []int
	for _, g := range c.Groups {
		if g.Case == k {
			out = append(out, g.Number)
		}
	}
	return out
}

// pushHeld makes the held pushes made before the deadline, or those made
// after it (afterDeadline).
func (c *Course) pushHeld(afterDeadline bool) error {
	var errs []error
	for _, h := range c.held {
		if h.afterDeadline != afterDeadline {
			continue
		}
		if err := h.repo.SetBranch(gittest.DefaultBranch, h.sha); err != nil {
			errs = append(errs, fmt.Errorf("demo: push group %d: %w", h.group, err))
		}
	}
	return errors.Join(errs...)
}
