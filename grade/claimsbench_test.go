package grade

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"handin/workspace"
)

// benchLibraries are the packages a synthetic project may import and
// declare; which ones a group uses is drawn at random, so rules find
// evidence in some groups and read every file in others.
var benchLibraries = []string{"torch", "numpy", "pandas", "fastapi", "wandb", "hydra", "typer", "loguru",
	"pytorch_lightning", "evidently", "prometheus_client", "locust", "onnx", "streamlit", "sklearn", "transformers"}

// benchProject is one synthetic group's deadline tree: 100-500 files of
// which 50-200 are kept text files of 2-6 KB (code, configs, tests,
// workflows, requirements), the rest data, models and figures not kept.
func benchProject(r *rand.Rand) (kept map[string]string, unkept []string) {
	var used []string
	for _, l := range benchLibraries {
		if r.IntN(3) > 0 {
			used = append(used, l)
		}
	}
	kept = map[string]string{
		"requirements.txt":             strings.Join(used, "\n") + "\n",
		"pyproject.toml":               "[project]\nname = \"proj\"\ndependencies = [\"torch\"]\n\n[tool.ruff]\nline-length = 120\n",
		".github/workflows/tests.yaml": "on: [push]\njobs:\n  t:\n    strategy:\n      matrix:\n        os: [ubuntu-latest, windows-latest]\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          cache: pip\n      - run: pytest\n",
		".dvc/config":                  "['remote \"storage\"']\n    url = gs://bucket\n",
		"dockerfiles/train.dockerfile": "FROM python:3.12-slim\nRUN pip install -r requirements.txt\n",
	}
	files := 100 + r.IntN(401)
	text := min(50+r.IntN(151), files-20)
	for i := len(kept); i < text; i++ {
		switch i % 10 {
		case 0:
			kept[fmt.Sprintf("configs/exp%d.yaml", i)] = fmt.Sprintf("lr: 0.%03d\nepochs: %d\nbatch_size: 64\n", r.IntN(1000), r.IntN(50))
		case 1:
			kept[fmt.Sprintf("tests/test_mod%d.py", i)] = benchPython(r, used, 2000+r.IntN(4000))
		default:
			kept[fmt.Sprintf("src/proj/sub%d/mod%d.py", i%7, i)] = benchPython(r, used, 2000+r.IntN(4000))
		}
	}
	for i := text; i < files-2; i++ {
		unkept = append(unkept, fmt.Sprintf("data/raw/sample_%04d.csv", i))
	}
	return kept, append(unkept, "models/model.pt", "reports/figures/overview.png")
}

// benchPython is about size bytes of plausible Python importing some of the
// group's libraries.
func benchPython(r *rand.Rand, used []string, size int) string {
	var b strings.Builder
	for _, l := range used {
		if r.IntN(4) == 0 {
			fmt.Fprintf(&b, "import %s\n", l)
		}
	}
	b.WriteString("import os\nfrom pathlib import Path\n\n")
	for n := 0; b.Len() < size; n++ {
		fmt.Fprintf(&b, "\ndef step_%d(batch: list[float], lr: float = 0.01) -> float:\n", n)
		b.WriteString("    \"\"\"Run one step and return the mean.\"\"\"\n")
		for range 3 + r.IntN(6) {
			fmt.Fprintf(&b, "    value_%d = [x * %d for x in batch if x %% 3 == %d]\n", r.IntN(100), r.IntN(9), r.IntN(3))
		}
		b.WriteString("    return sum(batch) / max(len(batch), 1)\n")
	}
	return b.String()
}

// benchCourse is a workspace of 150 scraped groups: each a synthetic
// project with a 31-question report whose checklist is the 2026 template's
// (its items ticked at random) and 200 commits of its own.
func benchCourse(b *testing.B) *workspace.Workspace {
	b.Helper()
	rules, err := LoadClaims("2026", nil)
	if err != nil {
		b.Fatal(err)
	}
	ws := testWorkspace(b)
	r := rand.New(rand.NewPCG(15, 150))
	deadline := time.Date(2026, 1, 23, 23, 59, 59, 0, time.UTC)
	questions := make([]int, 31)
	for i := range questions {
		questions[i] = i + 1
	}
	for g := 1; g <= 150; g++ {
		kept, unkept := benchProject(r)
		var report strings.Builder
		report.WriteString("# Report\n\n## Overall project checklist\n\n")
		for _, rule := range rules.Rules {
			mark := " "
			if r.IntN(3) > 0 {
				mark = "x"
			}
			fmt.Fprintf(&report, "* [%s] %s (%s)\n", mark, rule.Items[0], strings.Join(rule.Modules, "+"))
		}
		report.WriteString("\n" + reportText(questions...))
		kept["reports/README.md"] = report.String()
		s := &workspace.Snapshot{Group: g, Status: workspace.StatusOK, Students: []string{fmt.Sprintf("s%06d", g)},
			Deadline: deadline, Pin: workspace.Pin{SHA: fmt.Sprintf("%08x%032x", g, 0)}}
		for _, p := range unkept {
			s.Tree = append(s.Tree, workspace.File{Path: p, Size: 1 << 20, Mode: workspace.ModeFile})
		}
		for i := range 200 {
			when := deadline.Add(-time.Duration(i) * 3 * time.Hour)
			c := workspace.Commit{SHA: fmt.Sprintf("%08x%032x", g, i), AuthorName: "Dev", AuthorEmail: "dev@example.org",
				AuthorTime: when, CommitTime: when, Message: "change"}
			if i < 199 {
				c.Parents = []string{fmt.Sprintf("%08x%032x", g, i+1)}
			}
			s.Commits = append(s.Commits, c)
		}
		saveBenchSnapshot(b, ws, s, kept)
	}
	return ws
}

// saveBenchSnapshot stores a snapshot with its kept files, as scrape does.
func saveBenchSnapshot(b *testing.B, ws *workspace.Workspace, s *workspace.Snapshot, kept map[string]string) {
	dir, err := ws.NewFilesDir(s.Group)
	if err != nil {
		b.Fatal(err)
	}
	for p, text := range kept {
		name := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		s.Tree = append(s.Tree, workspace.File{Path: p, Size: int64(len(text)), Mode: workspace.ModeFile})
		s.Copied = append(s.Copied, p)
	}
	if err := ws.SaveSnapshot(s, dir); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkRunCourse is `handin grade` on a course of 150 groups (loading
// every snapshot, grading, comparing histories and answers, saving every
// result), with and without judging the checklists: one op is the whole
// course. On the 2-core development machine, shared with other work:
// 0.55-0.6 s without, 1.05-1.25 s with (reading the kept files is 40% of
// the difference); comparing answers adds about 0.15 s (reading every
// report a second time, one per CPU).
func BenchmarkRunCourse(b *testing.B) {
	ws := benchCourse(b)
	spec := loadSpec(b)
	rules, err := LoadClaims("", spec)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		opts Options
	}{
		{"claims=off", Options{Spec: spec}},
		{"claims=on", Options{Spec: spec, Claims: rules}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				results, errs := runAll(context.Background(), ws, bc.opts)
				if len(errs) > 0 || len(results) != 150 {
					b.Fatalf("%d results, errors %v", len(results), errs)
				}
				if (results[0].Claims != nil) != (bc.opts.Claims != nil) {
					b.Fatal("claims judged without rules, or not judged with them")
				}
			}
		})
	}
}
