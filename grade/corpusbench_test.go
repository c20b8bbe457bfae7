package grade

import (
	"os"
	"path/filepath"
	"testing"

	"handin/internal/corpus"
	"handin/parse"
)

// BenchmarkCorpus parses and checks every real report of the corpus once per
// iteration (the work of one `handin check` call over all of them).
func BenchmarkCorpus(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(corpus.Dir(b), "reports", "*.md"))
	var reports [][]byte
	size := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		reports = append(reports, data)
		size += len(data)
	}
	spec, err := LoadSpec(DefaultSpec)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, data := range reports {
			r, err := parse.Parse(data)
			if err != nil {
				b.Fatal(err)
			}
			Check("r.md", r, spec, Repository{ReportDir: "reports"})
		}
	}
}
