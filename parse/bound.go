package parse

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/yuin/goldmark/ast"
	goldparser "github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// goldmark takes more than linear time on some markup (docs/goldmark.md has
// each case and how to reproduce it): lists and quotes nested deep, a
// paragraph of many link reference definitions, and any paragraph dense
// with links, emphasis or code marks. A report is untrusted and may be
// 8 MiB, so before goldmark sees it, such markup is found and given to
// goldmark as plain text (the rest of the report is parsed as it is). No
// report written for people has any of it; Report.Plain says where it was.
const (
	// maxMarkerColumn: a list or quote marker that starts further right
	// than this column opens no list or quote (goldmark's time on a line
	// grows with the lists and quotes open on it times its length).
	maxMarkerColumn = 64
	// maxLinkReferences is the most link reference definitions read at the
	// start of one paragraph (goldmark's time grows with their number times
	// the paragraph's length).
	maxLinkReferences = 128
	// A block's inline markup costs goldmark up to the number of its
	// markup characters times its length, in steps of a few nanoseconds
	// at worst; the report's blocks may cost inlineCostPerByte per byte of
	// the report plus inlineCostFree (a few seconds in all), the costliest
	// blocks beyond that are read as text. A paragraph of 30 KB full of
	// unclosed marks reaches inlineCostFree; one with a mark every ten
	// bytes needs 100 KB.
	inlineCostPerByte = 64
	inlineCostFree    = 1 << 30
)

// PlainPart is markup of the report that was read as plain text, not as
// markdown, because goldmark cannot parse it in reasonable time.
type PlainPart struct {
	Line    int    `json:"line"`     // 1-based, of Report.Text
	EndLine int    `json:"end_line"` // the last line it spans
	Why     string `json:"why"`
}

// DescribePlain says where plain parts are, the first few one by one:
// "line 8 (why), lines 14-20 (why) and 3 more".
func DescribePlain(parts []PlainPart) string {
	const listed = 5
	where := make([]string, 0, listed)
	for _, p := range parts[:min(len(parts), listed)] {
		lines := fmt.Sprintf("lines %d-%d", p.Line, p.EndLine)
		if p.Line == p.EndLine {
			lines = fmt.Sprintf("line %d", p.Line)
		}
		where = append(where, fmt.Sprintf("%s (%s)", lines, p.Why))
	}
	if len(parts) > listed {
		return strings.Join(where, ", ") + fmt.Sprintf(" and %d more", len(parts)-listed)
	}
	return strings.Join(where, ", ")
}

// Range is the byte range [Start, Stop) of a text.
type Range struct{ Start, Stop int }

// bounded is a report's text as goldmark is given it: the same length,
// with the ASCII punctuation of literal (sorted, not overlapping) replaced
// by letters, so that markup there is read as text.
type bounded struct {
	src     []byte
	literal []Range
	plain   []PlainPart
	lines   lineIndex
}

// boundMarkup finds the markup of src goldmark cannot parse in linear time
// (see maxMarkerColumn and the others) and turns it into text. src is not
// changed.
func boundMarkup(src []byte, lines lineIndex) *bounded {
	b := &bounded{src: src, lines: lines}
	b.markers()
	b.blocks()
	slices.SortFunc(b.literal, func(x, y Range) int { return cmp.Compare(x.Start, y.Start) })
	b.literal = mergeRanges(b.literal)
	slices.SortFunc(b.plain, func(x, y PlainPart) int { return cmp.Compare(x.Line, y.Line) })
	return b
}

// asText makes the ASCII punctuation of src[r] text: goldmark reads no
// markup in letters. The text is copied before its first change.
func (b *bounded) asText(r Range) {
	if len(b.literal) == 0 {
		b.src = bytes.Clone(b.src)
	}
	b.literal = append(b.literal, r)
	for i := r.Start; i < r.Stop; i++ {
		if isASCIIPunct(b.src[i]) {
			b.src[i] = 'x'
		}
	}
}

// part records a plain part spanning the lines of byte offsets start and
// stop, or extends the previous one when it ends on the line before.
func (b *bounded) part(start, stop int, why string) {
	line, end := b.lines.line(start), b.lines.line(max(stop-1, start))
	if n := len(b.plain); n > 0 && b.plain[n-1].Why == why && b.plain[n-1].EndLine+1 >= line {
		b.plain[n-1].EndLine = max(b.plain[n-1].EndLine, end)
		return
	}
	b.plain = append(b.plain, PlainPart{Line: line, EndLine: end, Why: why})
}

func isASCIIPunct(c byte) bool {
	return '!' <= c && c <= '/' || ':' <= c && c <= '@' || '[' <= c && c <= '`' || '{' <= c && c <= '~'
}

// containerPrefix walks the list and quote markers at the start of a line
// (after its indentation): marker is called with each marker's offset,
// width and column until it returns false. It returns where the markers
// end.
func containerPrefix(line []byte, marker func(at, width, column int) bool) int {
	i, col := 0, 0
	for i < len(line) {
		switch c := line[i]; {
		case c == ' ':
			i, col = i+1, col+1
			continue
		case c == '\t':
			i, col = i+1, col+4-col%4
			continue
		}
		width := markerWidth(line[i:])
		if width == 0 || !marker(i, width, col) {
			return i
		}
		i, col = i+width, col+width
	}
	return i
}

// markerWidth is the length of the list or quote marker line starts with
// ("> ", "- ", "12. "), 0 when there is none.
func markerWidth(line []byte) int {
	spaceAfter := func(i int) bool { return i >= len(line) || line[i] == ' ' || line[i] == '\t' || line[i] == '\n' }
	switch c := line[0]; {
	case c == '>':
		return 1
	case c == '-' || c == '*' || c == '+':
		if spaceAfter(1) {
			return 1
		}
		return 0
	}
	digits := 0
	for digits < len(line) && digits < 9 && '0' <= line[digits] && line[digits] <= '9' {
		digits++
	}
	if digits > 0 && digits < len(line) && (line[digits] == '.' || line[digits] == ')') && spaceAfter(digits+1) {
		return digits + 1
	}
	return 0
}

// markers makes text of the first list or quote marker of each line that
// starts past maxMarkerColumn, unless the rest of the line is a thematic
// break ("- - - -", which goldmark reads at once).
func (b *bounded) markers() {
	for start := 0; start < len(b.src); {
		line := b.src[start:lineEnd(b.src, start)]
		containerPrefix(line, func(at, width, col int) bool {
			if col <= maxMarkerColumn {
				return true
			}
			if !thematicBreak(line[at:]) {
				b.asText(Range{start + at, start + at + width})
				b.part(start, start+len(line), fmt.Sprintf("lists or quotes nested past column %d", maxMarkerColumn))
			}
			return false
		})
		start += len(line) + 1
	}
}

// thematicBreak: line is three or more "-" or "*" (the same) and spaces.
func thematicBreak(line []byte) bool {
	mark, n := line[0], 0
	for _, c := range line {
		switch c {
		case mark:
			n++
		case ' ', '\t', '\n':
		default:
			return false
		}
	}
	return (mark == '-' || mark == '*') && n >= 3
}

// lineEnd is the offset of the newline ending the line at start, or the
// end of src.
func lineEnd(src []byte, start int) int {
	if i := bytes.IndexByte(src[start:], '\n'); i >= 0 {
		return start + i
	}
	return len(src)
}

// blockParser parses the block structure alone: paragraphs, headings,
// lists, code, but not link reference definitions. Its inline parse finds
// no markup.
var blockParser = sync.OnceValue(func() goldparser.Parser {
	return goldparser.NewParser(goldparser.WithBlockParsers(goldparser.DefaultBlockParsers()...))
})

// blocks bounds the markup of each block goldmark parses inline
// (paragraphs, headings): link reference definitions past the first
// maxLinkReferences of a paragraph, then the blocks whose inline markup
// costs most, until the report's cost is within budget. A block's cost is
// its markup characters times its length. The blocks are only looked at
// when the runs of non-blank lines (each holds whole blocks) exceed a
// bound.
func (b *bounded) blocks() {
	budget := inlineCostPerByte*len(b.src) + inlineCostFree
	if runsCost(b.src) <= budget && maxRunRefs(b.src) <= maxLinkReferences {
		return
	}
	type block struct {
		segments *text.Segments
		cost     int
	}
	var blocks []block
	total := 0
	doc := blockParser().Parse(text.NewReader(b.src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || n.Type() != ast.TypeBlock || n.IsRaw() || n.Lines().Len() == 0 {
			return ast.WalkContinue, nil
		}
		if n.Kind() == ast.KindParagraph {
			b.paragraphReferences(n.Lines())
		}
		marks, length := 0, 0
		for i := range n.Lines().Len() {
			s := n.Lines().At(i)
			marks += countInlineMarks(b.src[s.Start:s.Stop])
			length += s.Len()
		}
		blocks = append(blocks, block{n.Lines(), marks * length})
		total += marks * length
		return ast.WalkContinue, nil
	})
	slices.SortStableFunc(blocks, func(x, y block) int { return cmp.Compare(y.cost, x.cost) })
	for _, bl := range blocks {
		if total <= budget {
			break
		}
		total -= bl.cost
		for i := range bl.segments.Len() {
			s := bl.segments.At(i)
			b.asText(Range{s.Start, s.Stop})
		}
		first, last := bl.segments.At(0), bl.segments.At(bl.segments.Len()-1)
		b.part(first.Start, last.Stop, "links, emphasis or code marks too dense to parse")
	}
}

// paragraphReferences makes text of the "[" starting each line of a
// paragraph, after the first maxLinkReferences: each may begin a link
// reference definition.
func (b *bounded) paragraphReferences(lines *text.Segments) {
	refs := 0
	for i := range lines.Len() {
		s := lines.At(i)
		at := s.Start + len(s.Value(b.src)) - len(bytes.TrimLeft(s.Value(b.src), " \t"))
		if at >= s.Stop || b.src[at] != '[' {
			continue
		}
		if refs++; refs > maxLinkReferences {
			b.asText(Range{at, at + 1})
			b.part(lines.At(0).Start, lines.At(lines.Len()-1).Stop,
				fmt.Sprintf("more than %d link reference definitions in one paragraph", maxLinkReferences))
		}
	}
}

// runsCost is the cost of each run of non-blank lines as if it were one
// block: no less than the cost of the blocks in it.
func runsCost(src []byte) int {
	total := 0
	for _, run := range bytes.SplitAfter(src, []byte("\n\n")) {
		total += countInlineMarks(run) * len(run)
	}
	return total
}

// maxRunRefs is the most lines that start with "[" (after list and quote
// markers) in one run of non-blank lines: no less than the link reference
// definitions of any paragraph.
func maxRunRefs(src []byte) int {
	most, refs := 0, 0
	for start := 0; start < len(src); {
		end := lineEnd(src, start)
		line := src[start:end]
		if at := containerPrefix(line, func(int, int, int) bool { return true }); at < len(line) && line[at] == '[' {
			refs++
			most = max(most, refs)
		} else if len(bytes.TrimSpace(line)) == 0 {
			refs = 0
		}
		start = end + 1
	}
	return most
}

// countInlineMarks counts the characters that start inline markup in
// goldmark and its extensions handin uses: code spans, links and images,
// autolinks and HTML, emphasis, strikethrough and task boxes.
func countInlineMarks(s []byte) int {
	n := 0
	for _, c := range s {
		switch c {
		case '`', '[', ']', '!', '<', '*', '_', '~':
			n++
		}
	}
	return n
}

// mergeRanges joins sorted ranges that overlap or touch.
func mergeRanges(rs []Range) []Range {
	var out []Range
	for _, r := range rs {
		if n := len(out); n > 0 && r.Start <= out[n-1].Stop {
			out[n-1].Stop = max(out[n-1].Stop, r.Stop)
			continue
		}
		out = append(out, r)
	}
	return out
}
