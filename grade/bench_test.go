package grade

import (
	"fmt"
	"strings"
	"testing"

	"handin/parse"
)

// syntheticReport is a 31-question report of about 30 KB.
func syntheticReport() []byte {
	var b strings.Builder
	b.WriteString("# Exam template for 02476 Machine Learning Operations\n\n## Overall project checklist\n\n### Week 1\n\n")
	for i := range 20 {
		fmt.Fprintf(&b, "* [x] Checklist item number %d (M%d)\n", i, i+2)
	}
	b.WriteString("\n## Group information\n\n")
	for n := 1; n <= 31; n++ {
		fmt.Fprintf(&b, "### Question %d\n> **Describe what you did for question %d.**\n>\n> Recommended answer length: 100-200 words.\n>\n> Answer:\n\n", n, n)
		for range 16 {
			b.WriteString("We used `uv` and Hydra to manage configs, tracked runs in W&B and deployed with Cloud Run. ")
		}
		fmt.Fprintf(&b, "\n\n![figure %d](figures/fig%d.png)\n\n", n, n)
	}
	return []byte(b.String())
}

func BenchmarkParseAndCheck30KB(b *testing.B) {
	src := syntheticReport()
	spec, err := LoadSpec(DefaultSpec)
	if err != nil {
		b.Fatal(err)
	}
	files := NewRepoFiles([]string{"reports/figures/fig1.png"})
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := parse.Parse(src)
		if err != nil {
			b.Fatal(err)
		}
		if res := Check("bench.md", r, spec, Repository{ReportDir: "reports", Files: files}); len(res.Questions) != 31 {
			b.Fatal("wrong question count")
		}
	}
}
