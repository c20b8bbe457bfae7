package export

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"handin/grade"
	"handin/parse"
	"handin/workspace"
)

// reportRenderer turns one report into safe HTML. It is used by one
// goroutine at a time.
type reportRenderer struct {
	figures   *figureSource
	blobBase  string // "https://github.com/o/r/blob/SHA/" for repo links; "" when unknown
	questions map[int]grade.QuestionResult
	anchors   map[int]bool // question anchors placed so far
	question  int          // the question being rendered; 0 outside questions
	inlined   []figure     // distinct figures to splice in, by marker number
	shown     map[string]shownFigure
	budget    figureBudget    // what the inlined figures take of the page
	omitted   map[string]bool // figures left out because the page was full
}

// render converts report markdown into sanitized HTML with question anchors
// (#qN) and a badge on every question heading. Each part of the report (see
// splitReport) is rendered, sanitized and parsed on its own, in a <div
// class="handin-part">. Inlined figures are left as markers (see
// figureMarker) for writeReport to splice in.
func (r *reportRenderer) render(src []byte) ([]byte, error) {
	rep, err := parse.Parse(prepareMarkdown(src))
	switch {
	case errors.Is(err, parse.ErrEmpty):
		return nil, nil
	case err != nil: // grown past parse.MaxSize by the bytes replaced
		return noteHTML(nil, fmt.Sprintf("The report cannot be shown: %v.", err))
	}
	refs := linkReferences(rep.Markdown(parse.FrontMatterEnd([]byte(rep.Text)), len(rep.Text)))
	r.anchors = map[int]bool{}
	r.shown = map[string]shownFigure{}
	r.omitted = map[string]bool{}
	var parts bytes.Buffer
	for _, part := range splitReport(rep) {
		if err := r.renderPart(&parts, part, refs); err != nil {
			return nil, err
		}
	}
	var notes []byte
	if len(rep.Plain) > 0 {
		if notes, err = noteHTML(notes, plainNote(rep.Plain)); err != nil {
			return nil, err
		}
	}
	if len(r.omitted) > 0 {
		msg := fmt.Sprintf("%d figure(s) not shown because this page already holds as many figures as one page may (%s, %d megapixels): %s. A note marks each place.",
			len(r.omitted), byteSize(maxPageFigureBytes), maxPageFigurePixels/1_000_000, strings.Join(slices.Sorted(maps.Keys(r.omitted)), ", "))
		if notes, err = noteHTML(notes, msg); err != nil {
			return nil, err
		}
	}
	return append(notes, parts.Bytes()...), nil
}

// noteHTML appends a note standing on its own to out.
func noteHTML(out []byte, msg string) ([]byte, error) {
	var b bytes.Buffer
	if err := html.Render(&b, paragraph(note(msg))); err != nil {
		return nil, fmt.Errorf("render report: %w", err)
	}
	return append(out, b.Bytes()...), nil
}

// plainNote says which parts of the report are shown as plain text.
func plainNote(parts []parse.PlainPart) string {
	return "Parts of this report are shown as plain text, not as markdown: markup that cannot be parsed in reasonable time, on " +
		parse.DescribePlain(parts) + "."
}

// renderPart renders one part of the report into out, with a note when the
// sanitizer removed HTML from it.
func (r *reportRenderer) renderPart(out *bytes.Buffer, part reportPart, refs map[string]parser.Reference) error {
	clean, removed, err := safeHTML(part.Src, refs)
	if err != nil {
		return err
	}
	where := "this part of the report"
	r.question = 0
	if q := part.Question; q != nil {
		if bytes.IndexByte(part.Prompt, '<') >= 0 { // no HTML to remove without "<"
			_, inPrompt, err := safeHTML(part.Prompt, refs)
			if err != nil {
				return err
			}
			removed = removed.minus(inPrompt)
		}
		where, r.question = "this answer", q.Number
	}
	div := element("div", "class", "handin-part")
	nodes, err := html.ParseFragment(bytes.NewReader(clean), div)
	if err != nil { // elements nested over 512 deep
		div.AppendChild(paragraph(note(fmt.Sprintf("%s cannot be shown as markdown (%v); its text as written:", where, err))))
		pre := element("pre")
		pre.AppendChild(textNode(part.Text))
		div.AppendChild(pre)
		nodes = nil
	}
	for _, n := range nodes {
		div.AppendChild(n)
	}
	r.rewrite(div, false)
	if !removed.empty() {
		div.AppendChild(paragraph(note(removed.message(where))))
	}
	if err := html.Render(out, div); err != nil {
		return fmt.Errorf("render report: %w", err)
	}
	return nil
}

// prepareMarkdown reads the report as the parser does (BOM dropped, LF line
// endings, invalid UTF-8 replaced) and replaces NUL bytes (NUL delimits
// figure markers).
func prepareMarkdown(src []byte) []byte {
	src, _ = parse.Normalize(src)
	return bytes.ReplaceAll(src, []byte{0}, []byte("\uFFFD"))
}

// figureMarker stands for the n-th inlined figure in the rendered report:
// figures are streamed in from their files as the page is written, instead
// of pushing megabytes of base64 through the HTML renderer's escaping. The
// report cannot contain NUL bytes (prepareMarkdown), so markers are unique.
func figureMarker(n int) string { return "\x00" + strconv.Itoa(n) + "\x00" }

// writeReport writes the rendered report to w with every figure marker
// replaced by its data: URI, read from the snapshot as it is written.
func writeReport(w io.Writer, report []byte, figures []figure, snap *workspace.Snapshot) error {
	for {
		start := bytes.IndexByte(report, 0)
		if start < 0 {
			_, err := w.Write(report)
			return err
		}
		end := bytes.IndexByte(report[start+1:], 0)
		if end < 0 {
			return errors.New("unterminated figure marker")
		}
		n, err := strconv.Atoi(string(report[start+1 : start+1+end]))
		if err != nil || n < 0 || n >= len(figures) {
			return fmt.Errorf("bad figure marker %q", report[start+1:start+1+end])
		}
		if _, err := w.Write(report[:start]); err != nil {
			return err
		}
		if err := writeDataURI(w, snap, figures[n]); err != nil {
			return err
		}
		report = report[start+end+2:]
	}
}

// replaceTaskCheckBoxes turns task list boxes into ☑/☐ text: the sanitizer
// drops <input> elements, and a form control has no place in the page anyway.
func replaceTaskCheckBoxes(doc ast.Node) {
	var boxes []*extast.TaskCheckBox
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if box, ok := n.(*extast.TaskCheckBox); ok && entering {
			boxes = append(boxes, box)
		}
		return ast.WalkContinue, nil
	})
	for _, box := range boxes {
		mark := "☐ "
		if box.IsChecked {
			mark = "☑ "
		}
		box.Parent().ReplaceChild(box.Parent(), box, ast.NewString([]byte(mark)))
	}
}

// rewrite walks the sanitized tree: it drops student ids (anchors are ours),
// replaces every <img> by an inlined figure, a link or a placeholder, and
// marks question headings.
func (r *reportRenderer) rewrite(n *html.Node, inLink bool) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			removeAttr(c, "id")
			switch c.DataAtom {
			case atom.Img:
				r.replaceImage(c, inLink)
			case atom.H2, atom.H3, atom.H4:
				r.markQuestion(c)
				r.rewrite(c, inLink)
			case atom.A:
				r.rewriteLink(c)
				r.rewrite(c, true)
			default:
				r.rewrite(c, inLink || c.DataAtom == atom.A)
			}
		}
		c = next
	}
}

// rewriteLink points links to files of the repository ("../src/train.py")
// at the file on GitHub at the deadline commit, since the page does not sit
// in the repository. Links it cannot resolve lose their target.
func (r *reportRenderer) rewriteLink(a *html.Node) {
	href := attr(a, "href")
	u, err := url.Parse(href)
	if u != nil && u.Scheme == "" && u.Host != "" {
		// "//host/x" is https on GitHub, but file://host/x (a network
		// share) in a page opened from disk.
		setAttr(a, "href", "https:"+href)
		return
	}
	if href == "" || err != nil || u.Scheme != "" || u.Path == "" {
		return // absolute URL, in-page anchor, or no link at all
	}
	ref := r.figures.resolver.Resolve(href)
	if ref.Kind != grade.FigureInRepo || r.blobBase == "" {
		removeAttr(a, "href")
		return
	}
	setAttr(a, "href", r.blobBase+(&url.URL{Path: ref.Path}).EscapedPath())
}

func (r *reportRenderer) replaceImage(img *html.Node, inLink bool) {
	f := r.figures.resolve(attr(img, "src"))
	switch {
	case f.inline():
		r.placeFigure(img, f, inLink)
		return
	case f.Remote != "" && !inLink:
		link := element("a", "class", "handin-note", "href", f.Remote, "rel", "nofollow noreferrer")
		link.AppendChild(textNode("remote image, not fetched: " + f.Remote))
		img.Parent.InsertBefore(link, img)
	case f.Remote != "":
		img.Parent.InsertBefore(note("remote image, not fetched: "+f.Remote), img)
	default:
		img.Parent.InsertBefore(note(f.Note), img)
	}
	img.Parent.RemoveChild(img)
}

// markQuestion gives the first heading of each question its anchor (#qN)
// and appends the question's badges.
func (r *reportRenderer) markQuestion(h *html.Node) {
	num, ok := parse.QuestionNumber(textContent(h))
	if !ok || r.anchors[num] {
		return
	}
	r.anchors[num] = true
	setAttr(h, "id", questionAnchor(num))
	q, ok := r.questions[num]
	if !ok {
		return
	}
	for _, b := range questionBadges(q) {
		h.AppendChild(textNode(" "))
		h.AppendChild(badgeNode(b))
	}
}

func questionAnchor(num int) string { return "q" + strconv.Itoa(num) }

// badge is one small label next to a question heading.
type badge struct {
	Text string
	OK   bool
}

func questionBadges(q grade.QuestionResult) []badge {
	words := badge{Text: fmt.Sprintf("words %d", q.Words), OK: true}
	if q.WordRange != nil {
		words = badge{Text: fmt.Sprintf("words %d / %d–%d", q.Words, q.WordRange.Min, q.WordRange.Max), OK: q.WordRange.Contains(q.Words)}
	}
	badges := []badge{words}
	if q.ImageRange != nil {
		badges = append(badges, badge{Text: fmt.Sprintf("images %d / %d–%d", q.Images, q.ImageRange.Min, q.ImageRange.Max), OK: q.ImageRange.Contains(q.Images)})
	}
	missing := 0
	for _, f := range q.Findings {
		switch {
		case f.Kind == grade.KindUnanswered:
			badges = append(badges, badge{Text: "unanswered"})
		case f.Kind.MissingFigure():
			missing++
		}
	}
	if missing > 0 {
		badges = append(badges, badge{Text: fmt.Sprintf("%d missing figure(s)", missing)})
	}
	return badges
}

func badgeNode(b badge) *html.Node {
	class := "handin-badge bad"
	if b.OK {
		class = "handin-badge ok"
	}
	n := element("span", "class", class)
	n.AppendChild(textNode(b.Text))
	return n
}

// paragraph wraps a node in a <p>, for notes that stand on their own.
func paragraph(n *html.Node) *html.Node {
	p := element("p")
	p.AppendChild(n)
	return p
}

func note(msg string) *html.Node {
	n := element("span", "class", "handin-note")
	n.AppendChild(textNode("⚠ " + msg))
	return n
}

// element makes an element node; attrs are key, value pairs.
func element(tag string, attrs ...string) *html.Node {
	n := &html.Node{Type: html.ElementNode, Data: tag, DataAtom: atom.Lookup([]byte(tag))}
	for i := 0; i+1 < len(attrs); i += 2 {
		n.Attr = append(n.Attr, html.Attribute{Key: attrs[i], Val: attrs[i+1]})
	}
	return n
}

func textNode(s string) *html.Node { return &html.Node{Type: html.TextNode, Data: s} }

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func setAttr(n *html.Node, key, val string) {
	for i := range n.Attr {
		if n.Attr[i].Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

func removeAttr(n *html.Node, key string) {
	kept := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Key != key {
			kept = append(kept, a)
		}
	}
	n.Attr = kept
}

func textContent(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
