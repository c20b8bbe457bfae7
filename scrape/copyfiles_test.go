package scrape

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"handin/workspace"
)

// Small text files are copied for later checks, within their own limits:
// 256 KiB a file (notebooks 2 MiB), 8 MiB a group, no binary content,
// nothing vendored. The report and figures come first, notebooks last.
func TestRunCopiesTextFilesWithinLimits(t *testing.T) {
	c := newCourse(t)
	c.repo("text.git")
	commit := reportCommit(alice, at(-time.Hour), "report")
	commit.Files[".github/workflows/tests.yml"] = []byte("on: push\n")
	commit.Files["Dockerfile"] = []byte("FROM python:3.12\n")
	commit.Files["src/huge.py"] = bytes.Repeat([]byte("x = 1\n"), 300<<10/6)
	commit.Files["data/blob.txt"] = []byte("looks like text\x00but is not")
	commit.Files[".venv/lib/python3.12/site-packages/pkg/mod.py"] = []byte("vendored = True\n")
	chunk := bytes.Repeat([]byte(`{"k": 1}`+"\n"), 200<<10/9)
	notebook := []byte(`{"cells": [{"cell_type": "code", "source": ["import torch\n"], "outputs": []}], "nbformat": 4}` + "\n")
	commit.Files["notebooks/small.ipynb"] = notebook
	// Outputs make notebooks large: 300 KiB is over the 256 KiB of a text
	// file but under the 2 MiB of a notebook; 2.5 MiB is over.
	commit.Files["notebooks/eda.ipynb"] = slices.Concat(notebook, bytes.Repeat([]byte(" "), 300<<10))
	commit.Files["notebooks/big.ipynb"] = slices.Concat(notebook, bytes.Repeat([]byte(" "), 5<<19))
	// 45 × 200 KiB: over the 8 MiB of text a group may take.
	for i := range 45 {
		commit.Files[fmt.Sprintf("runs/run%02d.json", i)] = chunk
	}
	c.commit("text.git", "main", commit)
	opts := testOptions(t, c.group(1, "text.git"))
	if o := outcomeOf(t, mustRun(t, opts), 1); o.Status != workspace.StatusOK {
		t.Fatalf("status %s (%s)", o.Status, o.Error)
	}
	s := loadSnap(t, opts.Workspace, 1)
	for _, p := range []string{"reports/README.md", "reports/figures/loss.PNG", ".github/workflows/tests.yml", "Dockerfile", "src/train.py", "notebooks/small.ipynb"} {
		if !slices.Contains(s.Copied, p) {
			t.Errorf("%s not copied: %q", p, s.Copied)
		}
	}
	if data, err := s.ReadFile(".github/workflows/tests.yml"); err != nil || string(data) != "on: push\n" {
		t.Errorf("workflow read back as %q, %v", data, err)
	}
	why := map[string]string{}
	jsonCopied := 0
	for _, f := range s.Tree {
		why[f.Path] = f.NotCopied
		if strings.HasPrefix(f.Path, "runs/") && slices.Contains(s.Copied, f.Path) {
			jsonCopied++
		}
	}
	for p, want := range map[string]string{
		"src/huge.py":     "over the 256 KiB one may take",
		"data/blob.txt":   "binary content",
		"runs/run44.json": "text files a group may take were reached",
		// Copied after the run files, though before them in the tree: a
		// notebook never takes the place of another text file.
		"notebooks/eda.ipynb": "text files a group may take were reached",
		"notebooks/big.ipynb": "over the 2.0 MiB one may take",
	} {
		if !strings.Contains(why[p], want) || slices.Contains(s.Copied, p) {
			t.Errorf("%s: not copied because %q, want %q", p, why[p], want)
		}
	}
	if jsonCopied != 40 { // 40 × 200 KiB fit in 8 MiB
		t.Errorf("%d of the 45 run files copied, want 40", jsonCopied)
	}
	if slices.ContainsFunc(s.Copied, func(p string) bool { return strings.HasPrefix(p, ".venv/") }) || why[".venv/lib/python3.12/site-packages/pkg/mod.py"] != "" {
		t.Errorf("a vendored file was considered: %q", s.Copied)
	}
	if _, err := s.ReadFile("data/blob.txt"); err == nil {
		t.Error("the binary file is in files/")
	}
}
