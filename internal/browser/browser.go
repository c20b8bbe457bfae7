// Package browser loads local HTML files in headless Chromium for tests and
// reports what a real browser sees: console messages, uncaught exceptions,
// Content-Security-Policy violations, the DOM after load, values computed in
// the page, and a full-page screenshot. Tests skip loudly when no Chromium
// is installed.
package browser

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"handin/internal/slowtest"
)

// actionTimeout bounds every step in the browser: a page that never loads
// fails its test instead of hanging it.
const actionTimeout = 30 * time.Second

// candidates are the Chromium commands looked for, in order, after $CHROMIUM.
var candidates = []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"}

// Browser is one headless Chromium process; every Load opens a tab in it.
type Browser struct {
	ctx context.Context // holds the chromedp browser
}

// Open starts headless Chromium for the test and closes it when the test
// ends. Tests share one Browser across their subtests: starting Chromium is
// the slow part. Without Chromium the test is skipped with a loud message.
func Open(t testing.TB) *Browser {
	t.Helper()
	slowtest.Skip(t, "headless Chromium loads the pages")
	path := find(t)
	// chromedp gives the process a fresh temporary profile (--user-data-dir)
	// and removes it after. Without the background-networking flags Chromium
	// keeps dialing out, which a closed network answers with errors.
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // tests may run as root, where the sandbox cannot start
		chromedp.Flag("disable-gpu", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), // /dev/shm is tiny in containers
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first run starts the browser and ties it to its context: that one
	// must live as long as the browser, so it has no timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium %s: %v", path, err)
	}
	return &Browser{ctx: ctx}
}

// find returns the Chromium to run: $CHROMIUM when set (it must work), else
// the first of candidates on this machine; it skips the test when there is
// none.
func find(t testing.TB) string {
	t.Helper()
	if env := os.Getenv("CHROMIUM"); env != "" {
		path, err := exec.LookPath(env)
		if err != nil {
			t.Fatalf("CHROMIUM=%s: %v", env, err)
		}
		return path
	}
	for _, name := range candidates {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	t.Skipf("SKIPPED: no Chromium found (looked for $CHROMIUM and %v): the browser tests did NOT run. "+
		"Install it with `apt-get install chromium` (Debian/Ubuntu) or set CHROMIUM to its path.", candidates)
	return ""
}
