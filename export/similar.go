package export

import (
	"fmt"

	"handin/grade"
	"handin/grade/similarity"
)

// similarEntry is one answer (or the whole report) sharing passages with
// another report, as templates/similar.html shows it.
type similarEntry struct {
	What  string // "Question 7", or "The whole report"
	Other string // "group 12", "group 3 of mlops 2024"
	Page  string // the other group's page, relative to this one; "" for an archived report
	grade.Similarity
	Parts []similarPart
}

// similarPart is what one answer of this group shares with one of the
// other's: the passages of each, side by side.
type similarPart struct {
	Question, OtherQuestion int
	Passages, Other         [][]passageText
}

// passageText is a stretch of a passage, shared (marked) or not.
type passageText struct {
	Text   string
	Shared bool
}

// newSimilarEntries gathers the section; nil when the group shares no
// answer.
func newSimilarEntries(r *grade.GroupResult) []similarEntry {
	var out []similarEntry
	for _, s := range r.Similar {
		e := similarEntry{What: "The whole report", Other: s.Other(), Similarity: s}
		if s.Question != 0 {
			e.What = fmt.Sprintf("Question %d", s.Question)
		}
		if !s.Archived() {
			e.Page = pageFileName(s.Group)
		}
		for _, p := range s.Parts {
			e.Parts = append(e.Parts, similarPart{Question: p.QuestionA, OtherQuestion: p.QuestionB,
				Passages: passageTexts(p.A), Other: passageTexts(p.B)})
		}
		out = append(out, e)
	}
	return out
}

// passageTexts cuts each passage at its marks. Marks out of the text's
// bounds or order (a result.json edited by hand) are left unmarked.
func passageTexts(passages []similarity.Passage) [][]passageText {
	out := make([][]passageText, len(passages))
	for i, p := range passages {
		at := 0
		for _, m := range p.Marks {
			if m.Start < at || m.Stop < m.Start || m.Stop > len(p.Text) {
				continue
			}
			if m.Start > at {
				out[i] = append(out[i], passageText{Text: p.Text[at:m.Start]})
			}
			out[i] = append(out[i], passageText{Text: p.Text[m.Start:m.Stop], Shared: true})
			at = m.Stop
		}
		if at < len(p.Text) {
			out[i] = append(out[i], passageText{Text: p.Text[at:]})
		}
	}
	return out
}

// SharePercent and OtherPercent are the shares as whole percentages.
func (e similarEntry) SharePercent() int { return grade.Percent(e.Share) }
func (e similarEntry) OtherPercent() int { return grade.Percent(e.OtherShare) }
