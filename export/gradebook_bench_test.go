package export

import (
	"path/filepath"
	"testing"
	"time"

	"handin/grade"
)

// BenchmarkGradebookExport150 is one export's gradebook work for 150
// groups of 31 questions and 54 checklist items judged against their
// repositories (the Claims sheet), as under cron: read the
// instructor's work back from the previous gradebook (graded groups,
// comments), build the workbook and write it with its state.
func BenchmarkGradebookExport150(b *testing.B) {
	results := make([]*grade.GroupResult, 150)
	grades := map[int][3]string{}
	for i := range results {
		results[i] = largeGroup(i + 1).result
		grades[i+1] = [3]string{"7", "a comment of a line or two about the report", "NS"}
	}
	out := b.TempDir()
	opts := Options{Out: out, Now: func() time.Time { return fixedNow }}
	if _, err := writeGradebook(opts, resultsOf(results), nil, &Summary{}); err != nil {
		b.Fatal(err)
	}
	editGradebook(b, filepath.Join(out, GradebookFile), grades, nil)
	if _, err := writeGradebook(opts, resultsOf(results), nil, &Summary{}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := writeGradebook(opts, resultsOf(results), nil, &Summary{}); err != nil {
			b.Fatal(err)
		}
	}
}
