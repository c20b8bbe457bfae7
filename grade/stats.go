package grade

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"handin/internal/lazyregexp"
	"handin/workspace"
)

// Activity matrix bounds. A commit dated before saneSince or more than
// skewTolerance after the deadline comes from a wrong clock (every graded
// commit was made before the deadline; the tolerance absorbs a laptop's
// drift or wrong time zone): it is counted but not plotted, so the matrix
// ends at the deadline's day or the next. The matrix never spans more than
// maxActivityDays days.
var saneSince = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

const (
	skewTolerance   = 24 * time.Hour
	maxActivityDays = 400
)

// treeStats fills the statistics that depend only on the deadline tree.
// Counting rules are on exact path shapes, not substrings: the course's own
// scraper counts "x.pyc" as Python and ".dvcignore" as DVC. content reads
// a file of the tree for the rules that need to look inside (a Cloud Build
// config under any name); ok is false for a file it does not have, whose
// content is then unknown (nil content: every file's is).
func treeStats(st *RepoStats, tree []workspace.File, content func(path string) (data []byte, ok bool)) {
	unread := 0 // YAML files that may be a Cloud Build config, not read
	for _, f := range tree {
		if f.SizeUnknown {
			st.RepoSizeUnsized++
		}
		st.RepoSize += f.Size // 0 when unknown
		if !f.Mode.Regular() || workspace.Vendored(f.Path) {
			continue
		}
		p := f.Path
		if isPython(p) {
			st.PythonFiles++
		}
		if isTestFile(p) {
			st.TestFiles++
		}
		if isDockerfile(p) {
			st.Dockerfiles++
		}
		if isWorkflow(p) {
			st.WorkflowFiles++
		}
		if isRequirementFile(p) {
			st.RequirementFiles++
		}
		switch {
		case isCloudBuild(p):
			st.HasCloudBuild = true
		case !st.HasCloudBuild && cloudBuildCandidate(f):
			if data, ok := readContent(content, p); ok {
				st.HasCloudBuild = cloudBuildContent(data)
			} else {
				unread++
			}
		}
		if isDVC(p) {
			st.UsesDVC = true
		}
	}
	st.CloudBuildUnknown = !st.HasCloudBuild && unread > 0
}

func isPython(p string) bool { return strings.HasSuffix(p, ".py") }

// isTestFile: pytest's default file patterns, or a module under a tests/
// folder (package markers excluded).
func isTestFile(p string) bool {
	if !isPython(p) {
		return false
	}
	base := path.Base(p)
	if strings.HasPrefix(base, "test_") || strings.HasSuffix(base, "_test.py") {
		return true
	}
	if base == "__init__.py" {
		return false
	}
	return strings.HasPrefix(p, "tests/") || strings.Contains(p, "/tests/")
}

// isDockerfile: Dockerfile, Dockerfile.api, api.dockerfile; not the
// per-Dockerfile ignore files (Dockerfile.dockerignore).
func isDockerfile(p string) bool {
	base := strings.ToLower(path.Base(p))
	if strings.HasSuffix(base, ".dockerignore") {
		return false
	}
	return base == "dockerfile" || strings.HasPrefix(base, "dockerfile.") || strings.HasSuffix(base, ".dockerfile")
}

// isWorkflow: GitHub reads workflows only directly in .github/workflows.
func isWorkflow(p string) bool {
	if path.Dir(p) != ".github/workflows" {
		return false
	}
	ext := path.Ext(p)
	return ext == ".yml" || ext == ".yaml"
}

// isRequirementFile: pip requirements under any name (requirements.txt,
// requirements_dev.txt, api_requirements.txt, requirements.in),
// pyproject.toml and the lock/environment files of uv, poetry, pdm, pipenv
// and conda. A W&B run's copy of the environment (wandb/run-*/files/) is
// W&B's record, not the group's.
func isRequirementFile(p string) bool {
	base := strings.ToLower(path.Base(p))
	if ext := path.Ext(base); (ext == ".txt" || ext == ".in") && strings.Contains(base, "requirements") {
		return !wandbRunFile(p)
	}
	switch base {
	case "pyproject.toml", "setup.cfg", "pipfile", "pipfile.lock", "uv.lock", "poetry.lock", "pdm.lock",
		"environment.yml", "environment.yaml":
		return true
	}
	return false
}

// wandbRunFile: a file W&B saved for one run (wandb/run-*/files/...,
// wandb/offline-run-*/...).
func wandbRunFile(p string) bool {
	dirs := strings.Split(path.Dir(p), "/")
	for i := 1; i < len(dirs); i++ {
		if dirs[i-1] == "wandb" && (strings.HasPrefix(dirs[i], "run-") || strings.HasPrefix(dirs[i], "offline-run-")) {
			return true
		}
	}
	return false
}

// isCloudBuild: a Cloud Build config by its name: a YAML file named like
// cloudbuild.yaml anywhere (cloudbuild_api.yml, fe-cloudbuild.yaml,
// cloud_build.yaml), or any file in a cloudbuild*/ folder.
func isCloudBuild(p string) bool {
	lower := strings.ToLower(p)
	for dir := range strings.SplitSeq(path.Dir(lower), "/") {
		if cloudBuildName(dir, strings.HasPrefix) {
			return true
		}
	}
	base := path.Base(lower)
	ext := path.Ext(base)
	return (ext == ".yaml" || ext == ".yml") && cloudBuildName(strings.TrimSuffix(base, ext), strings.Contains)
}

// cloudBuildName applies match (prefix or substring) with each spelling of
// Cloud Build in file names.
func cloudBuildName(name string, match func(s, sub string) bool) bool {
	return match(name, "cloudbuild") || match(name, "cloud_build") || match(name, "cloud-build")
}

// maxConfigSize bounds the YAML files read to look for a Cloud Build config.
const maxConfigSize = 256 << 10

var (
	cloudBuildSteps   = &lazyregexp.Regexp{Expr: `(?m)^steps\s*:`}
	cloudBuildBuilder = &lazyregexp.Regexp{Expr: `gcr\.io/cloud-builders/[\w.-]+`}
)

// readContent reads a file through content; ok is false when its content
// is unknown.
func readContent(content func(string) ([]byte, bool), p string) ([]byte, bool) {
	if content == nil {
		return nil, false
	}
	return content(p)
}

// cloudBuildCandidate: a YAML file (not a GitHub workflow) small enough to
// be read for the steps of a Cloud Build config.
func cloudBuildCandidate(f workspace.File) bool {
	ext := strings.ToLower(path.Ext(f.Path))
	return (ext == ".yaml" || ext == ".yml") && f.Size <= maxConfigSize && !isWorkflow(f.Path)
}

// cloudBuildContent: a YAML file shaped like a Cloud Build config:
// top-level steps that run gcr.io/cloud-builders/* images.
func cloudBuildContent(data []byte) bool {
	return cloudBuildSteps.Match(data) && cloudBuildBuilder.Match(data)
}

// isDVC: DVC's .dvc/ folder, *.dvc pointer files and dvc.yaml/dvc.lock
// pipelines; .dvcignore alone does not mean DVC is used.
func isDVC(p string) bool {
	base := path.Base(p)
	return strings.HasPrefix(p, ".dvc/") || strings.Contains(p, "/.dvc/") ||
		(strings.HasSuffix(base, ".dvc") && base != ".dvc") || base == "dvc.yaml" || base == "dvc.lock"
}

var (
	mergePR  = &lazyregexp.Regexp{Expr: `^Merge pull request #(\d+)\b`}
	squashPR = &lazyregexp.Regexp{Expr: `\(#(\d+)\)\s*$`}
)

// pullRequest returns the number of the pull request a commit merged: a
// GitHub merge commit ("Merge pull request #12 from ...") or a squash/rebase
// merge whose subject ends in "(#12)".
func pullRequest(message string) (int, bool) {
	subject, _, _ := strings.Cut(message, "\n")
	subject = strings.TrimSpace(subject)
	if !strings.HasPrefix(subject, "Merge pull request #") && !strings.HasSuffix(subject, ")") {
		return 0, false // most commits: skip the regexps
	}
	m := mergePR.FindStringSubmatch(subject)
	if m == nil {
		m = squashPR.FindStringSubmatch(subject)
	}
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

// commitTime is when the work was done: the author date (kept by rebases and
// squash merges), or the committer date when the author date is missing.
func commitTime(c workspace.Commit) time.Time {
	if c.AuthorTime.IsZero() {
		return c.CommitTime
	}
	return c.AuthorTime
}

// commitStats fills the statistics derived from commit metadata and
// returns a problem about implausible dates ("" when there are none).
func commitStats(st *RepoStats, s *workspace.Snapshot, tz *time.Location) string {
	st.Commits = len(s.Commits)
	prs := map[int]bool{}
	messageRunes := 0
	var sane []time.Time
	var skewed []time.Time
	latestAllowed := s.Deadline.Add(skewTolerance)
	for _, c := range s.Commits {
		messageRunes += utf8.RuneCountInString(strings.TrimSpace(c.Message))
		if n, ok := pullRequest(c.Message); ok {
			prs[n] = true
		}
		t := commitTime(c)
		if t.Before(saneSince) || (!s.Deadline.IsZero() && t.After(latestAllowed)) {
			skewed = append(skewed, t)
			continue
		}
		sane = append(sane, t)
	}
	st.MergedPRs = len(prs)
	if st.Commits > 0 {
		st.AvgMessageLength = float64(messageRunes) / float64(st.Commits)
	}
	for _, t := range sane {
		if st.FirstCommit.IsZero() || t.Before(st.FirstCommit) {
			st.FirstCommit = t
		}
		if t.After(st.LatestCommit) {
			st.LatestCommit = t
		}
	}
	activity(st, sane, s.Deadline, tz)
	if len(skewed) == 0 {
		return ""
	}
	return fmt.Sprintf("%d commit(s) with implausible dates (wrong clock?), e.g. %s: not plotted",
		len(skewed), skewed[0].UTC().Format(time.DateOnly))
}

// activity fills the days × 24 hours matrix, from the first commit's day to
// the deadline's day in the course time zone. A longer history than
// maxActivityDays (a project started long before the course, or forked from
// one) is shown for its last days only. That is not a problem of the group:
// ActivityStart after FirstCommit tells the page.
func activity(st *RepoStats, times []time.Time, deadline time.Time, tz *time.Location) {
	st.Activity = [][]int{}
	if len(times) == 0 {
		return
	}
	first := dayNumber(st.FirstCommit.In(tz))
	last := dayNumber(st.LatestCommit.In(tz))
	if !deadline.IsZero() {
		last = max(last, dayNumber(deadline.In(tz)))
	}
	first = max(first, last-maxActivityDays+1)
	st.Activity = make([][]int, last-first+1)
	for i := range st.Activity {
		st.Activity[i] = make([]int, 24)
	}
	y, m, d := dayDate(first)
	st.ActivityStart = time.Date(y, m, d, 0, 0, 0, 0, tz)
	for _, t := range times {
		local := t.In(tz)
		if day := dayNumber(local) - first; day >= 0 {
			st.Activity[day][local.Hour()]++
		}
	}
}

// dayNumber numbers calendar days (of the time's own location), so that day
// differences ignore daylight-saving shifts.
func dayNumber(t time.Time) int {
	y, m, d := t.Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func dayDate(n int) (int, time.Month, int) {
	return time.Unix(int64(n)*86400, 0).UTC().Date()
}

// readmeWords counts the words (whitespace-separated) of the repository's
// root README.md.
func readmeWords(s *workspace.Snapshot) (int, string) {
	f, ok := findTreeFile(s.Tree, func(p string) bool { return strings.EqualFold(p, "README.md") })
	if !ok {
		return 0, ""
	}
	data, err := readCopied(s, f)
	if err != nil {
		return 0, fmt.Sprintf("README words not counted: %v", err)
	}
	return len(strings.Fields(string(data))), ""
}
