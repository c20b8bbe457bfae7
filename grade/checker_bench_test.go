package grade

import (
	"testing"

	"handin/parse"
	"handin/parse/parsetest"
)

// BenchmarkEmulateChecker30KB: the emulated checker and the segment
// comparison on a 31-question report of about 30 KB (parsed beforehand, as
// grading does anyway).
func BenchmarkEmulateChecker30KB(b *testing.B) {
	src := syntheticReport()
	spec, err := LoadSpec(DefaultSpec)
	if err != nil {
		b.Fatal(err)
	}
	r, err := parse.Parse(src)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		run := EmulateChecker(src, spec)
		if len(run.Questions) != 31 {
			b.Fatalf("crash %+v", run.Crash)
		}
		if diffs, err := CompareSegments(run, r); err != nil || len(diffs) != 0 {
			b.Fatalf("diffs %+v, %v", diffs, err)
		}
	}
}

// BenchmarkCheckHostile checks each hostile shape at each size (issue 19),
// parsed beforehand: the emulated course checker, the comparison of its
// segments with the answers and the figure checks, against a deadline tree
// of the shape's size.
func BenchmarkCheckHostile(b *testing.B) {
	spec, err := LoadSpec(DefaultSpec)
	if err != nil {
		b.Fatal(err)
	}
	for _, shape := range parsetest.Shapes {
		files := NewRepoFiles(append(parsetest.Tree(shape.TreeFiles), "reports/README.md"))
		for _, size := range parsetest.Sizes {
			b.Run(shape.Name+"/"+size.Name, func(b *testing.B) {
				src := shape.Report(size.Bytes)
				r, err := parse.Parse(src)
				if err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(len(src)))
				for b.Loop() {
					if res := Check("reports/README.md", r, spec, Repository{ReportDir: "reports", Files: files}); len(res.Questions) != len(spec.Questions) {
						b.Fatalf("%d questions checked, want %d", len(res.Questions), len(spec.Questions))
					}
				}
			})
		}
	}
}
