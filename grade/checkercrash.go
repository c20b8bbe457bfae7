package grade

import (
	"fmt"
	"sort"
	"strings"

	"handin/parse"
)

// countCauses explains why the checker found run.Found answers instead of
// run.Expected: which questions gave it no answer or more than one, which
// headings are missing, repeated or not in the template. The effects add up
// to Found - Expected. pieces are the report split at "Answer:" (piece 0
// before the first); parsed gives the report's parse.
func (run *CheckerRun) countCauses(parsed func() (*parse.Report, error), spec *Spec, pieces []span) []CheckerCause {
	if len(pieces) == 1 {
		return []CheckerCause{{Effect: run.Found - run.Expected, Message: `no "Answer:" anywhere in the report`}}
	}
	r, err := parsed()
	if err != nil {
		return []CheckerCause{{Effect: run.Found - run.Expected, Message: fmt.Sprintf("the report cannot be read as markdown: %v", err)}}
	}
	var causes []CheckerCause
	add := func(line, effect int, format string, args ...any) {
		causes = append(causes, CheckerCause{Line: line, Effect: effect, Message: fmt.Sprintf(format, args...)})
	}
	causes = append(causes, headingCauses(r, spec)...)
	last := len(pieces) - 1
	byQuestion := make([][]int, len(r.Questions)) // marker lines of the answers kept, per question heading
	markers := make([][]int, len(r.Questions))    // every marker line, per question heading
	for i := 1; i <= last; i++ {
		line := run.lines.line(pieces[i].start - len(answerSplit))
		_, cut := cutAtHeading(run.text, pieces[i])
		q := questionAt(r, line)
		switch {
		case q < 0 && (cut || i == last):
			add(line, 1, `"Answer:" on line %d comes before the first question`, line)
		case q >= 0:
			markers[q] = append(markers[q], line)
			if cut || i == last {
				byQuestion[q] = append(byQuestion[q], line)
			}
		}
	}
	for q, kept := range byQuestion {
		causes = append(causes, answerCause(r.Questions[q], kept, markers[q])...)
	}
	if heading := strings.Index(run.text[pieces[last].start:], subHeadingCut); heading >= 0 {
		add(run.lines.line(pieces[last].start+heading), 1,
			`the last "Answer:" (line %d) is followed by "###" on line %d: the checker counts the text after it twice`,
			run.lines.line(pieces[last].start-len(answerSplit)), run.lines.line(pieces[last].start+heading))
	}
	if _, cut := cutAtHeading(run.text, pieces[0]); run.Version.legacy && !cut {
		first := run.lines.line(pieces[1].start - len(answerSplit))
		add(first, -1, `no "###" before the first "Answer:" (line %d): this checker version then drops the first answer`, first)
	}
	return foldCauses(causes)
}

// maxCauses is the most causes of a crash listed one by one: a report with
// more (thousands of question headings) gets the rest summed up in one.
const maxCauses = 20

// foldCauses keeps the first maxCauses-1 causes and sums up the rest in
// one, so that the effects still add up.
func foldCauses(causes []CheckerCause) []CheckerCause {
	if len(causes) <= maxCauses {
		return causes
	}
	kept, rest := causes[:maxCauses-1], causes[maxCauses-1:]
	sum := CheckerCause{Message: fmt.Sprintf("%d more causes like these", len(rest))}
	for _, c := range rest {
		sum.Effect += c.Effect
	}
	return append(kept, sum)
}

// headingCauses: each question heading is one answer the checker expects to
// find, so a missing heading is one answer fewer, a repeated heading or a
// question the template does not have one more.
func headingCauses(r *parse.Report, spec *Spec) []CheckerCause {
	var causes []CheckerCause
	seen := map[int]int{} // question number -> line of its first heading
	for _, q := range r.Questions {
		switch first, dup := seen[q.Number]; {
		case dup:
			causes = append(causes, CheckerCause{Line: q.Line, Effect: 1,
				Message: fmt.Sprintf("Question %d appears again on line %d (first on line %d)", q.Number, q.Line, first)})
		default:
			seen[q.Number] = q.Line
			if _, ok := spec.Question(q.Number); !ok {
				causes = append(causes, CheckerCause{Line: q.Line, Effect: 1,
					Message: fmt.Sprintf("Question %d (line %d) is not in the template", q.Number, q.Line)})
			}
		}
	}
	for _, qs := range spec.Questions {
		if _, ok := seen[qs.Number]; !ok {
			causes = append(causes, CheckerCause{Effect: -1, Message: fmt.Sprintf("Question %d has no heading in the report", qs.Number)})
		}
	}
	return causes
}

// answerCause explains a question that gave the checker no answer or more
// than one: kept are the lines of the "Answer:" whose text it took, all the
// lines of every "Answer:" under the question's heading.
func answerCause(q parse.Question, kept, all []int) []CheckerCause {
	switch {
	case len(kept) == 1:
		return nil
	case len(all) == 0:
		return []CheckerCause{{Line: q.Line, Effect: -1,
			Message: fmt.Sprintf(`Question %d (line %d) has no "Answer:"`, q.Number, q.Line)}}
	case len(kept) == 0:
		return []CheckerCause{{Line: all[0], Effect: -1,
			Message: fmt.Sprintf(`Question %d (line %d): no "###" follows its "Answer:" (line %d) before the next "Answer:", so the checker skips its text`,
				q.Number, q.Line, all[len(all)-1])}}
	}
	return []CheckerCause{{Line: kept[1], Effect: len(kept) - 1,
		Message: fmt.Sprintf(`Question %d (line %d) has "Answer:" on lines %s with "###" between them: the checker takes %d answers from it`,
			q.Number, q.Line, joinLines(all), len(kept))}}
}

// questionAt is the index of the question whose heading is the last one at
// or before line (-1 when line comes before every question). The questions
// are in document order.
func questionAt(r *parse.Report, line int) int {
	return sort.Search(len(r.Questions), func(i int) bool { return r.Questions[i].Line > line }) - 1
}

func joinLines(lines []int) string {
	s := make([]string, len(lines))
	for i, l := range lines {
		s[i] = fmt.Sprint(l)
	}
	return strings.Join(s, ", ")
}
