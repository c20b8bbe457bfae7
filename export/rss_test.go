//go:build linux

package export

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"handin/internal/peakrss"
)

// rssChildWorkspace names the workspace that TestExportAsChildProcess
// exports when the test binary is started by BenchmarkExportPeakRSS.
const rssChildWorkspace = "HANDIN_EXPORT_RSS_WORKSPACE"

// TestExportAsChildProcess is the child process of BenchmarkExportPeakRSS:
// peak RSS is a property of a whole process, so each export runs in one.
func TestExportAsChildProcess(t *testing.T) {
	ws := os.Getenv(rssChildWorkspace)
	if ws == "" {
		t.Skip("runs only as the child process of BenchmarkExportPeakRSS")
	}
	if _, err := runExport(ws, Options{Out: filepath.Join(ws, "out"), Logger: quietLogger}); err != nil {
		t.Fatal(err)
	}
	peakrss.Print(t)
}

// BenchmarkExportPeakRSS exports synthetic courses in a child process and
// reports its peak RSS: 150 and 1,000 figure-heavy groups with judged
// checklists (the peak must not grow with the number of groups), first
// into an empty folder, then again over a gradebook an instructor graded
// (read back, backed up); and one group whose 4 KB report links one 10 MB
// PNG 200 times (the page must not grow with the links).
func BenchmarkExportPeakRSS(b *testing.B) {
	for _, groups := range []int{150, 1000} {
		ws := b.TempDir()
		writeFigureHeavyCourse(b, ws, groups)
		b.Run(fmt.Sprintf("groups=%d", groups), func(b *testing.B) {
			measureExportRSS(b, ws, true)
		})
		b.Run(fmt.Sprintf("groups=%d/graded", groups), func(b *testing.B) {
			out := filepath.Join(ws, "out")
			if _, err := runExport(ws, Options{Out: out, Logger: quietLogger}); err != nil {
				b.Fatal(err)
			}
			grades := map[int][3]string{}
			for g := 1; g <= groups; g++ {
				grades[g] = [3]string{strconv.Itoa(g % 13), "a comment of a line or two about the report", "NS"}
			}
			editGradebook(b, filepath.Join(out, GradebookFile), grades, nil)
			measureExportRSS(b, ws, false)
		})
	}
	b.Run("one-figure-200-times", func(b *testing.B) {
		ws := b.TempDir()
		g := newGroup(1)
		var report strings.Builder
		report.WriteString("### Question 1\n\nAnswer:\n\n")
		for i := range 200 {
			fmt.Fprintf(&report, "![f%d](figures/big.png)\n", i)
		}
		g.files["reports/README.md"] = []byte(report.String())
		g.files["reports/figures/big.png"] = testPNG(1600, 1600, 1) // ~10 MB of noise
		writeWorkspace(b, ws, g)
		measureExportRSS(b, ws, true)
		info, err := os.Stat(filepath.Join(ws, "out", "groups", "001.html"))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(info.Size())/(1<<20), "page-MiB")
	})
}

// measureExportRSS exports ws into ws/out in a child process per iteration
// (into an empty ws/out when fresh) and reports the largest peak RSS seen.
func measureExportRSS(b *testing.B, ws string, fresh bool) {
	var peak int64
	for b.Loop() {
		if fresh {
			b.StopTimer()
			if err := os.RemoveAll(filepath.Join(ws, "out")); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		_, rss := peakrss.OfChild(b, "TestExportAsChildProcess", rssChildWorkspace+"="+ws)
		peak = max(peak, rss)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
}
