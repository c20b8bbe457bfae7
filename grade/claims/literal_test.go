package claims

import (
	"fmt"
	"math/rand/v2"
	"path"
	"reflect"
	"regexp/syntax"
	"strings"
	"testing"
)

func TestRequiredLiterals(t *testing.T) {
	for expr, want := range map[string][]string{
		`(?m)^[ \t]*(?:from|import)[ \t]+fastapi\b`: {"fastapi"},
		`wandb\.init\(|WandbLogger`:                 {"WandbLogger", "wandb.init("},
		`(?i)EVIDENTLY`:                             nil, // 512 spellings: too many to look for
		`num_workers[ \t]*[=:][ \t]*(?:[1-9]|[A-Za-z_])|DistributedSampler`: {"DistributedSampler", "num_workers"},
		`(?m)^[ \t]*import[ \t]+log(?:ging|uru)`:                            {"logging", "loguru"}, // words the parser split are joined again
		`[ab]c|d`:                                                           {"ac", "bc", "d"},
		`x*`:                                                                nil, // may match nothing at all
		`[a-z]+|d`:                                                          nil, // a match of [a-z]+ holds no fixed text
		`(ab)+cde`:                                                          {"cde"},
		`a|\w+`:                                                             nil,
		`caf\x{e9}`:                                                         {"café"},
		`[Pp]ytest|PyTest`:                                                  {"PyTest", "Pytest", "pytest"},
		`(?i)pytest|PyTest`:                                                 nil,
		`(?i)ab`:                                                            {"AB", "Ab", "aB", "ab"},
	} {
		re, err := syntax.Parse(expr, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if got := requiredLiterals(re); !reflect.DeepEqual(got, want) {
			t.Errorf("requiredLiterals(%q) = %q, want %q", expr, got, want)
		}
	}
}

// The shortcuts never hide a match: for every text regexp of the built-in
// rules, a line the regexp matches contains one of its literals, and the
// regexp anchored at the line start agrees with it.
func TestLiteralsOfBuiltinRulesAreRequired(t *testing.T) {
	samples := []string{
		"from fastapi import FastAPI", "import wandb", "run = wandb.init()", "WandbLogger()", "@hydra.main()",
		"import pytorch_lightning as pl", "from prometheus_client import Counter", "from locust import HttpUser",
		"DataLoader(num_workers=4)", "strategy: ddp", "torch.compile(m)", "gcloud run deploy x", "url = gs://b",
		"    paths: ['data/**']", "repository_dispatch:", "cache: pip", "os: [ubuntu-latest, macos-latest]",
		"run: ruff check", "def f(x: int) -> int:", `"""doc"""`, "def test_data_shape():", "TestClient(app)",
		"coverage run -m pytest", "import cProfile", "import logging", "method: bayes", "import typer",
		"docker build .", "[tool.ruff]", "mkdocs gh-deploy", "BackgroundTasks", "BaseHandler", "from opentelemetry import trace",
		"import evidently", "aiplatform.CustomJob", "import streamlit", "import onnx", "k6/http",
		"def test_model_forward():", "model = DistributedDataParallel(model)", "[project.scripts]", "sweep_id = wandb.sweep(cfg)",
		"app.mount('/', StaticFiles(directory='static'))", "@app.get('/drift')", "@app.get(\"/metrics\")", "torchrun --nproc_per_node=2 train.py",
		"class Net(nn.Module):", "loss.backward()", "*.pt filter=lfs diff=lfs", "Trainer(profiler=\"simple\")", "wandb sweep sweep.yaml",
		"args: ['run', 'deploy', 'api']", "def detect_drift(ref, cur):",
		"    # Load the model", "WANDB_API_KEY: x", "run: pre-commit run --all-files", "with open(log, \"a\") as f:",
	}
	for _, name := range List() {
		s := mustLoad(t, name)
		for _, r := range s.c.rules {
			for _, n := range r.needs {
				for _, ct := range n.texts {
					if ct.comments {
						continue // read whole, with no literal shortcut
					}
					matched := false
					for _, sample := range samples {
						matched = matched || ct.re.MatchString(sample)
						matches := ct.re.MatchString(sample)
						if matches && !holdsOne(s, sample, ct.literals) {
							t.Errorf("%s/%s: %q matches %s but holds none of its literals", name, r.id, sample, ct.re)
						}
						inBranch := false
						for _, b := range ct.branches {
							m := b.re.MatchString(sample)
							inBranch = inBranch || m
							if m && !holdsOne(s, sample, b.literals) {
								t.Errorf("%s/%s: %q matches branch %s but holds none of its literals", name, r.id, sample, b.re)
							}
							if b.lineStart != nil && b.lineStart.MatchString(sample) != m {
								t.Errorf("%s/%s: %q: %s and its anchored form %s disagree", name, r.id, sample, b.re, b.lineStart)
							}
						}
						if ct.branches != nil && inBranch != matches {
							t.Errorf("%s/%s: %q: %s and its branches disagree", name, r.id, sample, ct.re)
						}
					}
					if !matched {
						t.Errorf("%s/%s: no sample matches %s", name, r.id, ct.re)
					}
				}
			}
		}
	}
}

func TestGlobLiteral(t *testing.T) {
	for pattern, want := range map[string]string{
		"**/*.dvc":                         ".dvc",
		"**/.dvc/config":                   ".dvc/config",
		".github/workflows/*.{yml,yaml}":   ".github/workflows/",
		"**/*{drift,monitor}*dockerfile*":  "dockerfile",
		"**":                               "",
		"src/**/test_*.py":                 "test_",
		"**/outputs/**/.hydra/config.yaml": ".hydra/config.yaml",
	} {
		if got := globLiteral(pattern); got != want {
			t.Errorf("globLiteral(%q) = %q, want %q", pattern, got, want)
		}
	}
	g := newGlob("**/.dvc/config")
	for p, want := range map[string]bool{".dvc/config": true, "sub/.dvc/config": true, "x.dvc/config": false} {
		if g.match(p, path.Base(p)) != want {
			t.Errorf("%s matches %s = %v", g.pattern, p, !want)
		}
	}
}

func TestExpandBraces(t *testing.T) {
	for pattern, want := range map[string][]string{
		"**/*.{yml,yaml}":              {"**/*.yml", "**/*.yaml"},
		"**/*{drift,monitor}*.{py,sh}": {"**/*drift*.py", "**/*drift*.sh", "**/*monitor*.py", "**/*monitor*.sh"},
		"a{b,{c,d}}":                   {"a{b,{c,d}}"}, // nested: left to the matcher
		`a\{b,c}`:                      {`a\{b,c}`},
		"no/braces":                    {"no/braces"},
		"x{":                           {"x{"},
	} {
		if got := expandBraces(pattern); !reflect.DeepEqual(got, want) {
			t.Errorf("expandBraces(%q) = %q, want %q", pattern, got, want)
		}
	}
	// Every glob of the built-in rules ends up with a quick path or a literal.
	for _, name := range List() {
		for _, g := range mustLoad(t, name).c.globs {
			if g.literal == "" && g.name == "" {
				t.Errorf("%s: glob %q has no quick path", name, g.pattern)
			}
		}
	}
}

// holdsOne reports whether sample holds one of the literals ids.
func holdsOne(s *RuleSet, sample string, ids literalSet) bool {
	for id, l := range s.c.literalList {
		if ids.has(id) && strings.Contains(sample, string(l)) {
			return true
		}
	}
	return false
}

// The one-pass scan finds every occurrence of every literal, overlapping
// ones included (wandb inside wandb.init(), model inside model_registry), as
// a plain search for each literal does in the file's code (its comments
// blanked out: # staged_model is not there).
func TestLiteralScanFindsEveryOccurrence(t *testing.T) {
	s := mustLoad(t, "2026")
	r := rand.New(rand.NewPCG(7, 7))
	texts := []string{
		"import wandb\nrun = wandb.init(project='p')\nmodel_registry = 1\n# staged_model\nfrom fastapi import FastAPI\n",
		workflowTests + "        os: [ubuntu-latest, windows-latest]\n        cache: pip\n",
	}
	for range 5 {
		texts = append(texts, syntheticPython(r, []string{"torch", "wandb"}, map[string]bool{"torch": true, "wandb": true}, true, 3000))
	}
	for _, text := range texts {
		g := newGroupIndex(s.c, newTree(map[string]string{"a.py": text}))
		found, present := g.literalsIn(g.text(0))
		code := string(g.text(0).code)
		got := map[[2]int]bool{}
		for _, m := range found {
			got[[2]int{m.PatternID, m.Start}] = true
		}
		want := 0
		for id, l := range s.c.literalList {
			for at := 0; ; at++ {
				j := strings.Index(code[at:], string(l))
				if j < 0 {
					break
				}
				at += j
				want++
				if !got[[2]int{id, at}] || !present.has(id) {
					t.Errorf("%q at %d not found", l, at)
				}
			}
		}
		if len(found) != want {
			t.Errorf("%d occurrences found, %d in the text", len(found), want)
		}
	}
}

// A regexp with a branch that has no fixed text runs over whole files, and
// still finds what its other branches would.
func TestTextSearchWithALiteralFreeBranch(t *testing.T) {
	dir := t.TempDir()
	file := writeFile(t, dir, "r.toml", `
name = "x"
[[rule]]
id = "r"
items = ["Do a thing"]
[[rule.need]]
what = "fastapi, or a 20-letter word"
text = [{ files = ["**/*.py"], regexp = 'fastapi|[a-z]{20}' }]
`)
	s := mustLoad(t, file)
	if ts := s.c.rules[0].needs[0].texts[0]; ts.branches != nil || !ts.literals.empty() {
		t.Fatalf("branches %d, literals %v: want a whole-file search", len(ts.branches), ts.literals)
	}
	for text, want := range map[string]int{"x\nimport fastapi\n": 2, "x\ny = abcdefghijklmnopqrst\n": 2, "nothing\n": 0} {
		v := s.Check(newTree(map[string]string{"a.py": text}), []Item{{Text: "Do a thing"}})[0]
		if got := v.evidenceList(); (want == 0) != (len(got) == 0) || want > 0 && got[0] != fmt.Sprintf("a.py:%d", want) {
			t.Errorf("%q: %s %v", text, v.Status, got)
		}
	}
}
