package grade

import (
	"cmp"
	"fmt"
	"log/slog"
	"path"
	"slices"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // the course time zone must load on machines without tzdata

	"handin/parse"
	"handin/scrape"
)

// DefaultTimeZone is the course's time zone (DTU, Lyngby).
const DefaultTimeZone = "Europe/Copenhagen"

var defaultLocation = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation(DefaultTimeZone)
	if err != nil { // unreachable with time/tzdata linked in
		return time.UTC
	}
	return loc
})

// Options tune Group.
type Options struct {
	// TimeZone is the course time zone of the activity matrix; nil means
	// DefaultTimeZone.
	TimeZone *time.Location
	// Authors maps a normalised author email or name to a student id
	// (ReadAuthorsCSV); nil when the instructor keeps no authors.csv.
	Authors map[string]string
}

// Group grades one group's snapshot: the report found in the deadline tree
// checked against spec, the roster, repository statistics and contributions.
// It reads only the snapshot's exported files and never fails: whatever is
// wrong with the input ends up in Problems.
func Group(s *scrape.Snapshot, spec *Spec, opts Options) *GroupResult {
	tz := opts.TimeZone
	if tz == nil {
		tz = defaultLocation()
	}
	r := &GroupResult{
		Group: s.Group, Status: string(s.Status), Error: s.Error, URL: s.URL, WebURL: s.WebURL, Branch: s.Branch, MovedTo: s.MovedTo,
		Deadline: s.Deadline, ScrapedAt: s.ScrapedAt, DeadlineSHA: s.DeadlineSHA, DeadlineTime: s.DeadlineTime,
		LateCommits: s.LateCommits, NonMonotonic: s.NonMonotonic, Backdated: s.Backdated,
		Students: []StudentStats{}, Problems: []string{},
	}
	if !s.Status.Pinned() {
		// one line: the error may quote a server's multi-line answer
		r.addf("status %s: %s", s.Status, cmp.Or(strings.Join(strings.Fields(s.Error), " "), "no detail"))
	}
	if s.Backdated {
		r.addf("backdated: commits dated before the deadline were pushed after it (graded %s, pinned by %s)",
			shortSHA(s.DeadlineSHA), cmp.Or(s.PinnedBy, "observation"))
	}
	if s.NonMonotonic && !s.Backdated {
		r.addf("history out of date order: committer dates go backwards on the branch (rewritten or backdated history)")
	}
	if hasRepository(s) {
		r.gradeReport(s, spec)
	}
	r.repositoryStats(s, tz, opts.Authors)
	return r
}

// hasRepository: the scrape got a deadline tree to look at.
func hasRepository(s *scrape.Snapshot) bool {
	return s.Status.Pinned() || len(s.Tree) > 0
}

func (r *GroupResult) addf(format string, args ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

// gradeReport locates, parses and checks the report, then compares its
// group information with the roster.
func (r *GroupResult) gradeReport(s *scrape.Snapshot, spec *Spec) {
	loc := locateReport(s)
	if loc.Path == "" {
		r.addf("no report: no %s and no README with the template's questions", ExpectedReportPath)
		return
	}
	r.ReportPath, r.WrongLocation = loc.Path, loc.Wrong
	if loc.Wrong {
		r.addf("report at %s, expected %s", loc.Path, ExpectedReportPath)
	}
	r.Problems = append(r.Problems, loc.Remarks...)
	if loc.Err != nil {
		r.addf("report not read: %v", loc.Err)
		return
	}
	if spec == nil {
		r.addf("report not checked: no spec")
		return
	}
	check, err := checkReport(loc, spec, s.Tree)
	if err != nil {
		r.addf("report %s: %v", loc.Path, err)
		return
	}
	r.Check = check
	r.Problems = append(r.Problems, checkProblems(check)...)
	var problems []string
	r.Roster, problems = rosterCheck(check, s.Group, s.Students)
	r.Problems = append(r.Problems, problems...)
}

// checkReport parses and checks the report. A panic in the parser or checker
// on some unforeseen input becomes an error for this group only, so that one
// report cannot stop a whole course from being graded.
func checkReport(loc reportLocation, spec *Spec, tree []scrape.File) (check *CheckResult, err error) {
	defer func() {
		if v := recover(); v != nil {
			slog.Error("grade: report check panicked", "report", loc.Path, "panic", v)
			check, err = nil, fmt.Errorf("internal error while checking: %v", v)
		}
	}()
	rep, err := parse.Parse(loc.Data)
	if err != nil {
		return nil, err
	}
	paths := make([]string, len(tree))
	for i, f := range tree {
		paths[i] = f.Path
	}
	return Check(loc.Path, rep, spec, path.Dir(loc.Path), NewRepoFiles(paths)), nil
}

// problemFindings are the findings that count as violations; the others
// (HTML images, a missing "Answer:" line) are facts shown on the page only.
var problemFindings = map[string]bool{
	FindUnanswered: true, FindPlaceholder: true, FindLinkImage: true, FindCodeImage: true, FindRemoteImage: true,
	FindMissingFile: true, FindCaseMismatch: true, FindBadFormat: true, FindOutsideRepo: true,
}

// checkProblems lists the checker's failures and the findings that matter,
// one short line each ("Q7: 34 words, expected 50-100").
func checkProblems(c *CheckResult) []string {
	var out []string
	if c.InvalidUTF8 > 0 {
		out = append(out, fmt.Sprintf("report is not valid UTF-8 from line %d on (invalid bytes replaced)", c.InvalidUTF8))
	}
	if c.Drift.Mismatch != "" {
		out = append(out, c.Drift.Mismatch)
	}
	for _, n := range c.Drift.Duplicated {
		out = append(out, fmt.Sprintf("Q%d: heading written more than once", n))
	}
	if len(c.Drift.OutOfOrder) > 0 {
		out = append(out, "questions out of order: "+joinInts(c.Drift.OutOfOrder))
	}
	if len(c.Drift.Extra) > 0 {
		out = append(out, fmt.Sprintf("questions not in spec %s: %s", c.Spec, joinInts(c.Drift.Extra)))
	}
	for _, q := range c.Questions {
		out = append(out, questionProblems(q)...)
	}
	return out
}

func questionProblems(q QuestionResult) []string {
	prefix := fmt.Sprintf("Q%d: ", q.Number)
	if slices.ContainsFunc(q.Findings, func(f Problem) bool { return f.Kind == FindUnanswered }) {
		return []string{prefix + "unanswered"} // its word and image counts say nothing more
	}
	var out []string
	for _, p := range q.Problems {
		switch {
		case p.Kind == KindMissing:
			out = append(out, prefix+"missing from the report")
		case p.Got != nil && p.Min != nil && p.Max != nil:
			out = append(out, fmt.Sprintf("%s%d %s, expected %d-%d", prefix, *p.Got, p.Kind, *p.Min, *p.Max))
		default:
			out = append(out, prefix+p.Message)
		}
	}
	for _, f := range q.Findings {
		switch {
		case !problemFindings[f.Kind]:
		case f.Kind == FindMissingFile:
			out = append(out, fmt.Sprintf("%sfigure %s missing", prefix, f.Target))
		case f.Target != "":
			out = append(out, fmt.Sprintf("%sfigure %s: %s", prefix, f.Target, f.Message))
		default:
			out = append(out, prefix+f.Message)
		}
	}
	return out
}

// rosterCheck compares Question 1 and 2 with groups.csv.
func rosterCheck(c *CheckResult, group int, roster []string) (RosterCheck, []string) {
	rc := RosterCheck{GroupWritten: c.Group, GroupOK: c.Group != nil && *c.Group == group}
	var problems []string
	switch {
	case c.Group == nil:
		problems = append(problems, fmt.Sprintf("Q1: no group number written (roster says %d)", group))
	case !rc.GroupOK:
		problems = append(problems, fmt.Sprintf("group number %d written, roster says %d", *c.Group, group))
	}
	written := map[string]int{}
	var order []string
	for _, id := range c.Students {
		id = strings.ToLower(id)
		if written[id] == 0 {
			order = append(order, id)
		}
		written[id]++
	}
	onRoster := map[string]bool{}
	for _, id := range roster {
		id = rosterID(id)
		if !onRoster[id] && written[id] == 0 {
			rc.Missing = append(rc.Missing, id)
		}
		onRoster[id] = true
	}
	if len(c.Students) == 0 && len(rc.Missing) > 0 {
		// one line, not one per student: Question 2 holds no id at all
		problems = append(problems, fmt.Sprintf("Q2: no student ids written (roster: %s)", strings.Join(rc.Missing, ", ")))
	} else {
		for _, id := range rc.Missing {
			problems = append(problems, fmt.Sprintf("student %s missing from Question 2", id))
		}
	}
	for _, id := range order {
		if !onRoster[id] {
			rc.Extra = append(rc.Extra, id)
			problems = append(problems, fmt.Sprintf("student %s in Question 2 is not on the roster", id))
		}
		if written[id] > 1 {
			rc.Duplicated = append(rc.Duplicated, id)
			problems = append(problems, fmt.Sprintf("student %s written %d times in Question 2", id, written[id]))
		}
	}
	return rc, problems
}

// repositoryStats fills Stats, Students and UnmatchedAuthors.
func (r *GroupResult) repositoryStats(s *scrape.Snapshot, tz *time.Location, authors map[string]string) {
	treeStats(&r.Stats, s.Tree, nil) // the snapshot keeps no YAML contents
	if problem := commitStats(&r.Stats, s, tz); problem != "" {
		r.Problems = append(r.Problems, problem)
	}
	if n, problem := readmeWords(s); problem != "" {
		r.Problems = append(r.Problems, problem)
	} else {
		r.Stats.ReadmeWords = n
	}
	people := mergeAuthors(s.Commits, s.Students, authors)
	r.Stats.Contributors = people.Count
	r.Stats.Contributions = people.Contributions
	r.Students = people.Students
	r.UnmatchedAuthors = people.Unmatched
	if len(s.Commits) == 0 {
		return // the status already says why there is no history
	}
	if problem := contributionProblem(r.Students, r.UnmatchedAuthors); problem != "" {
		r.Problems = append(r.Problems, problem)
	}
}

// contributionProblem names the roster students without commits, in one
// line. When every author is matched this is a fact about the students; when
// some are not, it is only a gap in the mapping (students often commit from
// personal addresses), so the line says so and points at authors.csv rather
// than accusing each student on a line of their own: without authors.csv
// that would fill most groups' problems with one line per student.
func contributionProblem(students []StudentStats, unmatched []Author) string {
	var idle []string
	for _, st := range students {
		if st.Commits == 0 {
			idle = append(idle, st.ID)
		}
	}
	switch {
	case len(idle) == 0:
		return ""
	case len(unmatched) == 0:
		return "students without commits: " + strings.Join(idle, ", ")
	}
	return fmt.Sprintf("students without matched commits: %s (%d commit author(s) unmatched: map them in authors.csv)",
		strings.Join(idle, ", "), len(unmatched))
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}

func shortSHA(sha string) string { return sha[:min(len(sha), 12)] }
