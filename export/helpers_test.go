package export

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"iter"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"handin/grade"
	"handin/internal/coursetime"
	"handin/workspace"
)

var copenhagen = mustLocation(coursetime.DefaultZone)

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

var testDeadline = time.Date(2026, 1, 23, 23, 59, 0, 0, copenhagen)

// testGroup is one synthetic group: its grade result and the files of its
// deadline commit (exported into the snapshot unless listed in treeOnly).
type testGroup struct {
	result   *grade.GroupResult
	files    map[string][]byte
	treeOnly []string          // in the deadline tree, not copied into the snapshot
	late     map[string][]byte // figures late commits added, kept apart (workspace.LateFilesDir)
}

func ptr[T any](v T) *T { return &v }

// newGroup builds a plausible graded group with a two-question report.
func newGroup(n int) testGroup {
	report := fmt.Sprintf(`---
layout: default
---
# Exam template for 02476 Machine Learning Operations

## Checklist

* [x] Create a git repository (M5)
* [ ] Write unit tests (M16)

## Group information

### Question 1
> **Enter the group number you signed up on**

Answer:

%d

### Question 2
> **Include a figure**

Answer:

Our pipeline: ![pipeline](figures/pipeline.png) and the missing one ![gone](figures/gone.png).
See [the training code](../src/my%%20train.py), [outside](../../etc/passwd) and [the course](https://example.org/course).
`, n)
	students := []grade.StudentStats{
		{ID: fmt.Sprintf("s%06d", 100000+n*10+1), Commits: 12, Authors: []string{"Alice A"}, Rule: "email"},
		{ID: fmt.Sprintf("s%06d", 100000+n*10+2), Commits: 3, Authors: []string{"bob"}, Rule: "name"},
	}
	activity := make([][]int, 20)
	for d := range activity {
		activity[d] = make([]int, 24)
	}
	activity[2][14] = 3
	activity[9][10] = 7
	activity[18][23] = 1
	r := &grade.GroupResult{
		Group:      n,
		Schema:     grade.SchemaVersion,
		State:      grade.StateGrade,
		Status:     workspace.StatusOK,
		URL:        fmt.Sprintf("https://github.com/org%d/mlops.git", n),
		WebURL:     fmt.Sprintf("https://github.com/org%d/mlops", n),
		Branch:     "main",
		Deadline:   testDeadline,
		ScrapedAt:  testDeadline.Add(time.Minute),
		Pin:        workspace.Pin{SHA: strings.Repeat(fmt.Sprintf("%x", n%16), 40), Time: testDeadline.Add(-time.Hour), LateCommits: 1},
		ReportPath: "reports/README.md",
		Check: &grade.CheckResult{
			File: "reports/README.md", Spec: "2026", Passed: 1,
			Questions: []grade.QuestionResult{
				{Number: 1, Words: 1, WordRange: &grade.Range{Min: 1, Max: 1}, Pass: true},
				{Number: 2, Words: 8, Images: 2, WordRange: &grade.Range{Min: 50, Max: 100}, ImageRange: &grade.Range{Min: 1, Max: 1},
					Problems: []grade.Finding{{Kind: grade.KindWords, Level: grade.LevelGrade, Question: 2, Message: "8 words, expected 50-100", Got: ptr(8)}},
					Findings: []grade.Finding{{Kind: grade.KindMissingFile, Level: grade.LevelGrade, Question: 2, Message: "figures/gone.png is not in the repository", Target: "figures/gone.png"}}},
			},
			Checklist: []grade.ChecklistSummary{{Section: "Week 1", Checked: 1, Total: 2, Items: []grade.ChecklistItem{
				{Text: "Create a git repository", Module: "M5", Checked: true}, {Text: "Write unit tests", Module: "M16"}}}},
		},
		Stats: grade.RepoStats{
			Contributors: 2, Commits: 15, Activity: activity,
			ActivityStart: time.Date(2026, 1, 5, 0, 0, 0, 0, copenhagen),
			Contributions: map[string]int{"Alice A": 12, "bob": 3},
		},
		Students:         students,
		UnmatchedAuthors: []grade.Author{{Names: []string{"ci-bot"}, Commits: 2}},
		Findings: []grade.Finding{
			{Kind: grade.KindWords, Level: grade.LevelGrade, Question: 2, Message: "8 words, expected 50-100"},
			{Kind: grade.KindMissingFile, Level: grade.LevelGrade, Question: 2, Message: "figures/gone.png is missing"},
		},
	}
	return testGroup{
		result: r,
		files: map[string][]byte{
			"reports/README.md":            []byte(report),
			"reports/figures/pipeline.png": testPNG(8, 8, int64(n)),
		},
	}
}

// problems are findings that need the instructor, one per message.
func problems(messages ...string) []grade.Finding {
	out := make([]grade.Finding, len(messages))
	for i, m := range messages {
		out[i] = grade.Finding{Kind: grade.KindReportLocation, Level: grade.LevelGrade, Message: m}
	}
	return out
}

// openWorkspace opens the workspace at dir (creating it), as a command
// would, for one step of a test.
func openWorkspace(t testing.TB, dir string) *workspace.Workspace {
	t.Helper()
	ws, err := workspace.Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// writeWorkspace stores each group's snapshot (with its copied files) and
// result in the workspace at dir, as scrape and grade do.
func writeWorkspace(t testing.TB, dir string, groups ...testGroup) {
	t.Helper()
	ws := openWorkspace(t, dir)
	defer ws.Close()
	for _, g := range groups {
		snap := &workspace.Snapshot{
			Group: g.result.Group, URL: g.result.URL, WebURL: g.result.WebURL, Status: workspace.StatusOK,
			Deadline: g.result.Deadline, Pin: g.result.Pin,
		}
		files, err := ws.NewFilesDir(g.result.Group)
		if err != nil {
			t.Fatal(err)
		}
		for p, data := range g.files {
			snap.Tree = append(snap.Tree, workspace.File{Path: p, Size: int64(len(data)), Mode: workspace.ModeFile})
			snap.Copied = append(snap.Copied, p)
			writeFile(t, filepath.Join(files, filepath.FromSlash(p)), data)
		}
		for _, p := range g.treeOnly {
			snap.Tree = append(snap.Tree, workspace.File{Path: p, Mode: workspace.ModeFile})
		}
		for p, data := range g.late {
			writeFile(t, filepath.Join(workspace.LateFilesDir(files), filepath.FromSlash(p)), data)
		}
		if err := ws.SaveSnapshot(snap, files); err != nil {
			t.Fatal(err)
		}
		if err := grade.SaveResult(ws, g.result); err != nil {
			t.Fatal(err)
		}
	}
}

func writeFile(t testing.TB, name string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// testPNG is a w×h PNG of noise (noise does not compress, so the size is
// about 4·w·h bytes).
func testPNG(w, h int, seed int64) []byte {
	rng := rand.New(rand.NewPCG(uint64(seed), 1))
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.UintN(256))
	}
	img.Set(0, 0, color.NRGBA{A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

var quietLogger = slog.New(slog.NewTextHandler(io.Discard, nil))

var fixedNow = time.Date(2026, 1, 26, 9, 30, 0, 0, time.UTC)

// export runs Export with a fixed clock and fails the test on error.
func export(t testing.TB, ws, out string, only ...int) *Summary {
	t.Helper()
	return exportAt(t, ws, out, fixedNow, only...)
}

func exportAt(t testing.TB, dir, out string, now time.Time, only ...int) *Summary {
	t.Helper()
	sum, err := runExport(dir, Options{Out: out, Only: only, Now: func() time.Time { return now }, Logger: quietLogger})
	if err != nil {
		t.Fatalf("Export: %v", err)
	}
	return sum
}

// runExport exports the workspace at dir as 'handin export' does: opened,
// locked, closed.
func runExport(dir string, opts Options) (*Summary, error) {
	ws, err := workspace.Open(dir)
	if err != nil {
		return nil, err
	}
	defer ws.Close()
	return Run(context.Background(), ws, opts)
}

func parseHTML(t testing.TB, data []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// findAll returns every element node for which keep is true, in order.
func findAll(n *html.Node, keep func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && keep(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func byTag(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == tag }
}

func byID(id string) func(*html.Node) bool {
	return func(n *html.Node) bool { return attr(n, "id") == id }
}

// resultsOf is a source of results held in memory.
func resultsOf(results []*grade.GroupResult) iter.Seq2[*grade.GroupResult, error] {
	return func(yield func(*grade.GroupResult, error) bool) {
		for _, r := range results {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// findingTexts are findings as one line each ("Q7: too few words: ...").
func findingTexts(findings []grade.Finding) []string {
	out := make([]string, len(findings))
	for i, f := range findings {
		out[i] = f.Text()
	}
	return out
}
