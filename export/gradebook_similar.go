package export

// The Similarity sheet: every answer (and whole report) that shares
// passages with another report's, one row each, so that the instructor can
// go through a course's copies and note what they found.

import (
	"fmt"
	"strings"

	"handin/export/gradebook"
	"handin/grade"
)

// SheetSimilarity is the gradebook's sheet of shared answers.
const SheetSimilarity = "Similarity"

var similarityLayout = gradebook.Layout{
	Name: SheetSimilarity,
	Key:  []string{"Group", "Question", "Other group"},
	Lead: []gradebook.Column{
		{Header: "Group", Width: 8}, {Header: "Question", Width: 9}, {Header: "Other group", Width: 22},
		{Header: "Share %", Width: 8},
	},
	Offered: []gradebook.Column{{Header: "Comment", Width: 40, Wrap: true}, {Header: "Checked by", Width: 12}},
	Facts: []gradebook.Column{
		{Header: "Other's share %", Width: 8}, {Header: "Words", Width: 8},
		{Header: "Passage", Width: 80, Wrap: true}, {Header: "Page", Width: 11},
	},
	Freeze:       1,
	FitWidth:     true,
	MaxRowHeight: maxGroupRowHeight,
}

// maxPassageCell bounds the Passage cell: the page shows them all.
const maxPassageCell = 400

// similarityRows are a group's rows on the Similarity sheet: its shared
// answers by question, then its whole report. Question is empty for the
// whole report; Other group names the archived course and year.
func similarityRows(r *grade.GroupResult) [][]any {
	rows := make([][]any, len(r.Similar))
	for i, s := range r.Similar {
		var question any
		if s.Question != 0 {
			question = s.Question
		}
		rows[i] = []any{r.Group, question, s.Other(), grade.Percent(s.Share), grade.Percent(s.OtherShare), s.Words,
			clip(passageLine(s), maxPassageCell),
			gradebook.Link{Text: fmt.Sprintf("group %d", r.Group), Target: pagePath(r.Group) + "#similar"}}
	}
	return rows
}

// passageLine is this group's shared passages in one cell: a question's,
// or for the whole report those found under other questions ("Q3 in
// their Q5: ...").
func passageLine(s grade.Similarity) string {
	var parts []string
	for _, p := range s.Parts {
		var texts []string
		for _, passage := range p.A {
			texts = append(texts, passage.Text)
		}
		text := strings.Join(texts, " … ")
		if s.Question == 0 {
			text = fmt.Sprintf("Q%d in their Q%d: %s", p.QuestionA, p.QuestionB, text)
		}
		parts = append(parts, text)
	}
	return strings.Join(parts, "\n")
}
