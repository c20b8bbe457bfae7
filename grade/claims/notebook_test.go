package claims

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// testCell is a notebook cell for a test: its type, its source and, for a
// code cell, what its output printed.
type testCell struct {
	kind, source, output string
}

// jupyterNotebook writes a notebook the way Jupyter saves one (nbformat 4,
// indented, the source a list of lines), so that the lines of the file are
// the lines a reader sees.
func jupyterNotebook(t testing.TB, cells ...testCell) string {
	t.Helper()
	var out []map[string]any
	for _, c := range cells {
		cell := map[string]any{"cell_type": c.kind, "metadata": map[string]any{}, "source": sourceLines(c.source)}
		if c.kind == "code" {
			cell["execution_count"] = 1
			cell["outputs"] = []any{}
			if c.output != "" {
				cell["outputs"] = []any{map[string]any{"name": "stdout", "output_type": "stream", "text": sourceLines(c.output)}}
			}
		}
		out = append(out, cell)
	}
	b, err := json.MarshalIndent(map[string]any{"cells": out, "metadata": map[string]any{}, "nbformat": 4, "nbformat_minor": 5}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

// sourceLines splits text as Jupyter stores it: each line with its break.
func sourceLines(text string) []string {
	return strings.SplitAfter(strings.TrimSuffix(text, "\n"), "\n")
}

// A code cell of a notebook shows the work as a Python file does, at the
// line of the .ipynb file that holds the import.
func TestNotebookCodeCellsAreEvidence(t *testing.T) {
	s := mustLoad(t, "2026")
	nb := jupyterNotebook(t,
		testCell{kind: "markdown", source: "# Serving\nWe try the API here.\n"},
		testCell{kind: "code", source: "import torch\n\nfrom fastapi import FastAPI\napp = FastAPI()\n", output: "ok\n"},
	)
	v := checkOne(t, s, newTree(map[string]string{"notebooks/serve.ipynb": nb}), "fastapi")
	at := strings.Index(nb, `"from fastapi import FastAPI\n"`) // the line Jupyter wrote it on
	want := []string{"notebooks/serve.ipynb:" + strconv.Itoa(1+strings.Count(nb[:at], "\n"))}
	if v.Status != Evidence || !reflect.DeepEqual(v.evidenceList(), want) {
		t.Errorf("import in a code cell: %s %v, want evidence %v", v.Status, v.evidenceList(), want)
	}
}

// Prose, outputs, comments and commands run from the notebook show nothing:
// the package stays declared and never imported.
func TestNotebookTextOutsideCodeIsNoEvidence(t *testing.T) {
	s := mustLoad(t, "2026")
	for name, cells := range map[string][]testCell{
		"markdown cell": {{kind: "markdown", source: "from fastapi import FastAPI\n"}},
		"raw cell":      {{kind: "raw", source: "import fastapi\n"}},
		"output":        {{kind: "code", source: "print(help_text)\n", output: "from fastapi import FastAPI\n"}},
		"comment":       {{kind: "code", source: "# from fastapi import FastAPI\nx = 1\n"}},
		"magics":        {{kind: "code", source: "!pip install fastapi\n%pip install fastapi\n"}},
		"bash cell":     {{kind: "code", source: "%%bash\nimport fastapi\n"}},
	} {
		tree := newTree(map[string]string{"requirements.txt": "fastapi\n", "eda.ipynb": jupyterNotebook(t, cells...)})
		v := checkOne(t, s, tree, "fastapi")
		want := []Skip{{Path: "requirements.txt", Line: 1, Why: "fastapi declared, never imported or used"}}
		if v.Status != NoEvidence || !reflect.DeepEqual(v.Skipped, want) {
			t.Errorf("%s: %s %v skipped %v, want no evidence, the declaration named", name, v.Status, v.evidenceList(), v.Skipped)
		}
	}
	// A cell timed with %%time is still Python.
	tree := newTree(map[string]string{"eda.ipynb": jupyterNotebook(t, testCell{kind: "code", source: "%%time\nimport fastapi\n"})})
	if v := checkOne(t, s, tree, "fastapi"); v.Status != Evidence {
		t.Errorf("%%%%time cell: %s, want evidence", v.Status)
	}
}

// Other writers of notebooks: a source as one string, a line split over
// two strings, nbformat 3's worksheets with the code in input. Evidence is
// the line of the file that holds the string.
func TestNotebookSourceShapes(t *testing.T) {
	s := mustLoad(t, "2026")
	for name, c := range map[string]struct {
		nb   string
		line string
	}{
		"one string": {`{"cells": [{"cell_type": "code", "source": "import os\nfrom fastapi import FastAPI\n", "outputs": []}], "nbformat": 4}`, "1"},
		"a line split in two": {`{"nbformat": 4, "cells": [
{"cell_type": "code", "source": ["import os\n", "from fas", "tapi import FastAPI\n"]}]}`, "2"},
		"nbformat 3": {`{"nbformat": 3, "worksheets": [{"cells": [
{"cell_type": "markdown", "source": ["# title\n"]},
{"cell_type": "code", "input": ["import os\n", "from fastapi import FastAPI\n"], "outputs": []}]}]}`, "3"},
	} {
		v := checkOne(t, s, newTree(map[string]string{"api.ipynb": c.nb}), "fastapi")
		if want := []string{"api.ipynb:" + c.line}; v.Status != Evidence || !reflect.DeepEqual(v.evidenceList(), want) {
			t.Errorf("%s: %s %v, want evidence %v", name, v.Status, v.evidenceList(), want)
		}
	}
}

// A notebook that is not one is named among the files that did not count,
// and the other files are judged as ever.
func TestBrokenNotebookIsSkippedAndNamed(t *testing.T) {
	s := mustLoad(t, "2026")
	for name, nb := range map[string]string{
		"cut short":  `{"cells": [{"cell_type": "code", "source": ["import fastapi\n"`,
		"not JSON":   "import fastapi\n",
		"no cells":   `{"metadata": {}}`,
		"an array":   `[{"cell_type": "code", "source": "import fastapi"}]`,
		"text after": `{"cells": []} {"cells": []}`,
		"deep, cut":  `{"cells": [], "metadata": ` + strings.Repeat("[", 100000) + `}`,
		"too deep":   `{"cells": [], "metadata": ` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`,
	} {
		v := checkOne(t, s, newTree(map[string]string{"broken.ipynb": nb}), "fastapi")
		if v.Status != NoEvidence || len(v.Skipped) != 1 || v.Skipped[0].Path != "broken.ipynb" || !strings.Contains(v.Reason, "broken.ipynb") {
			t.Errorf("%s: %s skipped %v reason %q, want no evidence naming broken.ipynb", name, v.Status, v.Skipped, v.Reason)
		}
	}
	tree := newTree(map[string]string{"broken.ipynb": "{", "src/api.py": "from fastapi import FastAPI\n"})
	if v := checkOne(t, s, tree, "fastapi"); v.Status != Evidence || !reflect.DeepEqual(v.evidenceList(), []string{"src/api.py:1"}) {
		t.Errorf("broken notebook beside the code: %s %v, want evidence in src/api.py", v.Status, v.evidenceList())
	}
}

// A notebook is read where Python files are, and left out where they are:
// what excludes test_*.py excludes test_*.ipynb. The scraper is told to
// keep notebooks, in any letter case.
func TestNotebooksFollowThePythonGlobs(t *testing.T) {
	s := mustLoad(t, "2026")
	train := jupyterNotebook(t, testCell{kind: "code", source: "class Net(nn.Module):\n    pass\n\noptimizer.step()\n"})
	for p, want := range map[string]Status{
		"notebooks/Train.IPYNB":      Evidence,
		"notebooks/test_train.ipynb": NoEvidence,
		"tests/train.ipynb":          NoEvidence,
	} {
		if v := checkOne(t, s, newTree(map[string]string{p: train}), "model-training"); v.Status != want {
			t.Errorf("%s: %s %v, want %s", p, v.Status, v.evidenceList(), want)
		}
	}
	files := []File{{Path: "README.md", Size: 10}, {Path: "notebooks/Serve.IPYNB", Size: 10}, {Path: "notebooks/run.log", Size: 10}}
	if kept := s.TextFiles(files); !slices.Contains(kept, files[1]) || slices.Contains(kept, files[2]) {
		t.Errorf("TextFiles = %v, want the notebook and not the log", kept)
	}
}

// BenchmarkNotebookCode reads a notebook that is mostly outputs, as one of
// plots is: 50 code cells with 40 KB of output each, 3 MB as Jupyter
// writes it (over the scraper's 2 MiB cap).
func BenchmarkNotebookCode(b *testing.B) {
	var cells []testCell
	for range 50 {
		cells = append(cells, testCell{kind: "code", source: "import torch\nmodel.fit(x)\n", output: strings.Repeat("iVBORw0KGgoAAAANSUhEUgAA\n", 40<<10/25)})
	}
	nb := []byte(jupyterNotebook(b, cells...))
	b.SetBytes(int64(len(nb)))
	for b.Loop() {
		if _, _, err := notebookCode(nb); err != nil {
			b.Fatal(err)
		}
	}
}
