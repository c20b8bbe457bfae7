package export

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"path/filepath"
	"strings"
	"testing"

	"handin/grade"
	"handin/internal/browser"
)

// maxPrintedPages is the most A4 pages a long report's page may print on:
// 31 answered questions and 25 screenshots.
const maxPrintedPages = 18

// screenshotPNG is a w×h figure that compresses as screenshots do: bands
// of colour, a little text-like noise.
func screenshotPNG(w, h int, seed uint8) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{R: 240, G: 244, B: 248, A: 255}
			if (y/40)%3 == int(seed)%3 && x%97 < 60 {
				c = color.NRGBA{R: 40 + seed, G: 60, B: 90, A: 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// longReportGroup is a group whose report answers 31 questions in 140
// words each (4340 words: real reports write 3500 to 4500), with 25
// screenshots, a 40-item checklist and a few reasons to look.
func longReportGroup(t *testing.T) testGroup {
	t.Helper()
	g := newGroup(31)
	var report strings.Builder
	report.WriteString("# Exam report\n\n## Overall project checklist\n\n")
	for week := 1; week <= 4; week++ {
		fmt.Fprintf(&report, "### Week %d\n\n", week)
		for i := range 10 {
			fmt.Fprintf(&report, "* [x] Do the task number %d of week %d of the course, as the course describes it (M%d)\n", i+1, week, week*7+i)
		}
		report.WriteString("\n")
	}
	words := strings.Repeat("We trained the model in the cloud and logged every run to the experiment tracker. ", 10) // 140 words
	g.files = map[string][]byte{}
	figure := 0
	var questions []grade.QuestionResult
	for q := 1; q <= 31; q++ {
		fmt.Fprintf(&report, "### Question %d\n\n> **Describe question %d of the exam: what you did, why, and what you learned"+
			" from it, with the tools of the course.**\n>\n> Recommended answer length: 100-200 words.\n>\n> Answer:\n\n%s\n\n", q, q, words)
		for range min(25-figure, map[bool]int{true: 2, false: 1}[q%3 == 0]) {
			figure++
			name := fmt.Sprintf("figures/f%02d.png", figure)
			fmt.Fprintf(&report, "![screenshot %d](%s)\n\n", figure, name)
			g.files["reports/"+name] = screenshotPNG(1600, 900, uint8(figure))
		}
		questions = append(questions, grade.QuestionResult{Number: q, Words: 140, WordRange: &grade.Range{Min: 100, Max: 200}, Pass: true})
	}
	if figure != 25 {
		t.Fatalf("%d figures, want 25", figure)
	}
	g.files["reports/README.md"] = []byte(report.String())
	r := g.result
	r.Check.Questions, r.Check.Passed = questions, 31
	r.Findings = []grade.Finding{
		finding(grade.KindTickedWithoutEvidence, 0, "ticked without evidence in the repository: “Do the task number 3 of week 2”: looked for it"),
		finding(grade.KindPlaceholder, 12, "the template placeholder is still in the answer"),
		finding(grade.KindLateCommits, 0, "2 late commits after the commit that counts change neither the report nor its figures"),
	}
	r.State = grade.StateCheck
	return g
}

// A long report's page prints on at most maxPrintedPages A4 pages, its
// first holding the header with the state, the reasons and the commit that
// counts; no block taller than a page is kept together (it would be pushed
// to the next page, leaving this one empty), and figures are at most a
// quarter of a page tall.
func TestLongReportPrintsCompactly(t *testing.T) {
	b := browser.Open(t)
	ws, out := t.TempDir(), t.TempDir()
	writeWorkspace(t, ws, longReportGroup(t))
	export(t, ws, out)
	page := b.Load(t, filepath.Join(out, "groups", "031.html"))

	n := browser.PDFPages(page.PrintToPDF(t))
	if n > maxPrintedPages || n < 5 {
		t.Errorf("printed on %d A4 pages, want at most %d (and the report in them)", n, maxPrintedPages)
	}
	t.Logf("printed on %d A4 pages", n)
	page.EmulatePaper(t)
	var laid struct {
		HeaderBottom float64 `json:"headerBottom"`
		Reasons      int     `json:"reasons"`
		Figures      int     `json:"figures"`
		TallFigures  int     `json:"tallFigures"`
	}
	page.Eval(t, fmt.Sprintf(`(() => {
		const header = document.querySelector('header');
		const figures = [...document.querySelectorAll('.report img')];
		return {headerBottom: header.getBoundingClientRect().bottom + scrollY, reasons: header.querySelectorAll('ol.reasons li').length,
			figures: figures.length, tallFigures: figures.filter(i => i.getBoundingClientRect().height > %d / 4 + 1).length};
	})()`, browser.PrintHeight), &laid)
	if laid.HeaderBottom > float64(browser.PrintHeight) || laid.Reasons != 2 {
		t.Errorf("printed, the header (%d reasons) ends at %.0f pixels: want it and its 2 reasons on page 1 (%d pixels)",
			laid.Reasons, laid.HeaderBottom, browser.PrintHeight)
	}
	if kept := page.KeptTogether(t, browser.PrintHeight/2); len(kept) > 0 {
		t.Errorf("blocks kept together taller than half a page: %q", kept)
	}
	if laid.Figures != 25 || laid.TallFigures > 0 {
		t.Errorf("%d figures, %d taller than a quarter of a page; want 25, none", laid.Figures, laid.TallFigures)
	}
}
