package grade

import (
	"fmt"
	"testing"
	"time"

	"handin/scrape"
)

// courseOf150 loads the synthetic course 25 times over (150 groups) and
// gives each snapshot the size of a real project: 500 files, 300 commits by
// five identities over three weeks.
func courseOf150(b *testing.B) []*scrape.Snapshot {
	b.Helper()
	base, errs := scrape.LoadAll(courseDir)
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	var snaps []*scrape.Snapshot
	for len(snaps) < 150 {
		for _, s := range base {
			loaded, err := scrape.LoadSnapshotDir(s.Dir())
			if err != nil {
				b.Fatal(err)
			}
			if len(loaded.Commits) > 0 {
				enlarge(loaded)
			}
			snaps = append(snaps, loaded)
		}
	}
	return snaps[:150]
}

func enlarge(s *scrape.Snapshot) {
	for i := range 500 {
		s.Tree = append(s.Tree, scrape.File{Path: fmt.Sprintf("src/pkg%d/module_%d.py", i%20, i), Size: 2000, Mode: "file"})
	}
	start := s.Deadline.Add(-21 * 24 * time.Hour)
	for i := range 300 {
		when := start.Add(time.Duration(i) * 97 * time.Minute)
		s.Commits = append(s.Commits, scrape.Commit{
			SHA: fmt.Sprintf("%040d", i), AuthorName: fmt.Sprintf("Dev %d", i%5),
			AuthorEmail: fmt.Sprintf("dev%d@example.org", i%5), AuthorTime: when, CommitTime: when,
			Message: fmt.Sprintf("Change number %d of the pipeline (#%d)", i, i/3),
		})
	}
}

// BenchmarkGradeCourse grades 150 groups whose snapshots are loaded (report
// files are read from the snapshot folders, as in a real run).
func BenchmarkGradeCourse(b *testing.B) {
	snaps := courseOf150(b)
	spec, opts := loadSpec(b), courseOptions(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range snaps {
			Group(s, spec, opts)
		}
	}
}
