package parse

import (
	"bytes"
	"errors"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"handin/internal/lazyregexp"
)

// MaxSize is the largest report parsed; real reports are under 100 KB.
const MaxSize = 8 << 20

// Errors for input that is not a report at all.
var (
	ErrEmpty    = errors.New("empty file")
	ErrBinary   = errors.New("binary file (NUL bytes), not markdown")
	ErrTooLarge = errors.New("file too large for a report (over 8 MiB)")
)

// Only the task-list extension: parsing needs structure (headings, code,
// checklists), not rendering features such as linkify.
// It is built on first use (nothing of handin runs at start-up).
var markdown = sync.OnceValue(func() goldmark.Markdown { return goldmark.New(goldmark.WithExtensions(extension.TaskList)) })

var (
	questionHeading = &lazyregexp.Regexp{Expr: `(?i)^\s*question\s*(\d{1,3})\b`}
	// The course checker's image rule: re.findall(r"\!\[.*?\]\(.*?\)", answer).
	checkerImage = &lazyregexp.Regexp{Expr: `!\[(.*?)\]\((.*?)\)`}
	htmlImage    = &lazyregexp.Regexp{Expr: `(?is)<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))`}
	// A plain link whose target looks like an image file (findImages skips
	// matches right after "!", which are images).
	linkImage   = &lazyregexp.Regexp{Expr: `(?i)\[([^\][]*)\]\(\s*<?([^)\s>]+\.(?:png|jpe?g|gif|webp|svg|bmp))>?(?:\s+"[^"]*")?\s*\)`}
	placeholder = &lazyregexp.Regexp{Expr: `(?i)-{2,}\s*question\s*\d+\s*fill\s*here\s*-{2,}`}
	moduleTag   = &lazyregexp.Regexp{Expr: `\((M\d+(?:\s*[+,/&]\s*M\d+)*)\)\s*$`}
)

// QuestionNumber reads N from a question heading's text ("Question N", any
// case, whatever follows).
func QuestionNumber(heading string) (int, bool) {
	m := questionHeading.FindStringSubmatch(heading)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

// Parse parses a report. It fails only for input that is not markdown text
// (empty, binary, too large); any markdown gives a Report.
func Parse(data []byte) (*Report, error) {
	switch {
	case len(data) > MaxSize:
		return nil, ErrTooLarge
	case bytes.IndexByte(data, 0) >= 0:
		return nil, ErrBinary
	}
	src, invalid := Normalize(data)
	if len(bytes.TrimSpace(src)) == 0 {
		return nil, ErrEmpty
	}
	lines := newLineIndex(src)
	md := boundMarkup(blankFrontMatter(src), lines)
	doc := markdown().Parser().Parse(text.NewReader(md.src))
	p := &parser{src: src, lines: lines}
	p.collectCode(doc)
	r := &Report{Text: string(src), InvalidUTF8: invalid, BOM: bytes.HasPrefix(data, utf8BOM), Plain: md.plain, literal: md.literal}
	r.Questions = p.questions(doc)
	r.Checklist = p.checklist(doc, r.Questions)
	return r, nil
}

// utf8BOM is the byte-order mark some editors write at a file's start.
var utf8BOM = []byte("\xef\xbb\xbf")

// Normalize returns UTF-8 text without BOM and with LF line endings, as
// Python's text-mode open() (the course checker) reads it, and the line of
// the first invalid UTF-8 byte (0 when there is none).
func Normalize(data []byte) (src []byte, invalidLine int) {
	data = bytes.TrimPrefix(data, utf8BOM)
	if !utf8.Valid(data) {
		invalidLine = 1 + bytes.Count(data[:firstInvalid(data)], []byte("\n"))
		data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	return data, invalidLine
}

func firstInvalid(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(data)
}

// FrontMatterEnd is the offset where the markdown starts after a leading
// YAML front matter block ("---" lines around it) of normalized text, or 0.
func FrontMatterEnd(src []byte) int {
	if !bytes.HasPrefix(src, []byte("---\n")) {
		return 0
	}
	end := bytes.Index(src[4:], []byte("\n---\n"))
	if end < 0 {
		return 0
	}
	return 4 + end + len("\n---\n")
}

// blankFrontMatter hides the front matter from goldmark (it would read "---"
// as a setext heading) while keeping every byte offset.
func blankFrontMatter(src []byte) []byte {
	end := FrontMatterEnd(src)
	if end == 0 {
		return src
	}
	out := bytes.Clone(src)
	for i := range end {
		if out[i] != '\n' {
			out[i] = ' '
		}
	}
	return out
}

type parser struct {
	src   []byte
	lines lineIndex
	code  []span // byte ranges inside code spans and code blocks
}

type span struct{ start, stop int }

// collectCode records where code is, so images written inside backticks can
// be told apart from images that render.
func (p *parser) collectCode(doc ast.Node) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.CodeSpan:
			if first, last := n.FirstChild(), n.LastChild(); first != nil {
				if a, ok := first.(*ast.Text); ok {
					b, _ := last.(*ast.Text)
					if b == nil {
						b = a
					}
					p.code = append(p.code, span{a.Segment.Start, b.Segment.Stop})
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			if lines := n.Lines(); lines.Len() > 0 {
				p.code = append(p.code, span{lines.At(0).Start, lines.At(lines.Len() - 1).Stop})
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	sort.Slice(p.code, func(i, j int) bool { return p.code[i].start < p.code[j].start })
}

func (p *parser) inCode(offset int) bool {
	i := sort.Search(len(p.code), func(i int) bool { return p.code[i].stop > offset })
	return i < len(p.code) && p.code[i].start <= offset
}

// heading is a top-level ATX heading with the byte offset of its line.
type heading struct {
	level     int
	text      string
	lineStart int // offset of the heading's first line
	lineEnd   int // offset just past the heading's last line
	number    int // question number, 0 when not a question heading
}

func (p *parser) headings(doc ast.Node) []heading {
	var hs []heading
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok {
			continue
		}
		lines := h.Lines()
		start := h.Pos()
		end := start
		if lines.Len() > 0 {
			start = min(start, lines.At(0).Start)
			end = lines.At(lines.Len() - 1).Stop
		}
		if start < 0 {
			continue
		}
		lineStart := p.lines.lineStart(start)
		if !bytes.HasPrefix(bytes.TrimLeft(p.src[lineStart:], " "), []byte("#")) {
			// A setext heading: in real reports that is text followed by a
			// "---" line meant as a rule, never a question or section title.
			continue
		}
		hd := heading{level: h.Level, text: inlineText(h, p.src), lineStart: lineStart, lineEnd: p.lines.nextLine(end)}
		if h.Level >= 2 && h.Level <= 4 {
			hd.number, _ = QuestionNumber(hd.text)
		}
		hs = append(hs, hd)
	}
	return hs
}

// questions cuts the document at its question headings. A question's section
// ends at the next question heading or the next section heading (level 1-2);
// level-3+ headings students write inside an answer stay in the answer.
func (p *parser) questions(doc ast.Node) []Question {
	hs := p.headings(doc)
	var qs []Question
	for i, h := range hs {
		if h.number == 0 {
			continue
		}
		end := len(p.src)
		for _, next := range hs[i+1:] {
			if next.number != 0 || next.level <= 2 {
				end = next.lineStart
				break
			}
		}
		qs = append(qs, p.question(h, h.lineEnd, end))
	}
	return qs
}

// answerMarker finds where an answer starts in a question's section: after
// the template's quoted "> Answer:" line, or else after the first line that
// starts with "Answer:" (markup such as ">", "**" or "_" may come before it).
// It returns -1 when there is no marker.
func answerMarker(section []byte) int {
	const marker = "Answer:"
	unquoted := -1
	for off := 0; ; {
		i := bytes.Index(section[off:], []byte(marker))
		if i < 0 {
			return unquoted
		}
		at := off + i
		lineStart := bytes.LastIndexByte(section[:at], '\n') + 1
		prefix := section[lineStart:at]
		if len(bytes.Trim(prefix, " \t>*_")) == 0 {
			if bytes.IndexByte(prefix, '>') >= 0 {
				return at + len(marker)
			}
			if unquoted < 0 {
				unquoted = at + len(marker)
			}
		}
		off = at + len(marker)
	}
}

func (p *parser) question(h heading, start, end int) Question {
	q := Question{Number: h.number, Heading: h.text, Line: p.lines.line(h.lineStart)}
	section := p.src[start:end]
	answerStart := start + answerMarker(section)
	q.HasMarker = answerStart >= start
	if !q.HasMarker {
		answerStart = start + promptEnd(section)
	}
	q.Prompt = strings.TrimSpace(string(p.src[start:answerStart]))
	answer := p.src[answerStart:end]
	// Trim white space around the answer (the checker strips newlines; the
	// word count is the same either way), remembering where the text starts.
	lead := len(answer) - len(bytes.TrimLeft(answer, " \t\n"))
	answerStart += lead
	q.Answer = strings.TrimSpace(string(answer))
	if strings.TrimSpace(q.Answer) != "" {
		q.AnswerLine = p.lines.line(answerStart)
	}
	q.Words = pyWordCount(q.Answer)
	p.findImages(&q, answerStart)
	q.Placeholder = placeholder.MatchString(q.Answer)
	rest := StripPlaceholders(q.Answer)
	rest = markupAroundPlaceholder.Replace(rest)
	q.OnlyPlaceholder = q.Placeholder && strings.TrimSpace(rest) == ""
	return q
}

// markupAroundPlaceholder is what may wrap a placeholder that was left alone
// (code spans, quote markers).
var markupAroundPlaceholder = strings.NewReplacer("`", "", ">", "")

// promptEnd finds where an answer starts in a section without an "Answer:"
// marker (the oldest templates): after the quoted prompt below the heading.
func promptEnd(section []byte) int {
	off := 0
	for off < len(section) {
		next := bytes.IndexByte(section[off:], '\n')
		if next < 0 {
			next = len(section) - off - 1
		}
		line := bytes.TrimSpace(section[off : off+next+1])
		if len(line) > 0 && line[0] != '>' {
			return off
		}
		off += next + 1
	}
	return len(section)
}

func (p *parser) findImages(q *Question, base int) {
	for _, m := range checkerImage.FindAllStringSubmatchIndex(q.Answer, -1) {
		img := Image{Alt: q.Answer[m[2]:m[3]], Line: p.lines.line(base + m[0])}
		img.Target, img.RawSpaces = imageTarget(q.Answer[m[4]:m[5]])
		if p.inCode(base + m[0]) {
			q.CodeImages = append(q.CodeImages, img)
		}
		q.Images = append(q.Images, img)
	}
	for _, m := range htmlImage.FindAllStringSubmatchIndex(q.Answer, -1) {
		target := ""
		for g := 2; g < len(m); g += 2 {
			if m[g] >= 0 {
				target = q.Answer[m[g]:m[g+1]]
				break
			}
		}
		q.HTMLImages = append(q.HTMLImages, Image{Target: strings.TrimSpace(target), Line: p.lines.line(base + m[0])})
	}
	for _, m := range linkImage.FindAllStringSubmatchIndex(q.Answer, -1) {
		if m[0] > 0 && q.Answer[m[0]-1] == '!' {
			continue
		}
		q.LinkImages = append(q.LinkImages, Image{Alt: q.Answer[m[2]:m[3]], Target: q.Answer[m[4]:m[5]], Line: p.lines.line(base + m[0])})
	}
}

// imageTarget takes the destination out of an image's parenthesis as
// markdown reads it: `<path with spaces>`, `path "title"`. A destination
// with spaces that are neither inside <...> nor before a title makes no
// image in markdown: rawSpaces is then true and target the whole text.
func imageTarget(s string) (target string, rawSpaces bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "<") {
		if i := strings.IndexByte(s, '>'); i > 0 {
			return s[1:i], false
		}
	}
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, false
	}
	if linkTitle(strings.TrimSpace(s[i:])) {
		return s[:i], false
	}
	return s, true
}

// linkTitle reports whether s is a markdown link title: "...", '...' or
// (...).
func linkTitle(s string) bool {
	if len(s) < 2 {
		return false
	}
	switch last := s[len(s)-1]; s[0] {
	case '"', '\'':
		return last == s[0]
	case '(':
		return last == ')'
	}
	return false
}

// checklist collects task-list items before the first question, grouped by
// the heading above them.
func (p *parser) checklist(doc ast.Node, qs []Question) []ChecklistSection {
	limit := len(p.src)
	if len(qs) > 0 {
		limit = p.lines.offset(qs[0].Line)
	}
	var sections []ChecklistSection
	current := ""
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if pos := blockStart(n); pos >= limit {
			break
		}
		switch n := n.(type) {
		case *ast.Heading:
			current = inlineText(n, p.src)
		case *ast.List:
			for item := n.FirstChild(); item != nil; item = item.NextSibling() {
				it, ok := p.taskItem(item)
				if !ok {
					continue
				}
				if len(sections) == 0 || sections[len(sections)-1].Name != current {
					sections = append(sections, ChecklistSection{Name: current})
				}
				s := &sections[len(sections)-1]
				s.Items = append(s.Items, it)
			}
		}
	}
	return sections
}

func (p *parser) taskItem(item ast.Node) (ChecklistItem, bool) {
	block := item.FirstChild()
	if block == nil {
		return ChecklistItem{}, false
	}
	box, ok := block.FirstChild().(*extast.TaskCheckBox)
	if !ok {
		return ChecklistItem{}, false
	}
	txt := strings.Join(strings.Fields(inlineText(block, p.src)), " ")
	it := ChecklistItem{Text: txt, Checked: box.IsChecked, Line: p.lines.line(blockStart(block))}
	if m := moduleTag.FindStringSubmatch(txt); m != nil {
		it.Module = strings.ReplaceAll(m[1], " ", "")
	}
	return it, true
}

func blockStart(n ast.Node) int {
	if lines := n.Lines(); lines != nil && lines.Len() > 0 {
		return lines.At(0).Start
	}
	if pos := n.Pos(); pos >= 0 {
		return pos
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if pos := blockStart(c); pos >= 0 {
			return pos
		}
	}
	return -1
}

// inlineText is the plain text of a node's inline children.
func inlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.AutoLink:
			b.Write(c.Label(src))
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// StripPlaceholders removes the template's "--- question N fill here ---"
// placeholders from a text.
func StripPlaceholders(s string) string { return placeholder.ReplaceAllString(s, "") }
