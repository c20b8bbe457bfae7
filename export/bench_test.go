package export

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"handin/export/gradebook"
	"handin/grade"
)

// BenchmarkExport150 exports a course of 150 groups, each with five 200 KB
// PNG figures: all pages, the index, results.json and the gradebook.
func BenchmarkExport150(b *testing.B) {
	ws := b.TempDir()
	writeFigureHeavyCourse(b, ws, 150)
	b.ResetTimer()
	for b.Loop() {
		out := filepath.Join(ws, "out")
		_, err := runExport(ws, Options{Out: out, Logger: quietLogger, Now: func() time.Time { return fixedNow }})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer() // a first export each time, without the previous one's files
		if err := os.RemoveAll(out); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// writeFigureHeavyCourse writes a workspace of groups 1..n as a real
// course has them (31 questions, 54 checklist items judged against the
// repository with evidence linked on GitHub), each with five 200 KB PNG
// figures in its report.
func writeFigureHeavyCourse(b testing.TB, ws string, n int) {
	figures := make([][]byte, 5)
	for i := range figures {
		figures[i] = testPNG(224, 224, int64(i)) // noise: ~200 KB each
	}
	var extra strings.Builder
	for i := range figures {
		fmt.Fprintf(&extra, "\n![figure %d](figures/fig%d.png)\n\nSome words about figure %d.\n", i, i, i)
	}
	for group := 1; group <= n; group++ {
		g := largeGroup(group)
		g.files["reports/README.md"] = append(g.files["reports/README.md"], extra.String()...)
		for i, data := range figures {
			g.files[fmt.Sprintf("reports/figures/fig%d.png", i)] = data
		}
		writeWorkspace(b, ws, g)
	}
}

// BenchmarkGradebook150 writes the gradebook of 150 groups into an empty
// folder: no instructor work to read back, no backup.
func BenchmarkGradebook150(b *testing.B) {
	results := make([]*grade.GroupResult, 150)
	for i := range results {
		results[i] = newGroup(i + 1).result
	}
	for b.Loop() {
		if _, err := gradebook.Write(b.TempDir(), gradebookLayouts, grading{}.gradebookRows(resultsOf(results), nil), fixedNow); err != nil {
			b.Fatal(err)
		}
	}
}
