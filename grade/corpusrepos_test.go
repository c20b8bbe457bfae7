package grade

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"handin/internal/corpus"
	"handin/parse"
	"handin/workspace"
)

// corpusMeta is a corpus repository's meta.json.
type corpusMeta struct {
	Year        int       `json:"year"`
	Deadline    time.Time `json:"deadline"`
	Branch      string    `json:"branch"`
	DeadlineSHA string    `json:"deadline_sha"`
	ReportPath  string    `json:"report_path"`
}

// corpusRepo is a real repository of the corpus: its deadline tree, the
// commits reachable from its deadline commit with their real identities and
// dates, and its roster and number (what its report writes in Questions 1
// and 2).
type corpusRepo struct {
	name   string // OWNER__NAME
	meta   corpusMeta
	tree   []workspace.File
	roster []string
	snap   workspace.Snapshot
}

func loadCorpusRepos(t *testing.T) []corpusRepo {
	t.Helper()
	dir := corpus.Dir(t)
	names, _ := filepath.Glob(filepath.Join(dir, "repos", "*"))
	var repos []corpusRepo
	for i, repoDir := range names {
		r := corpusRepo{name: filepath.Base(repoDir)}
		roster, number := corpusRoster(t, dir, r.name)
		r.roster = roster
		data, err := os.ReadFile(filepath.Join(repoDir, "meta.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &r.meta); err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		r.tree = loadCorpusTree(t, dir, r.name)
		owner, name, _ := strings.Cut(r.name, "__")
		commits, late := corpusHistory(t, dir, r.name, r.meta.DeadlineSHA)
		r.snap = workspace.Snapshot{
			Group: cmp.Or(number, 1000+i), Students: r.roster, URL: "https://github.com/" + owner + "/" + name + ".git",
			WebURL: "https://github.com/" + owner + "/" + name, Branch: r.meta.Branch, Status: workspace.StatusOK,
			Deadline: r.meta.Deadline, Pin: workspace.Pin{SHA: r.meta.DeadlineSHA, By: workspace.PinnedByCommitterDate, LateCommits: late},
			Commits: commits, Tree: slices.Clone(r.tree),
		}
		repos = append(repos, r)
	}
	if len(repos) == 0 {
		t.Fatal("no repositories in the corpus")
	}
	return repos
}

// corpusRoster is what a corpus repository's report writes in Question 2
// (the roster) and Question 1 (the group number); nothing when it has no
// report.
func corpusRoster(t *testing.T, dir, name string) (roster []string, number int) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, "reports", name+".md"))
	if err != nil {
		return nil, 0
	}
	r, err := parse.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range r.Questions {
		switch n, _ := groupNumber(q.Answer); {
		case q.Number == 1 && n != nil && number == 0:
			number = *n
		case q.Number == 2 && roster == nil:
			roster = studentIDs(q.Answer)
		}
	}
	return roster, number
}

// corpusHistory is a real repository's history as a snapshot holds it:
// the commits reachable from the deadline commit, and how many first-parent
// commits follow it on the branch.
func corpusHistory(t *testing.T, dir, name, deadlineSHA string) (commits []workspace.Commit, late int) {
	t.Helper()
	all := corpusCommits(t, dir, name)
	bySHA := map[string]workspace.Commit{}
	for _, c := range all {
		bySHA[c.SHA] = c
	}
	for sha := all[0].SHA; sha != deadlineSHA && sha != ""; late++ {
		c := bySHA[sha]
		sha = ""
		if len(c.Parents) > 0 {
			sha = c.Parents[0]
		}
	}
	reachable := map[string]bool{}
	for queue := []string{deadlineSHA}; len(queue) > 0; queue = queue[1:] {
		if c, ok := bySHA[queue[0]]; ok && !reachable[c.SHA] {
			reachable[c.SHA] = true
			queue = append(queue, c.Parents...)
		}
	}
	for _, c := range all {
		if reachable[c.SHA] {
			commits = append(commits, c)
		}
	}
	return commits, late
}

// corpusCommits is a real repository's commits.tsv, newest first.
func corpusCommits(t *testing.T, dir, name string) []workspace.Commit {
	t.Helper()
	var out []workspace.Commit
	for _, c := range corpus.Commits(t, dir, name) {
		out = append(out, workspace.Commit{SHA: c.SHA, Parents: c.Parents, AuthorName: c.AuthorName, AuthorEmail: c.AuthorEmail,
			AuthorTime: c.AuthorTime, CommitTime: c.CommitTime, Message: c.Subject})
	}
	return out
}

// gradeCorpusRepo stores the repository's snapshot with report as the
// content of its report path (none: not copied) and a synthetic root README,
// and grades it with its year's spec.
func gradeCorpusRepo(t *testing.T, r corpusRepo, report string) *GroupResult {
	t.Helper()
	snap := r.snap
	snap.Tree = slices.Clone(r.tree)
	files := map[string]string{}
	if slices.ContainsFunc(r.tree, func(f workspace.File) bool { return f.Path == "README.md" }) {
		files["README.md"] = "# A synthetic project README\n"
	}
	if report != "" {
		files[r.meta.ReportPath] = report
	}
	s := saveSnapshot(t, testWorkspace(t), &snap, files)
	return Grade(s, Options{Spec: mustSpec(t, fmt.Sprint(r.meta.Year))})
}

// TestCorpusRepositories grades the 25 real repositories (real trees, real
// identities and dates, real reports): every merge of identities records
// its rule, every commit is credited once, the figure links real reports
// write with spaces and percent escapes find their files, and a Cloud Build
// config that can only be told by content is unknown, not absent.
func TestCorpusRepositories(t *testing.T) {
	dir := corpus.Dir(t)
	problems, info, merges, unmapped := map[Kind]int{}, map[Kind]int{}, 0, 0
	for _, r := range loadCorpusRepos(t) {
		report, _ := os.ReadFile(filepath.Join(dir, "reports", r.name+".md")) // one group has none
		res := gradeCorpusRepo(t, r, string(report))
		for _, f := range res.Findings {
			if f.Reason() {
				problems[f.Kind]++
			} else {
				info[f.Kind]++
			}
		}
		credited := 0
		var identities []Identity
		for _, s := range res.Students {
			credited += s.Commits
			identities = append(identities, s.Identities...)
		}
		for _, a := range res.UnmatchedAuthors {
			credited += a.Commits
			identities = append(identities, a.Identities...)
		}
		for _, id := range identities {
			if id.Via == "" {
				continue // a person's main identity
			}
			merges++
			if id.Rule == "" || id.Evidence == "" {
				t.Errorf("%s: %s <%s> merged with %s without its rule", r.name, id.Name, id.Email, id.Via)
			}
		}
		// The rest are bots' (package identity tells them apart).
		contributed := 0
		for _, n := range res.Stats.Contributions {
			contributed += n
		}
		if contributed != len(r.snap.Commits) || credited > contributed {
			t.Errorf("%s: %d commits credited to students and unmatched people, %d contributed in all, of %d",
				r.name, credited, contributed, len(r.snap.Commits))
		}
		unmapped += len(res.UnmappedIdentities)

		// Links with spaces and percent escapes, as these groups wrote them.
		if res.Check != nil {
			for _, q := range res.Check.Questions {
				for _, f := range q.Findings {
					if f.Kind.MissingFigure() && (strings.Contains(f.Target, "%20") || strings.Contains(f.Target, " ")) {
						t.Errorf("%s: Q%d: %s", r.name, q.Number, f.Text())
					}
				}
			}
		}
		if !res.Stats.HasCloudBuild && res.Stats.CloudBuildUnknown != slices.ContainsFunc(r.tree, cloudBuildCandidate) {
			t.Errorf("%s: no Cloud Build config by name; unknown %v", r.name, res.Stats.CloudBuildUnknown)
		}
	}
	t.Logf("problems by kind: %v", problems)
	t.Logf("information by kind: %v", info)
	t.Logf("%d identity merges, each with its rule; %d identities left unmapped", merges, unmapped)
	if merges == 0 || problems[KindRemoteImage]+problems[KindAttribution]+problems[KindCheckerSegmentation] != 0 {
		t.Errorf("%d merges; remote images, attribution or segmentation as problems: %v", merges, problems)
	}
}

// TestCorpusFigureLinkForms writes, for every real repository with figures,
// a report linking each of its real figure paths in every form GitHub
// shows (relative, from the root, percent-escaped, in <...>, by URL into the
// repository, raw, ?raw=true): none is missing. The same paths with raw
// spaces, and URLs of files the deadline tree lacks, are.
func TestCorpusFigureLinkForms(t *testing.T) {
	checked := 0
	for _, r := range loadCorpusRepos(t) {
		reportDir := path.Dir(r.meta.ReportPath)
		var figures []string
		for _, f := range r.tree {
			if slices.Contains(figureFormats, strings.ToLower(path.Ext(f.Path))) && strings.HasPrefix(f.Path, reportDir+"/") {
				figures = append(figures, f.Path)
			}
		}
		if len(figures) == 0 {
			continue
		}
		owner, name, _ := strings.Cut(r.name, "__")
		blob := "https://github.com/" + owner + "/" + name + "/blob/" + r.meta.Branch + "/"
		raw := "https://raw.githubusercontent.com/" + owner + "/" + name + "/" + r.meta.Branch + "/"
		var answer strings.Builder
		shown := map[string]bool{} // target -> is the file there
		link := func(target string, there bool) {
			fmt.Fprintf(&answer, "![fig](%s)\n", target)
			shown[target] = there
		}
		for _, p := range figures {
			rel := strings.TrimPrefix(p, reportDir+"/")
			escaped := (&url.URL{Path: rel}).EscapedPath()
			link(escaped, true)
			link("/"+(&url.URL{Path: p}).EscapedPath(), true)
			link(blob+(&url.URL{Path: p}).EscapedPath(), true)
			link(raw+(&url.URL{Path: p}).EscapedPath()+"?raw=true", true)
			if strings.Contains(rel, " ") {
				fmt.Fprintf(&answer, "![fig](<%s>)\n", rel)
				shown[rel] = true
				fmt.Fprintf(&answer, "![fig](%s)\n", rel) // raw spaces: text on GitHub
				shown[rel+" raw"] = false
			}
			link(blob+(&url.URL{Path: p + ".later.png"}).EscapedPath(), false)
		}
		report := "### Question 1\n> Answer:\n\n" + answer.String()
		res := gradeCorpusRepo(t, r, report)
		missing := map[string]bool{}
		for _, f := range res.Check.Questions[0].Findings {
			if f.Kind.MissingFigure() {
				key := f.Target
				if f.Kind == KindSpacesInLink {
					key += " raw"
				}
				missing[key] = true
			}
		}
		for target, there := range shown {
			checked++
			if missing[target] == there {
				t.Errorf("%s: %s: missing %v, the file is there: %v", r.name, target, missing[target], there)
			}
		}
	}
	t.Logf("%d figure references of real paths checked", checked)
}
