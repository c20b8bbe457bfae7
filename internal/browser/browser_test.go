package browser

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// strictCSP is the policy of the exported pages: no script, images only as
// data: URIs.
const strictCSP = `default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'`

// writePage writes an HTML page into a fresh folder and returns its path.
func writePage(t *testing.T, html string) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(name, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// pngDataURI is a w×h PNG as a data: URI.
func pngDataURI(t *testing.T, w, h int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, h/2, color.RGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())
}

// errorsMatching returns the error messages whose text contains every part.
func errorsMatching(messages []Message, parts ...string) []Message {
	var out []Message
	for _, m := range messages {
		if !m.IsError() {
			continue
		}
		all := true
		for _, p := range parts {
			all = all && strings.Contains(m.Text, p)
		}
		if all {
			out = append(out, m)
		}
	}
	return out
}

func TestBrowser(t *testing.T) {
	b := Open(t)

	t.Run("strict CSP page", func(t *testing.T) {
		page := b.Load(t, writePage(t, `<!DOCTYPE html><html><head>
<meta http-equiv="Content-Security-Policy" content="`+strictCSP+`">
<title>strict</title></head><body>
<p style="color: green">inline styles are allowed</p>
<script>console.log("the page's own script ran")</script>
<img id="inlined" alt="inlined" src="`+pngDataURI(t, 37, 11)+`">
<img id="remote" alt="remote" src="http://127.0.0.1:9/x.png">
</body></html>`))
		console := page.Console()
		for _, m := range console {
			t.Log(m)
			if strings.Contains(m.Text, "own script ran") {
				t.Errorf("the CSP let the page's script run: %s", m)
			}
		}
		// Chromium's own report and the securitypolicyviolation event, for
		// the inline script and for the remote image.
		for _, parts := range [][]string{
			{"Content Security Policy", "inline script"},
			{"Content Security Policy", "http://127.0.0.1:9/x.png"},
			{"CSP violation: script-src-elem"},
			{"CSP violation: img-src", "http://127.0.0.1:9/x.png"},
		} {
			if len(errorsMatching(console, parts...)) == 0 {
				t.Errorf("no console error with %q", parts)
			}
		}

		// DevTools evaluation is not the page's script: the CSP does not stop it.
		var sizes map[string]int
		page.Eval(t, `Object.fromEntries([...document.images].map(i => [i.id, i.naturalWidth]))`, &sizes)
		if sizes["inlined"] != 37 || sizes["remote"] != 0 {
			t.Errorf("naturalWidth by image = %v, want inlined 37 and remote 0", sizes)
		}
		if dom := page.DOM(); !strings.Contains(dom, "inline styles are allowed") || !strings.HasPrefix(dom, "<html>") {
			t.Errorf("DOM does not hold the page: %.200s", dom)
		}
	})

	t.Run("script errors", func(t *testing.T) {
		page := b.Load(t, writePage(t, `<!DOCTYPE html><html><body><p>scripted</p><script>
console.info("hello");
console.warn("careful");
console.error("broken", 42);
setTimeout(() => { throw new Error("late boom") }, 0);
throw new TypeError("boom");
</script></body></html>`))
		var got []string
		for _, m := range page.Console() {
			got = append(got, m.Level+": "+m.Text)
		}
		want := []string{"info: hello", "warning: careful", "error: broken 42", "exception: Uncaught TypeError: boom", "exception: Uncaught Error: late boom"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("console:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})

	t.Run("screenshot", func(t *testing.T) {
		dir := t.TempDir()
		t.Setenv("HANDIN_SCREENSHOTS", dir)
		page := b.Load(t, writePage(t, `<!DOCTYPE html><html><body style="margin:0">
<div style="height:3000px;background:linear-gradient(#fff,#00f)">tall</div></body></html>`))
		file := page.Screenshot(t, "Test/a page: tall")
		if want := filepath.Join(dir, "Test-a-page--tall.png"); file != want {
			t.Errorf("screenshot written to %s, want %s", file, want)
		}
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cfg, err := png.DecodeConfig(f)
		if err != nil {
			t.Fatalf("screenshot is not a PNG: %v", err)
		}
		// The whole page, not only the 900-pixel window.
		if cfg.Width < 800 || cfg.Height < 3000 {
			t.Errorf("screenshot is %dx%d, want the full 3000-pixel page", cfg.Width, cfg.Height)
		}
		window := page.ScreenshotWindow(t, "window")
		f, err = os.Open(window)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if cfg, err = png.DecodeConfig(f); err != nil || cfg.Height > 900 || cfg.Height < 500 {
			t.Errorf("window screenshot: %dx%d (%v), want the window's height, not the 3000-pixel page", cfg.Width, cfg.Height, err)
		}
	})

	t.Run("print media", func(t *testing.T) {
		page := b.Load(t, writePage(t, `<!DOCTYPE html><html><head><style>@media print { p { display: none } }</style></head><body><p>screen only</p></body></html>`))
		display := func() string {
			var d string
			page.Eval(t, `getComputedStyle(document.querySelector('p')).display`, &d)
			return d
		}
		if d := display(); d != "block" {
			t.Errorf("on screen: display %q, want block", d)
		}
		page.EmulateMedia(t, "print")
		if d := display(); d != "none" {
			t.Errorf("printed: display %q, want none", d)
		}
	})

	t.Run("print to PDF", func(t *testing.T) {
		// Three blocks, each forced onto a page of its own, and one that
		// breaks over two: five A4 pages, the printed area as wide as said.
		page := b.Load(t, writePage(t, `<!DOCTYPE html><html><head><style>
body { margin: 0 } div { break-after: page } #tall { height: 1500px }</style></head><body>
<div id="first">one</div><div>two</div><div>three</div><div id="tall">four and five</div></body></html>`))
		if n := PDFPages(page.PrintToPDF(t)); n != 5 {
			t.Errorf("printed on %d pages, want 5", n)
		}
		page.EmulatePaper(t)
		var width int
		page.Eval(t, `document.querySelector('#first').getBoundingClientRect().width`, &width)
		if width != PrintWidth {
			t.Errorf("on paper a block is %d pixels wide, want %d", width, PrintWidth)
		}
	})
}
