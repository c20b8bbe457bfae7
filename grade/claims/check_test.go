package claims

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func checkOne(t *testing.T, s *RuleSet, tree Tree, rule string) Verdict {
	t.Helper()
	return s.Check(tree, []Item{itemOf(t, s, rule)})[0]
}

// Code the group did not write (installed packages) never counts, however
// it is named or wherever it lies.
func TestVendoredEnvironmentsAreNeverEvidence(t *testing.T) {
	s := mustLoad(t, "2026")
	for _, p := range []string{
		".venv/lib/python3.12/site-packages/fastapi/__init__.py",
		"venv/lib/python3.11/site-packages/app.py",
		"env/lib/python3.11/site-packages/app.py",
		"myenv/lib/main.py", // an environment by its pyvenv.cfg, whatever its name
		"conda/lib/main.py", // an environment by its conda-meta/
		"frontend/node_modules/x/index.py",
		"project/__pypackages__/3.11/lib/a.py",
	} {
		tree := newTree(map[string]string{p: pyFastAPI, "myenv/pyvenv.cfg": "home = /usr\n", "conda/conda-meta/history": "x\n"})
		if v := checkOne(t, s, tree, "fastapi"); v.Status != NoEvidence {
			t.Errorf("%s: fastapi %s %v, want no evidence", p, v.Status, v.evidenceList())
		}
	}
	// A folder that merely looks like one is the group's code.
	tree := newTree(map[string]string{"src/venv_tools/api.py": pyFastAPI})
	if v := checkOne(t, s, tree, "fastapi"); v.Status != Evidence {
		t.Errorf("src/venv_tools: fastapi %s, want evidence", v.Status)
	}
}

// The report is the claim: writing "from fastapi import" in it shows nothing.
func TestTheReportIsNotItsOwnEvidence(t *testing.T) {
	s := mustLoad(t, "2026")
	tree := newTree(map[string]string{"reports/README.md": "```python\nfrom fastapi import FastAPI\n```\ngcloud run deploy\n"})
	for _, rule := range []string{"fastapi", "docs"} {
		if v := checkOne(t, s, tree, rule); v.Status != NoEvidence {
			t.Errorf("%s: %s %v, want no evidence", rule, v.Status, v.evidenceList())
		}
	}
}

// Files that were not kept make a text rule say it could not read them,
// unless another search already shows the work.
func TestUnreadFiles(t *testing.T) {
	s := mustLoad(t, "2026")
	v := checkOne(t, s, newTree(nil, "src/api.py", "requirements.txt"), "fastapi")
	if v.Status != CannotTell || !reflect.DeepEqual(v.Unread, []string{"src/api.py"}) ||
		!strings.Contains(v.Reason, "not kept") {
		t.Errorf("nothing kept: %+v", v)
	}
	// A declaration shows nothing by itself: the code that was not kept
	// may or may not import it.
	v = checkOne(t, s, newTree(map[string]string{"requirements.txt": "fastapi==0.110\n"}, "src/api.py"), "fastapi")
	if v.Status != CannotTell || !reflect.DeepEqual(v.Unread, []string{"src/api.py"}) ||
		!reflect.DeepEqual(v.Skipped, []Skip{{Path: "requirements.txt", Line: 1, Why: "fastapi declared, never imported or used"}}) {
		t.Errorf("declared, code not kept: %+v", v)
	}
	// One need definitely missing outweighs another that could not be read.
	v = checkOne(t, s, newTree(nil, "tests/test_endpoints.py"), "api-tests")
	if v.Status != NoEvidence || len(v.Missing) != 1 || !strings.Contains(v.Missing[0], "workflow") || v.Unread != nil {
		t.Errorf("unread tests, no workflow: %+v", v)
	}
	// With no Read at all, nothing is kept.
	v = checkOne(t, s, Tree{Files: []File{{Path: "src/api.py", Size: 10}}}, "fastapi")
	if v.Status != CannotTell || !reflect.DeepEqual(v.Unread, []string{"src/api.py"}) {
		t.Errorf("nil Read: %+v", v)
	}
}

func TestEvidenceIsCappedOneLocationPerFile(t *testing.T) {
	s := mustLoad(t, "2026")
	kept := map[string]string{}
	for i := range 6 {
		kept[fmt.Sprintf("dockerfiles/%d.dockerfile", i)] = "FROM python\n"
	}
	v := checkOne(t, s, newTree(kept), "docker-files")
	if want := []string{"dockerfiles/0.dockerfile", "dockerfiles/1.dockerfile", "dockerfiles/2.dockerfile"}; !reflect.DeepEqual(v.evidenceList(), want) {
		t.Errorf("evidence = %v, want the first %d", v.evidenceList(), maxEvidence)
	}
	for _, l := range v.Evidence {
		if l.What == "" {
			t.Errorf("%s: evidence without what it shows", l.Path)
		}
	}
	// A file that is a path match and a text match is shown once.
	v = checkOne(t, s, newTree(map[string]string{"src/frontend.py": "import streamlit as st\n"}), "frontend")
	if !reflect.DeepEqual(v.evidenceList(), []string{"src/frontend.py"}) {
		t.Errorf("frontend evidence = %v", v.evidenceList())
	}
}

func TestItemsWithoutARuleAndItemsSharingOne(t *testing.T) {
	s := mustLoad(t, "2026")
	tree := newTree(map[string]string{"src/api.py": pyFastAPI})
	items := []Item{
		{Text: "Had a lot of fun (M99)", Module: "M99", Line: 3},
		{Text: "Create a FastAPI application that can do inference using your model", Module: "M22", Checked: true, Line: 4},
		{Text: "Created a FastAPI application for inference with our model", Module: "M22", Line: 5},
	}
	vs := s.Check(tree, items)
	if len(vs) != 3 {
		t.Fatalf("%d verdicts for 3 items", len(vs))
	}
	if vs[0].Rule != "" || vs[0].Status != CannotTell || !strings.Contains(vs[0].Reason, "no rule") || vs[0].Item != items[0] {
		t.Errorf("unknown item: %+v", vs[0])
	}
	for i := 1; i < 3; i++ {
		if vs[i].Rule != "fastapi" || vs[i].Status != Evidence || vs[i].Item != items[i] {
			t.Errorf("item %d: %+v", i, vs[i])
		}
	}
}

func TestPathsMatchInAnyLetterCase(t *testing.T) {
	s := mustLoad(t, "2026")
	for _, p := range []string{"Dockerfile", "DOCKERFILE", "docker/Train.DockerFile", "API.dockerfile"} {
		if v := checkOne(t, s, newTree(map[string]string{p: "FROM x\n"}), "docker-files"); v.Status != Evidence {
			t.Errorf("%s: %s", p, v.Status)
		}
	}
}

func TestTextFilesAreWhatTheSearchesRead(t *testing.T) {
	s := mustLoad(t, "2026")
	var files []File
	for _, p := range []string{
		"src/p/api.py", "requirements.txt", "pyproject.toml", ".github/workflows/tests.yaml", ".dvc/config",
		"tasks.py", "data/train.csv", "models/model.pt", "reports/figures/a.png", "reports/README.md",
		".venv/lib/python3.12/site-packages/x.py", "wandb/run-1/files/requirements.txt", "docs/index.md",
	} {
		files = append(files, File{Path: p, Size: 100})
	}
	files = append(files, File{Path: "src/p/__init__.py", Size: 0})
	var got []string
	for _, f := range s.TextFiles(files) {
		got = append(got, f.Path)
	}
	want := []string{"src/p/api.py", "requirements.txt", "pyproject.toml", ".github/workflows/tests.yaml", ".dvc/config",
		"tasks.py", "docs/index.md"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("TextFiles = %v\nwant %v", got, want)
	}
}
