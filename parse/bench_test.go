package parse

import (
	"testing"

	"handin/parse/parsetest"
)

// BenchmarkParseHostile parses each hostile shape at each size (issue 19).
func BenchmarkParseHostile(b *testing.B) {
	for _, shape := range parsetest.Shapes {
		for _, size := range parsetest.Sizes {
			b.Run(shape.Name+"/"+size.Name, func(b *testing.B) {
				src := shape.Report(size.Bytes)
				b.SetBytes(int64(len(src)))
				for b.Loop() {
					if _, err := Parse(src); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
