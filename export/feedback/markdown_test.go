package feedback

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// TestTextIsTextWhenRendered: student text written with Text renders, with
// GitHub's markdown (GFM, autolinks included), as one paragraph of that
// text: no link, image, HTML or emphasis, and no mention, reference or URL
// left for GitHub to link in the rendered text.
func TestTextIsTextWhenRendered(t *testing.T) {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	// What GitHub links in rendered text: @login, #123, owner/repo#123,
	// URLs and addresses.
	linked := regexp.MustCompile(`@[A-Za-z0-9]|#[0-9]|https?:/|www\.[a-z]|[a-z]@[a-z]|:[a-z]+:`)
	for _, s := range []string{
		"figure ![x](https://evil.example/a.png) is missing",
		"[click](javascript:alert(1)) <img src=x onerror=alert(1)> <script>alert(2)</script>",
		"thanks @octocat and @org/team, see #12 and other/repo#3",
		"visit www.evil.example or https://evil.example/path or mail me@evil.example",
		"# heading\n- list\n| a | b |\n|---|---|\n> quote",
		"**bold** _em_ `code` ~~strike~~ &amp; &#60; :smile: \\[escaped\\]",
		"right-to-left \u202egnp.exe and zero\u200bwidth",
	} {
		out := Text(s)
		if strings.ContainsAny(out, "\n\r") {
			t.Errorf("Text(%q) = %q: more than one line", s, out)
		}
		var html bytes.Buffer
		if err := md.Convert([]byte(out), &html); err != nil {
			t.Fatal(err)
		}
		got := html.String()
		inner, ok := strings.CutPrefix(strings.TrimSuffix(got, "</p>\n"), "<p>")
		if !ok || strings.Contains(inner, "<") {
			t.Errorf("Text(%q) renders as %q: markup, not text", s, got)
		}
		text := strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&amp;", "&", "\u2060", "").Replace(inner)
		want := strings.NewReplacer("\n", " ", "\u202e", `\u202e`, "\u200b", `\u200b`).Replace(s)
		if text != want {
			t.Errorf("Text(%q) renders as the text %q", s, text)
		}
		if m := linked.FindString(strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(inner)); m != "" {
			t.Errorf("Text(%q) renders %q, which GitHub links", s, m)
		}
	}
}
