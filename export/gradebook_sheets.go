package export

// The gradebook's sheets: which columns handin owns on each, which identify
// a row from one export to the next, and the rows handin writes. Package
// gradebook writes them and carries the instructor's work over.

import (
	"fmt"
	"iter"
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
)

// Colours of the values that stand out: a state, a verdict's flag, a
// question's pass.
var (
	green = gradebook.Color{Font: "166534", Fill: "DCFCE7"}
	amber = gradebook.Color{Font: "92400E", Fill: "FEF3C7"}
	red   = gradebook.Color{Font: "991B1B", Fill: "FEE2E2"}
	blue  = gradebook.Color{Font: "1E40AF", Fill: "DBEAFE"}
)

var groupsLayout = gradebook.Layout{
	Name: SheetGroups,
	Key:  []string{"Group"},
	Lead: []gradebook.Column{
		{Header: "Group", Width: 8},
		// The group's state (ok, problems, failed), the word the CLI,
		// index and page use.
		{Header: "Status", Width: 10, Colors: map[any]gradebook.Color{
			string(grade.StateOK): green, string(grade.StateProblems): amber, string(grade.StateFailed): red,
		}},
	},
	Offered: []gradebook.Column{
		{Header: "Grade", Width: 10}, {Header: "Comment", Width: 40, Wrap: true}, {Header: "Graded by", Width: 12},
	},
	Facts: []gradebook.Column{
		{Header: "Problems", Width: 60, Wrap: true}, {Header: "Questions passed", Width: 10}, {Header: "Questions", Width: 10},
		{Header: "Unanswered", Width: 11}, {Header: "Missing figures", Width: 10}, {Header: "Checklist checked", Width: 10},
		{Header: "Checklist total", Width: 10}, {Header: "Ticked without evidence", Width: 10}, {Header: "Commits", Width: 9},
		{Header: "Contributors", Width: 11}, {Header: "Late commits", Width: 9}, {Header: "Backdated", Width: 10},
		{Header: "History out of order", Width: 10}, {Header: "Shares history with", Width: 12},
		// The CI status of the commit that counts on GitHub (passing,
		// failing, pending, none, unknown).
		{Header: "CI", Width: 10, Colors: map[any]gradebook.Color{string(workspace.CIPassing): green, string(workspace.CIFailing): red}},
		{Header: "Students", Width: 28, Wrap: true}, {Header: "Repository", Width: 40}, {Header: "Scrape status", Width: 12},
		{Header: "Deadline SHA", Width: 14}, {Header: "Deadline commit time", Width: 18}, {Header: "Page", Width: 12},
	},
	Freeze:  1,
	Retired: []string{"Backdating"},
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
	Freeze: 2,
}

var studentsLayout = gradebook.Layout{
	Name:    SheetStudents,
	Key:     []string{"Student"},
	Lead:    []gradebook.Column{{Header: "Student", Width: 12}, {Header: "Group", Width: 8}},
	Offered: []gradebook.Column{{Header: "Comment", Width: 40, Wrap: true}},
	Facts:   []gradebook.Column{{Header: "Commits", Width: 9}, {Header: "Matched authors", Width: 40, Wrap: true}, {Header: "Rule", Width: 12}},
	Freeze:  1,
}

var checklistLayout = gradebook.Layout{
	Name: SheetChecklist,
	Key:  []string{"Group", "Item"},
	Lead: []gradebook.Column{
		{Header: "Group", Width: 8}, {Header: "Section", Width: 14}, {Header: "Item", Width: 80, Wrap: true}, {Header: "Checked", Width: 9},
	},
	Facts:  []gradebook.Column{{Header: "Module", Width: 10}},
	Freeze: 1,
}

// gradebookLayouts are handin's sheets, in workbook order.
var gradebookLayouts = []gradebook.Layout{groupsLayout, questionsLayout, studentsLayout, checklistLayout, claimsLayout}

// writeGradebook writes the gradebook of these groups, then of the
// roster's rows without a result, carrying over everything of the
// instructor's.
func writeGradebook(opts Options, results iter.Seq2[*grade.GroupResult, error], gaps []rosterGap, sum *Summary) error {
	written, err := gradebook.Write(opts.Out, gradebookLayouts, gradebookRows(results, gaps), opts.Now())
	if err != nil {
		return err
	}
	sum.Gradebook, sum.GradebookBackup, sum.Kept = written.Path, written.Backup, written.Kept
	sum.Warnings = append(sum.Warnings, written.Warnings...)
	return nil
}

// gradebookRows are the rows of every group, one group at a time, then
// those of the roster's rows without a result.
func gradebookRows(results iter.Seq2[*grade.GroupResult, error], gaps []rosterGap) iter.Seq2[gradebook.Row, error] {
	return func(yield func(gradebook.Row, error) bool) {
		// A group's rows in the order of the sheets.
		each := func(rows map[string][][]any) bool {
			for _, l := range gradebookLayouts {
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
			if !each(groupSheetRows(r)) {
				return
			}
		}
		for _, g := range gaps {
			if !each(gapSheetRows(g)) {
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
func groupSheetRows(r *grade.GroupResult) map[string][][]any {
	rows := map[string][][]any{SheetGroups: {groupRow(r)}, SheetClaims: claimsRows(r)}
	for _, s := range r.Students {
		rows[SheetStudents] = append(rows[SheetStudents], []any{s.ID, r.Group, s.Commits, strings.Join(s.Authors, ", "), s.Rule})
	}
	if r.Check == nil {
		return rows
	}
	for _, q := range r.Check.Questions {
		rows[SheetQuestions] = append(rows[SheetQuestions], []any{
			r.Group, q.Number, q.Pass, q.Words, rangeMin(q.WordRange), rangeMax(q.WordRange),
			q.Images, rangeMin(q.ImageRange), rangeMax(q.ImageRange), strings.Join(questionNotes(q), "\n"),
		})
	}
	for _, s := range r.Check.Checklist {
		for _, it := range s.Items {
			rows[SheetChecklist] = append(rows[SheetChecklist], []any{r.Group, s.Section, it.Text, it.Checked, it.Module})
		}
	}
	return rows
}

// gapSheetRows are the rows of a roster row without a result: failed on
// the Groups sheet, with its students.
func gapSheetRows(g rosterGap) map[string][][]any {
	row := make([]any, len(groupsLayout.Filled()))
	row[0], row[1], row[2] = g.Key, string(grade.StateFailed), g.Problem
	row[groupsLayout.Index("Students")] = strings.Join(g.Students, ", ")
	row[groupsLayout.Index("Repository")] = g.URL
	rows := map[string][][]any{SheetGroups: {row}}
	for _, id := range g.Students {
		rows[SheetStudents] = append(rows[SheetStudents], []any{id, g.Key, nil, nil, nil})
	}
	return rows
}

// groupRow is a group's row on the Groups sheet.
func groupRow(r *grade.GroupResult) []any {
	w := newRow(r)
	var passed, questions, unanswered, missing, checked, total any
	if r.Check != nil {
		passed, questions, unanswered, missing = w.Passed, w.Questions, w.Unanswered, w.MissingFigures
		checked, total = w.ChecklistChecked, w.ChecklistTotal
	}
	var backdated, outOfOrder any
	if r.Status.Pinned() { // without a deadline commit there is no history to judge
		backdated, outOfOrder = yesNo(r.Pin.Backdated), yesNo(r.Pin.OutOfOrder)
	}
	return []any{
		r.Group, string(r.State), strings.Join(w.Problems, "\n"), passed, questions, unanswered,
		missing, checked, total, tickedWithoutEvidence(r), w.Commits, w.Contributors, w.LateCommits, backdated,
		outOfOrder, sharedHistoryGroups(r), orNil(w.CI), studentList(r), r.URL, string(r.Status), r.Pin.SHA, r.Pin.Time,
		gradebook.Link{Text: fmt.Sprintf("group %d", r.Group), Target: w.Page},
	}
}

// orNil is s, or an empty cell for "".
func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
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
