// Package parse turns a report's markdown into questions, answers, images and
// a checklist. It is pure: bytes in, a Report out, no file system and no git.
package parse

import "sort"

// Report is one parsed exam report.
type Report struct {
	// Text is the report as parsed: UTF-8, BOM removed, CRLF folded to LF,
	// front matter kept (line numbers below count from its first line).
	Text string
	// Questions in document order, as found under "### Question N" headings.
	// A number may appear twice or not at all: that is drift, reported by grade.
	Questions []Question
	// Checklist sections in document order ("Week 1", "Week 2", ...).
	Checklist []ChecklistSection
	// InvalidUTF8 is the 1-based line of the first byte that is not UTF-8
	// (0 when the input is valid). Such input is parsed anyway, with invalid
	// bytes replaced by U+FFFD.
	InvalidUTF8 int
	// BOM: the file started with a byte-order mark (not part of Text).
	// Python's open() keeps it as the text's first character, which shifts
	// what the course checker's oldest versions skip.
	BOM bool
	// Plain lists the markup that was read as plain text because goldmark
	// cannot parse it in reasonable time (see boundMarkup); empty for any
	// report written for people.
	Plain []PlainPart

	literal []Range // the byte ranges of Text whose punctuation was read as text, sorted
}

// Markdown is Text[start:stop] as markdown that reads as goldmark read it:
// the punctuation of the plain parts escaped with a backslash, so that a
// renderer shows those characters as text, not markup.
func (r *Report) Markdown(start, stop int) []byte {
	out := make([]byte, 0, stop-start)
	i := sort.Search(len(r.literal), func(i int) bool { return r.literal[i].Stop > start })
	for pos := start; pos < stop; {
		if i == len(r.literal) || r.literal[i].Start >= stop {
			return append(out, r.Text[pos:stop]...)
		}
		lit := r.literal[i]
		out = append(out, r.Text[pos:max(pos, lit.Start)]...)
		for pos = max(pos, lit.Start); pos < min(lit.Stop, stop); pos++ {
			if isASCIIPunct(r.Text[pos]) {
				out = append(out, '\\')
			}
			out = append(out, r.Text[pos])
		}
		i++
	}
	return out
}

// Question is one "### Question N" section.
type Question struct {
	Number  int    // N from the heading
	Heading string // heading text as written, e.g. "Question 3"
	Line    int    // 1-based line of the heading
	// Prompt is the question's text between the heading and the answer.
	Prompt string
	// Answer is the raw markdown after the "Answer:" marker up to the next
	// question (or section) heading, with surrounding blank lines trimmed.
	Answer     string
	AnswerLine int // 1-based line where Answer starts (0 when no answer)
	// HasMarker is false when no "Answer:" marker was found in the section;
	// the answer is then everything after the question's quoted prompt.
	HasMarker bool
	// Words is the number of whitespace-separated tokens in Answer, exactly as
	// Python's str.split() counts them (the course checker's rule).
	Words int
	// Images are `![alt](target)` matches in Answer, the course checker's rule.
	Images []Image
	// Other things that look like figures but are not counted by the checker.
	HTMLImages  []Image // <img src=...>
	LinkImages  []Image // [text](x.png): a link where an image was meant
	CodeImages  []Image // `![alt](x.png)` inside code: shown as text, not an image
	Placeholder bool    // a "--- question N fill here ---" placeholder is still in the answer
	// OnlyPlaceholder: nothing but the placeholder (and whitespace) was written.
	OnlyPlaceholder bool
}

// Image is one image reference in an answer.
type Image struct {
	Alt    string
	Target string // as written (URL or path, unescaped)
	Line   int    // 1-based line in Report.Text
	// RawSpaces: the destination holds spaces without <...> around it
	// (`![x](figures/cloud bill.png)`). The course checker counts it, but
	// markdown (GitHub) shows the text, not an image. Target is then the
	// whole destination, spaces included.
	RawSpaces bool
}

// ChecklistSection is a checklist heading ("Week 1") with its items.
type ChecklistSection struct {
	Name  string
	Items []ChecklistItem
}

// ChecklistItem is one "* [ ]" / "* [x]" line.
type ChecklistItem struct {
	Text    string
	Module  string // module tag such as "M21" or "M2+M6", empty when none
	Checked bool
	Line    int
}

// Checked counts the checked items of a section.
func (s ChecklistSection) Checked() int {
	n := 0
	for _, it := range s.Items {
		if it.Checked {
			n++
		}
	}
	return n
}
