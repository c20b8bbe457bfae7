package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/url"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Message is one thing the browser reported about a page: a console call,
// an uncaught exception, or an entry of the browser's log (a blocked load,
// a Content-Security-Policy violation, ...).
type Message struct {
	// Level is "error", "warning", "info", "log" or "debug", and
	// "exception" for an uncaught exception.
	Level string
	// Source is the part of the browser that wrote a log entry ("security",
	// "network", "rendering", ...); empty for console calls and exceptions.
	Source string
	Text   string
	URL    string
	Line   int64 // 0-based, as the browser counts
}

// IsError reports whether the message is an error or an uncaught exception.
func (m Message) IsError() bool {
	return m.Level == string(chromedp.ConsoleError) || m.Level == string(chromedp.ConsoleException)
}

func (m Message) String() string {
	s := m.Level
	if m.Source != "" {
		s += " (" + m.Source + ")"
	}
	s += ": " + m.Text
	if m.URL != "" {
		s += fmt.Sprintf(" [%s:%d]", m.URL, m.Line+1)
	}
	return s
}

// reportCSPViolations runs before the page's own content and turns every
// securitypolicyviolation event into a console error. Chromium logs most
// violations itself; the event also covers the ones it only dispatches.
const reportCSPViolations = `document.addEventListener('securitypolicyviolation', e =>
	console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI + ' (line ' + e.lineNumber + ')'));`

// settledMarker is the console text that marks the end of a page's load in
// the message stream: everything before it was reported during the load.
const settledMarker = "handin-browser: page settled"

// Page is one file loaded in its own tab. Its tab closes when the test that
// loaded it ends.
type Page struct {
	url string
	ctx context.Context // the tab

	mu       sync.Mutex
	messages []Message
	settled  chan struct{} // closed when the settled marker arrives
	dom      string
}

// Load opens the local HTML file at path in a new tab, waits for its load
// event and for the messages reported during the load, and records the DOM.
// Scripts run through Eval are not subject to the page's CSP: they come from
// the DevTools protocol, not from the page.
func (b *Browser) Load(t testing.TB, path string) *Page {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	p := &Page{url: (&url.URL{Scheme: "file", Path: abs}).String(), ctx: ctx, settled: make(chan struct{})}
	// Subscribe before navigating, so that nothing said during the load is
	// lost. This first use of the context opens the tab, tied to ctx itself
	// (not to one action's timeout).
	go p.collect(chromedp.Console(ctx))
	if err := p.run(chromedp.Steps(
		chromedp.Func(func(ctx context.Context, tab *chromedp.Target) error {
			_, err := cdp.Call(ctx, tab, page.AddScriptToEvaluateOnNewDocument,
				page.AddScriptToEvaluateOnNewDocumentParams{Source: reportCSPViolations})
			return err
		}),
		chromedp.Navigate(p.url),
	)); err != nil {
		t.Fatalf("load %s: %v", p.url, err)
	}
	p.settle(t)
	p.Eval(t, `document.documentElement.outerHTML`, &p.dom)
	return p
}

// collect records the tab's messages until the tab closes.
func (p *Page) collect(messages iter.Seq2[chromedp.ConsoleMessage, error]) {
	settled := false
	for m, err := range messages {
		if err != nil {
			return
		}
		if m.Text == settledMarker && !settled {
			settled = true
			close(p.settled)
			continue
		}
		p.mu.Lock()
		p.messages = append(p.messages, Message{
			Level: string(m.Type), Source: m.Source, Text: m.Text, URL: m.URL, Line: m.Line,
		})
		p.mu.Unlock()
	}
}

// settle waits until the messages of the load have arrived: it lets the
// page's pending tasks run (violation events are dispatched in tasks of their
// own), then logs the settled marker, which the browser reports after them.
func (p *Page) settle(t testing.TB) {
	t.Helper()
	js := fmt.Sprintf(`new Promise(done => setTimeout(() => setTimeout(() => { console.debug(%q); done(); }, 0), 0))`, settledMarker)
	if err := p.run(chromedp.Evaluate[chromedp.Void](js, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("wait for %s to settle: %v", p.url, err)
	}
	select {
	case <-p.settled:
	case <-time.After(actionTimeout):
		t.Fatalf("%s: the console messages of the load did not arrive within %s", p.url, actionTimeout)
	}
}

// run runs an action in the page's tab, bounded by actionTimeout.
func (p *Page) run(action chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	return chromedp.Do(ctx, action)
}

// Console returns every message reported so far: console calls, uncaught
// exceptions and browser log entries, in order.
func (p *Page) Console() []Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.messages)
}

// DOM is document.documentElement.outerHTML after the load.
func (p *Page) DOM() string { return p.dom }

// Eval evaluates the JavaScript expression in the page and decodes its
// JSON value into out (awaiting it first if it is a promise).
func (p *Page) Eval(t testing.TB, js string, out any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: evaluate %q: %v", p.url, js, err)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("%s: decode the value of %q: %v", p.url, js, err)
	}
}

// EmulateMedia lays the page out for a CSS media type ("print": as it is
// printed; "" the screen again), for what Eval and Screenshot see next.
func (p *Page) EmulateMedia(t testing.TB, media string) {
	t.Helper()
	err := p.run(chromedp.Func(func(ctx context.Context, tab *chromedp.Target) error {
		_, err := cdp.Call(ctx, tab, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	}))
	if err != nil {
		t.Fatalf("%s: emulate media %q: %v", p.url, media, err)
	}
}
