package demo

import (
	"fmt"
	"path"
	"strings"
)

// skeleton is the project's first commit: what a cookiecutter template
// creates, before any code is written.
func (b *groupBuilder) skeleton() map[string][]byte {
	readme := fmt.Sprintf(`# %s

Classifying %s with %s, as the project of group %d in the MLOps course.

## Getting started

Install the environment with %s, pull the data with dvc pull and train with

    python -m %s.train

The report is in reports/README.md.
`, b.pkg, b.data, b.model, b.group.Number, b.env, b.pkg)
	return map[string][]byte{
		"README.md":                          []byte(readme),
		".gitignore":                         []byte("__pycache__/\n*.pyc\n.venv/\ndata/\nmodels/\noutputs/\n"),
		"pyproject.toml":                     []byte(fmt.Sprintf("[project]\nname = %q\nversion = \"0.1.0\"\nrequires-python = \">=3.11\"\n", b.pkg)),
		"requirements.txt":                   []byte("torch\ntyper\nhydra-core\nfastapi\nuvicorn\nprometheus-client\nevidently\naccelerate\n"),
		"requirements_dev.txt":               []byte("pytest\nruff\ncoverage\nlocust\n"),
		"src/" + b.pkg + "/__init__.py":      []byte(""),
		"configs/config.yaml":                []byte("defaults:\n  - model: default\nseed: 42\nepochs: 10\nlr: 0.001\n"),
		"configs/model/default.yaml":         []byte("hidden: 128\ndropout: 0.2\n"),
		"tests/__init__.py":                  []byte(""),
		"notebooks/.gitkeep":                 []byte(""),
		"docs/mkdocs.yaml":                   []byte(fmt.Sprintf("site_name: %s\nnav:\n  - Home: index.md\n", b.pkg)),
		"docs/index.md":                      []byte(fmt.Sprintf("# %s\n\nHow to install, train and serve the model.\n", b.pkg)),
		".dvc/config":                        []byte(fmt.Sprintf("[core]\n    remote = storage\n['remote \"storage\"']\n    url = gs://%s-data\n", b.pkg)),
		"src/" + b.pkg + "/visualize.py":     pythonModule(b.pkg, 1),
		"src/" + b.pkg + "/data/__init__.py": []byte(""),
	}
}

// projectFiles are the files code commits add in turn; later commits edit
// the utilities module.
var projectFiles = []string{
	"src/{pkg}/data.py", "src/{pkg}/model.py", "src/{pkg}/train.py", "tests/test_data.py",
	"dockerfiles/train.dockerfile", ".github/workflows/tests.yaml", "configs/experiment/sweep.yaml",
	"tests/test_model.py", "src/{pkg}/api.py", "dockerfiles/api.dockerfile", "src/{pkg}/evaluate.py",
	"cloudbuild.yaml", "data.dvc", "tests/test_api.py", ".github/workflows/lint.yaml",
}

// codeFiles is the change of the i-th code commit.
func (b *groupBuilder) codeFiles(i int) map[string][]byte {
	if i >= len(projectFiles) {
		return map[string][]byte{"src/" + b.pkg + "/utils.py": pythonModule(b.pkg, i)}
	}
	name := strings.ReplaceAll(projectFiles[i], "{pkg}", b.pkg)
	var content []byte
	switch {
	case strings.HasSuffix(name, ".py"):
		content = append(pythonModule(b.pkg, i), moduleRoles[path.Base(name)]...)
	case strings.HasSuffix(name, ".dockerfile"):
		entry := strings.TrimSuffix(name[strings.LastIndex(name, "/")+1:], ".dockerfile")
		content = []byte(fmt.Sprintf("FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY src/ src/\nENTRYPOINT [\"python\", \"-m\", \"%s.%s\"]\n", b.pkg, entry))
	case strings.HasPrefix(name, ".github/workflows/"):
		content = []byte("name: checks\non: [push, pull_request]\njobs:\n  run:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: pip install -r requirements_dev.txt\n      - run: ruff check .\n      - run: pytest\n")
	case name == "data.dvc":
		content = []byte(fmt.Sprintf("outs:\n- md5: %032x.dir\n  path: data\n", uint64(b.group.Number)*0x9e3779b97f4a7c15))
	default:
		content = []byte(fmt.Sprintf("# %s of group %d\nsteps:\n  - name: build\n    args: [%q]\n", name, b.group.Number, b.pkg))
	}
	return map[string][]byte{name: content}
}

// moduleRoles end the modules that do what the demo's checklists claim:
// parallel data loading, a compiled model trained from the command line
// with Hydra, an API that stores what it is asked and answers and counts
// its requests.
var moduleRoles = map[string]string{
	"data.py": "\n\nfrom torch.utils.data import DataLoader\n\n\ndef loader(dataset):\n" +
		"    \"\"\"Batches of the dataset, loaded by parallel workers.\"\"\"\n    return DataLoader(dataset, batch_size=64, num_workers=4)\n",
	"train.py": "\n\nimport torch\n\n\ndef compiled(model):\n    \"\"\"The model compiled for faster inference.\"\"\"\n    return torch.compile(model)\n" +
		"\n\nimport hydra\nimport typer\n\ncli = typer.Typer()\n\n\n@hydra.main(config_path=\"../../configs\", config_name=\"config\", version_base=None)\n" +
		"def train(cfg) -> None:\n    \"\"\"Train with the configured hyperparameters.\"\"\"\n    log.info(\"training with %s\", cfg)\n",
	"api.py": "\n\nfrom fastapi import BackgroundTasks, FastAPI\n\napp = FastAPI()\n\n\n@app.post(\"/predict\")\n" +
		"def predict(values: list[float], background_tasks: BackgroundTasks) -> list[float]:\n" +
		"    \"\"\"Answer, and store the request and the answer for drift checks.\"\"\"\n" +
		"    answer = step_8_0(values)\n    background_tasks.add_task(log.info, \"request %s answer %s\", values, answer)\n    return answer\n" +
		"\n\nfrom prometheus_client import Counter\n\nrequests_total = Counter(\"requests_total\", \"Requests answered\")\n",
}

// pythonModule is a plausible Python module; n varies its length and names.
func pythonModule(pkg string, n int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "\"\"\"Part %d of the %s package.\"\"\"\n\nimport logging\n\nlog = logging.getLogger(__name__)\n", n, pkg)
	for f := range 2 + n%5 {
		fmt.Fprintf(&b, "\n\ndef step_%d_%d(values: list[float], scale: float = %d.0) -> list[float]:\n", n, f, f+1)
		fmt.Fprintf(&b, "    \"\"\"Scale the values and drop the ones below %d.\"\"\"\n", f)
		fmt.Fprintf(&b, "    log.debug(\"step %d.%d on %%d values\", len(values))\n", n, f)
		fmt.Fprintf(&b, "    return [v * scale for v in values if v >= %d]\n", f)
	}
	return []byte(b.String())
}
