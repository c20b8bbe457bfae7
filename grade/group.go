package grade

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"path"
	"slices"
	"strings"
	"time"

	"handin/grade/claims"
	"handin/grade/identity"
	"handin/internal/coursetime"
	"handin/parse"
	"handin/workspace"
)

// Options say how to grade. Spec is required.
type Options struct {
	Spec *Spec
	// TimeZone is the course time zone of the activity matrix; nil means
	// coursetime.DefaultZone.
	TimeZone *time.Location
	// Authors maps a normalised author email or name to a student id
	// (identity.ReadAuthorsCSV); nil when the instructor keeps no authors.csv.
	Authors map[string]string
	// Claims are the rules that judge the checklist against the deadline
	// tree (LoadClaims); nil leaves the checklist unjudged.
	Claims *claims.RuleSet
	// Only restricts Run to these groups (all graded when empty).
	Only []int
	// Levels are the level of each kind of finding (the course file's
	// [levels] over the defaults); the zero value is the defaults.
	Levels Levels
	// Logger reports a check that panicked on some unforeseen input (the
	// group's result says so too); nil: no logs.
	Logger *slog.Logger
	// GroupTimeout bounds grading one group in Run; a group over it gets a
	// result saying so (KindOverBudget). 0: DefaultGroupTimeout.
	GroupTimeout time.Duration
	// Similarity: what Run compares the answers with, and the thresholds.
	Similarity SimilarityOptions
}

func (o Options) logger() *slog.Logger { return cmp.Or(o.Logger, slog.New(slog.DiscardHandler)) }

// DefaultGroupTimeout is how long grading one group may take: a large
// report and repository take a second.
const DefaultGroupTimeout = time.Minute

// Grade grades one group's snapshot: the report found in the deadline tree
// checked against the spec, the roster, repository statistics and
// contributions. It reads only the snapshot's files and never fails:
// whatever is wrong with the input ends up in Findings.
func Grade(s *workspace.Snapshot, opts Options) *GroupResult {
	return gradeSnapshot(context.Background(), s, opts)
}

// gradeSnapshot is Grade in a run: what it logs carries the run's context.
func gradeSnapshot(ctx context.Context, s *workspace.Snapshot, opts Options) *GroupResult {
	log := groupLog{ctx: ctx, logger: opts.logger().With("group", s.Group)}
	tz := timeZone(opts)
	r := scrapeFacts(s, tz)
	var figures reportFigures
	if hasRepository(s) {
		figures = r.gradeReport(s, opts.Spec, log)
		r.checkClaims(s, opts.Claims, log)
	}
	r.characteriseLate(figures)
	r.repositoryStats(s, tz, opts.Authors)
	r.applyLevels(opts.Levels)
	r.State = stateOf(r.Status.Pinned(), r.Findings)
	return r
}

// overBudget is the result of a group whose grading took longer than
// budget: what the scrape found, and that the rest was not done.
func overBudget(s *workspace.Snapshot, opts Options, budget time.Duration) *GroupResult {
	r := scrapeFacts(s, timeZone(opts))
	r.add(KindOverBudget, 0, "grading took longer than %s, the time a group may take: the report, the checklist and the repository statistics were not graded (grade this group by hand, or run 'handin grade --group %d --group-timeout' with more time)",
		budget, s.Group)
	if n := r.Pin.LateCommits; n > 0 {
		r.add(KindLateCommits, 0, "%s after the commit that counts: what they changed was not looked at (grading went over its time)",
			plural(n, "late commit", "late commits"))
	}
	r.applyLevels(opts.Levels)
	r.State = stateOf(r.Status.Pinned(), r.Findings)
	return r
}

func timeZone(opts Options) *time.Location {
	if opts.TimeZone != nil {
		return opts.TimeZone
	}
	tz, _ := coursetime.LoadZone(coursetime.DefaultZone) // embedded tzdata: cannot fail
	return tz
}

// scrapeFacts is a result holding what the scrape found: the status, the
// commit that counts and its evidence, what the scrape cut.
func scrapeFacts(s *workspace.Snapshot, tz *time.Location) *GroupResult {
	r := &GroupResult{
		Schema: SchemaVersion, Group: s.Group, Status: s.Status, Error: s.Error, URL: s.URL, WebURL: s.WebURL, GitHub: s.GitHub,
		Branch: s.Branch, MovedTo: s.MovedTo, Deadline: s.Deadline, ScrapedAt: s.ScrapedAt, Pin: s.Pin, TimeZone: tz.String(),
		Students: []StudentStats{}, Findings: []Finding{},
	}
	if !s.Status.Pinned() {
		// one line: the error may quote a server's multi-line answer
		r.add(KindNotScraped, 0, "status %s: %s", s.Status, cmp.Or(strings.Join(strings.Fields(s.Error), " "), "no detail"))
	}
	if u := s.Unreached; u != nil && !u.Time.Before(s.ScrapedAt) {
		at := u.Time.In(tz).Format(time.DateTime)
		r.add(KindOldData, 0, "graded from the snapshot scraped at %s: the scrape at %s could not reach the repository (%s: %s)",
			s.ScrapedAt.In(tz).Format(time.DateTime), at, u.Status, cmp.Or(strings.Join(strings.Fields(u.Error), " "), "no detail"))
	}
	if s.Pin.Backdated {
		r.add(KindBackdated, 0, "%s", backdatedMessage(s.Pin))
	}
	if s.Pin.OutOfOrder {
		r.add(KindOutOfOrder, 0, "history out of date order: committer dates go backwards on the branch (clock skew or a rebase; not evidence of backdating)")
	}
	if r.CI = s.CI; s.CI != nil && s.CI.State == workspace.CIFailing {
		r.add(KindCIFailing, 0, "CI failing at the commit that counts (%s): %s", shortSHA(s.Pin.SHA), failingChecks(s.CI.Checks))
	}
	for _, cut := range s.Cuts {
		r.add(KindCut, 0, "cut by the scrape's limits: %s", cut)
	}
	r.Pin.BackdatingKnown = r.Pin.Backdated || s.Pin.BackdatingCheckable()
	return r
}

// applyLevels gives every finding its level under the course's levels,
// those of the questions too.
func (r *GroupResult) applyLevels(levels Levels) {
	relevel := func(findings []Finding) {
		for i := range findings {
			findings[i].Level = levels.level(findings[i])
		}
	}
	relevel(r.Findings)
	if r.Check != nil {
		for i := range r.Check.Questions {
			relevel(r.Check.Questions[i].Problems)
			relevel(r.Check.Questions[i].Findings)
		}
	}
}

// groupLog is where grading one group logs: every line carries the group
// and the run's context.
type groupLog struct {
	ctx    context.Context
	logger *slog.Logger
}

// panicked reports a check that panicked on some unforeseen input.
func (l groupLog) panicked(check string, v any, attrs ...any) {
	l.logger.ErrorContext(l.ctx, "grade: "+check+" panicked", append(attrs, "panic", v)...)
}

// hasRepository: the scrape got a deadline tree to look at.
func hasRepository(s *workspace.Snapshot) bool {
	return s.Status.Pinned() || len(s.Tree) > 0
}

func (r *GroupResult) add(kind Kind, question int, format string, args ...any) {
	r.Findings = append(r.Findings, newFinding(kind, question, format, args...))
}

// gradeReport locates, parses and checks the report, then compares its
// group information with the roster. It returns the figures the report
// shows (none when there is no report to check).
func (r *GroupResult) gradeReport(s *workspace.Snapshot, spec *Spec, log groupLog) reportFigures {
	loc := locateReport(s)
	if loc.Path == "" {
		r.add(KindNoReport, 0, "no report: no %s and no README with the template's questions", ExpectedReportPath)
		return reportFigures{}
	}
	r.ReportPath, r.WrongLocation = loc.Path, loc.Wrong
	if loc.Wrong {
		r.add(KindReportLocation, 0, "report at %s, expected %s", loc.Path, ExpectedReportPath)
	}
	for _, remark := range loc.Remarks {
		r.add(KindReportLocation, 0, "%s", remark)
	}
	if loc.Err != nil {
		r.add(KindReportUnreadable, 0, "report not read: %v", loc.Err)
		return reportFigures{}
	}
	if spec == nil {
		r.add(KindNotChecked, 0, "report not checked: no spec")
		return reportFigures{}
	}
	check, figures, err := checkReport(loc, spec, s, log)
	if err != nil {
		r.add(KindReportUnreadable, 0, "report %s: %v", loc.Path, err)
		return reportFigures{}
	}
	r.Check = check
	r.Findings = append(r.Findings, checkFindings(check)...)
	r.Findings = append(r.Findings, checklistFindings(check.Checklist)...)
	var findings []Finding
	r.Roster, findings = rosterCheck(check, s.Group, s.Students)
	r.Findings = append(r.Findings, findings...)
	return figures
}

// checklistFindings say when the report has no checklist, or one with
// nothing ticked.
func checklistFindings(sections []ChecklistSummary) []Finding {
	checked, total := 0, 0
	for _, s := range sections {
		checked, total = checked+s.Checked, total+s.Total
	}
	switch {
	case total == 0:
		return []Finding{newFinding(KindNoChecklist, 0, "no checklist in the report: the template's checklist was deleted")}
	case checked == 0:
		return []Finding{newFinding(KindNothingTicked, 0, "nothing ticked: none of the checklist's %d items", total)}
	}
	return nil
}

// checkReport parses and checks the report. A panic in the parser or checker
// on some unforeseen input becomes an error for this group only, so that one
// report cannot stop a whole course from being graded.
func checkReport(loc reportLocation, spec *Spec, s *workspace.Snapshot, log groupLog) (check *CheckResult, figures reportFigures, err error) {
	defer func() {
		if v := recover(); v != nil {
			log.panicked("report check", v, "report", loc.Path)
			check, figures, err = nil, reportFigures{}, fmt.Errorf("internal error while checking: %v", v)
		}
	}()
	rep, err := parse.Parse(loc.Data)
	if err != nil {
		return nil, reportFigures{}, err
	}
	repo := snapshotRepository(s, path.Dir(loc.Path))
	return Check(loc.Path, rep, spec, repo), newReportFigures(rep, repo), nil
}

// snapshotRepository is what a snapshot knows of the repository around a
// report kept in reportDir.
func snapshotRepository(s *workspace.Snapshot, reportDir string) Repository {
	paths := make([]string, len(s.Tree))
	for i, f := range s.Tree {
		paths[i] = f.Path
	}
	history := make([]string, len(s.Commits))
	for i, c := range s.Commits {
		history[i] = c.SHA
	}
	return Repository{ReportDir: reportDir, Files: NewRepoFiles(paths), URLs: []string{s.URL, s.WebURL, s.MovedTo},
		Branch: s.Branch, History: history}
}

// checkFindings lists the report-wide findings and each question's: the
// checker's failures and the findings about it.
func checkFindings(c *CheckResult) []Finding {
	var out []Finding
	if c.InvalidUTF8 > 0 {
		out = append(out, newFinding(KindInvalidUTF8, 0, "report is not valid UTF-8 from line %d on (invalid bytes replaced)", c.InvalidUTF8))
	}
	if len(c.ReadAsText) > 0 {
		f := newFinding(KindReadAsText, 0, "markup that cannot be parsed in reasonable time was read as plain text on %s: "+
			"its formatting, links and checklist boxes are not read, and the page shows it as text", parse.DescribePlain(c.ReadAsText))
		f.Line = c.ReadAsText[0].Line
		out = append(out, f)
	}
	if c.Checker.Crash != nil {
		out = append(out, crashFinding(c.Checker))
	}
	if c.Drift.Mismatch != "" {
		out = append(out, newFinding(KindTemplateMismatch, 0, "%s", c.Drift.Mismatch))
	}
	for _, n := range c.Drift.Duplicated {
		out = append(out, newFinding(KindDuplicatedQuestion, n, "heading written more than once"))
	}
	if len(c.Drift.OutOfOrder) > 0 {
		out = append(out, newFinding(KindQuestionsOrder, 0, "questions out of order: %s", joinInts(c.Drift.OutOfOrder)))
	}
	if len(c.Drift.Extra) > 0 {
		out = append(out, newFinding(KindExtraQuestions, 0, "questions not in spec %s: %s", c.Spec, joinInts(c.Drift.Extra)))
	}
	for _, q := range c.Questions {
		out = append(out, questionFindings(q)...)
	}
	return out
}

// questionFindings are a question's failures and findings; an unanswered
// question is just that (its counts say nothing more).
func questionFindings(q QuestionResult) []Finding {
	if i := slices.IndexFunc(q.Findings, func(f Finding) bool { return f.Kind == KindUnanswered }); i >= 0 {
		return []Finding{q.Findings[i]}
	}
	return slices.Concat(q.Problems, q.Findings)
}

// rosterCheck compares Question 1 and 2 with groups.csv.
func rosterCheck(c *CheckResult, group int, roster []string) (RosterCheck, []Finding) {
	rc := RosterCheck{GroupWritten: c.Group, GroupOK: c.Group != nil && *c.Group == group}
	var out []Finding
	switch {
	case c.Group == nil && answered(c, 1):
		out = append(out, newFinding(KindNoGroupNumber, 1, "no group number written (roster says %d)", group))
	case c.Group != nil && !rc.GroupOK:
		out = append(out, newFinding(KindGroupNumber, 1, "group number %d written, roster says %d", *c.Group, group))
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
		id = identity.RosterID(id)
		if !onRoster[id] && written[id] == 0 {
			rc.Missing = append(rc.Missing, id)
		}
		onRoster[id] = true
	}
	switch {
	case len(c.Students) == 0 && len(rc.Missing) > 0 && !answered(c, 2):
		// unanswered or deleted: that finding says it
	case len(c.Students) == 0 && len(rc.Missing) > 0:
		// one line, not one per student: Question 2 holds no id at all
		out = append(out, newFinding(KindNoStudentIDs, 2, "no student ids written (roster: %s)", strings.Join(rc.Missing, ", ")))
	default:
		for _, id := range rc.Missing {
			out = append(out, newFinding(KindStudentMissing, 2, "student %s is on the roster but not in the answer", id))
		}
	}
	for _, id := range order {
		if !onRoster[id] {
			rc.Extra = append(rc.Extra, id)
			out = append(out, newFinding(KindStudentExtra, 2, "student %s is not on the roster", id))
		}
		if written[id] > 1 {
			rc.Duplicated = append(rc.Duplicated, id)
			out = append(out, newFinding(KindStudentDuplicated, 2, "student %s written %d times", id, written[id]))
		}
	}
	return rc, out
}

// answered reports whether question n is in the report with more than the
// template's placeholder.
func answered(c *CheckResult, n int) bool {
	for _, q := range c.Questions {
		if q.Number != n {
			continue
		}
		return q.Line > 0 && !slices.ContainsFunc(q.Findings, func(f Finding) bool { return f.Kind == KindUnanswered })
	}
	return true // the spec has no such question: nothing says it is not answered
}

// repositoryStats fills Stats, Students and UnmatchedAuthors.
func (r *GroupResult) repositoryStats(s *workspace.Snapshot, tz *time.Location, authors map[string]string) {
	treeStats(&r.Stats, s.Tree, keptContent(s))
	if problem := commitStats(&r.Stats, s, tz); problem != "" {
		r.add(KindImplausibleDates, 0, "%s", problem)
	}
	if n, problem := readmeWords(s); problem != "" {
		r.add(KindReadmeUnreadable, 0, "%s", problem)
	} else {
		r.Stats.ReadmeWords = n
	}
	people := identity.Merge(identity.HistoryOf(s, authors))
	r.Stats.Contributors = people.Count
	r.Stats.Contributions = people.Contributions
	r.Students = people.Students
	r.UnmatchedAuthors = people.Unmatched
	r.UnmappedIdentities = people.Unmapped
	if len(s.Commits) == 0 {
		return // the status already says why there is no history
	}
	if f, ok := contributionFinding(r.Students, r.UnmappedIdentities, len(r.UnmatchedAuthors)); ok {
		r.Findings = append(r.Findings, f)
	}
}

// keptContent reads the files the snapshot keeps (small text files, the
// report folder); a file it does not keep is unknown, never absent.
func keptContent(s *workspace.Snapshot) func(string) ([]byte, bool) {
	return func(p string) ([]byte, bool) {
		data, err := s.ReadFile(p)
		return data, err == nil
	}
}

// contributionFinding names the roster students without commits, in one
// line. When every identity is mapped this is a fact about the students;
// while some are not, a student without commits may well be one of them
// (students often commit from personal addresses), so it is attribution
// incomplete, pointing at the identities to map: minor while there are at
// least as many unmapped people as students without commits, who may all
// be them.
func contributionFinding(students []StudentStats, unmapped []UnmappedIdentity, unmappedPeople int) (Finding, bool) {
	var idle []string
	for _, st := range students {
		if st.Commits == 0 {
			idle = append(idle, st.ID)
		}
	}
	switch {
	case len(idle) == 0:
		return Finding{}, false
	case len(unmapped) == 0:
		return newFinding(KindNoCommits, 0, "students without commits: %s", strings.Join(idle, ", ")), true
	}
	var names []string
	for _, u := range unmapped[:min(len(unmapped), maxIdentitiesNamed)] {
		names = append(names, fmt.Sprintf("%s, %d commit(s)", u.Display(), u.Commits))
	}
	if more := len(unmapped) - len(names); more > 0 {
		names = append(names, fmt.Sprintf("%d more (all in the result's unmapped identities)", more))
	}
	f := newFinding(KindAttribution, 0, "attribution incomplete: no commits mapped to %s; commit identities mapped to no student (%d): %s; map them in authors.csv ('handin authors' lists them)",
		strings.Join(idle, ", "), len(unmapped), strings.Join(names, "; "))
	if unmappedPeople >= len(idle) {
		f = f.asMinor()
	}
	return f, true
}

// maxIdentitiesNamed bounds the identities an attribution-incomplete line
// names (a history may hold thousands); the result lists every one.
const maxIdentitiesNamed = 10

// failingChecks names the failing checks in one line.
func failingChecks(checks []workspace.Check) string {
	names := make([]string, len(checks))
	for i, c := range checks {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}

func shortSHA(sha string) string { return sha[:min(len(sha), 12)] }
