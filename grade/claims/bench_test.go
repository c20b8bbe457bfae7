package claims

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// syntheticGroup is a realistic project: 100-500 files of which 50-200 are
// kept text files of a few KB (code, configs, workflows, requirements), the
// rest data, models and figures that were not kept. Which course tools a
// group uses, and whether its code is typed, is drawn at random, so rules
// find evidence in some groups and search every file in others.
func syntheticGroup(r *rand.Rand) Tree {
	libs := []string{"torch", "numpy", "pandas", "fastapi", "wandb", "hydra", "typer", "loguru", "pytorch_lightning",
		"evidently", "prometheus_client", "locust", "onnx", "streamlit", "sklearn", "matplotlib", "transformers"}
	used := map[string]bool{}
	for _, l := range libs {
		used[l] = r.IntN(3) > 0
	}
	typed := r.IntN(3) > 0
	kept := map[string]string{}
	nText := 50 + r.IntN(151)
	for i := range nText {
		var p string
		switch i % 10 {
		case 0:
			p = fmt.Sprintf("configs/exp%d.yaml", i)
		case 1:
			p = fmt.Sprintf("tests/test_mod%d.py", i)
		default:
			p = fmt.Sprintf("src/proj/sub%d/mod%d.py", i%7, i)
		}
		kept[p] = syntheticPython(r, libs, used, typed, 2000+r.IntN(4000))
	}
	kept["requirements.txt"] = "torch==2.2\nnumpy\n" + strings.Join(pick(libs, used), "\n") + "\n"
	kept["pyproject.toml"] = "[project]\nname = \"proj\"\ndependencies = [\"torch\"]\n\n[tool.ruff]\nline-length = 120\n"
	kept[".github/workflows/tests.yaml"] = "on: [push]\njobs:\n  t:\n    strategy:\n      matrix:\n        os: [ubuntu-latest, windows-latest]\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          cache: pip\n      - run: pytest\n"
	kept[".dvc/config"] = "['remote \"s\"']\n    url = gs://bucket\n"
	var unkept []string
	for i := range 50 + r.IntN(251) {
		unkept = append(unkept, fmt.Sprintf("data/raw/sample_%04d.csv", i))
	}
	unkept = append(unkept, "models/model.pt", "reports/figures/overview.png")
	return storedTree(newTree(kept, unkept...))
}

// storedTree reads each kept file once, as a scraper's workspace holds
// them, so that the benchmark times checking, not copying test strings.
func storedTree(t Tree) Tree {
	stored := map[string][]byte{}
	for _, f := range t.Files {
		if b, ok := t.Read(f.Path); ok {
			stored[f.Path] = b
		}
	}
	t.Read = func(p string) ([]byte, bool) {
		b, ok := stored[p]
		return b, ok
	}
	return t
}

func pick(libs []string, used map[string]bool) []string {
	var out []string
	for _, l := range libs {
		if used[l] {
			out = append(out, l)
		}
	}
	return out
}

// syntheticPython writes about size bytes of plausible Python: imports of
// the group's libraries, functions (typed and documented in two groups out
// of three, as the course template's code is), comments, loops.
func syntheticPython(r *rand.Rand, libs []string, used map[string]bool, typed bool, size int) string {
	comments := []string{"one optimisation step over the batch", "normalise the inputs first", "TODO: move to the config",
		"keep the best checkpoint", "the loss is averaged over the batch", "see the report for the details"}
	var b strings.Builder
	for _, l := range libs {
		if used[l] && r.IntN(4) == 0 {
			fmt.Fprintf(&b, "import %s\n", l)
		}
	}
	b.WriteString("import os\nfrom pathlib import Path\n\n")
	for n := 0; b.Len() < size; n++ {
		if typed {
			fmt.Fprintf(&b, "\ndef step_%d(batch: list[float], lr: float = 0.01, epochs: int = %d) -> float:\n", n, r.IntN(20))
			b.WriteString("    \"\"\"Run one step and return the mean.\"\"\"\n")
		} else {
			fmt.Fprintf(&b, "\ndef step_%d(batch, lr=0.01, epochs=%d):\n", n, r.IntN(20))
		}
		fmt.Fprintf(&b, "    # %s\n", comments[r.IntN(len(comments))])
		for range 3 + r.IntN(6) {
			fmt.Fprintf(&b, "    value_%d = [x * %d for x in batch if x %% 3 == %d]\n", r.IntN(100), r.IntN(9), r.IntN(3))
		}
		b.WriteString("    return sum(batch) / max(len(batch), 1)\n")
	}
	return b.String()
}

// BenchmarkCheckCourse checks the claims of a whole course: 150 groups, the
// 53 items of the 2026 checklist each. One op is the whole course.
func BenchmarkCheckCourse(b *testing.B) {
	s := mustLoad(b, "2026")
	var items []Item
	for _, rule := range s.Rules {
		items = append(items, Item{Text: rule.Items[0], Module: strings.Join(rule.Modules, "+"), Checked: true})
	}
	r := rand.New(rand.NewPCG(15, 2026))
	groups := make([]Tree, 150)
	files, textBytes := 0, 0
	for i := range groups {
		groups[i] = syntheticGroup(r)
		files += len(groups[i].Files)
		for _, f := range groups[i].Files {
			if t, ok := groups[i].Read(f.Path); ok {
				textBytes += len(t)
			}
		}
	}
	for b.Loop() {
		for _, g := range groups {
			if vs := s.Check(g, items); len(vs) != len(items) {
				b.Fatal("a verdict is missing")
			}
		}
	}
	b.ReportMetric(float64(files)/float64(len(groups)), "files/group")
	b.ReportMetric(float64(textBytes)/float64(len(groups))/1024, "textKB/group")
}

// BenchmarkLoad is the cost of parsing and compiling a rules file with a base.
func BenchmarkLoad(b *testing.B) {
	data, err := builtinFiles.ReadFile("rules/2023.toml")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := parseRuleSet(data, "2023", func(string) (*RuleSet, error) { return builtins()["2025"], nil }); err != nil {
			b.Fatal(err)
		}
	}
}
