package export

import (
	"strings"

	"handin/parse"
)

// reportPart is a piece of the report rendered on its own, so that markup
// left open in one piece (an unclosed <script>, a line-start <plaintext>)
// cannot swallow the next: the text before the first question, each
// question from its heading to the end of its answer, the text between two
// questions (section headings) and the text after the last one.
type reportPart struct {
	Start, End int    // where the part is in the report's text
	Text       string // the part as written
	Src        []byte // its markdown (see parse.Report.Markdown)
	Question   *parse.Question
	Prompt     []byte // the question's prompt as markdown; nil outside questions
}

// splitReport cuts a report at the questions parse.Parse found, so a
// question on the page is exactly what was graded as that question. The
// YAML front matter is left out (GitHub hides it).
func splitReport(rep *parse.Report) []reportPart {
	text := rep.Text
	lines := newLineOffsets(text)
	var parts []reportPart
	pos := parse.FrontMatterEnd([]byte(text))
	for i := range rep.Questions {
		q := &rep.Questions[i]
		start := max(lines.start(q.Line), pos)
		parts = appendText(parts, rep, pos, start)
		end := questionEnd(text, lines, q)
		if i+1 < len(rep.Questions) {
			end = min(end, lines.start(rep.Questions[i+1].Line))
		}
		end = max(end, start)
		part := reportPart{Start: start, End: end, Text: text[start:end], Src: rep.Markdown(start, end), Question: q}
		if at, ok := find(text, lines.start(q.Line+1), q.Prompt); ok { // headings are one line
			part.Prompt = rep.Markdown(at, at+len(q.Prompt))
		}
		parts = append(parts, part)
		pos = end
	}
	return appendText(parts, rep, pos, len(text))
}

// appendText adds the text outside the questions from start to end as a
// part, unless it is blank.
func appendText(parts []reportPart, rep *parse.Report, start, end int) []reportPart {
	if strings.TrimSpace(rep.Text[start:end]) == "" {
		return parts
	}
	return append(parts, reportPart{Start: start, End: end, Text: rep.Text[start:end], Src: rep.Markdown(start, end)})
}

// find is the offset of the first s in text from offset from on; false
// when s is empty or not there.
func find(text string, from int, s string) (int, bool) {
	i := strings.Index(text[from:], s)
	return from + i, s != "" && i >= 0
}

// questionEnd is the offset just past the line where q's answer ends (for
// an unanswered question: its prompt, or else its heading line). What
// follows up to the next question, such as a "## Section" heading, is not
// part of the question for parse either.
func questionEnd(text string, lines lineOffsets, q *parse.Question) int {
	from, s := lines.start(q.Line+1), q.Prompt // headings are one line
	if q.AnswerLine > 0 {
		from, s = lines.start(q.AnswerLine), q.Answer
	}
	end := lines.start(q.Line)
	if at, ok := find(text, from, s); ok {
		end = at + len(s)
	}
	if nl := strings.IndexByte(text[end:], '\n'); nl >= 0 {
		return end + nl + 1
	}
	return len(text)
}

// lineOffsets knows where each line of a text starts.
type lineOffsets struct {
	starts []int
	size   int
}

func newLineOffsets(text string) lineOffsets {
	l := lineOffsets{starts: []int{0}, size: len(text)}
	for i := range len(text) {
		if text[i] == '\n' {
			l.starts = append(l.starts, i+1)
		}
	}
	return l
}

// start is the offset of 1-based line n; past the last line, the text's end.
func (l lineOffsets) start(n int) int {
	switch {
	case n < 1:
		return 0
	case n > len(l.starts):
		return l.size
	}
	return l.starts[n-1]
}
