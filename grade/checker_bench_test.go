package grade

import (
	"testing"

	"handin/parse"
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
