package grade

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"handin/internal/coursetime"
	"handin/workspace"
)

// TestTreeRules checks each counting rule on single files, including the
// paths the course's substring-matching scraper gets wrong.
func TestTreeRules(t *testing.T) {
	type counts struct {
		python, tests, docker, workflows, requirements int
		cloudbuild, dvc                                bool
	}
	tests := []struct {
		path string
		mode string
		want counts
	}{
		{"src/model.py", "file", counts{python: 1}},
		{"src/model.pyc", "file", counts{}},
		{"src/__pycache__/model.cpython-312.pyc", "file", counts{}},
		{"notes.py.bak", "file", counts{}},
		{"scripts/run.py", "exec", counts{python: 1}},
		{"link.py", "symlink", counts{}},
		{"tests/test_model.py", "file", counts{python: 1, tests: 1}},
		{"src/model_test.py", "file", counts{python: 1, tests: 1}},
		{"tests/conftest.py", "file", counts{python: 1, tests: 1}},
		{"tests/unit/helpers.py", "file", counts{python: 1, tests: 1}},
		{"tests/__init__.py", "file", counts{python: 1}},
		{"src/testing.py", "file", counts{python: 1}},
		{"tests/data.csv", "file", counts{}},
		{".venv/lib/python3.12/site-packages/six.py", "file", counts{}},
		{"venv/lib/test_x.py", "file", counts{}},
		{"web/node_modules/x/Dockerfile", "file", counts{}},
		{"Dockerfile", "file", counts{docker: 1}},
		{"docker/Dockerfile.api", "file", counts{docker: 1}},
		{"dockerfiles/train.dockerfile", "file", counts{docker: 1}},
		{"dockerfile", "file", counts{docker: 1}},
		{"Dockerfile.dockerignore", "file", counts{}},
		{".dockerignore", "file", counts{}},
		{"docs/Dockerfiles.md", "file", counts{}},
		{".github/workflows/tests.yaml", "file", counts{workflows: 1}},
		{".github/workflows/lint.yml", "file", counts{workflows: 1}},
		{".github/workflows/README.md", "file", counts{}},
		{".github/workflows/old/ci.yml", "file", counts{}},
		{"ci/.github/workflows/x.yml", "file", counts{}},
		{".github/dependabot.yml", "file", counts{}},
		{"requirements.txt", "file", counts{requirements: 1}},
		{"requirements_dev.txt", "file", counts{requirements: 1}},
		{"requirements-tests.txt", "file", counts{requirements: 1}},
		{"requirements.in", "file", counts{requirements: 1}},
		{"pyproject.toml", "file", counts{requirements: 1}},
		{"uv.lock", "file", counts{requirements: 1}},
		{"poetry.lock", "file", counts{requirements: 1}},
		{"environment.yml", "file", counts{requirements: 1}},
		{"docs/requirements.md", "file", counts{}},
		{"api_requirements.txt", "file", counts{requirements: 1}},
		{"dockerfiles/requirements_frontend.txt", "file", counts{requirements: 1}},
		{"dev-requirements.in", "file", counts{requirements: 1}},
		{"wandb/run-20240112_121503-o0m9roav/files/requirements.txt", "file", counts{}},
		{"src/models/wandb/offline-run-20230119_212815-9qwd/files/requirements.txt", "file", counts{}},
		{"wandb_requirements.txt", "file", counts{requirements: 1}},
		{"cloudbuild.yaml", "file", counts{cloudbuild: true}},
		{"configs/cloudbuild_api.yml", "file", counts{cloudbuild: true}},
		{"fe-cloudbuild.yaml", "file", counts{cloudbuild: true}},
		{"gcp/vertex_ai_train_cloudbuild.yaml", "file", counts{cloudbuild: true}},
		{"cloud_build.yaml", "file", counts{cloudbuild: true}},
		{"deploy/Cloud-Build-API.YML", "file", counts{cloudbuild: true}},
		{"cloudbuild/api.yaml", "file", counts{cloudbuild: true}},
		{"infra/cloudbuild_configs/README.md", "file", counts{cloudbuild: true}},
		{"reports/figures/cloud_build_1.png", "file", counts{}},
		{".devops/scripts/run_cloudbuild.sh", "file", counts{}},
		{"cloudbuild.json", "file", counts{}},
		{".dvc/config", "file", counts{dvc: true}},
		{"data.dvc", "file", counts{dvc: true}},
		{"data/raw.dvc", "file", counts{dvc: true}},
		{"dvc.yaml", "file", counts{dvc: true}},
		{".dvcignore", "file", counts{}},
		{"docs/dvc.md", "file", counts{}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var st RepoStats
			treeStats(&st, []workspace.File{{Path: tt.path, Size: 10, Mode: workspace.FileMode(tt.mode)}}, nil)
			got := counts{st.PythonFiles, st.TestFiles, st.Dockerfiles, st.WorkflowFiles, st.RequirementFiles,
				st.HasCloudBuild, st.UsesDVC}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if st.RepoSize != 10 {
				t.Errorf("repo size %d, want 10", st.RepoSize)
			}
		})
	}
}

func TestRepoSizeSumsTree(t *testing.T) {
	var st RepoStats
	treeStats(&st, []workspace.File{{Path: "a", Size: 5, Mode: workspace.ModeFile}, {Path: "b/c", Size: 7, Mode: workspace.ModeExec}}, nil)
	if st.RepoSize != 12 {
		t.Errorf("repo size %d, want 12", st.RepoSize)
	}
	treeStats(&st, []workspace.File{{Path: "d.bin", Mode: workspace.ModeFile, SizeUnknown: true}}, nil)
	if st.RepoSize != 12 || st.RepoSizeUnsized != 1 {
		t.Errorf("repo size %d, %d files not sized; want 12, and the file of unknown size counted apart", st.RepoSize, st.RepoSizeUnsized)
	}
}

func TestPullRequest(t *testing.T) {
	tests := []struct {
		message string
		want    int // 0: not a pull request
	}{
		{"Merge pull request #12 from group/feature\n\nAdd feature", 12},
		{"Add training loop (#7)", 7},
		{"Add training loop (#7)\n\n* wip\n* more", 7},
		{"Fix (#3) \n", 3},
		{`Revert "Add training loop (#7)" (#9)`, 9},
		{"Revert \"Merge pull request #4 from a/b\"", 0},
		{"Mention #5 somewhere", 0},
		{"Closes issue (#5) in the body\n\nbut not the subject", 0},
		{"Merge branch 'main' of github.com:a/b", 0},
		{"", 0},
	}
	for _, tt := range tests {
		n, ok := pullRequest(tt.message)
		if ok != (tt.want != 0) || n != tt.want {
			t.Errorf("pullRequest(%q) = %d, %v; want %d", tt.message, n, ok, tt.want)
		}
	}
}

var copenhagen = func() *time.Location {
	loc, err := coursetime.LoadZone(coursetime.DefaultZone)
	if err != nil {
		panic(err)
	}
	return loc
}()

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func commitsAt(times ...string) []workspace.Commit {
	cs := make([]workspace.Commit, len(times))
	for i, s := range times {
		cs[i] = workspace.Commit{SHA: fmt.Sprint(i), AuthorTime: at(s), CommitTime: at(s), Message: "m"}
	}
	return cs
}

// TestMergedPRsCountedOnce: a pull request whose merge commit and squash
// title both appear is one pull request.
func TestMergedPRsCountedOnce(t *testing.T) {
	s := &workspace.Snapshot{Commits: []workspace.Commit{
		{Message: "Merge pull request #2 from a/b"},
		{Message: "Add loader (#2)"},
		{Message: "Add model (#3)"},
		{Message: "Merge pull request #3 from a/c"},
		{Message: "plain"},
	}}
	var st RepoStats
	commitStats(&st, s, copenhagen)
	if st.MergedPRs != 2 {
		t.Errorf("merged PRs %d, want 2", st.MergedPRs)
	}
}

func TestAverageMessageLength(t *testing.T) {
	s := &workspace.Snapshot{Commits: []workspace.Commit{
		{Message: "abc\n"}, {Message: ""}, {Message: "æøå"}, {Message: "x\xff"},
	}}
	var st RepoStats
	commitStats(&st, s, copenhagen)
	if want := (3.0 + 0 + 3 + 2) / 4; st.AvgMessageLength != want {
		t.Errorf("average %v, want %v (runes, trailing newline trimmed)", st.AvgMessageLength, want)
	}
}

func TestActivity(t *testing.T) {
	tests := []struct {
		name      string
		deadline  string
		commits   []string
		days      int
		start     string
		cells     map[[2]int]int // day, hour -> commits
		problem   string
		first     string
		latestSet bool
	}{
		{
			name:     "course time zone",
			deadline: "2026-01-23T14:00:00+01:00",
			commits:  []string{"2026-01-20T23:30:00Z", "2026-01-23T09:15:00+01:00", "2026-01-23T09:45:00+01:00"},
			days:     3, start: "2026-01-21T00:00:00+01:00",
			cells: map[[2]int]int{{0, 0}: 1, {2, 9}: 2},
			first: "2026-01-20T23:30:00Z", latestSet: true,
		},
		{
			name:     "daylight saving starts",
			deadline: "2026-04-01T12:00:00+02:00",
			commits:  []string{"2026-03-28T12:00:00Z", "2026-03-29T01:30:00Z"},
			days:     5, start: "2026-03-28T00:00:00+01:00",
			cells: map[[2]int]int{{0, 13}: 1, {1, 3}: 1},
			first: "2026-03-28T12:00:00Z", latestSet: true,
		},
		{
			name:     "clock skew is not plotted",
			deadline: "2026-01-23T14:00:00+01:00",
			commits:  []string{"1970-01-01T00:00:00Z", "2099-12-31T23:00:00Z", "2026-01-22T10:00:00+01:00"},
			days:     2, start: "2026-01-22T00:00:00+01:00",
			cells:   map[[2]int]int{{0, 10}: 1},
			problem: "2 commit(s) with implausible dates", first: "2026-01-22T10:00:00+01:00", latestSet: true,
		},
		{
			name:     "only skewed commits",
			deadline: "2026-01-23T14:00:00+01:00",
			commits:  []string{"1970-01-01T00:00:00Z"},
			days:     0, problem: "1 commit(s) with implausible dates",
		},
		{
			name:     "long history is capped",
			deadline: "2026-01-23T14:00:00+01:00",
			commits:  []string{"2019-06-01T10:00:00+02:00", "2026-01-23T10:00:00+01:00"},
			days:     maxActivityDays, start: "2024-12-20T00:00:00+01:00",
			cells: map[[2]int]int{{maxActivityDays - 1, 10}: 1},
			first: "2019-06-01T10:00:00+02:00", latestSet: true, // not a problem: the page sees start > first
		},
		{
			name:     "a commit months after the deadline is a wrong clock",
			deadline: "2026-01-23T14:00:00+01:00",
			commits:  []string{"2026-06-01T10:00:00+02:00", "2026-01-22T10:00:00+01:00"},
			days:     2, start: "2026-01-22T00:00:00+01:00",
			cells:   map[[2]int]int{{0, 10}: 1},
			problem: "1 commit(s) with implausible dates (wrong clock?), e.g. 2026-06-01", first: "2026-01-22T10:00:00+01:00", latestSet: true,
		},
		{
			name:     "a clock a few hours fast is still plotted",
			deadline: "2026-01-23T23:59:00+01:00",
			commits:  []string{"2026-01-24T02:00:00+01:00", "2026-01-22T10:00:00+01:00"},
			days:     3, start: "2026-01-22T00:00:00+01:00",
			cells: map[[2]int]int{{0, 10}: 1, {2, 2}: 1},
			first: "2026-01-22T10:00:00+01:00", latestSet: true,
		},
		{
			name:     "daylight saving ends: the repeated hour is one column",
			deadline: "2026-10-26T12:00:00+01:00",
			commits:  []string{"2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"}, // 02:30 CEST, then 02:30 CET
			days:     2, start: "2026-10-25T00:00:00+02:00",
			cells: map[[2]int]int{{0, 2}: 2},
			first: "2026-10-25T00:30:00Z", latestSet: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &workspace.Snapshot{Deadline: at(tt.deadline), Commits: commitsAt(tt.commits...)}
			var st RepoStats
			problem := commitStats(&st, s, copenhagen)
			if len(st.Activity) != tt.days {
				t.Fatalf("%d days, want %d", len(st.Activity), tt.days)
			}
			total := 0
			for day, row := range st.Activity {
				if len(row) != 24 {
					t.Fatalf("day %d has %d hours", day, len(row))
				}
				for hour, n := range row {
					total += n
					if n != tt.cells[[2]int{day, hour}] {
						t.Errorf("day %d hour %d: %d commits, want %d", day, hour, n, tt.cells[[2]int{day, hour}])
					}
				}
			}
			if tt.start != "" && !st.ActivityStart.Equal(at(tt.start)) {
				t.Errorf("start %v, want %s", st.ActivityStart, tt.start)
			}
			if tt.first != "" && !st.FirstCommit.Equal(at(tt.first)) {
				t.Errorf("first commit %v, want %s", st.FirstCommit, tt.first)
			}
			if st.LatestCommit.IsZero() == tt.latestSet {
				t.Errorf("latest commit %v", st.LatestCommit)
			}
			if (tt.problem == "") != (problem == "") || !strings.Contains(problem, tt.problem) {
				t.Errorf("problem %q, want one containing %q", problem, tt.problem)
			}
			if st.Commits != len(tt.commits) {
				t.Errorf("commits %d, want %d (skewed ones still count)", st.Commits, len(tt.commits))
			}
		})
	}
}

// TestCommitTimeFallsBackToCommitter: a commit without an author date is
// plotted at its committer date.
func TestCommitTimeFallsBackToCommitter(t *testing.T) {
	c := workspace.Commit{CommitTime: at("2026-01-10T10:00:00Z")}
	if got := commitTime(c); !got.Equal(c.CommitTime) {
		t.Errorf("commitTime = %v, want committer date", got)
	}
}

// TestCloudBuildByContent: a YAML file under any name is a Cloud Build
// config when its top-level steps run gcr.io/cloud-builders images; only
// when the file's content can be read.
func TestCloudBuildByContent(t *testing.T) {
	files := map[string]string{
		"deploy/build.yaml":            "steps:\n  - name: 'gcr.io/cloud-builders/docker'\n    args: ['build', '.']\n",
		"configs/train.yaml":           "steps: 1000\nlr: 0.01\n",
		"docs/notes.yml":               "# we tried gcr.io/cloud-builders/docker once\n",
		".github/workflows/deploy.yml": "jobs:\n  b:\nsteps:\n  - uses: docker://gcr.io/cloud-builders/gcloud\n",
		"big.yaml":                     "steps:\n  - name: gcr.io/cloud-builders/docker\n",
	}
	var read []string
	content := func(p string) ([]byte, bool) {
		read = append(read, p)
		data, ok := files[p]
		return []byte(data), ok
	}
	for p, want := range map[string]bool{"deploy/build.yaml": true, "configs/train.yaml": false, "docs/notes.yml": false,
		".github/workflows/deploy.yml": false, "missing.yaml": false} {
		var st RepoStats
		treeStats(&st, []workspace.File{{Path: p, Size: int64(len(files[p])), Mode: workspace.ModeFile}}, content)
		if st.HasCloudBuild != want {
			t.Errorf("%s: cloud build %v, want %v", p, st.HasCloudBuild, want)
		}
		var pathOnly RepoStats
		treeStats(&pathOnly, []workspace.File{{Path: p, Size: 10, Mode: workspace.ModeFile}}, nil)
		if pathOnly.HasCloudBuild {
			t.Errorf("%s: cloud build without its content", p)
		}
	}
	read = nil
	var st RepoStats
	treeStats(&st, []workspace.File{{Path: "big.yaml", Size: maxConfigSize + 1, Mode: workspace.ModeFile},
		{Path: "src/model.py", Size: 10, Mode: workspace.ModeFile}, {Path: "cloudbuild.yaml", Size: 10, Mode: workspace.ModeFile},
		{Path: "deploy/build.yaml", Size: 10, Mode: workspace.ModeFile}}, content)
	if !st.HasCloudBuild || len(read) != 0 {
		t.Errorf("cloud build %v; read %v (an oversized file, a non-YAML file, or after a cloudbuild.yaml)", st.HasCloudBuild, read)
	}
}
