package browser

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"handin/internal/lazyregexp"
)

// A4 paper, as Chromium prints it: inches, and the CSS pixels of the area
// inside its default margins (0.4 inch a side) at 96 pixels an inch.
const (
	a4Width, a4Height = 8.27, 11.69
	printMargin       = 0.4
	// PrintWidth and PrintHeight are the CSS pixels one printed A4 page
	// holds (717.12 by 1045.44).
	PrintWidth  = 717
	PrintHeight = 1045
)

// PrintToPDF prints the page as Chromium's print dialog does on A4, with
// backgrounds, and returns the PDF.
func (p *Page) PrintToPDF(t testing.TB) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 4*actionTimeout) // a long page takes a while
	defer cancel()
	background, margin := true, printMargin
	pdf, err := chromedp.Run(ctx, func(ctx context.Context, tab *chromedp.Target) ([]byte, error) {
		printed, err := cdp.Call(ctx, tab, page.PrintToPDF, page.PrintToPDFParams{
			PaperWidth: a4Width, PaperHeight: a4Height, PrintBackground: &background,
			MarginTop: &margin, MarginBottom: &margin, MarginLeft: &margin, MarginRight: &margin,
		})
		return printed.Data, err
	})
	if err != nil {
		t.Fatalf("print %s to PDF: %v", p.url, err)
	}
	return pdf
}

// pdfPage is a page object of a PDF (not the /Pages tree above them).
var pdfPage = &lazyregexp.Regexp{Expr: `/Type\s*/Page\b`}

// PDFPages counts the pages of a PDF Chromium printed (its page objects are
// written as they are, not in compressed object streams).
func PDFPages(pdf []byte) int { return len(pdfPage.FindAllSubmatch(pdf, -1)) }

// EmulatePaper lays the page out as it is printed on A4: print media, as
// wide as the printed area, so that what Eval measures next is where it
// falls on paper (PrintHeight pixels a page).
func (p *Page) EmulatePaper(t testing.TB) {
	t.Helper()
	p.EmulateMedia(t, "print")
	err := p.run(chromedp.Func(func(ctx context.Context, tab *chromedp.Target) error {
		_, err := cdp.Call(ctx, tab, emulation.SetDeviceMetricsOverride,
			emulation.SetDeviceMetricsOverrideParams{Width: int64(PrintWidth), Height: int64(PrintHeight), DeviceScaleFactor: 1})
		return err
	}))
	if err != nil {
		t.Fatalf("%s: emulate paper: %v", p.url, err)
	}
}

// KeptTogether lists the elements laid out to be kept on one page
// (break-inside: avoid) that are taller than height pixels, as tag.class:
// printed, each is pushed whole to the next page when it does not fit,
// leaving the rest of this one empty.
func (p *Page) KeptTogether(t testing.TB, height int) []string {
	t.Helper()
	var kept []string
	p.Eval(t, fmt.Sprintf(`[...document.body.querySelectorAll('*')].filter(e => {
		const s = getComputedStyle(e);
		return (s.breakInside === 'avoid' || s.breakInside === 'avoid-page') && e.getBoundingClientRect().height > %d;
	}).map(e => e.tagName + '.' + e.className)`, height), &kept)
	return kept
}
