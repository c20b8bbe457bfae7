package browser

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ScreenshotDir is where screenshots go: $HANDIN_SCREENSHOTS, else
// handin-screenshots in the temporary folder. It outlives the test run, so a
// developer can look at the pages afterwards.
func ScreenshotDir() string {
	if dir := os.Getenv("HANDIN_SCREENSHOTS"); dir != "" {
		return dir
	}
	return filepath.Join(os.TempDir(), "handin-screenshots")
}

// Screenshot writes a PNG of the whole page (not only the window) to
// ScreenshotDir()/NAME.png, replacing an earlier one, logs and returns its
// path.
func (p *Page) Screenshot(t testing.TB, name string) string {
	t.Helper()
	return p.screenshot(t, name, true)
}

// ScreenshotWindow is Screenshot of what the window shows from the top of
// the page (the 1280×900 window less the browser's own bars): what a
// reader sees first.
func (p *Page) ScreenshotWindow(t testing.TB, name string) string {
	t.Helper()
	return p.screenshot(t, name, false)
}

func (p *Page) screenshot(t testing.TB, name string, wholePage bool) string {
	t.Helper()
	fast := true
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, func(ctx context.Context, tab *chromedp.Target) ([]byte, error) {
		shot, err := cdp.Call(ctx, tab, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format:                page.CaptureScreenshotFormatPng,
			CaptureBeyondViewport: &wholePage,
			OptimizeForSpeed:      &fast, // a larger file, in a fraction of the time
		})
		return shot.Data, err
	})
	if err != nil {
		t.Fatalf("screenshot of %s: %v", p.url, err)
	}
	dir := ScreenshotDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("screenshot of %s: %v", p.url, err)
	}
	file := filepath.Join(dir, fileName(name)+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatalf("screenshot of %s: %v", p.url, err)
	}
	t.Logf("screenshot of %s: %s", p.url, file)
	return file
}

// fileName makes a screenshot name (often a test name, with slashes and
// spaces) safe as a file name.
func fileName(name string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '-'
	}, name)
}
