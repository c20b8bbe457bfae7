//go:build linux

package scrape

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"handin/internal/peakrss"
	"handin/scrape/gittest"
	"handin/workspace"
)

// rssChildGroups names the groups.csv that TestScrapeAsChildProcess scrapes
// when the test binary is started by BenchmarkScrapePeakRSS.
const rssChildGroups = "HANDIN_SCRAPE_RSS_GROUPS"

// TestScrapeAsChildProcess is the child process of BenchmarkScrapePeakRSS:
// it scrapes the course with four workers and prints its peak RSS (VmHWM,
// this process's alone; the servers run in the parent).
func TestScrapeAsChildProcess(t *testing.T) {
	groupsFile := os.Getenv(rssChildGroups)
	if groupsFile == "" {
		t.Skip("runs only as the child process of BenchmarkScrapePeakRSS")
	}
	groups, err := ReadGroupsFile(groupsFile, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Create(filepath.Join(filepath.Dir(groupsFile), "ws"))
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	sum, err := Run(context.Background(), ws, Options{Groups: groups, Deadline: testDeadline, Workers: 4, Timeout: 5 * time.Minute, Refresh: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range sum.Outcomes {
		fmt.Printf("group %d: %s %s\n", o.Group, o.Status, o.Error)
	}
	peakrss.Print(t)
}

// BenchmarkScrapePeakRSS scrapes, with four workers, repositories that
// each hold a file of zeros (2 GiB packs to 2 MB: go-git's own indexer
// inflated it whole), and a course mixing such repositories with servers
// answering a 404 with 1.5 GiB and listing branches forever.
func BenchmarkScrapePeakRSS(b *testing.B) {
	for _, bc := range []struct {
		name  string
		bombs []int64
		bad   []string
	}{
		{"one-2GiB-file", []int64{2 << 30}, nil},
		{"four-512MiB-files-and-hostile-servers", []int64{512 << 20, 512 << 20, 512 << 20, 512 << 20}, []string{"huge404.git", "endless.git"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			dir := b.TempDir()
			csv := writeBombCourse(b, dir, bc.bombs, bc.bad)
			var peak int64
			for b.Loop() {
				peak = max(peak, scrapeInChild(b, csv))
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
		})
	}
}

// writeBombCourse serves one repository per bomb size (a report and a file
// of that many zeros) and the named hostile ones, and writes their
// groups.csv.
func writeBombCourse(b *testing.B, dir string, bombs []int64, bad []string) string {
	served := filepath.Join(dir, "served")
	if err := os.MkdirAll(served, 0o755); err != nil {
		b.Fatal(err)
	}
	server, err := gittest.NewServer(served)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(server.Close)
	hostile := gittest.NewHostile()
	b.Cleanup(hostile.Close)
	csv := "group_number,student_1,repo_url\n"
	for i, size := range bombs {
		name := fmt.Sprintf("bomb%d.git", i)
		repo, err := gittest.NewRepo(filepath.Join(served, name))
		if err != nil {
			b.Fatal(err)
		}
		commit := reportCommit(alice, at(-time.Hour), "report")
		commit.Zeros = map[string]int64{"data/zeros.bin": size}
		if _, err := repo.Commit("main", commit); err != nil {
			b.Fatal(err)
		}
		csv += fmt.Sprintf("%d,s%06d,%s\n", i+1, i+1, server.RepoURL(name))
	}
	for i, name := range bad {
		csv += fmt.Sprintf("%d,s%06d,%s\n", len(bombs)+i+1, len(bombs)+i+1, hostile.RepoURL(name))
	}
	name := filepath.Join(dir, "groups.csv")
	if err := os.WriteFile(name, []byte(csv), 0o644); err != nil {
		b.Fatal(err)
	}
	return name
}

// scrapeInChild scrapes the course of groupsFile in a child process and
// returns its peak RSS in bytes.
func scrapeInChild(b *testing.B, groupsFile string) int64 {
	out, peak := peakrss.OfChild(b, "TestScrapeAsChildProcess", rssChildGroups+"="+groupsFile)
	if !strings.Contains(out, "group 1: ok") {
		b.Fatalf("the bomb was not scraped:\n%s", out)
	}
	return peak
}
