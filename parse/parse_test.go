package parse

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"handin/parse/parsetest"
)

// report builds a small synthetic report from question bodies; each body is
// what follows the "### Question N" heading.
func report(bodies ...string) string {
	var b strings.Builder
	b.WriteString("# Exam template for 02476 Machine Learning Operations\n\nIntro text.\n\n## Group information\n\n")
	for i, body := range bodies {
		b.WriteString("### Question " + string(rune('1'+i)) + "\n" + body + "\n")
	}
	return b.String()
}

func mustParse(t *testing.T, src string) *Report {
	t.Helper()
	r, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return r
}

func question(t *testing.T, r *Report, n int) Question {
	t.Helper()
	for _, q := range r.Questions {
		if q.Number == n {
			return q
		}
	}
	t.Fatalf("question %d not found; have %d questions", n, len(r.Questions))
	return Question{}
}

func TestAnswerSegmentation(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		answer    string
		words     int
		hasMarker bool
	}{
		{"template marker", "> **Prompt?**\n>\n> Answer:\n\nWe used three tools.\n", "We used three tools.", 4, true},
		{"answer on the quoted marker line", "> **Prompt?**\n>\n> Answer: We used Hydra.\n", "We used Hydra.", 3, true},
		{"answer wrapped in dashes", "> **Prompt?**\n>\n> Answer:\n\n--- 42 ---\n", "--- 42 ---", 3, true},
		{"the word Answer: inside the answer", "> Answer:\n\nThe Answer: is yes, twice Answer: here.\n", "The Answer: is yes, twice Answer: here.", 7, true},
		{"level-3 subheading inside the answer", "> Answer:\n\nFirst part.\n\n### Our setup\n\nSecond part.\n", "First part.\n\n### Our setup\n\nSecond part.", 7, true},
		{"text then --- line is not a heading", "> Answer:\n\n![fig](figures/a.png)\n---\n", "![fig](figures/a.png)\n---", 2, true},
		{"section heading ends the answer", "> Answer:\n\nShort answer.\n\n## Coding environment\n\n> In the following section.\n", "Short answer.", 2, true},
		{"no marker (oldest template)", "> **What framework did you choose?**\n\nWe used PyTorch.\n", "We used PyTorch.", 3, false},
		{"bold marker", "> **Prompt?**\n>\n> **Answer:**\n\nBold marker answer.\n", "**\n\nBold marker answer.", 4, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := question(t, mustParse(t, report(tt.body)), 1)
			if q.Answer != tt.answer || q.Words != tt.words || q.HasMarker != tt.hasMarker {
				t.Errorf("answer=%q words=%d marker=%v; want %q %d %v", q.Answer, q.Words, q.HasMarker, tt.answer, tt.words, tt.hasMarker)
			}
		})
	}
}

func TestDeletedHeadingDoesNotShiftAnswers(t *testing.T) {
	src := "# Report\n\n### Question 1\n> Answer:\n\nGroup 3\n\n### Question 3\n> Answer:\n\nthree words here\n\n### Question 4\n> Answer:\n\nfour\n"
	r := mustParse(t, src)
	if len(r.Questions) != 3 {
		t.Fatalf("got %d questions, want 3", len(r.Questions))
	}
	if q := question(t, r, 3); q.Answer != "three words here" || q.Line != 8 {
		t.Errorf("Q3 = %q at line %d", q.Answer, q.Line)
	}
	if q := question(t, r, 4); q.Answer != "four" {
		t.Errorf("Q4 = %q", q.Answer)
	}
}

func TestBOMCRLFAndFrontMatterParseLikePlainText(t *testing.T) {
	plain := "---\nlayout: default\nnav_exclude: true\n---\n\n" + report("> Answer:\n\nGroup 42\n", "> Answer:\n\ns123456, s654321\n")
	crlf := "\xef\xbb\xbf" + strings.ReplaceAll(plain, "\n", "\r\n")
	a, b := mustParse(t, plain), mustParse(t, crlf)
	if len(a.Questions) != 2 || len(b.Questions) != 2 {
		t.Fatalf("questions: %d and %d, want 2", len(a.Questions), len(b.Questions))
	}
	for i := range a.Questions {
		qa, qb := a.Questions[i], b.Questions[i]
		if qa.Answer != qb.Answer || qa.Words != qb.Words || qa.Line != qb.Line {
			t.Errorf("Q%d differs: %+v vs %+v", qa.Number, qa, qb)
		}
	}
	if a.Text != b.Text {
		t.Error("normalized text differs")
	}
}

func TestPlaceholders(t *testing.T) {
	r := mustParse(t, report(
		"> Answer:\n\n--- question 1 fill here ---\n",
		"> Answer:\n\n--- question 2 fill here ---\n\nWe did write something.\n",
		"> Answer:\n\n```--- question 3 fill here ---```\n",
		"> Answer:\n\nAll written.\n",
	))
	want := []struct{ placeholder, only bool }{{true, true}, {true, false}, {true, true}, {false, false}}
	for i, w := range want {
		q := r.Questions[i]
		if q.Placeholder != w.placeholder || q.OnlyPlaceholder != w.only {
			t.Errorf("Q%d: placeholder=%v only=%v, want %v %v", q.Number, q.Placeholder, q.OnlyPlaceholder, w.placeholder, w.only)
		}
	}
}

func TestImages(t *testing.T) {
	body := "> Answer:\n\n" +
		"![bucket](figures/bucket.png)\n\n" +
		"As code: `![shown as text](figures/code.png)`\n\n" +
		"<img src=\"figures/html.png\" width=\"300\">\n\n" +
		"[a link](figures/link.PNG) and [docs](https://example.org/page)\n\n" +
		"![remote](https://example.org/x.png \"title\") ![angle](<figures/with space.png>)\n"
	q := question(t, mustParse(t, report(body)), 1)
	targets := func(imgs []Image) []string {
		var out []string
		for _, img := range imgs {
			out = append(out, img.Target)
		}
		return out
	}
	check := func(name string, got []Image, want ...string) {
		t.Helper()
		if g := strings.Join(targets(got), "|"); g != strings.Join(want, "|") {
			t.Errorf("%s = %q, want %q", name, g, strings.Join(want, "|"))
		}
	}
	// The checker counts every ![..](..) match, also the one in backticks.
	check("Images", q.Images, "figures/bucket.png", "figures/code.png", "https://example.org/x.png", "figures/with space.png")
	check("CodeImages", q.CodeImages, "figures/code.png")
	check("HTMLImages", q.HTMLImages, "figures/html.png")
	check("LinkImages", q.LinkImages, "figures/link.PNG")
	if q.Images[0].Line != 10 {
		t.Errorf("first image on line %d, want 10", q.Images[0].Line)
	}
}

// TestImageDestinations: a destination is read as markdown reads it; one
// with spaces that are neither in <...> nor before a title makes no image on
// GitHub, and is kept whole and marked.
func TestImageDestinations(t *testing.T) {
	for _, tt := range []struct {
		written, target string
		rawSpaces       bool
	}{
		{"![x](figures/a.png)", "figures/a.png", false},
		{`![x](figures/a.png "a title")`, "figures/a.png", false},
		{"![x](figures/a.png 'a title')", "figures/a.png", false},
		{"![x]( figures/a.png )", "figures/a.png", false},
		{"![x](<figures/cloud bill.png>)", "figures/cloud bill.png", false},
		{`![x](<figures/cloud bill.png> "title")`, "figures/cloud bill.png", false},
		{"![x](figures/W%26B%20loss.png)", "figures/W%26B%20loss.png", false},
		{"![x](figures/cloud bill.jpeg)", "figures/cloud bill.jpeg", true},
		{"![x](figures/cloud  bill final.jpeg)", "figures/cloud  bill final.jpeg", true},
		{`![x](figures/a b.png "title")`, `figures/a b.png "title"`, true},
	} {
		q := question(t, mustParse(t, report("> Answer:\n\n"+tt.written+"\n")), 1)
		if len(q.Images) != 1 {
			t.Fatalf("%s: %d images", tt.written, len(q.Images))
		}
		if img := q.Images[0]; img.Target != tt.target || img.RawSpaces != tt.rawSpaces {
			t.Errorf("%s: target %q raw spaces %v, want %q %v", tt.written, img.Target, img.RawSpaces, tt.target, tt.rawSpaces)
		}
	}
}

func TestByteOrderMark(t *testing.T) {
	src := report("> Answer:\n\n42\n")
	if mustParse(t, src).BOM {
		t.Error("BOM without one")
	}
	r := mustParse(t, "\ufeff"+src)
	if !r.BOM || r.Text != src {
		t.Errorf("BOM %v, text starts %q", r.BOM, r.Text[:10])
	}
}

func TestChecklist(t *testing.T) {
	src := "# Report\n\n## Overall project checklist\n\n### Week 1\n\n* [x] Create a git repository (M5)\n* [ ] Remember the files\n    `pyproject.toml` up-to-date (M2+M6)\n* [X] Use profiling (M12)\n\n### Extra\n\n* [ ] Write documentation (M32)\n* plain bullet\n\n## Group information\n\n### Question 1\n> Answer:\n\n* [x] not a checklist item\n"
	r := mustParse(t, src)
	if len(r.Checklist) != 2 {
		t.Fatalf("sections: %+v", r.Checklist)
	}
	w1 := r.Checklist[0]
	if w1.Name != "Week 1" || len(w1.Items) != 3 || w1.Checked() != 2 {
		t.Errorf("Week 1 = %+v", w1)
	}
	if got := w1.Items[1]; got.Module != "M2+M6" || got.Checked || !strings.HasPrefix(got.Text, "Remember the files") {
		t.Errorf("item = %+v", got)
	}
	if got := r.Checklist[1]; got.Name != "Extra" || len(got.Items) != 1 || got.Items[0].Module != "M32" || got.Items[0].Line != 14 {
		t.Errorf("Extra = %+v", got)
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrEmpty},
		{"only whitespace", []byte(" \n\r\n\t"), ErrEmpty},
		{"binary", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), ErrBinary},
		{"too large", bytes.Repeat([]byte("word "), MaxSize/5+1), ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse(tt.data); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
	r, err := Parse([]byte(report("> Answer:\n\ncaf\xe9 latin-1 text\n")))
	if err != nil || r.InvalidUTF8 != 10 || question(t, r, 1).Words != 3 {
		t.Errorf("invalid UTF-8: err=%v report=%+v", err, r)
	}
}

func TestPyWordCount(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"  one  two\tthree\nfour  ", 4},
		{"no\u00a0break", 2},       // NBSP is whitespace to Python
		{"zero\u200bwidth", 1},     // ZWSP is not
		{"info\x1cseparator", 2},   // Python splits on U+001C..U+001F
		{"ideographic\u3000sp", 2}, // U+3000
		{"next\u0085line", 2},
		{"--- 42 ---", 3},
	}
	for _, tt := range tests {
		if got := pyWordCount(tt.in); got != tt.want {
			t.Errorf("pyWordCount(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// FuzzParse: any input either fails with one of the documented errors or
// gives a report whose invariants hold; it never panics. Repeated to 512 KiB,
// it parses in time linear in its size (see checkLinearTime). The seeds
// include every hostile shape of package parsetest.
func FuzzParse(f *testing.F) {
	f.Add([]byte(report("> Answer:\n\nGroup 1\n", "> Answer: s123456\n")))
	f.Add([]byte("---\na: b\n---\n### Question 1\n> Answer:\n![x](y.png) `![c](d)` <img src=e>\n## End\n"))
	f.Add([]byte("### Question 99999999999999999999\n### Question 1\n###\n* [x] a (M1)\n"))
	f.Add([]byte("\xef\xbb\xbf### Question 1\r\n> Answer:\r\n\r\n--- question 1 fill here ---\r\n"))
	if oddities, err := os.ReadFile("../testdata/reports/oddities.md"); err == nil {
		f.Add(oddities)
	}
	for _, shape := range parsetest.Shapes {
		f.Add(shape.Report(256))
	}
	for _, nesting := range []string{"1. ", ">", "+ ", "- * ", "> 1) "} { // one line when repeated
		f.Add([]byte(nesting))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkInvariants(t, data)
		checkLinearTime(t, data)
	})
}

func checkInvariants(t *testing.T, data []byte) {
	r, err := Parse(data)
	if err != nil {
		if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrBinary) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("undocumented error %v", err)
		}
		return
	}
	lines := strings.Count(r.Text, "\n") + 1
	for _, q := range r.Questions {
		if q.Words != pyWordCount(q.Answer) || q.Line < 1 || q.Line > lines || q.AnswerLine > lines {
			t.Fatalf("bad question %+v (text has %d lines)", q, lines)
		}
		if len(q.CodeImages) > len(q.Images) {
			t.Fatalf("more code images than images: %+v", q)
		}
	}
	for _, p := range r.Plain {
		if p.Line < 1 || p.EndLine < p.Line || p.EndLine > lines {
			t.Fatalf("plain part %+v outside the text (%d lines)", p, lines)
		}
	}
	if len(r.Plain) == 0 && string(r.Markdown(0, len(r.Text))) != r.Text {
		t.Fatalf("Markdown is not the text")
	}
}

// checkLinearTime fails when data repeated to 512 KiB takes more than
// slowdown times as long to parse as plain prose of that size (or more
// than maxBound): a linear parse of any markup stays well under it (40
// times at most is measured), a quadratic one is far over it (seconds to
// hours). The prose is parsed just before, in this process, so a slow or
// busy machine slows both; a slow parse is tried again before it fails,
// and a parse over the bound is not waited for.
func checkLinearTime(t *testing.T, data []byte) {
	const size, slowdown, maxBound, tries = 512 << 10, 200, 30 * time.Second, 3
	if len(data) == 0 || len(data) > size {
		return
	}
	big := bytes.Repeat(data, size/len(data))
	plain := parsetest.Plain.Report(len(big))
	var bound time.Duration
	for range tries {
		bound = min(slowdown*min(parseTime(plain), parseTime(plain)), maxBound)
		if parsedWithin(big, bound) {
			return
		}
	}
	t.Fatalf("%q repeated to %d bytes takes more than %v to parse (%d times plain prose of that size, or %v)",
		data[:min(len(data), 80)], len(big), bound, slowdown, maxBound)
}

func parseTime(src []byte) time.Duration {
	start := time.Now()
	_, _ = Parse(src)
	return time.Since(start)
}

// parsedWithin reports whether src parses within limit. A parse over the
// limit goes on in the background until it ends.
func parsedWithin(src []byte, limit time.Duration) bool {
	done := make(chan struct{})
	go func() {
		_, _ = Parse(src)
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(limit):
		return false
	}
}
