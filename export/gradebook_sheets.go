package export

// The gradebook's sheets: which columns handin owns on each, which identify
// a row from one export to the next, and the rows handin writes. Package
// gradebook writes them and carries the instructor's work over.

import (
	"fmt"
	"iter"
	"slices"
	"strings"

	"handin/export/gradebook"
	"handin/grade"
	"handin/internal/visible"
	"handin/workspace"
)

// Sheet names of the gradebook (and gradebook.KeptSheet).
const (
	SheetGroups    = "Groups"
	SheetQuestions = "Questions"
	SheetStudents  = "Students"
	SheetChecklist = "Checklist"
	SheetFindings  = "Findings"
)

// Colours of the values that stand out: a state or level, a verdict's
// flag, a question's pass.
var (
	green = gradebook.Color{Font: "166534", Fill: "DCFCE7"}
	amber = gradebook.Color{Font: "92400E", Fill: "FEF3C7"}
	red   = gradebook.Color{Font: "991B1B", Fill: "FEE2E2"}
	blue  = gradebook.Color{Font: "1E40AF", Fill: "DBEAFE"}
	grey  = gradebook.Color{Font: "1F2937", Fill: "E5E7EB"}
)

// levelColors colour the states and levels: act red, grade amber, check
// blue, ok green, failed grey.
var levelColors = map[any]gradebook.Color{
	string(grade.StateAct): red, string(grade.StateGrade): amber, string(grade.StateCheck): blue,
	string(grade.StateOK): green, string(grade.StateFailed): grey, string(grade.LevelInfo): grey,
}

// groupColumn is a column of the Groups sheet and what it holds for a
// graded group: the sheet's columns are declared once, here, in order.
type groupColumn struct {
	gradebook.Column
	value func(r *grade.GroupResult, w row) any
}

// groupsLead are the Groups sheet's first columns, before the
// instructor's: who, where to read, and the state.
var groupsLead = []groupColumn{
	{gradebook.Column{Header: "Group", Width: 8}, func(r *grade.GroupResult, _ row) any { return r.Group }},
	{gradebook.Column{Header: "Page", Width: 11}, func(r *grade.GroupResult, w row) any {
		return gradebook.Link{Text: fmt.Sprintf("group %d", r.Group), Target: w.Page}
	}},
	// The word the CLI, index and page use.
	{gradebook.Column{Header: "State", Width: 9, Colors: levelColors}, func(r *grade.GroupResult, _ row) any { return string(r.State) }},
}

// groupsFacts follow the instructor's columns: the reasons in one line,
// then the numbers and facts.
var groupsFacts = []groupColumn{
	{gradebook.Column{Header: "Reasons", Width: 70}, func(_ *grade.GroupResult, w row) any { return reasonsLine(w.Reasons) }},
	{gradebook.Column{Header: "Questions passed", Width: 10}, checked(func(w row) any { return w.Passed })},
	{gradebook.Column{Header: "Questions", Width: 10}, checked(func(w row) any { return w.Questions })},
	{gradebook.Column{Header: "Unanswered", Width: 11}, checked(func(w row) any { return w.Unanswered })},
	{gradebook.Column{Header: "Missing figures", Width: 10}, checked(func(w row) any { return w.MissingFigures })},
	{gradebook.Column{Header: "Checklist checked", Width: 10}, checked(func(w row) any { return w.ChecklistChecked })},
	{gradebook.Column{Header: "Checklist total", Width: 10}, checked(func(w row) any { return w.ChecklistTotal })},
	{gradebook.Column{Header: "Ticked without evidence", Width: 10}, func(r *grade.GroupResult, _ row) any { return tickedWithoutEvidence(r) }},
	{gradebook.Column{Header: "Commits", Width: 9}, func(_ *grade.GroupResult, w row) any { return w.Commits }},
	{gradebook.Column{Header: "Contributors", Width: 11}, func(_ *grade.GroupResult, w row) any { return w.Contributors }},
	{gradebook.Column{Header: "Late commits", Width: 9}, func(_ *grade.GroupResult, w row) any { return w.LateCommits }},
	{gradebook.Column{Header: "Late work", Width: 9}, pinned(func(_ *grade.GroupResult, w row) any { return yesNo(w.LateWork) })},
	{gradebook.Column{Header: "Backdated", Width: 10}, func(_ *grade.GroupResult, w row) any { return nilIfEmpty(w.Backdated) }},
	{gradebook.Column{Header: "History out of order", Width: 10}, pinned(func(r *grade.GroupResult, _ row) any { return yesNo(r.Pin.OutOfOrder) })},
	{gradebook.Column{Header: "Shares history with", Width: 12}, func(r *grade.GroupResult, _ row) any { return sharedHistoryGroups(r) }},
	// The CI status of the commit that counts on GitHub (passing, failing,
	// pending, none, unknown).
	{gradebook.Column{Header: "CI", Width: 10, Colors: map[any]gradebook.Color{string(workspace.CIPassing): green, string(workspace.CIFailing): red}},
		func(_ *grade.GroupResult, w row) any { return nilIfEmpty(w.CI) }},
	{gradebook.Column{Header: "Students", Width: 28, Wrap: true}, func(r *grade.GroupResult, _ row) any { return studentList(r) }},
	{gradebook.Column{Header: "Repository", Width: 40}, func(r *grade.GroupResult, _ row) any { return repositoryCell(r) }},
	{gradebook.Column{Header: "Scrape status", Width: 12}, func(r *grade.GroupResult, _ row) any { return string(r.Status) }},
	{gradebook.Column{Header: "Deadline SHA", Width: 14}, func(r *grade.GroupResult, _ row) any { return r.Pin.SHA }},
	{gradebook.Column{Header: "Deadline commit time", Width: 18}, func(r *grade.GroupResult, _ row) any { return r.Pin.Time }},
}

// checked is a count of the checked report; nil (an empty cell) when the
// report was not checked.
func checked(count func(w row) any) func(*grade.GroupResult, row) any {
	return func(r *grade.GroupResult, w row) any {
		if r.Check == nil {
			return nil
		}
		return count(w)
	}
}

// pinned is a fact of the history up to the deadline commit; nil without
// one: there is no history to judge.
func pinned(fact func(*grade.GroupResult, row) any) func(*grade.GroupResult, row) any {
	return func(r *grade.GroupResult, w row) any {
		if !r.Status.Pinned() {
			return nil
		}
		return fact(r, w)
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func columnsOf(cols []groupColumn) []gradebook.Column {
	out := make([]gradebook.Column, len(cols))
	for i, c := range cols {
		out[i] = c.Column
	}
	return out
}

var groupsLayout = gradebook.Layout{
	Name:    SheetGroups,
	Key:     []string{"Group"},
	Lead:    columnsOf(groupsLead),
	Offered: []gradebook.Column{{Header: HeaderGrade, Width: 10}, {Header: HeaderComment, Width: 40, Wrap: true}, {Header: HeaderGradedBy, Width: 12}},
	Facts:   columnsOf(groupsFacts),
	Freeze:  3, // the group, its page and its state stay in view
	// Earlier handins' Status (now State) and Problems (now Reasons here,
	// one row a finding on Findings).
	Retired:      []string{"Backdating", "Status", "Problems"},
	FitWidth:     true,
	MaxRowHeight: maxGroupRowHeight,
}

// maxGroupRowHeight keeps a group's row at most four lines tall (points):
// the details are on the Findings sheet and the group's page.
const maxGroupRowHeight = 60

// maxReasonsLine bounds the Reasons cell: one short line.
const maxReasonsLine = 140

// reasonsLine is a group's reasons in one short line, most pressing first:
// "Q18: too few words: 43, expected 100-200; ticked without evidence (2)".
func reasonsLine(reasons []reasonText) string {
	texts := make([]string, len(reasons))
	for i, r := range reasons {
		texts[i] = r.Text
	}
	return clip(strings.Join(texts, "; "), maxReasonsLine)
}

// groupRow is a group's row on the Groups sheet.
func groupRow(r *grade.GroupResult) []any {
	w := newRow(r)
	values := make([]any, 0, len(groupsLead)+len(groupsFacts))
	for _, c := range slices.Concat(groupsLead, groupsFacts) {
		values = append(values, c.value(r, w))
	}
	return values
}

// repositoryCell links the repository's tree at the commit that counts
// (GitHub), else the repository; plain text for an address that is not a
// web page.
func repositoryCell(r *grade.GroupResult) any {
	if repo := githubRepo(r); repo != "" {
		return gradebook.Link{Text: r.URL, Target: repo + "/tree/" + r.Pin.SHA}
	}
	if link := webLink(r); link != "" {
		return gradebook.Link{Text: r.URL, Target: link}
	}
	return r.URL
}

// findingsLayout is the Findings sheet: one row a finding of every group,
// so that a filter sorts a course by kind or level.
var findingsLayout = gradebook.Layout{
	Name: SheetFindings,
	Key:  []string{"Group", "Kind", "Question", "Message"},
	Lead: []gradebook.Column{
		{Header: "Group", Width: 8}, {Header: "Level", Width: 8, Colors: levelColors}, {Header: "Kind", Width: 22},
		{Header: "Question", Width: 9}, {Header: "Message", Width: 90, Wrap: true},
	},
	Facts:        []gradebook.Column{{Header: "Page", Width: 11}},
	Freeze:       1,
	FitWidth:     true,
	MaxRowHeight: maxGroupRowHeight,
}

// findingRows are a group's rows on the Findings sheet: every finding,
// most pressing first, each linking its entry on the group's page.
func findingRows(r *grade.GroupResult) [][]any {
	findings := slices.Clone(r.Findings)
	slices.SortStableFunc(findings, grade.CompareFindings)
	rows := make([][]any, len(findings))
	for i, f := range findings {
		var question any
		if f.Question > 0 {
			question = f.Question
		}
		rows[i] = []any{r.Group, string(f.Level), string(f.Kind), question, f.Message,
			gradebook.Link{Text: fmt.Sprintf("group %d", r.Group), Target: pagePath(r.Group) + "#" + kindAnchor(f)}}
	}
	return rows
}

var questionsLayout = gradebook.Layout{
	Name: SheetQuestions,
	Key:  []string{"Group", "Question"},
	Lead: []gradebook.Column{
		{Header: "Group", Width: 8}, {Header: "Question", Width: 10},
		{Header: "Pass", Width: 8, Colors: map[any]gradebook.Color{true: green, false: red}},
	},
	Facts: []gradebook.Column{
		{Header: "Words", Width: 8}, {Header: "Words min", Width: 10}, {Header: "Words max", Width: 10},
		{Header: "Images", Width: 8}, {Header: "Images min", Width: 10}, {Header: "Images max", Width: 10},
		{Header: "Problems", Width: 70, Wrap: true},
	},
	Freeze:   2,
	FitWidth: true,
}

var studentsLayout = gradebook.Layout{
	Name: SheetStudents,
	// A student on two rows of groups.csv has a row (and a comment) for
	// each group.
	Key:       []string{"Student", "Group"},
	FormerKey: []string{"Student"},
	Lead:      []gradebook.Column{{Header: "Student", Width: 12}, {Header: "Group", Width: 8}},
	Offered:   []gradebook.Column{{Header: "Comment", Width: 40, Wrap: true}},
	Facts:     []gradebook.Column{{Header: "Commits", Width: 9}, {Header: "Matched authors", Width: 40, Wrap: true}, {Header: "Rule", Width: 12}},
	Freeze:    1,
	FitWidth:  true,
}

var checklistLayout = gradebook.Layout{
	Name: SheetChecklist,
	Key:  []string{"Group", "Item"},
	Lead: []gradebook.Column{
		{Header: "Group", Width: 8}, {Header: "Section", Width: 14}, {Header: "Item", Width: 80, Wrap: true}, {Header: "Checked", Width: 9},
	},
	Facts:    []gradebook.Column{{Header: "Module", Width: 10}},
	Freeze:   1,
	FitWidth: true,
}

// gradebookLayouts are handin's sheets, in workbook order, of a course
// without a rubric or graders.
var gradebookLayouts = grading{}.layouts()

// writeGradebook writes the gradebook of these groups, then of the
// roster's rows without a result, carrying over everything of the
// instructor's. It gives back how far each group's grading is.
func writeGradebook(opts Options, results iter.Seq2[*grade.GroupResult, error], gaps []rosterGap, sum *Summary) (map[int]*progress, error) {
	g := gradingOf(opts)
	rows := g.gradebookRows(results, gaps)
	var written *gradebook.Written
	var err error
	if len(opts.Merge) > 0 {
		written, err = gradebook.Merge(opts.Out, g.layouts(), rows, opts.Merge, opts.Now())
	} else {
		written, err = gradebook.Write(opts.Out, g.layouts(), rows, opts.Now())
	}
	if err != nil {
		return nil, err
	}
	sum.Gradebook, sum.GradebookBackup, sum.Kept = written.Path, written.Backup, written.Kept
	sum.Dealt, sum.Merged = written.Dealt, written.Merged
	sum.Warnings = append(sum.Warnings, written.Warnings...)
	return g.progressOf(written.Values), nil
}

// gradebookRows are the rows of every group, one group at a time, then
// those of the roster's rows without a result.
func (g grading) gradebookRows(results iter.Seq2[*grade.GroupResult, error], gaps []rosterGap) iter.Seq2[gradebook.Row, error] {
	layouts := g.layouts()
	return func(yield func(gradebook.Row, error) bool) {
		// A group's rows in the order of the sheets.
		each := func(rows map[string][][]any) bool {
			for _, l := range layouts {
				for _, values := range rows[l.Name] {
					if !yield(gradebook.Row{Sheet: l.Name, Values: visibleCells(values)}, nil) {
						return false
					}
				}
			}
			return true
		}
		for r, err := range results {
			if err != nil {
				yield(gradebook.Row{}, err)
				return
			}
			if !each(g.groupSheetRows(r)) {
				return
			}
		}
		for _, gap := range gaps {
			if !each(gapSheetRows(layouts[0], gap)) {
				return
			}
		}
	}
}

// visibleCells are a row's values with every hidden character of their
// text shown as its escape (package visible).
func visibleCells(values []any) []any {
	for i, v := range values {
		switch v := v.(type) {
		case string:
			values[i] = visible.String(v)
		case gradebook.Link:
			values[i] = gradebook.Link{Text: visible.String(v.Text), Target: v.Target}
		}
	}
	return values
}

// groupSheetRows are a group's rows on each of handin's sheets, by sheet.
func (g grading) groupSheetRows(r *grade.GroupResult) map[string][][]any {
	rows := map[string][][]any{SheetGroups: {g.groupRow(r)}, SheetFindings: findingRows(r), SheetClaims: claimsRows(r),
		SheetSimilarity: similarityRows(r)}
	for _, s := range r.Students {
		rows[SheetStudents] = append(rows[SheetStudents], []any{s.ID, r.Group, s.Commits, strings.Join(s.Authors, ", "), s.Rule})
	}
	if r.Check == nil {
		return rows
	}
	for _, q := range r.Check.Questions {
		rows[SheetQuestions] = append(rows[SheetQuestions], g.questionRow(r.Group, q))
	}
	for _, s := range r.Check.Checklist {
		for _, it := range s.Items {
			rows[SheetChecklist] = append(rows[SheetChecklist], []any{r.Group, s.Section, it.Text, it.Checked, it.Module})
		}
	}
	return rows
}

// gapSheetRows are the rows of a roster row without a result: failed on
// the Groups sheet (laid out as groups), with its students.
func gapSheetRows(groups gradebook.Layout, g rosterGap) map[string][][]any {
	row := make([]any, len(groups.Filled()))
	row[groups.Index("Group")] = g.Key
	row[groups.Index("State")] = string(grade.StateFailed)
	row[groups.Index("Reasons")] = g.Problem
	row[groups.Index("Students")] = strings.Join(g.Students, ", ")
	row[groups.Index("Repository")] = g.URL
	rows := map[string][][]any{SheetGroups: {row}}
	for _, id := range g.Students {
		rows[SheetStudents] = append(rows[SheetStudents], []any{id, g.Key, nil, nil, nil})
	}
	return rows
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func rangeMin(r *grade.Range) any {
	if r == nil {
		return nil
	}
	return r.Min
}

func rangeMax(r *grade.Range) any {
	if r == nil {
		return nil
	}
	return r.Max
}
