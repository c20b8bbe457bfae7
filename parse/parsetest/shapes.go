// Package parsetest builds hostile reports for tests and benchmarks: the
// markdown shapes that made parsing, checking or rendering a report take
// more than linear time (issue 19), at any size.
package parsetest

import (
	"bytes"
	"fmt"
	"strings"
)

// Shape is one hostile report shape.
type Shape struct {
	Name string
	// Report is the shape at size bytes (a few bytes short of it, never
	// over).
	Report func(size int) []byte
	// TreeFiles is how many files the deadline tree beside the report
	// holds (Tree), for the shapes about figure files; 0 for the others.
	TreeFiles int
}

// Shapes are the hostile shapes, then Plain. The first ones are issue
// 19's; the others were found while fixing them.
var Shapes = []Shape{
	{Name: "link-open", Report: repeated("[a](")},   // unclosed links on one line
	{Name: "dash-list", Report: oneLine("- ")},      // lists nested on one line
	{Name: "ordered-list", Report: oneLine("1. ")},  // the same with ordered lists
	{Name: "quote", Report: oneLine(">")},           // block quotes nested on one line
	{Name: "link-refs", Report: numbered(linkRef)},  // link reference definitions
	{Name: "questions", Report: numbered(question)}, // "### Question" headings
	{Name: "parts-refs", Report: partsAndRefs},      // question parts and link references
	{Name: "missing-figures", Report: missingFigures, TreeFiles: 500_000},
	{Name: "indent-list", Report: indentedList},           // lists nested line after line
	{Name: "emphasis", Report: repeated("*_ ")},           // emphasis that never closes
	{Name: "link-titles", Report: repeated("[a](b \"\n")}, // link titles that never close
	{Name: "bracket-lines", Report: repeated("[]\n")},     // a paragraph of empty link texts
	{Name: "code-images", Report: codeImages},             // images inside code spans
	Plain,
}

// Plain is prose, line after line: what every shape is compared with.
var Plain = Shape{Name: "plain", Report: repeated("Some words of plain prose, line after line.\n")}

// Sizes are the sizes the shapes are benchmarked at: a real report is
// under 100 KB, and 8 MiB is the largest handin parses.
var Sizes = []struct {
	Name  string
	Bytes int
}{{"100KB", 100 << 10}, {"1MB", 1 << 20}, {"8MiB", 8 << 20}}

// repeated is unit repeated up to size bytes.
func repeated(unit string) func(int) []byte {
	return func(size int) []byte { return bytes.Repeat([]byte(unit), size/len(unit)) }
}

// oneLine is unit repeated on one line that ends in a word, so that a
// line of list markers is not read as a thematic break ("- - -").
func oneLine(unit string) func(int) []byte {
	return func(size int) []byte { return append(repeated(unit)(size-1), 'x') }
}

// numbered writes line(i) for i = 1, 2, ... while it fits in size bytes.
func numbered(line func(i int) string) func(int) []byte {
	return func(size int) []byte {
		var b bytes.Buffer
		for i := 1; ; i++ {
			l := line(i)
			if b.Len()+len(l) > size {
				return b.Bytes()
			}
			b.WriteString(l)
		}
	}
}

func linkRef(i int) string { return fmt.Sprintf("[ref%d]: https://example.com/%d\n", i, i) }

// question is a question heading with a short answer; the numbers run
// through 1-999, so most are repeated.
func question(i int) string { return fmt.Sprintf("### Question %d\n\nAnswer: w\n\n", 1+(i-1)%999) }

// partsAndRefs is half question headings, half link reference definitions
// used by none of them.
func partsAndRefs(size int) []byte {
	return append(numbered(question)(size/2), numbered(linkRef)(size-size/2)...)
}

// missingFigures is a question whose answer links distinct figures, from
// figures/f1.png on, a paragraph each: none of them is in Tree.
func missingFigures(size int) []byte {
	b := []byte("### Question 1\n\nAnswer:\n\n")
	figures := numbered(func(i int) string { return fmt.Sprintf("![](figures/f%d.png)\n\n", i) })(size - len(b))
	return append(b, figures...)
}

// indentedList is a list item in the item above, line after line.
func indentedList(size int) []byte {
	var b bytes.Buffer
	for indent := 0; ; indent += 2 {
		line := strings.Repeat(" ", indent) + "- a\n"
		if b.Len()+len(line) > size {
			return b.Bytes()
		}
		b.WriteString(line)
	}
}

// codeImages is a question whose answer is images inside code spans, a
// paragraph each.
func codeImages(size int) []byte {
	b := []byte("### Question 1\n\nAnswer:\n\n")
	return append(b, repeated("`![](f.png)`\n\n")(size-len(b))...)
}

// Tree is a deadline tree of n figures beside a report in reports/, none
// of which a shape links (the tree's are named g, the links' f).
func Tree(n int) []string {
	paths := make([]string, n)
	for i := range paths {
		paths[i] = fmt.Sprintf("reports/figures/g%d.png", i+1)
	}
	return paths
}
