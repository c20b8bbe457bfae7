package grade

import (
	"path/filepath"
	"testing"

	"handin/internal/corpus"
	"handin/workspace"
)

// treeModes are git's file modes as scrape records them.
var treeModes = map[string]workspace.FileMode{"100644": workspace.ModeFile, "100755": workspace.ModeExec, "120000": workspace.ModeSymlink, "160000": workspace.ModeSubmodule}

// loadCorpusTree is a real repository's deadline tree as a snapshot lists
// it.
func loadCorpusTree(t *testing.T, dir, name string) []workspace.File {
	t.Helper()
	var tree []workspace.File
	for _, e := range corpus.Tree(t, dir, name) {
		tree = append(tree, workspace.File{Path: e.Path, Size: max(e.Size, 0), Mode: treeModes[e.Mode]})
	}
	return tree
}

// TestTreeRulesOnRealLayouts classifies the deadline trees of 25 real
// repositories: requirement files (W&B's per-run copies excluded) and
// Cloud Build configs by name, as counted by reading each tree.tsv.
func TestTreeRulesOnRealLayouts(t *testing.T) {
	dir := corpus.Dir(t)
	want := map[string]struct{ requirements, cloudBuild int }{
		"02476-MLOps-2026-Group-128__02476_project":         {3, 1}, // dockerfiles/requirements_frontend.txt
		"ChrisVN123__02476_mlops_exam":                      {5, 0},
		"Colmeray__mlops_project":                           {2, 1}, // two wandb/run-*/files/requirements.txt left out
		"Gabriellanaro__MLOPS_final_Project":                {3, 1}, // three wandb/run-*/files/requirements.txt left out
		"GeorgeGeorgioy__MLOps_group_66":                    {3, 1},
		"HonzaCuhel__dtu_mlops_project":                     {5, 2}, // api/ and front_end/requirements.txt; fe-cloudbuild.yaml
		"Kasperjoergensen3__MLOps_project":                  {5, 0},
		"MLOPS-Group34__mlops-project-group34":              {3, 1},
		"RupakKadhare15__02476-Machine-Learning-Operations": {2, 2}, // gcp/vertex_ai_train_cloudbuild.yaml
		"ThomasSchiolerH__MLOps-Project":                    {3, 1}, // configs/cloudbuild.yaml
		"Tswagerman__project_mlops":                         {4, 0},
		"WilliamKentoRasmussen__MLOPS-PROJECT":              {3, 1},
		"adamajane__machine-learning-operations-02476":      {2, 1},
		"aimas-lund__02476-mlo-awesome-2":                   {3, 1}, // src/models/wandb/run-* left out
		"alexciru__mlops-finalProject":                      {3, 1},
		"barrioskilo__MLOPS_group97":                        {3, 1},
		"borisrakovan__dtu-mlops-project":                   {3, 1}, // cloudbuild.yml
		"colberg00__02476_MLOps_Group_82":                   {2, 2}, // cloudbuild_api.yaml
		"hallamaria1997__02476_mlops":                       {3, 1},
		"lucialarraona__dtu_mlops23_project":                {2, 1},
		"martin5709__Group83-MLOps-02476":                   {4, 2}, // cloudbuildmodel.yaml
		"moorekevin__dtu-02476-mlops-project":               {3, 1},
		"nicholaseruplarsen__mlops-02476":                   {2, 1},
		"starostka__02476-mlops":                            {2, 1},
		"tinghui8576__DTU02476-Machine-Learning-Operations": {3, 0},
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "repos", "*", "tree.tsv"))
	if len(paths) != len(want) {
		t.Errorf("%d trees in the corpus, %d counted", len(paths), len(want))
	}
	for _, p := range paths {
		name := filepath.Base(filepath.Dir(p))
		tree := loadCorpusTree(t, dir, name)
		var st RepoStats
		treeStats(&st, tree, nil)
		named := 0
		for _, f := range tree {
			if f.Mode != "symlink" && f.Mode != "submodule" && !workspace.Vendored(f.Path) && isCloudBuild(f.Path) {
				named++
			}
		}
		w := want[name]
		if st.RequirementFiles != w.requirements || named != w.cloudBuild || st.HasCloudBuild != (w.cloudBuild > 0) {
			t.Errorf("%s: %d requirement files, %d Cloud Build files (has %v); counted %d and %d",
				name, st.RequirementFiles, named, st.HasCloudBuild, w.requirements, w.cloudBuild)
		}
	}
}

// TestCloudBuildContentOnRealLayout: in a real tree without a Cloud Build
// file by name, a YAML file is one only when its content is a Cloud Build
// config (contents synthetic: every YAML file reads as a Hydra config, then
// one as a Cloud Build config).
func TestCloudBuildContentOnRealLayout(t *testing.T) {
	tree := loadCorpusTree(t, corpus.Dir(t), "ChrisVN123__02476_mlops_exam")
	config := "configs/config.yaml"
	for _, cloud := range []bool{false, true} {
		content := func(p string) ([]byte, bool) {
			if cloud && p == config {
				return []byte("steps:\n- name: gcr.io/cloud-builders/docker\n  args: [build, -t, img, .]\nimages: [img]\n"), true
			}
			return []byte("defaults:\n  - model: cnn\nsteps: 100\nlr: 0.001\n"), true
		}
		var st RepoStats
		treeStats(&st, tree, content)
		if st.HasCloudBuild != cloud {
			t.Errorf("%s as a Cloud Build config %v: HasCloudBuild %v", config, cloud, st.HasCloudBuild)
		}
	}
}
