package export

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	goldhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/net/html"
)

// markdown renders reports like GitHub does, minus autolinking. Raw HTML is
// let through here and removed by the sanitizer right after rendering.
var markdown = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList),
		goldmark.WithRendererOptions(goldhtml.WithUnsafe()),
	)
})

// sanitizer is the policy for student HTML: bluemonday's user-generated
// content policy (no script, style, event handler, form, iframe, object; only
// http, https, mailto and relative URLs). Images keep relative sources so the
// figure pass can inline them; data: URIs are not allowed from students, so
// every data: URI in a page is one this package produced.
var sanitizer = sync.OnceValue(newSanitizer) // built on first use, like templates

func newSanitizer() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoReferrerOnLinks(true)
	return p
}

// linkReferences are the link reference definitions ("[1]: https://...")
// of a whole report, by normalized label, as goldmark keeps them (the
// first definition of a label wins).
func linkReferences(src []byte) map[string]parser.Reference {
	ctx := parser.NewContext()
	markdown().Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	refs := map[string]parser.Reference{}
	for _, ref := range ctx.References() {
		refs[util.ToLinkReference(ref.Label())] = ref
	}
	return refs
}

// reportContext is a parse context whose link references are the whole
// report's: a part rendered on its own resolves a reference defined in
// another part, as on GitHub, without each part's context holding a copy
// of every definition.
type reportContext struct {
	parser.Context
	refs map[string]parser.Reference
}

func (c reportContext) Reference(label string) (parser.Reference, bool) {
	ref, ok := c.refs[label]
	return ref, ok
}

// safeHTML renders markdown to HTML and sanitizes it, saying what the
// sanitizer removed.
func safeHTML(src []byte, refs map[string]parser.Reference) ([]byte, htmlRemoval, error) {
	ctx := reportContext{Context: parser.NewContext(), refs: refs}
	doc := markdown().Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	replaceTaskCheckBoxes(doc)
	var raw bytes.Buffer
	if err := markdown().Renderer().Render(&raw, src, doc); err != nil {
		return nil, htmlRemoval{}, fmt.Errorf("render markdown: %w", err)
	}
	clean := sanitizer().SanitizeBytes(raw.Bytes())
	return clean, removedBetween(raw.Bytes(), clean), nil
}

// htmlRemoval is what the sanitizer took out of a piece of the report.
type htmlRemoval struct {
	Elements map[string]int // removed elements (start tags) by name
	Comments int
	Words    int // words of text that were inside removed elements or comments
}

func (r htmlRemoval) empty() bool { return len(r.Elements) == 0 && r.Comments == 0 && r.Words == 0 }

// minus is what r removed beyond what other removed: what the sanitizer
// took from an answer, not counting its question's prompt (the course's
// template writes "<weblink>" there).
func (r htmlRemoval) minus(other htmlRemoval) htmlRemoval {
	out := htmlRemoval{Elements: map[string]int{}, Comments: max(0, r.Comments-other.Comments), Words: max(0, r.Words-other.Words)}
	for name, n := range r.Elements {
		if n > other.Elements[name] {
			out.Elements[name] = n - other.Elements[name]
		}
	}
	return out
}

// message says in a sentence what was removed, for a note on the page.
func (r htmlRemoval) message(where string) string {
	var items []string
	for _, name := range slices.Sorted(maps.Keys(r.Elements)) {
		item := "<" + name + ">"
		if n := r.Elements[name]; n > 1 {
			item += fmt.Sprintf(" ×%d", n)
		}
		items = append(items, item)
	}
	switch r.Comments {
	case 0:
	case 1:
		items = append(items, "an HTML comment")
	default:
		items = append(items, fmt.Sprintf("%d HTML comments", r.Comments))
	}
	msg := "HTML removed from " + where + " (not allowed in this page)"
	if len(items) > 0 {
		msg += ": " + strings.Join(items, ", ")
	}
	if r.Words > 0 {
		msg += fmt.Sprintf("; %d word(s) inside it are not shown: read them in the report's source", r.Words)
	}
	return msg
}

// removedBetween compares HTML before and after sanitizing. Both are read
// with the tokenizer the sanitizer uses, so text inside <script> or an
// unclosed comment is seen as the sanitizer saw it.
func removedBetween(raw, clean []byte) htmlRemoval {
	if bytes.Equal(raw, clean) {
		return htmlRemoval{}
	}
	return countMarkup(raw).minus(countMarkup(clean))
}

// countMarkup counts the elements, comments and words of some HTML. Text is
// joined as the reader sees it ("https://<x>/y" is one word with or without
// the <x>), so only text that disappears changes the count.
func countMarkup(h []byte) htmlRemoval {
	c := htmlRemoval{Elements: map[string]int{}}
	var text bytes.Buffer
	z := html.NewTokenizer(bytes.NewReader(h))
	for {
		switch z.Next() {
		case html.ErrorToken:
			c.Words = len(strings.Fields(text.String()))
			return c
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			c.Elements[string(name)]++
		case html.TextToken:
			text.Write(z.Text())
		case html.CommentToken:
			c.Comments++
			text.WriteByte(' ')
			text.Write(z.Text())
			text.WriteByte(' ')
		}
	}
}
