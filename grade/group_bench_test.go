package grade

import (
	"fmt"
	"testing"
	"time"

	"handin/workspace"
)

// courseOf150 loads the synthetic course 25 times over (150 groups) and
// gives each snapshot the size of a real project: 500 files, 300 commits by
// five identities over three weeks.
func courseOf150(b *testing.B) []*workspace.Snapshot {
	b.Helper()
	ws := openCourse(b)
	base, errs := ws.Snapshots(nil)
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	var snaps []*workspace.Snapshot
	for len(snaps) < 150 {
		for _, s := range base {
			loaded, err := ws.LoadSnapshot(s.Group)
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

func enlarge(s *workspace.Snapshot) {
	for i := range 500 {
		s.Tree = append(s.Tree, workspace.File{Path: fmt.Sprintf("src/pkg%d/module_%d.py", i%20, i), Size: 2000, Mode: workspace.ModeFile})
	}
	start := s.Deadline.Add(-21 * 24 * time.Hour)
	for i := range 300 {
		when := start.Add(time.Duration(i) * 97 * time.Minute)
		s.Commits = append(s.Commits, workspace.Commit{
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
	opts := courseOptions(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range snaps {
			Grade(s, opts)
		}
	}
}
