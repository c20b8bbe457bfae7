package export

import (
	"bytes"

	"handin/parse"
)

// reportPart is a piece of the report rendered on its own, so that markup
// left open in one piece (an unclosed <script>, a line-start <plaintext>)
// cannot swallow the next: the text before the first question, each
// question from its heading to the end of its answer, the text between two
// questions (section headings) and the text after the last one.
type reportPart struct {
	Src      []byte
	Question *parse.Question // nil for text outside the questions
}

// splitReport cuts report text (as prepareMarkdown returns it) at the
// questions parse.Parse finds, so a question on the page is exactly what
// was graded as that question. Text parse cannot read as a report is one
// part (none when it is blank).
func splitReport(src []byte) []reportPart {
	rep, err := parse.Parse(src)
	if err != nil || len(rep.Questions) == 0 {
		return appendText(nil, src)
	}
	lines := newLineOffsets(src)
	var parts []reportPart
	pos := 0
	for i := range rep.Questions {
		q := &rep.Questions[i]
		start := max(lines.start(q.Line), pos)
		parts = appendText(parts, src[pos:start])
		end := questionEnd(src, lines, q)
		if i+1 < len(rep.Questions) {
			end = min(end, lines.start(rep.Questions[i+1].Line))
		}
		end = max(end, start)
		parts = append(parts, reportPart{Src: src[start:end], Question: q})
		pos = end
	}
	return appendText(parts, src[pos:])
}

// appendText adds text outside the questions as a part, unless it is blank.
func appendText(parts []reportPart, text []byte) []reportPart {
	if len(bytes.TrimSpace(text)) == 0 {
		return parts
	}
	return append(parts, reportPart{Src: text})
}

// questionEnd is the offset just past the line where q's answer ends (for
// an unanswered question: its prompt, or else its heading line). What
// follows up to the next question, such as a "## Section" heading, is not
// part of the question for parse either.
func questionEnd(src []byte, lines lineOffsets, q *parse.Question) int {
	from, text := lines.start(q.Line+1), q.Prompt // headings are one line
	if q.AnswerLine > 0 {
		from, text = lines.start(q.AnswerLine), q.Answer
	}
	end := lines.start(q.Line)
	if i := bytes.Index(src[from:], []byte(text)); text != "" && i >= 0 {
		end = from + i + len(text)
	}
	if nl := bytes.IndexByte(src[end:], '\n'); nl >= 0 {
		return end + nl + 1
	}
	return len(src)
}

// lineOffsets knows where each line of a text starts.
type lineOffsets struct {
	starts []int
	size   int
}

func newLineOffsets(src []byte) lineOffsets {
	l := lineOffsets{starts: []int{0}, size: len(src)}
	for i, c := range src {
		if c == '\n' {
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
