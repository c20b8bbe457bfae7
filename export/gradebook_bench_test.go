package export

import (
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"handin/grade"
	"handin/grade/rubric"
)

// BenchmarkGradebookExport150 is one export's gradebook work for 150
// groups of 31 questions and 54 checklist items judged against their
// repositories (the Claims sheet), as under cron: read the
// instructor's work back from the previous gradebook (graded groups,
// comments), build the workbook and write it with its state.
func BenchmarkGradebookExport150(b *testing.B) {
	benchmarkGradebookExport(b, Options{}, nil)
}

// BenchmarkGradebookExport150Rubric is the same with a rubric of every
// question at one point and two graders, every question of every group
// scored: what the grading adds to an export (Score, Comment, Total and
// Grader columns, the scores read back for the index).
func BenchmarkGradebookExport150Rubric(b *testing.B) {
	spec, err := grade.LoadSpec("2026")
	if err != nil {
		b.Fatal(err)
	}
	benchmarkGradebookExport(b, Options{Rubric: rubric.Init(spec), Graders: []string{"ab", "cd"}}, func(f *excelize.File) {
		col := columns(b, f, SheetQuestions)[HeaderScore]
		rows, err := f.GetRows(SheetQuestions)
		if err != nil {
			b.Fatal(err)
		}
		for i := range rows[1:] {
			setCell(b, f, SheetQuestions, col+strconv.Itoa(i+2), 1.0)
		}
	})
}

func benchmarkGradebookExport(b *testing.B, opts Options, score func(*excelize.File)) {
	results := make([]*grade.GroupResult, 150)
	grades := map[int][3]string{}
	for i := range results {
		results[i] = largeGroup(i + 1).result
		grades[i+1] = [3]string{"7", "a comment of a line or two about the report", "NS"}
	}
	out := b.TempDir()
	opts.Out, opts.Now = out, func() time.Time { return fixedNow }
	if _, err := writeGradebook(opts, resultsOf(results), nil, &Summary{}); err != nil {
		b.Fatal(err)
	}
	editGradebook(b, filepath.Join(out, GradebookFile), grades, nil)
	if score != nil {
		editWorkbook(b, filepath.Join(out, GradebookFile), score)
	}
	if _, err := writeGradebook(opts, resultsOf(results), nil, &Summary{}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := writeGradebook(opts, resultsOf(results), nil, &Summary{}); err != nil {
			b.Fatal(err)
		}
	}
}
