package claims

import (
	"reflect"
	"strings"
	"testing"
)

func TestNormalizePackage(t *testing.T) {
	for in, want := range map[string]string{
		"FastAPI": "fastapi", "pytorch_lightning": "pytorch-lightning", "Pytorch-Lightning": "pytorch-lightning",
		"zope.interface": "zope-interface", "a__b--c": "a-b-c", "prometheus_client": "prometheus-client",
	} {
		if got := normalizePackage(in); got != want {
			t.Errorf("normalizePackage(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDeclaredPackages(t *testing.T) {
	for name, tc := range map[string]struct {
		text string
		want map[string]int // package -> line
	}{
		"requirements": {
			"# web\nFastAPI[all]>=0.110 ; python_version > '3.9'\n-r requirements_dev.txt\n-e .\ntorch==2.2  # cpu\n# wandb\nPyYAML\n",
			map[string]int{"fastapi": 2, "torch": 5, "pyyaml": 7},
		},
		"pyproject": {
			"[project]\nname = \"proj\"\ndependencies = [\n  \"fastapi>=0.1\", \"uvicorn[standard]\",\n  'pytorch_lightning',\n]\ndescription = \"a gradio demo\"\n",
			map[string]int{"name": 2, "dependencies": 3, "proj": 2, "fastapi": 4, "uvicorn": 4, "pytorch-lightning": 5, "description": 7},
		},
		"poetry": {
			"[tool.poetry.dependencies]\npython = \"^3.11\"\nfastapi = { version = \"^0.1\" }\n",
			map[string]int{"python": 2, "fastapi": 3},
		},
		"conda": {
			"name: env\ndependencies:\n  - python=3.11\n  - pip:\n    - wandb==0.16\n",
			map[string]int{"python": 3, "wandb": 5},
		},
	} {
		got := map[string]int{}
		declaredPackages([]byte(tc.text), func(p string, line int) {
			if _, ok := got[p]; !ok {
				got[p] = line
			}
		})
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %v, want %v", name, got, tc.want)
		}
	}
}

// A declared dependency is named, never evidence. Declared means in a
// dependency file the rules name: a lock file (which
// also lists what other packages pull in) and the environment copies that
// Weights & Biases writes into its run folders are not declarations.
func TestOnlyDeclaredDependenciesCount(t *testing.T) {
	s := mustLoad(t, "2026")
	for name, kept := range map[string]map[string]string{
		"uv.lock":   {"uv.lock": "[[package]]\nname = \"fastapi\"\n"},
		"wandb run": {"wandb/run-20260117_135639-9vokdvi1/files/requirements.txt": "fastapi==0.110\n"},
		"comment":   {"requirements.txt": "# fastapi\n"},
		"described": {"pyproject.toml": "[project]\ndescription = \"fastapi demo\"\n"},
	} {
		if v := checkOne(t, s, newTree(kept), "fastapi"); v.Status != NoEvidence {
			t.Errorf("%s: %s %v, want no evidence", name, v.Status, v.evidenceList())
		}
	}
	v := checkOne(t, s, newTree(map[string]string{"api/requirements.txt": "uvicorn\nfastapi\n"}), "fastapi")
	if v.Status != NoEvidence || !reflect.DeepEqual(v.Skipped, []Skip{{Path: "api/requirements.txt", Line: 2, Why: "fastapi declared, never imported or used"}}) ||
		!strings.Contains(v.Reason, "api/requirements.txt:2 (fastapi declared, never imported or used)") {
		t.Errorf("declared in nested requirements, never imported: %+v", v)
	}
	// Declared and imported: the import is the evidence.
	v = checkOne(t, s, newTree(map[string]string{"api/requirements.txt": "uvicorn\nfastapi\n", "api/main.py": pyFastAPI}), "fastapi")
	if !reflect.DeepEqual(v.evidenceList(), []string{"api/main.py:2"}) || v.Skipped != nil {
		t.Errorf("declared and imported: %+v", v)
	}
}
