package grade

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"handin/parse"
)

// How the checker's text for a question differs from the answer as written.
const (
	// SegmentStoppedEarly: a "###" or "##" inside the answer (a sub-heading,
	// code, a table) ended the checker's text there.
	SegmentStoppedEarly = "stopped-early"
	// SegmentStrayed: the checker's text starts elsewhere (a second
	// "Answer:") or runs on past the answer (a "#" heading after the last one).
	SegmentStrayed = "strayed"
)

// SegmentDiff is a question whose checker text is not its whole answer: the
// data of a checker-segmentation finding.
type SegmentDiff struct {
	Number  int    `json:"number"`
	Kind    string `json:"kind"` // SegmentStoppedEarly or SegmentStrayed
	Line    int    `json:"line"` // where the checker stopped or strayed
	Message string `json:"message"`
	// The checker's counts, and the whole answer's (parse.Question).
	CheckerWords  int `json:"checker_words"`
	CheckerImages int `json:"checker_images"`
	Words         int `json:"words"`
	Images        int `json:"images"`
	AnswerLine    int `json:"answer_line,omitempty"`
}

// CompareSegments lists the questions whose checker text differs from the
// answer parse found under the question's (first) heading. r must be the
// parse of the bytes run was emulated on. A crashed run has no questions to
// compare.
func CompareSegments(run *CheckerRun, r *parse.Report) ([]SegmentDiff, error) {
	if r.Text != run.text {
		return nil, errors.New("checker segments: the parsed report is not the text the checker read")
	}
	return run.segments(r), nil
}

// segments compares each question's checker text with its answer in r,
// parsed from the text the checker read.
func (run *CheckerRun) segments(r *parse.Report) []SegmentDiff {
	first := map[int]*parse.Question{}
	for i := range r.Questions {
		if q := &r.Questions[i]; first[q.Number] == nil {
			first[q.Number] = q
		}
	}
	diffs := []SegmentDiff{}
	for _, cq := range run.Questions {
		if d, differs := run.compare(cq, first[cq.Number]); differs {
			diffs = append(diffs, d)
		}
	}
	return diffs
}

func (run *CheckerRun) compare(cq CheckerQuestion, q *parse.Question) (SegmentDiff, bool) {
	d := SegmentDiff{Number: cq.Number, CheckerWords: cq.Words, CheckerImages: cq.Images}
	strayed := func(offset int, format string, args ...any) (SegmentDiff, bool) {
		d.Kind, d.Line, d.Message = SegmentStrayed, run.lines.line(offset), fmt.Sprintf(format, args...)
		return d, true
	}
	if q == nil {
		return strayed(cq.seg.start, `the report has no Question %d heading: the checker counted the text after "Answer:" on line %d`,
			cq.Number, cq.Line)
	}
	d.Words, d.Images, d.AnswerLine = q.Words, len(q.Images), q.AnswerLine
	got := trimmed(run.text, cq.seg)
	want, ok := run.answerSpan(q)
	gotEmpty := got.start == got.stop
	switch {
	case !ok:
		return strayed(cq.seg.start, `the checker counted the text after "Answer:" on line %d, not Question %d's answer`, cq.Line, cq.Number)
	case got == want, gotEmpty && q.Answer == "":
		return d, false
	case q.Answer == "":
		return strayed(got.start, "the answer is empty; the checker counted text from line %d on", run.lines.line(got.start))
	case got.start == want.start && got.stop < want.stop, gotEmpty && cq.seg.start <= want.start && cq.seg.stop <= want.stop:
		d.Kind, d.Line = SegmentStoppedEarly, run.lines.line(cq.seg.stop)
		mark := sectionCut
		if strings.HasPrefix(run.text[cq.seg.stop:], subHeadingCut) {
			mark = subHeadingCut
		}
		d.Message = fmt.Sprintf(`the checker stopped at the %q on line %d: it counted %d of the answer's %d words and %d of its %d images`,
			mark, d.Line, cq.Words, q.Words, cq.Images, len(q.Images))
		return d, true
	case got.start == want.start:
		past := trimmed(run.text, span{want.stop, cq.seg.stop}).start
		return strayed(past, "the checker ran past the answer's end and counted text from line %d on (%d words, the answer has %d)",
			run.lines.line(past), cq.Words, q.Words)
	}
	return strayed(cq.seg.start, `the checker counted the text after "Answer:" on line %d (%d words), not the answer from line %d (%d words)`,
		cq.Line, cq.Words, q.AnswerLine, q.Words)
}

// answerSpan finds a question's answer in the text: it starts on line
// q.AnswerLine (an empty answer is an empty span).
func (run *CheckerRun) answerSpan(q *parse.Question) (span, bool) {
	if q.Answer == "" {
		return span{}, true
	}
	from := run.lines.offset(q.AnswerLine)
	i := strings.Index(run.text[from:], q.Answer)
	if i < 0 {
		return span{}, false
	}
	return span{from + i, from + i + len(q.Answer)}, true
}

// trimmed is s without the white space around it (as parse trims answers).
func trimmed(text string, s span) span {
	t := text[s.start:s.stop]
	lead := len(t) - len(strings.TrimLeftFunc(t, unicode.IsSpace))
	body := strings.TrimSpace(t)
	if body == "" {
		return span{s.start, s.start}
	}
	return span{s.start + lead, s.start + lead + len(body)}
}
