package export

import (
	"fmt"
	"strconv"

	"golang.org/x/net/html"
)

// figureBudget is what the figures inlined so far take of a page.
type figureBudget struct {
	bytes, pixels int64
}

// shownFigure is where a figure was inlined, for later uses of it.
type shownFigure struct {
	id       string // the <img> element's id
	question int    // 0 outside the questions
}

// placeFigure inlines a figure at its first use on the page, if the page
// has room for it; a later use of the same file links to the first (a
// report linking one 10 MB figure 200 times is one figure, not 2 GB), and a
// figure over the page's budget gets a note.
func (r *reportRenderer) placeFigure(img *html.Node, f figure, inLink bool) {
	if first, ok := r.shown[f.Path]; ok {
		img.Parent.InsertBefore(r.figureReference(f, first, inLink), img)
		img.Parent.RemoveChild(img)
		return
	}
	if reason := r.budget.refuse(f); reason != "" {
		r.omitted[f.Path] = true
		img.Parent.InsertBefore(note(reason), img)
		img.Parent.RemoveChild(img)
		return
	}
	r.budget.bytes += f.Size
	r.budget.pixels += f.pixels()
	id := "figure-" + strconv.Itoa(len(r.inlined)+1)
	setAttr(img, "id", id)
	setAttr(img, "src", figureMarker(len(r.inlined)))
	r.inlined = append(r.inlined, f)
	r.shown[f.Path] = shownFigure{id: id, question: r.question}
}

// figureReference stands for a figure already shown higher up the page: a
// link to it, or plain text inside a link (links do not nest).
func (r *reportRenderer) figureReference(f figure, first shownFigure, inLink bool) *html.Node {
	where := "above"
	if first.question != 0 && first.question != r.question {
		where = fmt.Sprintf("in Question %d above", first.question)
	}
	msg := fmt.Sprintf("↑ figure %s, shown %s", f.Path, where)
	if inLink {
		n := element("span", "class", "handin-ref")
		n.AppendChild(textNode(msg))
		return n
	}
	n := element("a", "class", "handin-ref", "href", "#"+first.id)
	n.AppendChild(textNode(msg))
	return n
}

// refuse says why f does not fit on the page any more; "" when it does.
func (b figureBudget) refuse(f figure) string {
	switch {
	case b.bytes+f.Size > maxPageFigureBytes:
		return fmt.Sprintf("figure %s (%s) not shown: the figures above already take %s of this page, and a page holds at most %s of figures; open it in the repository",
			f.Path, byteSize(f.Size), byteSize(b.bytes), byteSize(maxPageFigureBytes))
	case b.pixels+f.pixels() > maxPageFigurePixels:
		return fmt.Sprintf("figure %s (%d×%d pixels) not shown: the figures above already have %d megapixels, and a page shows at most %d; open it in the repository",
			f.Path, f.Width, f.Height, b.pixels/1_000_000, maxPageFigurePixels/1_000_000)
	}
	return ""
}
