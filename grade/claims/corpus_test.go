package claims

import (
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"handin/internal/corpus"
)

// corpusTree is a real repository's deadline tree (paths and sizes from git
// ls-tree; submodules left out). The corpus holds no contents, so nothing is
// kept: path searches give real verdicts, text searches "could not read".
func corpusTree(t testing.TB, dir, name string) Tree {
	t.Helper()
	var files []File
	for _, e := range corpus.Tree(t, dir, name) {
		if e.Type == "blob" {
			files = append(files, File{Path: e.Path, Size: e.Size}) // -1: a blob the copy lacked, of unknown size
		}
	}
	return Tree{Files: files, Read: func(string) ([]byte, bool) { return nil, false }}
}

// Verdicts on real deadline trees, each checked by reading the tree. The
// corpus has no file contents, so text searches say they could not read
// their files, and never "no evidence".
func TestRealTrees(t *testing.T) {
	dir := corpus.Dir(t)
	for _, tc := range []struct {
		repo, rule string
		want       Status
		evidence   []string // Evidence: exactly these
		unread     string   // CannotTell: one of the files it could not read
	}{
		{"ChrisVN123__02476_mlops_exam", "onnx-bentoml", Evidence, []string{"models/model.onnx"}, ""},
		{"ChrisVN123__02476_mlops_exam", "docker-files", Evidence, []string{"dockerfiles/api.dockerfile", "dockerfiles/train.dockerfile", "dockerfiles/wandb.docker"}, ""},
		{"ChrisVN123__02476_mlops_exam", "tests-model", Evidence, []string{"tests/test_model.py"}, ""}, // tests/performancetests/test_model.py is empty
		{"ChrisVN123__02476_mlops_exam", "fastapi", CannotTell, nil, "src/exam_project/api.py"},
		{"ChrisVN123__02476_mlops_exam", "ci-cache-matrix", CannotTell, nil, ".github/workflows/tests.yaml"},
		{"ChrisVN123__02476_mlops_exam", "cli", Evidence, []string{"tasks.py"}, ""},
		// Ticked in the report, and no DVC file in the tree.
		{"Colmeray__mlops_project", "data-version-control", NoEvidence, nil, ""},
		{"Colmeray__mlops_project", "hydra", Evidence, []string{"outputs/2026-01-16/12-34-11/.hydra/config.yaml", "outputs/2026-01-16/12-37-17/.hydra/config.yaml", "outputs/2026-01-17/13-54-51/.hydra/config.yaml"}, ""},
		{"Colmeray__mlops_project", "requirements", Evidence, []string{"pyproject.toml", "uv.lock"}, ""}, // not wandb/run-*/files/requirements.txt
		{"Colmeray__mlops_project", "config-files", Evidence, []string{"configs/config.yaml"}, ""},       // not Hydra's outputs/
		{"02476-MLOps-2026-Group-128__02476_project", "data-version-control", Evidence, []string{"data/.dvc/config", "data/enriched.dvc", "data/processed.dvc"}, ""},
		{"02476-MLOps-2026-Group-128__02476_project", "gcp-bucket", CannotTell, nil, "data/.dvc/config"},
		{"02476-MLOps-2026-Group-128__02476_project", "architecture-diagram", Evidence, []string{"reports/figures/SystemArchitecture.drawio.png", "reports/figures/overview.png"}, ""},
		{"martin5709__Group83-MLOps-02476", "drift-api", Evidence, []string{"dockerfiles/data_drift_monitoring.dockerfile"}, ""},
		{"martin5709__Group83-MLOps-02476", "profiling", Evidence, []string{"profile.prof", "profile.txt", "pstats_profile_reader.py"}, ""},
		{"martin5709__Group83-MLOps-02476", "sweep", Evidence, []string{"configs/wandb_sweep.yaml", "wandb_sweep.sh"}, ""},
		{"martin5709__Group83-MLOps-02476", "coverage", Evidence, []string{"coveragebadge.json"}, ""},
		{"nicholaseruplarsen__mlops-02476", "cloud-deploy", Evidence, []string{"cloudrun-service.yaml"}, ""},
		{"WilliamKentoRasmussen__MLOPS-PROJECT", "pep8", Evidence, []string{"ruff.toml"}, ""},
		{"ThomasSchiolerH__MLOps-Project", "coverage", Evidence, []string{".coverage"}, ""},
		{"ThomasSchiolerH__MLOps-Project", "image-trigger", Evidence, []string{"configs/cloudbuild.yaml"}, ""},
		{"alexciru__mlops-finalProject", "torchserve", Evidence, []string{"mlops_finalproject/inference/model_store/mnet.mar"}, ""},                             // size unknown: kept
		{"hallamaria1997__02476_mlops", "cookiecutter", Evidence, []string{"docs/commands.rst", "docs/getting-started.rst", "src/models/predict_model.py"}, ""}, // build_features.py is empty
		{"borisrakovan__dtu-mlops-project", "cookiecutter", Evidence, []string{"dtu_mlops_project/models/predict_model.py", "dtu_mlops_project/visualization/visualize.py"}, ""},
		{"lucialarraona__dtu_mlops23_project", "wandb", Evidence, []string{ // its runs, inside Hydra's folders (not the copies W&B writes into files/)
			"outputs/2023-01-15/12-42-06/wandb/run-20230115_124208-3c5fcna6/run-3c5fcna6.wandb",
			"outputs/2023-01-15/13-21-08/wandb/run-20230115_132110-34tql8bt/run-34tql8bt.wandb"}, ""},
		// A fork of the course's material, not a project: the screenshots
		// of its lessons are no evidence of anything.
		{"tinghui8576__DTU02476-Machine-Learning-Operations", "ci", NoEvidence, nil, ""},
		{"tinghui8576__DTU02476-Machine-Learning-Operations", "docker-files", NoEvidence, nil, ""},
		{"tinghui8576__DTU02476-Machine-Learning-Operations", "gcp-training", CannotTell, nil, "pyproject.toml"},
		{"tinghui8576__DTU02476-Machine-Learning-Operations", "drift", CannotTell, nil, "s1_development_environment/exercise_files/helper.py"},
	} {
		s := mustLoad(t, strconv.Itoa(courseYear(t, dir, tc.repo)))
		v := checkOne(t, s, corpusTree(t, dir, tc.repo), tc.rule)
		name := tc.repo + " " + tc.rule
		if v.Status != tc.want {
			t.Errorf("%s: %s %v %v %s, want %s", name, v.Status, v.evidenceList(), v.Missing, v.Reason, tc.want)
			continue
		}
		switch tc.want {
		case Evidence:
			if got := v.evidenceList(); !slices.Equal(got, tc.evidence) {
				t.Errorf("%s: evidence %v, want %v", name, got, tc.evidence)
			}
		case CannotTell:
			if !slices.Contains(v.Unread, tc.unread) {
				t.Errorf("%s: unread %v, want it to hold %s", name, v.Unread, tc.unread)
			}
		}
	}
}

// A real checklist against its real tree: what the instructor sees first.
func TestRealChecklistAgainstItsTree(t *testing.T) {
	dir := corpus.Dir(t)
	const repo = "Colmeray__mlops_project"
	s := mustLoad(t, strconv.Itoa(courseYear(t, dir, repo)))
	items := checklist(t, filepath.Join(dir, "reports", repo+".md"))
	verdicts := s.Check(corpusTree(t, dir, repo), items)
	if len(verdicts) != len(items) {
		t.Fatalf("%d verdicts for %d items", len(verdicts), len(items))
	}
	var tickedWithout []string
	for _, v := range verdicts {
		if v.Rule == "" {
			t.Errorf("no rule for %q", v.Item.Text)
		}
		if v.Item.Checked && v.Status == NoEvidence {
			tickedWithout = append(tickedWithout, v.Rule)
		}
	}
	if !slices.Equal(tickedWithout, []string{"data-version-control", "gcp-bucket"}) {
		t.Errorf("ticked without evidence: %v", tickedWithout)
	}
}
