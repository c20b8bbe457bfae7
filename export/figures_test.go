package export

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"handin/grade"
	"handin/workspace"
)

// pngHeader is the start of a w×h RGBA PNG, padded with zeros to size
// bytes: enough for its type and dimensions to be read, which is all a page
// checks before inlining (a browser shows it as a broken image).
func pngHeader(w, h, size int) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA, no interlace
	chunk := append([]byte("IHDR"), ihdr...)
	data := []byte("\x89PNG\r\n\x1a\n")
	data = binary.BigEndian.AppendUint32(data, uint32(len(ihdr)))
	data = append(data, chunk...)
	data = binary.BigEndian.AppendUint32(data, crc32.ChecksumIEEE(chunk))
	return append(data, make([]byte, max(0, size-len(data)))...)
}

// webpHeader is the start of a lossless w×h WebP image.
func webpHeader(w, h int) []byte {
	vp8l := binary.LittleEndian.AppendUint32([]byte{0x2f}, uint32(w-1)|uint32(h-1)<<14)
	chunk := binary.LittleEndian.AppendUint32([]byte("VP8L"), uint32(len(vp8l)))
	chunk = append(chunk, vp8l...)
	data := binary.LittleEndian.AppendUint32([]byte("RIFF"), uint32(4+len(chunk)))
	return append(append(data, "WEBP"...), chunk...)
}

// exportReport exports one group with the given report and figures (paths
// relative to reports/) and returns its page, raw and parsed.
func exportReport(t *testing.T, report string, figures map[string][]byte) ([]byte, *html.Node) {
	t.Helper()
	ws, out := t.TempDir(), t.TempDir()
	g := newGroup(1)
	g.files["reports/README.md"] = []byte(report)
	for name, data := range figures {
		g.files["reports/"+name] = data
	}
	writeWorkspace(t, ws, g)
	export(t, ws, out)
	data := readFile(t, filepath.Join(out, "groups", "001.html"))
	return data, parseHTML(t, data)
}

func linksTo(page *html.Node, href string) []*html.Node {
	return findAll(page, func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == href })
}

func TestEachFigureIsInlinedOnce(t *testing.T) {
	one := testPNG(64, 64, 1)
	var report strings.Builder
	report.WriteString("### Question 1\n\nAnswer:\n\n")
	for range 100 {
		report.WriteString("![one](figures/one.png)\n")
	}
	report.WriteString("![again](./figures/../figures/one.png)\n\n### Question 2\n\nAnswer:\n\n")
	report.WriteString("![one](figures/one.png) ![two](figures/two.png) [![linked](figures/one.png)](https://example.org/)\n")
	data, page := exportReport(t, report.String(), map[string][]byte{"figures/one.png": one, "figures/two.png": testPNG(8, 8, 2)})

	var imgs []string
	for _, img := range findAll(page, byTag("img")) {
		imgs = append(imgs, attr(img, "alt")+"#"+attr(img, "id"))
	}
	if fmt.Sprint(imgs) != "[one#figure-1 two#figure-2]" {
		t.Errorf("inlined %v, want one.png and two.png once each", imgs)
	}
	refs := linksTo(page, "#figure-1")
	if len(refs) != 101 { // 99 + "again" in Question 1, 1 in Question 2
		t.Fatalf("%d links to the first use of one.png, want 101", len(refs))
	}
	if got := textContent(refs[0]); got != "↑ figure reports/figures/one.png, shown above" {
		t.Errorf("reference in the same question: %q", got)
	}
	if got := textContent(refs[100]); got != "↑ figure reports/figures/one.png, shown in Question 1 above" {
		t.Errorf("reference from Question 2: %q", got)
	}
	inLink := findAll(page, func(n *html.Node) bool { return n.Data == "span" && attr(n, "class") == "handin-ref" })
	if len(inLink) != 1 || inLink[0].Parent.Data != "a" {
		t.Errorf("a repeated figure inside a link must be text, not a nested link")
	}
	// One copy of one.png's base64 (4/3 of its size), plus the page.
	if max := len(one)*4/3 + 200<<10; len(data) > max {
		t.Errorf("page of %d bytes for a %d-byte figure used 103 times, want under %d", len(data), len(one), max)
	}
}

func TestPageFigureBudget(t *testing.T) {
	const nine = 9 << 20
	figures := map[string][]byte{
		"f1.png":    pngHeader(8, 8, nine),
		"f2.png":    pngHeader(8, 8, nine),
		"f3.png":    pngHeader(8, 8, nine),
		"f4.png":    pngHeader(8, 8, nine), // 36 MB with the three above: over the page's 32
		"small.png": testPNG(8, 8, 1),      // still fits after f4 is left out
		"huge.png":  pngHeader(8, 8, 11<<20),
	}
	report := "### Question 1\n\nAnswer:\n\n![](f1.png) ![](f2.png) ![](f3.png)\n\n### Question 2\n\nAnswer:\n\n![](f4.png) ![](small.png) ![](huge.png) ![](f4.png)\n"
	data, page := exportReport(t, report, figures)

	if n := len(findAll(page, byTag("img"))); n != 4 {
		t.Errorf("%d figures inlined, want f1-f3 and small.png", n)
	}
	if max := maxPageFigureBytes*4/3 + 1<<20; len(data) > max {
		t.Errorf("page of %d bytes, want at most %d", len(data), max)
	}
	text := textContent(page)
	for _, want := range []string{
		"1 figure(s) not shown because this page already holds as many figures as one page may (32.0 MB, 250 megapixels): reports/f4.png.",
		"figure reports/f4.png (9.0 MB) not shown: the figures above already take 27.0 MB of this page, and a page holds at most 32.0 MB of figures",
		"figure reports/huge.png is too large to inline (11.0 MB, at most 10.0 MB)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(text, "figure reports/f4.png (9.0 MB) not shown"); n != 2 {
		t.Errorf("f4.png has %d notes, want one at each of its 2 places", n)
	}
}

func TestFigureDimensionsAreCheckedBeforeInlining(t *testing.T) {
	figures := map[string][]byte{
		"bomb.png":    pngHeader(30000, 30000, 873<<10),
		"bomb.webp":   webpHeader(16000, 16000),
		"ok.webp":     webpHeader(100, 50),
		"damaged.png": []byte("\x89PNG\r\n\x1a\nnot a header at all"),
	}
	var report strings.Builder
	report.WriteString("### Question 1\n\nAnswer:\n\n![](bomb.png) ![](bomb.webp) ![](ok.webp) ![](damaged.png)\n\n### Question 2\n\nAnswer:\n\n")
	for i := range 6 { // 49 megapixels each: 5 fit in a page's 250
		name := fmt.Sprintf("big%d.png", i)
		figures[name] = pngHeader(7000, 7000, 100)
		fmt.Fprintf(&report, "![](%s) ", name)
	}
	_, page := exportReport(t, report.String(), figures)

	var srcs []string
	for _, img := range findAll(page, byTag("img")) {
		mediaType, _, _ := strings.Cut(attr(img, "src"), ";")
		srcs = append(srcs, mediaType)
	}
	if want := "[data:image/webp data:image/png data:image/png data:image/png data:image/png data:image/png]"; fmt.Sprint(srcs) != want {
		t.Errorf("inlined %v, want ok.webp and five of the six 7000×7000 PNGs", srcs)
	}
	text := textContent(page)
	for _, want := range []string{
		"figure reports/bomb.png is 30000×30000 pixels, too large to inline (at most 50 megapixels)",
		"figure reports/bomb.webp is 16000×16000 pixels, too large to inline (at most 50 megapixels)",
		"figure reports/damaged.png looks like image/png but its header cannot be read",
		"figure reports/big5.png (7000×7000 pixels) not shown: the figures above already have 245 megapixels, and a page shows at most 250",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestFigureBytesAreTheFileBytes(t *testing.T) {
	fig := testPNG(32, 32, 7)
	_, page := exportReport(t, "### Question 1\n\nAnswer:\n\n![](figures/a.png)\n", map[string][]byte{"figures/a.png": fig})
	imgs := findAll(page, byTag("img"))
	if len(imgs) != 1 {
		t.Fatalf("%d images", len(imgs))
	}
	if attr(imgs[0], "src") != "data:image/png;base64,"+base64.StdEncoding.EncodeToString(fig) {
		t.Errorf("inlined data differs from the file")
	}
}

// A figure missing at the deadline that a late commit added is said so,
// where it is in the report, and shown as it arrived (kept apart by the
// scrape), marked; the index's reason for its question says when it came.
func TestFigureAddedLateIsShownAsItArrived(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	g := newGroup(5)
	sha := strings.Repeat("e", 40)
	r := g.result
	r.Pin.Late = []workspace.LateCommit{{SHA: sha, AuthorName: "Ann", CommitTime: r.Deadline.Add(32 * time.Second), Subject: "add figures",
		Files: []workspace.LateFile{{Path: "reports/figures/gone.png", Figure: true, Kept: true}}}}
	added := &grade.LateAddition{SHA: sha, Time: r.Deadline.Add(32 * time.Second), After: 32}
	for _, fs := range [][]grade.Finding{r.Findings, r.Check.Questions[1].Findings} {
		for i := range fs {
			if fs[i].Kind == grade.KindMissingFile {
				fs[i].AddedLate, fs[i].Message = added, "figures/gone.png is not in the repository; "+added.Text()
			}
		}
	}
	late := testPNG(16, 9, 77)
	g.late = map[string][]byte{"reports/figures/gone.png": late}
	writeWorkspace(t, ws, g)
	export(t, ws, out)

	page := parseHTML(t, readFile(t, filepath.Join(out, "groups", "005.html")))
	imgs := findAll(page, func(n *html.Node) bool { return n.Data == "img" && attr(n, "class") == "late-figure" })
	if len(imgs) != 1 || attr(imgs[0], "src") != "data:image/png;base64,"+base64.StdEncoding.EncodeToString(late) {
		t.Fatalf("%d late figures shown, want the one that arrived, as it arrived", len(imgs))
	}
	if want := "missing figure reports/figures/gone.png: not in the repository at the deadline; added 32 s after the deadline in eeeeeee; as it arrived:"; !strings.Contains(textContent(page), want) {
		t.Errorf("the page does not say %q", want)
	}
	index := parseHTML(t, readFile(t, filepath.Join(out, IndexFile)))
	if want := "Q2: figures/gone.png is not in the repository; added 32 s after the deadline in eeeeeee"; !strings.Contains(textContent(index), want) {
		t.Errorf("the index's reasons do not say %q", want)
	}
}
