package export

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"handin/grade"
	"handin/parse"
)

// isolationReport has text before, between and after four questions.
// Question 1's answer carries a payload inside a sentence, Question 3's at
// the start of a line (an HTML block for markdown).
const isolationReport = `# Report

Intro before the questions.

### Question 1

> **Describe it**

Answer:

Answer one alpha, we wrapped the model in a %[1]s tag and more words.

### Question 2

Answer:

Answer two bravo.

## Section

Text between charlie.

### Question 3

Answer:

%[2]s
answer three delta

### Question 4

> **Describe it** <weblink>

Answer:

Answer four echo.

## Closing

Text after foxtrot.
`

// reportParts are the separately rendered parts of a page's report.
func reportParts(t *testing.T, page *html.Node) []*html.Node {
	t.Helper()
	report := findAll(page, func(n *html.Node) bool { return attr(n, "class") == "report" })
	if len(report) != 1 {
		t.Fatalf("%d report containers", len(report))
	}
	return findAll(report[0], func(n *html.Node) bool { return attr(n, "class") == "handin-part" })
}

// partWith returns the index of the one part whose text contains s, or -1.
func partWith(parts []*html.Node, s string) int {
	found := -1
	for i, p := range parts {
		if strings.Contains(textContent(p), s) {
			if found >= 0 {
				return -1
			}
			found = i
		}
	}
	return found
}

// paragraphOf reports whether s is the text of a <p> that is a child of
// part: not swallowed into an element the payload left open.
func paragraphOf(part *html.Node, s string) bool {
	for c := part.FirstChild; c != nil; c = c.NextSibling {
		if c.Data == "p" && strings.TrimSpace(textContent(c)) == s {
			return true
		}
	}
	return false
}

func TestUnclosedMarkupStaysInItsAnswer(t *testing.T) {
	payloads := []struct {
		html    string
		removed string // the element the page says was removed; "" when it is allowed
		// endless: at the start of a line, markdown itself runs it to the
		// end of the document (TestUnclosedHTMLBlockIsNamedWithItsWords), so
		// it is only written inside a sentence.
		endless bool
	}{
		{"<script>", "<script>", true},
		{"<style>", "<style>", true},
		{"<textarea>", "<textarea>", true},
		{"<title>", "<title>", false},
		{"<xmp>", "<xmp>", false},
		{"<noscript>", "<noscript>", false},
		{`<iframe src="https://evil.example/">`, "<iframe>", false},
		{"<plaintext>", "<plaintext>", false},
		{"<select>", "<select>", false},
		{"<svg>", "<svg>", false},
		{"<math>", "<math>", false},
		{"<!-- unclosed", "", true}, // inside a sentence markdown shows it as text
		{"<table>", "", false},
		{"<details>", "", false},
		{"<b>", "", false},
		{`<a href="https://example.org/">`, "", false},
		{"<ul><li>", "", false},
	}
	for _, p := range payloads {
		t.Run(p.html, func(t *testing.T) {
			ws, out := t.TempDir(), t.TempDir()
			g := newGroup(1)
			lineStart := p.html
			if p.endless {
				lineStart = "no markup"
			}
			g.files["reports/README.md"] = fmt.Appendf(nil, isolationReport, p.html, lineStart)
			writeWorkspace(t, ws, g)
			export(t, ws, out)
			page := parseHTML(t, readFile(t, filepath.Join(out, "groups", "001.html")))
			assertNoActiveContent(t, page)
			parts := reportParts(t, page)

			// Every question in a part of its own, in order, with the text
			// outside the questions in parts of their own.
			want := []string{"Intro before the questions.", "Answer one alpha", "Answer two bravo.", "Text between charlie.",
				"Question 3", "Answer four echo.", "Text after foxtrot."}
			for i, s := range want {
				if got := partWith(parts, s); got != i {
					t.Errorf("%q is in part %d, want part %d (of %d)", s, got, i, len(parts))
				}
			}
			if len(parts) != len(want) {
				t.Fatalf("%d parts, want %d", len(parts), len(want))
			}
			for i, q := range map[int]int{1: 1, 2: 2, 3: 4, 4: 5} {
				if len(findAll(parts[q], byID(questionAnchor(i)))) != 1 {
					t.Errorf("part %d lacks the heading of Question %d", q, i)
				}
			}
			for part, s := range map[int]string{2: "Answer two bravo.", 3: "Text between charlie.", 5: "Answer four echo.", 6: "Text after foxtrot."} {
				if !paragraphOf(parts[part], s) {
					t.Errorf("%q is not a paragraph of its own part: swallowed by %s", s, p.html)
				}
			}

			// Removed HTML is named in the question it was removed from,
			// never in a question without any (Question 4's prompt has the
			// template's <weblink>).
			for q, part := range map[int]int{1: 1, 3: 4} {
				text := textContent(parts[part])
				switch {
				case q == 3 && p.endless: // not written there
				case p.removed == "" && strings.Contains(text, "HTML removed"):
					t.Errorf("Question %d: note about removed HTML, but %s is allowed", q, p.html)
				case p.removed != "" && !strings.Contains(text, "HTML removed from this answer (not allowed in this page): "+p.removed):
					t.Errorf("Question %d: no note naming %s", q, p.removed)
				}
			}
			for _, part := range []int{0, 2, 3, 5, 6} {
				if strings.Contains(textContent(parts[part]), "HTML removed") {
					t.Errorf("part %d: note about removed HTML it does not have", part)
				}
			}
		})
	}
}

// A line-start <script>, <style>, <pre>, <textarea> or <!-- that is never
// closed runs to the end of the document for markdown itself (CommonMark
// HTML blocks; GitHub hides the rest of the report too). The grader then
// sees no later question either, and the page says what was hidden.
func TestUnclosedHTMLBlockIsNamedWithItsWords(t *testing.T) {
	for _, payload := range []string{"<script>", "<!--"} {
		t.Run(payload, func(t *testing.T) {
			ws, out := t.TempDir(), t.TempDir()
			g := newGroup(1)
			g.files["reports/README.md"] = []byte("### Question 1\n\nAnswer:\n\nOne.\n\n" + payload + "\nhidden words\n\n### Question 2\n\nAnswer:\n\nTwo here.\n")
			writeWorkspace(t, ws, g)
			export(t, ws, out)
			page := parseHTML(t, readFile(t, filepath.Join(out, "groups", "001.html")))
			parts := reportParts(t, page)
			if len(parts) != 1 || len(findAll(page, byID("q2"))) != 0 {
				t.Fatalf("%d parts, Question 2 found: markdown no longer runs the block to the end; split here too", len(parts))
			}
			if text := textContent(parts[0]); !strings.Contains(text, "8 word(s) inside it are not shown") {
				t.Errorf("the note does not count the 8 hidden words (hidden words ### Question 2 Answer: Two here.): %q", text)
			}
		})
	}
}

func TestLinkReferencesResolveAcrossParts(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	g := newGroup(1)
	g.files["reports/README.md"] = []byte("### Question 1\n\nAnswer:\n\nSee [the docs][docs].\n\n### Question 2\n\nAnswer:\n\nTwo.\n\n[docs]: https://example.org/docs\n")
	writeWorkspace(t, ws, g)
	export(t, ws, out)
	page := parseHTML(t, readFile(t, filepath.Join(out, "groups", "001.html")))
	links := findAll(reportParts(t, page)[0], func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == "https://example.org/docs" })
	if len(links) != 1 || textContent(links[0]) != "the docs" {
		t.Errorf("reference defined in Question 2 not resolved in Question 1")
	}
}

// FuzzSplitReport: any text is cut into parts that follow each other in
// it, with nothing but blank text left out, and renders without an error.
func FuzzSplitReport(f *testing.F) {
	f.Add(fmt.Sprintf(isolationReport, "<script>", "<plaintext>"))
	f.Add("### Question 1\n\n> Answer: one\n### Question 1\n\n## Question 2\nAnswer:\n\n```\n### Question 3\n")
	f.Add("\ufeff---\na: b\n---\n### Question 1\r\nAnswer:\r\n\r\n<!--\r\n### Question 2\n")
	f.Fuzz(func(t *testing.T, report string) {
		rep, err := parse.Parse(prepareMarkdown([]byte(report)))
		if err != nil {
			return
		}
		pos := parse.FrontMatterEnd([]byte(rep.Text))
		for _, part := range splitReport(rep) {
			if part.Start < pos || strings.TrimSpace(rep.Text[pos:part.Start]) != "" || part.End <= part.Start {
				t.Fatalf("part %d-%d does not follow the previous one (up to %d) after blank text", part.Start, part.End, pos)
			}
			if len(rep.Plain) == 0 && string(part.Src) != rep.Text[part.Start:part.End] {
				t.Fatalf("part %q is not the text %q", part.Src, rep.Text[part.Start:part.End])
			}
			pos = part.End
		}
		if rest := rep.Text[pos:]; strings.TrimSpace(rest) != "" {
			t.Fatalf("text %q after the last part left out", rest)
		}
		r := &reportRenderer{figures: newFigureSource(nil, &grade.GroupResult{ReportPath: "reports/README.md"})}
		if _, err := r.render([]byte(report)); err != nil {
			t.Fatalf("render: %v", err)
		}
	})
}
