package similarity

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"

	"handin/internal/peakrss"
)

// BenchmarkCourseAgainstArchive is the size the course grows to: 150
// groups of 31 answers (about 125 words each) against an archive of five
// earlier years (750 reports), with 30 copied answers to find.
func BenchmarkCourseAgainstArchive(b *testing.B) {
	reports, archive := benchCourse(), course(750, 31, 1_000_000)
	b.ReportAllocs()
	for b.Loop() {
		if matches := Compare(reports, slices.Values(archive), []string{templatePrompt}, Options{}); len(matches) < 30 {
			b.Fatalf("%d matches, want the 30 copies", len(matches))
		}
	}
}

// benchCourse is 150 groups of 31 answers, every tenth group with an
// answer of the next group's and one of an archived report's.
func benchCourse() []Report {
	reports := course(150, 31, 1)
	for g := 0; g < 150; g += 10 {
		answer(reports[g], 7).Text = answer(reports[g+1], 7).Text
		answer(reports[g], 9).Text = prose(1_000_000+uint64(g*5*1000+9), 10) // archived report g*5's
	}
	return reports
}

// rssChildArchive is the archive size TestCompareAsChildProcess compares
// the course with when BenchmarkComparePeakRSS starts it.
const rssChildArchive = "HANDIN_SIMILARITY_RSS_ARCHIVE"

// TestCompareAsChildProcess is the child process of
// BenchmarkComparePeakRSS: it compares the benchmark's course with an
// archive written report by report as Compare reads it, as an archive read
// from disk is.
func TestCompareAsChildProcess(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv(rssChildArchive))
	if err != nil {
		t.Skip("runs only as the child process of BenchmarkComparePeakRSS")
	}
	want := 15 // the copies within the course, and those of the archive
	if n > 0 {
		want = 30
	}
	if matches := Compare(benchCourse(), generate(n, 31, 1_000_000), []string{templatePrompt}, Options{}); len(matches) < want {
		t.Fatalf("%d matches, want the %d copies", len(matches), want)
	}
	peakrss.Print(t)
}

// BenchmarkComparePeakRSS is the peak memory of comparing the course with
// archives of 0, 750 and 3,000 reports: it must not grow with the archive.
func BenchmarkComparePeakRSS(b *testing.B) {
	for _, n := range []int{0, 750, 3000} {
		b.Run(fmt.Sprintf("archive=%d", n), func(b *testing.B) {
			var peak int64
			for b.Loop() {
				_, rss := peakrss.OfChild(b, "TestCompareAsChildProcess", rssChildArchive+"="+strconv.Itoa(n))
				peak = max(peak, rss)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
		})
	}
}
