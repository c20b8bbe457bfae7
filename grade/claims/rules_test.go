package claims

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// ruleCase is one synthetic repository and the verdict a rule must give on it.
type ruleCase struct {
	rule     string
	year     string // rule set; "2026" when empty
	kept     map[string]string
	unkept   []string
	want     Status
	evidence []string // "path" or "path:line", in order; checked when want is Evidence
}

const (
	workflowTests = "name: tests\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest tests\n"
	pyFastAPI     = "\"\"\"The API.\"\"\"\nfrom fastapi import FastAPI\n\napp = FastAPI()\n"
)

var ruleCases = []ruleCase{
	// Week 1
	{rule: "git-repository", kept: map[string]string{"README.md": "# Project\n"}, want: Evidence, evidence: []string{"README.md"}},
	{rule: "git-repository", kept: map[string]string{".gitkeep": ""}, want: NoEvidence},
	{rule: "write-access", kept: map[string]string{"README.md": "x"}, want: CannotTell},
	{rule: "environment", kept: map[string]string{"requirements.txt": "torch\n", "src/a.py": "x"}, want: Evidence, evidence: []string{"requirements.txt"}},
	{rule: "environment", kept: map[string]string{"src/a.py": "import torch\n"}, want: NoEvidence},
	{rule: "cookiecutter", kept: map[string]string{"tasks.py": "from invoke import task\n", "docs/mkdocs.yaml": "site_name: x\n"}, want: Evidence, evidence: []string{"docs/mkdocs.yaml", "tasks.py"}},
	{rule: "cookiecutter", kept: map[string]string{"main.py": "print(1)\n"}, want: CannotTell},
	{rule: "data-script", kept: map[string]string{"src/proj/data.py": "def load(): ...\n"}, want: Evidence, evidence: []string{"src/proj/data.py"}},
	{rule: "data-script", kept: map[string]string{"tests/test_data.py": "def test_x(): ...\n", "src/proj/data.py": ""}, want: NoEvidence},
	{rule: "model-training", kept: map[string]string{"src/p/model.py": "class Net: ...\n", "src/p/train.py": "def train(): ...\n"}, want: Evidence, evidence: []string{"src/p/model.py", "src/p/train.py"}},
	{rule: "model-training", kept: map[string]string{"src/p/model.py": "class Net: ...\n", "tests/test_train.py": "def test(): ...\n"}, want: NoEvidence},
	// Training as a Lightning Trainer(...).fit inside model.py.
	{rule: "model-training", kept: map[string]string{"src/p/model.py": "class Net(L.LightningModule):\n    pass\n\nif __name__ == '__main__':\n    L.Trainer(max_epochs=3).fit(Net())\n"}, want: Evidence, evidence: []string{"src/p/model.py", "src/p/model.py:5"}},
	{rule: "requirements", year: "2025", kept: map[string]string{"pyproject.toml": "[project]\nname = \"p\"\n"}, want: Evidence, evidence: []string{"pyproject.toml"}},
	{rule: "requirements", year: "2025", kept: map[string]string{"uv.lock": "version = 1\n"}, want: NoEvidence},
	{rule: "requirements", year: "2026", kept: map[string]string{"uv.lock": "version = 1\n"}, want: Evidence, evidence: []string{"uv.lock"}},
	{rule: "pep8", kept: map[string]string{"requirements_dev.txt": "pytest\nruff>=0.1  # lint\n"}, want: CannotTell}, // declared, maybe run on a laptop
	{rule: "pep8", kept: map[string]string{".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n"}, want: Evidence, evidence: []string{".pre-commit-config.yaml:2"}},
	{rule: "pep8", kept: map[string]string{"pyproject.toml": "[project]\nname = \"p\"\n\n[tool.ruff]\nline-length = 120\n"}, want: Evidence, evidence: []string{"pyproject.toml:4"}},
	{rule: "pep8", kept: map[string]string{"pyproject.toml": "[project]\nname = \"p\"\n# [tool.ruff] would be nice\n"}, want: CannotTell},
	{rule: "typing-docs", kept: map[string]string{"src/a.py": "import os\n\ndef f(x: int) -> int:\n    \"\"\"Double x.\"\"\"\n    return 2 * x\n"}, want: Evidence, evidence: []string{"src/a.py:3", "src/a.py:4"}},
	{rule: "typing-docs", kept: map[string]string{"src/a.py": "def f(\n    data,\n    n,\n) -> list[int]:\n    '''Split.'''\n"}, want: Evidence, evidence: []string{"src/a.py:4", "src/a.py:5"}},
	{rule: "typing-docs", kept: map[string]string{"src/a.py": "def f(x: int) -> int:\n    return x  # no docstring\n"}, want: NoEvidence},
	{rule: "data-version-control", kept: map[string]string{"data.dvc": "outs:\n- md5: abc\n", ".dvc/config": "[core]\n"}, want: Evidence, evidence: []string{".dvc/config", "data.dvc"}},
	{rule: "data-version-control", kept: map[string]string{"data/raw.csv": "a,b\n"}, want: NoEvidence},
	{rule: "cli", kept: map[string]string{"src/p/cli.py": "import typer\napp = typer.Typer()\n"}, want: Evidence, evidence: []string{"src/p/cli.py:1"}},
	{rule: "cli", kept: map[string]string{"src/p/main.py": "print('hello')\n"}, want: NoEvidence},
	{rule: "docker-files", kept: map[string]string{"dockerfiles/train.dockerfile": "FROM python\n", "Dockerfile.api": "FROM python\n", "api.Dockerfile": "FROM python\n", "docker/DOCKERFILE": "FROM x\n"}, want: Evidence, evidence: []string{"Dockerfile.api", "api.Dockerfile", "docker/DOCKERFILE"}},
	{rule: "docker-files", kept: map[string]string{".dockerignore": "data/\n", "dockerfiles/README.txt": "none yet\n"}, want: NoEvidence},
	{rule: "docker-build", kept: map[string]string{"tasks.py": "@task\ndef build(c):\n    c.run('docker build -f dockerfiles/train.dockerfile .')\n"}, want: Evidence, evidence: []string{"tasks.py:3"}},
	{rule: "docker-build", kept: map[string]string{"tasks.py": "@task\ndef train(c): ...\n"}, want: CannotTell},
	{rule: "config-files", kept: map[string]string{"configs/exp1.yaml": "lr: 0.1\n"}, want: Evidence, evidence: []string{"configs/exp1.yaml"}},
	{rule: "config-files", kept: map[string]string{".pre-commit-config.yaml": "repos: []\n", ".github/workflows/config.yaml": "on: push\n", "cloudbuild_config.yaml": "steps: []\n"}, want: NoEvidence},
	{rule: "hydra", kept: map[string]string{"src/train.py": "import torch\n\n@hydra.main(config_path='conf')\ndef main(cfg): ...\n"}, want: Evidence, evidence: []string{"src/train.py:3"}},
	{rule: "hydra", kept: map[string]string{"outputs/2026-01-16/12-34-11/.hydra/config.yaml": "lr: 1\n"}, want: Evidence, evidence: []string{"outputs/2026-01-16/12-34-11/.hydra/config.yaml"}},
	{rule: "hydra", kept: map[string]string{"src/train.py": "import argparse\n"}, want: NoEvidence},
	{rule: "profiling", kept: map[string]string{"src/prof.py": "import cProfile\n"}, want: Evidence, evidence: []string{"src/prof.py:1"}},
	{rule: "profiling", kept: map[string]string{"src/train.py": "x = 1\n"}, want: CannotTell},
	{rule: "logging", kept: map[string]string{"src/train.py": "from loguru import logger\n"}, want: Evidence, evidence: []string{"src/train.py:1"}},
	{rule: "logging", kept: map[string]string{"src/train.py": "print('epoch', 1)\n"}, want: NoEvidence},
	{rule: "wandb", kept: map[string]string{"src/train.py": "import torch\nrun = wandb.init(project='p')\n"}, want: Evidence, evidence: []string{"src/train.py:2"}},
	{rule: "wandb", kept: map[string]string{"requirements.txt": "torch\nWandB==0.16\n"}, want: NoEvidence}, // declared, never imported
	{rule: "wandb", kept: map[string]string{"configs/vertex.yaml": "env:\n  - name: WANDB_API_KEY\n"}, want: Evidence, evidence: []string{"configs/vertex.yaml:2"}},
	{rule: "wandb", kept: map[string]string{"src/train.py": "import torch\n# import wandb\n"}, want: NoEvidence},
	{rule: "wandb", kept: map[string]string{"src/train.py": "# TODO: log to weights and biases\n"}, want: NoEvidence},
	{rule: "sweep", kept: map[string]string{"configs/sweep.yaml": "program: train.py\n"}, want: Evidence, evidence: []string{"configs/sweep.yaml"}},
	{rule: "sweep", kept: map[string]string{"configs/search.yaml": "program: train.py\nmethod: bayes\n"}, want: Evidence, evidence: []string{"configs/search.yaml:2"}},
	{rule: "sweep", kept: map[string]string{"configs/train.yaml": "lr: 0.1\n", "outputs/2026-01-16/12-34-11/.hydra/hydra.yaml": "hydra:\n  sweeper:\n    _target_: hydra._internal.core_plugins.basic_sweeper.BasicSweeper\n"}, want: CannotTell},
	{rule: "lightning", kept: map[string]string{"src/model.py": "import pytorch_lightning as pl\n"}, want: Evidence, evidence: []string{"src/model.py:1"}},
	{rule: "lightning", kept: map[string]string{"requirements.txt": "PyTorch_Lightning>=2\n", "src/model.py": "from lightning import LightningModule\n"}, want: Evidence, evidence: []string{"src/model.py:1"}},
	{rule: "lightning", kept: map[string]string{"src/model.py": "from lightning_utilities import apply\n", "requirements.txt": "lightning-utilities\n"}, want: NoEvidence},
	// Week 2
	{rule: "tests-data", kept: map[string]string{"tests/test_data.py": "def test_shape(): ...\n"}, want: Evidence, evidence: []string{"tests/test_data.py"}},
	{rule: "tests-data", kept: map[string]string{"tests/test_all.py": "import x\n\ndef test_dataset_length(): ...\n"}, want: Evidence, evidence: []string{"tests/test_all.py:3"}},
	{rule: "tests-data", kept: map[string]string{"tests/test_model.py": "def test_forward(): ...\n", "tests/test_data.py": ""}, want: NoEvidence},
	{rule: "tests-model", kept: map[string]string{"tests/unit/test_training.py": "def test_step(): ...\n"}, want: Evidence, evidence: []string{"tests/unit/test_training.py"}},
	{rule: "tests-model", kept: map[string]string{"tests/test_data.py": "def test_shape(): ...\n"}, want: NoEvidence},
	{rule: "coverage", kept: map[string]string{".github/workflows/tests.yaml": "jobs:\n  t:\n    steps:\n      - run: coverage run -m pytest\n"}, want: Evidence, evidence: []string{".github/workflows/tests.yaml:4"}},
	{rule: "coverage", kept: map[string]string{"Makefile": "test:\n\tpytest --cov=src tests/\n"}, want: Evidence, evidence: []string{"Makefile:2"}},
	{rule: "coverage", kept: map[string]string{".github/workflows/tests.yaml": workflowTests, "requirements_dev.txt": "pytest-cov\n"}, want: CannotTell}, // run on a laptop
	{rule: "ci", kept: map[string]string{".github/workflows/tests.yaml": workflowTests}, want: Evidence, evidence: []string{".github/workflows/tests.yaml"}},
	{rule: "ci", kept: map[string]string{"project/.github/workflows/tests.yaml": workflowTests, ".github/workflows/.gitkeep": ""}, want: NoEvidence},
	{rule: "ci-cache-matrix", kept: map[string]string{".github/workflows/tests.yaml": "jobs:\n  t:\n    strategy:\n      matrix:\n        os: [ubuntu-latest, windows-latest]\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          cache: pip\n"}, want: Evidence, evidence: []string{".github/workflows/tests.yaml:9", ".github/workflows/tests.yaml:5"}},
	{rule: "ci-cache-matrix", kept: map[string]string{".github/workflows/tests.yml": "jobs:\n  t:\n    strategy:\n      matrix:\n        python-version:\n          - \"3.11\"\n          - \"3.12\"\n    steps:\n      - uses: astral-sh/setup-uv@v5\n        with:\n          enable-cache: true\n"}, want: Evidence, evidence: []string{".github/workflows/tests.yml:11", ".github/workflows/tests.yml:5"}},
	{rule: "ci-cache-matrix", kept: map[string]string{".github/workflows/tests.yaml": "jobs:\n  t:\n    strategy:\n      matrix:\n        os: [ubuntu-latest]\n    steps:\n      - uses: actions/cache@v4\n"}, want: NoEvidence},
	{rule: "ci-lint", kept: map[string]string{".github/workflows/lint.yaml": "jobs:\n  l:\n    steps:\n      - run: ruff check .\n"}, want: Evidence, evidence: []string{".github/workflows/lint.yaml:4"}},
	{rule: "ci-lint", kept: map[string]string{".github/workflows/tests.yaml": workflowTests}, want: NoEvidence},
	{rule: "pre-commit", kept: map[string]string{".pre-commit-config.yaml": "repos: []\n"}, want: Evidence, evidence: []string{".pre-commit-config.yaml"}},
	{rule: "pre-commit", kept: map[string]string{"project/.pre-commit-config.yaml": "repos: []\n"}, want: Evidence, evidence: []string{"project/.pre-commit-config.yaml"}},
	{rule: "pre-commit", kept: map[string]string{".github/workflows/lint.yaml": "jobs:\n  l:\n    steps:\n      - uses: pre-commit/action@v3.0.1\n"}, want: Evidence, evidence: []string{".github/workflows/lint.yaml:4"}},
	{rule: "pre-commit", kept: map[string]string{"README.md": "# x\n"}, want: NoEvidence},
	{rule: "workflow-data", kept: map[string]string{".github/workflows/data.yaml": "on:\n  push:\n    paths: ['data/**', 'src/**']\n"}, want: Evidence, evidence: []string{".github/workflows/data.yaml:3"}},
	{rule: "workflow-data", kept: map[string]string{".github/workflows/cml.yaml": "on:\n  pull_request:\n    paths:\n      - 'src/**'\n      - '**/*.dvc'\njobs: {}\n"}, want: Evidence, evidence: []string{".github/workflows/cml.yaml:3"}},
	{rule: "workflow-data", kept: map[string]string{".github/workflows/tests.yaml": "on:\n  push:\n    paths:\n      - 'src/**'\njobs:\n  t:\n    steps:\n      - run: python data.py\n"}, want: CannotTell},
	{rule: "workflow-registry", kept: map[string]string{".github/workflows/stage.yaml": "on:\n  repository_dispatch:\n    types: staged_model\n"}, want: Evidence, evidence: []string{".github/workflows/stage.yaml:2"}},
	{rule: "workflow-registry", kept: map[string]string{".github/workflows/tests.yaml": workflowTests}, want: CannotTell},
	{rule: "gcp-bucket", kept: map[string]string{".dvc/config": "[core]\n    remote = store\n['remote \"store\"']\n    url = gs://mlops-data\n"}, want: Evidence, evidence: []string{".dvc/config:4"}},
	{rule: "gcp-bucket", kept: map[string]string{".dvc/config": "['remote \"store\"']\n    url = /tmp/store\n"}, want: NoEvidence},
	{rule: "gcp-bucket", unkept: []string{".dvc/config"}, want: CannotTell},
	{rule: "gcp-bucket", year: "2023", kept: map[string]string{".dvc/config": "['remote \"store\"']\n    url = /tmp/store\n"}, want: CannotTell},
	{rule: "image-trigger", kept: map[string]string{"cloudbuild.yaml": "steps: []\n"}, want: Evidence, evidence: []string{"cloudbuild.yaml"}},
	{rule: "image-trigger", kept: map[string]string{".github/workflows/tests.yaml": workflowTests}, want: CannotTell},
	{rule: "gcp-training", kept: map[string]string{"configs/vertex_ai_train.yaml": "workerPoolSpecs: []\n"}, want: Evidence, evidence: []string{"configs/vertex_ai_train.yaml"}},
	{rule: "gcp-training", kept: map[string]string{"configs/job.yaml": "workerPoolSpecs:\n  machineSpec: {}\n"}, want: Evidence, evidence: []string{"configs/job.yaml:1"}},
	{rule: "gcp-training", kept: map[string]string{"src/train.py": "x = 1\n"}, want: CannotTell},
	{rule: "fastapi", kept: map[string]string{"src/p/api.py": pyFastAPI}, want: Evidence, evidence: []string{"src/p/api.py:2"}},
	{rule: "fastapi", kept: map[string]string{"src/p/api.py": "# we may use fastapi later\nimport flask\n"}, want: NoEvidence},
	{rule: "fastapi", unkept: []string{"src/p/api.py"}, want: CannotTell},
	{rule: "cloud-deploy", kept: map[string]string{".github/workflows/deploy.yaml": "steps:\n  - run: gcloud run deploy api --image x\n"}, want: Evidence, evidence: []string{".github/workflows/deploy.yaml:2"}},
	{rule: "cloud-deploy", kept: map[string]string{"src/api.py": pyFastAPI}, want: CannotTell},
	{rule: "api-tests", kept: map[string]string{"tests/integration/test_endpoints.py": "from fastapi.testclient import TestClient\n", ".github/workflows/tests.yaml": workflowTests}, want: Evidence, evidence: []string{"tests/integration/test_endpoints.py:1", ".github/workflows/tests.yaml:7"}},
	{rule: "api-tests", kept: map[string]string{"tests/test_api.py": "def test_root(): ...\n"}, want: NoEvidence},
	{rule: "load-test", kept: map[string]string{"tests/performance/locustfile.py": "from locust import HttpUser\n"}, want: Evidence, evidence: []string{"tests/performance/locustfile.py"}},
	{rule: "load-test", kept: map[string]string{"load/script.js": "import http from 'k6/http';\n"}, want: Evidence, evidence: []string{"load/script.js:1"}},
	{rule: "load-test", kept: map[string]string{"tests/test_api.py": "def test_root(): ...\n"}, want: CannotTell},
	{rule: "onnx-bentoml", kept: map[string]string{"models/model.onnx": "\x08\x07binary"}, want: Evidence, evidence: []string{"models/model.onnx"}},
	{rule: "onnx-bentoml", kept: map[string]string{"src/export.py": "torch.onnx.export(model, x, 'm.onnx')\n"}, want: Evidence, evidence: []string{"src/export.py:1"}},
	{rule: "onnx-bentoml", kept: map[string]string{"models/model.pt": "bin"}, want: NoEvidence},
	{rule: "frontend", kept: map[string]string{"app/ui.py": "import streamlit as st\n"}, want: Evidence, evidence: []string{"app/ui.py:1"}},
	{rule: "frontend", kept: map[string]string{"src/p/frontend.py": "x = 1\n"}, want: Evidence, evidence: []string{"src/p/frontend.py"}},
	{rule: "frontend", kept: map[string]string{"src/p/api.py": pyFastAPI}, want: NoEvidence},
	{rule: "frontend", kept: map[string]string{"src/p/static/index.html": "<html></html>\n"}, want: Evidence, evidence: []string{"src/p/static/index.html"}},
	{rule: "frontend", kept: map[string]string{"front_end/app.py": "x = 1\n"}, want: Evidence, evidence: []string{"front_end/app.py"}},
	{rule: "frontend", kept: map[string]string{"src/p/api.py": pyFastAPI + "app.mount('/', StaticFiles(directory='ui'))\n"}, want: Evidence, evidence: []string{"src/p/api.py:5"}},
	// Week 3
	{rule: "drift", kept: map[string]string{"src/monitor.py": "from evidently.report import Report\n"}, want: Evidence, evidence: []string{"src/monitor.py:1"}},
	{rule: "drift", kept: map[string]string{"src/p/data_drift.py": "x = 1\n"}, want: Evidence, evidence: []string{"src/p/data_drift.py"}},
	{rule: "drift", kept: map[string]string{"src/p/api.py": pyFastAPI}, want: NoEvidence},
	{rule: "drift", kept: map[string]string{"src/p/api.py": pyFastAPI + "@app.get('/drift')\ndef drift(): ...\n"}, want: Evidence, evidence: []string{"src/p/api.py:5"}},
	{rule: "drift-api", kept: map[string]string{"dockerfiles/drift_api.dockerfile": "FROM python\n"}, want: Evidence, evidence: []string{"dockerfiles/drift_api.dockerfile"}},
	{rule: "drift-api", kept: map[string]string{"src/p/drift_service.py": "import pandas\nfrom fastapi import FastAPI\n"}, want: Evidence, evidence: []string{"src/p/drift_service.py:2"}},
	{rule: "drift-api", kept: map[string]string{"src/p/api.py": pyFastAPI}, want: CannotTell},
	{rule: "metrics", kept: map[string]string{"src/p/api.py": "from prometheus_client import Counter\n"}, want: Evidence, evidence: []string{"src/p/api.py:1"}},
	{rule: "metrics", kept: map[string]string{"src/p/api.py": pyFastAPI}, want: NoEvidence},
	{rule: "metrics", kept: map[string]string{"src/p/api.py": pyFastAPI + "@app.get(\"/metrics\")\ndef metrics(): return {'requests': n}\n"}, want: Evidence, evidence: []string{"src/p/api.py:5"}},
	{rule: "cloud-monitoring", kept: map[string]string{"src/p/api.py": "from prometheus_client import Counter\n"}, want: CannotTell},
	{rule: "alerts", kept: map[string]string{"README.md": "x"}, want: CannotTell},
	{rule: "io-collection", kept: map[string]string{"src/p/api.py": "from fastapi import BackgroundTasks\n"}, want: Evidence, evidence: []string{"src/p/api.py:1"}},
	{rule: "io-collection", kept: map[string]string{"src/p/api.py": pyFastAPI}, want: CannotTell},
	{rule: "io-collection", kept: map[string]string{"src/p/api.py": pyFastAPI + "with open('predictions.csv', \"a\") as f:\n    f.write(row)\n"}, want: Evidence, evidence: []string{"src/p/api.py:5"}},
	{rule: "io-collection", kept: map[string]string{"src/p/api.py": pyFastAPI + "df.to_csv(path, mode=\"a\", header=False)\n"}, want: Evidence, evidence: []string{"src/p/api.py:5"}},
	{rule: "distributed-data", kept: map[string]string{"src/data.py": "loader = DataLoader(ds, batch_size=8, num_workers=4)\n"}, want: Evidence, evidence: []string{"src/data.py:1"}},
	{rule: "distributed-data", kept: map[string]string{"src/data.py": "loader = DataLoader(ds, num_workers=0)\n"}, want: NoEvidence},
	{rule: "distributed-training", kept: map[string]string{"src/train.py": "trainer = Trainer(strategy=\"ddp\", devices=2)\n"}, want: Evidence, evidence: []string{"src/train.py:1"}},
	{rule: "distributed-training", kept: map[string]string{"src/train.py": "trainer = Trainer(devices=1)\n"}, want: CannotTell},
	{rule: "distributed-training", kept: map[string]string{"configs/trainer.yaml": "devices: 2\nnum_nodes: 1\n"}, want: Evidence, evidence: []string{"configs/trainer.yaml:1"}},
	{rule: "distributed-training", kept: map[string]string{"train.sh": "torchrun --nproc_per_node=2 src/train.py\n"}, want: Evidence, evidence: []string{"train.sh:1"}},
	{rule: "quantization", kept: map[string]string{"src/model.py": "model = torch.compile(model)\n"}, want: Evidence, evidence: []string{"src/model.py:1"}},
	{rule: "quantization", kept: map[string]string{"src/model.py": "model = Net()\n"}, want: NoEvidence},
	{rule: "quantization", kept: map[string]string{"src/model.py": "model = Net()\n# prune rare classes\n# model = torch.compile(model)\n", "src/prof.py": "torch.export_chrome_trace('t.json')\n"}, want: NoEvidence},
	// Extra
	{rule: "docs", kept: map[string]string{"docs/source/index.md": "# Docs\n"}, want: Evidence, evidence: []string{"docs/source/index.md"}},
	{rule: "docs", kept: map[string]string{"README.md": "# Project\n\nHow to train and serve the model.\n"}, want: Evidence, evidence: []string{"README.md"}},
	{rule: "docs", kept: map[string]string{"src/p/api.py": pyFastAPI, "reports/README.md": "# Report\n"}, want: NoEvidence},
	{rule: "docs-pages", kept: map[string]string{".github/workflows/docs.yaml": "steps:\n  - run: mkdocs gh-deploy --force\n"}, want: Evidence, evidence: []string{".github/workflows/docs.yaml:2"}},
	{rule: "docs-pages", kept: map[string]string{"docs/mkdocs.yaml": "site_name: x\n"}, want: CannotTell},
	{rule: "project-description", kept: map[string]string{"README.md": "x"}, want: CannotTell},
	{rule: "architecture-diagram", kept: map[string]string{"reports/figures/Architecture.png": "png"}, want: Evidence, evidence: []string{"reports/figures/Architecture.png"}},
	{rule: "architecture-diagram", kept: map[string]string{"reports/figures/loss.png": "png"}, want: CannotTell},
	{rule: "understanding", kept: map[string]string{"README.md": "x"}, want: CannotTell},
	{rule: "code-uploaded", kept: map[string]string{"README.md": "x"}, want: CannotTell},
	// 2023 only
	{rule: "torchserve", year: "2023", kept: map[string]string{"model_store/mnet.mar": "zip"}, want: Evidence, evidence: []string{"model_store/mnet.mar"}},
	{rule: "torchserve", year: "2023", kept: map[string]string{"src/handler.py": "from ts.torch_handler.base_handler import BaseHandler\n"}, want: Evidence, evidence: []string{"src/handler.py:1"}},
	{rule: "torchserve", year: "2023", kept: map[string]string{"src/api.py": pyFastAPI}, want: CannotTell},
	{rule: "telemetry", year: "2023", kept: map[string]string{"src/api.py": "from opentelemetry import trace\n"}, want: Evidence, evidence: []string{"src/api.py:1"}},
	{rule: "telemetry", year: "2023", kept: map[string]string{"src/api.py": pyFastAPI}, want: CannotTell},
	{rule: "performance-monitoring", year: "2023", kept: map[string]string{"src/monitoring/report.py": "import evidently\n"}, want: Evidence, evidence: []string{"src/monitoring/report.py"}},
	{rule: "performance-monitoring", year: "2023", kept: map[string]string{"src/api.py": pyFastAPI}, want: CannotTell},
}

// itemOf is the checklist item a rule judges, as the template words it.
func itemOf(t *testing.T, s *RuleSet, id string) Item {
	t.Helper()
	i := s.ruleIndex(id)
	if i < 0 {
		t.Fatalf("rule set %s has no rule %s", s.Name, id)
	}
	r := s.Rules[i]
	return Item{Text: r.Items[0], Module: strings.Join(r.Modules, "+"), Checked: true, Line: 10}
}

func (v Verdict) evidenceList() []string {
	var out []string
	for _, l := range v.Evidence {
		if l.Line > 0 {
			out = append(out, fmt.Sprintf("%s:%d", l.Path, l.Line))
		} else {
			out = append(out, l.Path)
		}
	}
	return out
}

func TestEveryRuleOnSyntheticRepositories(t *testing.T) {
	for _, tc := range ruleCases {
		year := tc.year
		if year == "" {
			year = "2026"
		}
		s := mustLoad(t, year)
		item := itemOf(t, s, tc.rule)
		v := s.Check(newTree(tc.kept, tc.unkept...), []Item{item})[0]
		name := fmt.Sprintf("%s/%s %v %v", year, tc.rule, keys(tc.kept), tc.unkept)
		if v.Rule != tc.rule || v.Status != tc.want || v.Item != item {
			t.Errorf("%s: rule %q, %s (%v%v%s), want %s", name, v.Rule, v.Status, v.evidenceList(), v.Missing, v.Reason, tc.want)
			continue
		}
		switch tc.want {
		case Evidence:
			if got := v.evidenceList(); !reflect.DeepEqual(got, tc.evidence) {
				t.Errorf("%s: evidence %v, want %v", name, got, tc.evidence)
			}
		case NoEvidence:
			if len(v.Missing) == 0 || v.Evidence != nil {
				t.Errorf("%s: no evidence must say what was missing and list no evidence: %+v", name, v)
			}
		case CannotTell:
			if v.Reason == "" {
				t.Errorf("%s: cannot tell without a reason", name)
			}
			// Nothing found where finding nothing proves nothing: still say what was looked for.
			if needs := s.Rules[s.ruleIndex(tc.rule)].Needs; len(needs) > 0 && v.Unread == nil && len(v.Missing) == 0 {
				t.Errorf("%s: cannot tell without what was looked for", name)
			}
		}
	}
}

// A rule without a synthetic case showing it finds evidence and one showing
// it does not is untested: this fails until both are written.
func TestEveryRuleHasSyntheticCases(t *testing.T) {
	covered := map[string]map[bool]bool{}
	for _, tc := range ruleCases {
		if covered[tc.rule] == nil {
			covered[tc.rule] = map[bool]bool{}
		}
		covered[tc.rule][tc.want == Evidence] = true
	}
	for _, name := range List() {
		for _, r := range mustLoad(t, name).Rules {
			if len(r.Needs) > 0 && !covered[r.ID][true] {
				t.Errorf("%s: rule %s has no case where it finds evidence", name, r.ID)
			}
			if !covered[r.ID][false] {
				t.Errorf("%s: rule %s has no case where it finds none", name, r.ID)
			}
		}
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
