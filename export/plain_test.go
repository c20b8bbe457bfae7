package export

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestHostileMarkupShownAsText: markup that cannot be parsed in reasonable
// time (see parse.Report.Plain) is shown as the characters written, with a
// note saying where (lines of the report file, front matter included); the
// rest of the report is rendered as markdown.
func TestHostileMarkupShownAsText(t *testing.T) {
	deep := strings.Repeat("> ", 40) + "*deep*"
	dense := strings.Repeat("[a](", 100_000)
	page, parts := twoAnswerPage(t, "---\nlayout: default\n---\n", deep, dense+"\n\nand *this* is markdown.")
	quotes := findAll(parts[0], byTag("blockquote"))
	if len(quotes) != 33 || !strings.Contains(textContent(quotes[32]), strings.Repeat("> ", 6)+"deep") {
		t.Errorf("%d quotes, the deepest %q", len(quotes), textContent(quotes[len(quotes)-1]))
	}
	if got := textContent(parts[1]); !strings.Contains(got, dense) || len(findAll(parts[1], byTag("a"))) != 0 {
		t.Errorf("Question 2 does not show the unclosed links as text")
	}
	if ems := findAll(parts[1], byTag("em")); len(ems) != 1 || textContent(ems[0]) != "this" {
		t.Errorf("the paragraph after the text is not markdown: %d <em>", len(ems))
	}
	notes := findAll(page, func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "handin-note") })
	want := "Parts of this report are shown as plain text, not as markdown: markup that cannot be parsed in reasonable time, on line 8 (lists or quotes nested past column 64), line 14 (links, emphasis or code marks too dense to parse)."
	if len(notes) == 0 || !strings.Contains(textContent(notes[0]), want) {
		t.Errorf("no note %q", want)
	}
}

// TestDeepHTMLShownAsText: HTML nested deeper than a page can be parsed
// back (512 elements) gives a page all the same, with that part as text.
func TestDeepHTMLShownAsText(t *testing.T) {
	deep := strings.Repeat("<b>", 1000) + "bold"
	_, parts := twoAnswerPage(t, "", deep, "*fine*")
	pre := findAll(parts[0], byTag("pre"))
	if len(pre) != 1 || !strings.Contains(textContent(pre[0]), deep) || !strings.Contains(textContent(parts[0]), "this answer cannot be shown as markdown") {
		t.Errorf("Question 1 = %q", textContent(parts[0])[:min(200, len(textContent(parts[0])))])
	}
	if ems := findAll(parts[1], byTag("em")); len(ems) != 1 {
		t.Errorf("Question 2 is not markdown")
	}
}

// twoAnswerPage exports a group whose report is Questions 1 and 2 with
// these answers after head, and returns its page and the page's two parts.
func twoAnswerPage(t *testing.T, head, answer1, answer2 string) (*html.Node, []*html.Node) {
	t.Helper()
	ws, out := t.TempDir(), t.TempDir()
	g := newGroup(1)
	g.files["reports/README.md"] = []byte(head + "### Question 1\n\nAnswer:\n\n" + answer1 + "\n\n### Question 2\n\nAnswer:\n\n" + answer2 + "\n")
	writeWorkspace(t, ws, g)
	export(t, ws, out)
	page := parseHTML(t, readFile(t, filepath.Join(out, "groups", "001.html")))
	parts := reportParts(t, page)
	if len(parts) != 2 {
		t.Fatalf("%d parts", len(parts))
	}
	return page, parts
}
