package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"handin/grade"
	"handin/internal/browser"
	"handin/internal/demo"
	"handin/parse"
)

// TestDemoPagesInBrowser runs handin demo and opens its index and the page of
// the first group of every demo case in headless Chromium: what an instructor
// sees, not what the HTML parser sees. Screenshots are left in
// browser.ScreenshotDir().
func TestDemoPagesInBrowser(t *testing.T) {
	if err := demo.CheckGit(); err != nil {
		t.Skipf("SKIPPED: %v", err)
	}
	b := browser.Open(t)
	dir := filepath.Join(t.TempDir(), "demo")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"handin", "demo", "--out", dir, "--json"}, streams{out: &stdout, err: &stderr}); code != 0 {
		t.Fatalf("handin demo: exit %d\n%s", code, stderr.String())
	}
	sum := demoSummary{runSummary: &runSummary{}}
	if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil {
		t.Fatalf("handin demo --json: %v", err)
	}
	site := filepath.Dir(sum.Index)
	results := demoResults(t, sum.Results)

	t.Run("index", func(t *testing.T) {
		page := b.Load(t, sum.Index)
		checkConsole(t, page)
		// Every group's link resolves, in the browser, to a page on disk.
		var links []string
		page.Eval(t, `[...document.querySelectorAll('tr[id^="g"] td:first-child a')].map(a => a.href)`, &links)
		if len(links) != len(sum.Groups) {
			t.Errorf("%d links to group pages, want %d", len(links), len(sum.Groups))
		}
		for _, link := range links {
			u, err := url.Parse(link)
			if err != nil || u.Scheme != "file" {
				t.Errorf("link %s is not a local file", link)
				continue
			}
			if _, err := os.Stat(u.Path); err != nil {
				t.Errorf("link %s: %v", link, err)
			}
		}
		checkIndexVerdicts(t, page, sum.runSummary, results)
		checkIndexViews(t, page, results)
		page.Screenshot(t, "demo-index")
	})

	seen := map[demo.Case]bool{}
	for _, c := range sum.Cases {
		if seen[c.Case] {
			continue
		}
		seen[c.Case] = true
		t.Run(fmt.Sprintf("group %d %s", c.Group, c.Case), func(t *testing.T) {
			page := b.Load(t, filepath.Join(site, "groups", fmt.Sprintf("%03d.html", c.Group)))
			checkConsole(t, page)
			r := results[c.Group]
			if r == nil {
				t.Fatalf("group %d has no result in %s", c.Group, sum.Results)
			}
			if rel := r.ReportPath; rel != "" && r.Status.Pinned() {
				report := snapshotReport(t, sum.Workspace, c.Group, rel)
				checkAnswers(t, page, report)
				checkFigures(t, page, report, r, snapshotFiles(sum.Workspace, c.Group))
			}
			checkVerdict(t, page, r)
			checkCaseShape(t, page, c.Case, r)
			if screenshotCases[c.Case] {
				name := fmt.Sprintf("demo-group-%03d-%s", c.Group, c.Case)
				page.ScreenshotWindow(t, name+"-top")
				page.Screenshot(t, name)
			}
			if c.Case == demo.CaseBackdated || c.Case == demo.CaseLateFigures {
				checkPrinted(t, page, fmt.Sprintf("demo-group-%03d-%s-print-top", c.Group, c.Case))
			}
		})
	}
}

// screenshotCases are the kinds of page a developer looks at: ok, with
// problems, failed, late and backdated. A full-page screenshot takes about a
// second, so the other cases are checked without one.
var screenshotCases = map[demo.Case]bool{
	demo.CaseGood: true, demo.CaseMissingFigures: true, demo.CaseUnreachable: true,
	demo.CaseLate: true, demo.CaseBackdated: true, demo.CaseLateFigures: true, demo.CaseStopsAnswering: true,
}

// checkConsole fails on every error and warning the browser reported while
// loading the page (CSP violations are errors); it logs the rest.
func checkConsole(t *testing.T, page *browser.Page) {
	t.Helper()
	for _, m := range page.Console() {
		if m.IsError() || m.Level == "warning" {
			t.Errorf("console: %s", m)
		} else {
			t.Logf("console: %s", m)
		}
	}
}

// demoResults reads results.json: every group's result, by group.
func demoResults(t *testing.T, resultsFile string) map[int]*grade.GroupResult {
	t.Helper()
	data, err := os.ReadFile(resultsFile)
	if err != nil {
		t.Fatal(err)
	}
	var results struct {
		Groups []*grade.GroupResult `json:"groups"`
	}
	if err := json.Unmarshal(data, &results); err != nil {
		t.Fatalf("%s: %v", resultsFile, err)
	}
	byGroup := map[int]*grade.GroupResult{}
	for _, r := range results.Groups {
		byGroup[r.Group] = r
	}
	return byGroup
}

// snapshotFiles is the folder holding a group's files at the deadline
// commit (the workspace layout in the README).
func snapshotFiles(workspace string, group int) string {
	return filepath.Join(workspace, "groups", fmt.Sprintf("%03d", group), "files")
}

// snapshotReport parses the report the group handed in.
func snapshotReport(t *testing.T, workspace string, group int, rel string) *parse.Report {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(snapshotFiles(workspace, group), filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	report, err := parse.Parse(data)
	if err != nil {
		t.Fatalf("group %d %s: %v", group, rel, err)
	}
	return report
}

// questionTexts is, in the browser, the text from each question's heading
// (id "qN") to the next one, by heading id.
const questionTexts = `(() => {
	const heads = [...document.querySelectorAll('[id]')].filter(h => /^q[0-9]+$/.test(h.id));
	return Object.fromEntries(heads.map((h, i) => {
		const r = document.createRange();
		r.setStartAfter(h);
		if (i + 1 < heads.length) r.setEndBefore(heads[i + 1]);
		else r.setEndAfter(h.parentNode.lastChild);
		return [h.id, r.toString()];
	}));
})()`

// checkAnswers asserts that every paragraph of every answer is shown under
// its own question.
func checkAnswers(t *testing.T, page *browser.Page, report *parse.Report) {
	t.Helper()
	var shown map[string]string
	page.Eval(t, questionTexts, &shown)
	checked := 0
	for _, q := range report.Questions {
		section := strings.Join(strings.Fields(shown[fmt.Sprintf("q%d", q.Number)]), " ")
		for _, want := range answerTexts(q.Answer) {
			checked++
			if !strings.Contains(section, want) {
				t.Errorf("Question %d: the page does not show %q under the question\nit shows: %.300s", q.Number, want, section)
			}
		}
	}
	if checked == 0 {
		t.Errorf("the report has no answer text to look for")
	}
}

// answerTexts is what a reader sees of an answer written in markdown: the
// text of each block, whitespace collapsed, figures left out.
func answerTexts(answer string) []string {
	src := []byte(answer)
	doc := goldmark.New().Parser().Parse(text.NewReader(src))
	var texts []string
	var block strings.Builder
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.Image:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if entering {
				block.WriteString(html.UnescapeString(string(n.Segment.Value(src))))
				if n.SoftLineBreak() || n.HardLineBreak() {
					block.WriteByte(' ')
				}
			}
		case *ast.String:
			if entering {
				block.Write(n.Value)
			}
		}
		if !entering && n.Type() == ast.TypeBlock {
			if s := strings.Join(strings.Fields(block.String()), " "); s != "" {
				texts = append(texts, s)
			}
			block.Reset()
		}
		return ast.WalkContinue, nil
	})
	return texts
}

// pageImage is an <img> of a page as the browser loaded it.
type pageImage struct {
	Alt          string `json:"alt"`
	NaturalWidth int    `json:"naturalWidth"`
	Late         bool   `json:"late"` // a figure missing at the deadline, shown as it arrived
}

// checkFigures asserts that every figure the report links to and the
// repository holds is in the page and decodes, as is every figure missing
// at the deadline that a late commit added (marked as such); images inside
// backticks are text.
func checkFigures(t *testing.T, page *browser.Page, report *parse.Report, r *grade.GroupResult, files string) {
	t.Helper()
	var images []pageImage
	page.Eval(t, `[...document.images].map(i => ({alt: i.alt, naturalWidth: i.naturalWidth, late: i.classList.contains('late-figure')}))`, &images)
	late := 0
	for _, img := range images {
		if img.NaturalWidth <= 0 {
			t.Errorf("figure %q does not decode", img.Alt)
		}
		if img.Late {
			late++
		}
	}
	committed, addedLate := 0, 0
	kept := map[string]bool{}
	for _, c := range r.Pin.Late {
		for _, f := range c.Files {
			kept[f.Path] = kept[f.Path] || f.Kept
		}
	}
	for _, q := range report.Questions {
		for _, img := range append(q.Images, q.HTMLImages...) {
			if slices.ContainsFunc(q.CodeImages, func(c parse.Image) bool { return c.Target == img.Target }) {
				continue // inside backticks: text on GitHub and on the page
			}
			rel := path.Join(path.Dir(r.ReportPath), img.Target)
			if !filepath.IsLocal(rel) {
				continue // outside the repository: never shown
			}
			if _, err := os.Stat(filepath.Join(files, filepath.FromSlash(rel))); err == nil {
				committed++
			} else if kept[rel] {
				addedLate++
			}
		}
	}
	if len(images)-late != committed || late != addedLate {
		t.Errorf("the page shows %d figures, %d of them late; the report links %d files the repository has at the deadline and %d a late commit added",
			len(images), late, committed, addedLate)
	}
}
