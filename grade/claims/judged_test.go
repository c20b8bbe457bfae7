package claims

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"handin/internal/corpus"
	"handin/internal/slowtest"
)

// mirrorRoot is where whole clones of the corpus repositories may lie
// (OWNER+NAME/repo, bare), beside the repository; "" when they are absent.
func mirrorRoot() string {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", ".mirror")
	if _, err := os.Stat(dir); err != nil {
		return ""
	}
	return dir
}

// corpusMeta is a corpus repository's meta.json.
type corpusMeta struct {
	Year       int    `json:"year"`
	Deadline   string `json:"deadline_sha"`
	ReportPath string `json:"report_path"`
}

func readMeta(t testing.TB, dir, name string) corpusMeta {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "repos", name, "meta.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m corpusMeta
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s meta.json: %v", name, err)
	}
	return m
}

// mirrorRepo is the bare clone of a corpus repository, or "".
func mirrorRepo(root, name string) string {
	if root == "" {
		return ""
	}
	dir := filepath.Join(root, strings.Replace(name, "__", "+", 1), "repo")
	if _, err := os.Stat(dir); err != nil {
		return ""
	}
	return dir
}

// mirrorTree is a repository's tree at a commit with the text files kept as
// the scraper keeps them, read with git.
func mirrorTree(t testing.TB, gitDir, commit string) Tree {
	t.Helper()
	out, err := exec.Command("git", "--git-dir", gitDir, "ls-tree", "-r", "-l", "-z", commit).Output()
	if err != nil {
		t.Fatalf("%s ls-tree %s: %v", gitDir, commit, err)
	}
	var files []File
	var objects []string
	for _, rec := range bytes.Split(bytes.TrimSuffix(out, []byte{0}), []byte{0}) {
		meta, p, _ := strings.Cut(string(rec), "\t")
		f := strings.Fields(meta)
		if f[1] != "blob" {
			continue
		}
		size, _ := strconv.ParseInt(f[3], 10, 64)
		files = append(files, File{Path: p, Size: size})
		objects = append(objects, f[2])
	}
	contents := map[string][]byte{}
	cmd := exec.Command("git", "--git-dir", gitDir, "cat-file", "--batch")
	var in bytes.Buffer
	var want []int
	for i, f := range files {
		if f.Size > 0 && f.Size <= 4<<20 {
			fmt.Fprintln(&in, objects[i])
			want = append(want, i)
		}
	}
	cmd.Stdin = &in
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(stdout)
	for _, i := range want {
		header, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("cat-file: %v", err)
		}
		h := strings.Fields(header)
		if len(h) < 3 || h[1] == "missing" {
			continue
		}
		n, _ := strconv.Atoi(h[2])
		data := make([]byte, n+1)
		if _, err := io.ReadFull(r, data); err != nil {
			t.Fatalf("cat-file: %v", err)
		}
		data = data[:n]
		if keptByScrape(files[i], data) {
			contents[files[i].Path] = data
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	return Tree{Files: files, Read: func(p string) ([]byte, bool) {
		b, ok := contents[p]
		return b, ok
	}}
}

// keptByScrape: what the scraper keeps of a file for the text rules: text
// (no NUL in its first 8000 bytes) within its size limit, larger for the
// files that declare dependencies and for notebooks.
func keptByScrape(f File, data []byte) bool {
	if bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 {
		return false
	}
	limit := int64(256 << 10)
	if base := strings.ToLower(path.Base(f.Path)); base == "pyproject.toml" || base == "setup.py" || base == "setup.cfg" ||
		base == "pipfile" || strings.HasSuffix(base, ".txt") && strings.Contains(base, "requirements") ||
		strings.HasPrefix(base, "environment") && strings.Contains(base, ".y") || strings.HasSuffix(base, notebookExt) {
		limit = 2 << 20
	}
	return f.Size <= limit
}

// mirrorChecklist is the checklist of the report at a commit.
func mirrorChecklist(t testing.TB, gitDir, commit, report string) []Item {
	t.Helper()
	data, err := exec.Command("git", "--git-dir", gitDir, "show", commit+":"+report).Output()
	if err != nil {
		return nil // no report at the deadline
	}
	return checklistOf(t, report, data)
}

// judgedFile holds every verdict of the built-in rules on the deadline trees
// of the corpus repositories, with each "no evidence" on a ticked item judged
// by hand against the tree (the file and line the judgement rests on, and
// why). Regenerate it with -update-judged (judgements are kept by repository,
// line and rule; a new ticked "no evidence" is left unjudged and fails).
const judgedFile = "judged.tsv"

var updateJudged = flag.Bool("update-judged", false, "rewrite "+judgedFile+" from the corpus repositories' deadline trees")

// judgedRow is one line of judged.tsv.
type judgedRow struct {
	repo, rule string
	line       int
	ticked     bool
	status     Status
	judged     string // for a ticked "no evidence": right, false or unjudged
	where, why string
}

func (r judgedRow) key() string { return fmt.Sprintf("%s:%d:%s", r.repo, r.line, r.rule) }

func (r judgedRow) accusation() bool { return r.ticked && r.status == NoEvidence }

func readJudged(t *testing.T) []judgedRow {
	t.Helper()
	data, err := os.ReadFile(judgedFile)
	if err != nil {
		t.Fatal(err)
	}
	var rows []judgedRow
	for n, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 8 {
			t.Fatalf("%s:%d: %d columns, want 8", judgedFile, n+1, len(c))
		}
		l, err := strconv.Atoi(c[1])
		if err != nil {
			t.Fatalf("%s:%d: line %q", judgedFile, n+1, c[1])
		}
		rows = append(rows, judgedRow{repo: c[0], line: l, rule: c[2], ticked: c[3] == "x", status: Status(c[4]),
			judged: dash(c[5]), where: dash(c[6]), why: dash(c[7])})
	}
	return rows
}

func dash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

func undash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// The table's judgements: no ticked item is accused of lacking evidence
// unless a reading of the tree found it truly missing.
func TestJudgedAccusations(t *testing.T) {
	corpus.Dir(t) // the table is of the corpus's repositories
	rows := readJudged(t)
	repos := map[string]bool{}
	accused, right := 0, 0
	for _, r := range rows {
		repos[r.repo] = true
		if !r.accusation() {
			if r.judged != "" {
				t.Errorf("%s: judged %q, but only a ticked item without evidence is judged", r.key(), r.judged)
			}
			continue
		}
		accused++
		switch {
		case r.judged != "right":
			t.Errorf("%s: ticked, no evidence, judged %q: a false accusation (fix the rule or say cannot tell)", r.key(), r.judged)
		case r.where == "" || r.why == "":
			t.Errorf("%s: judged right without the file and why", r.key())
		default:
			right++
		}
	}
	if len(repos) < 20 { // 23 of the 25 had a checklist at their deadline
		t.Errorf("the table has verdicts for %d repositories, want the corpus's", len(repos))
	}
	t.Logf("%d verdicts on %d repositories; %d ticked without evidence, %d judged right", len(rows), len(repos), accused, right)
}

// The built-in rules give every verdict of the table on the real deadline
// trees: a rule change that flips a verdict fails here. The trees' contents
// come from whole clones of the corpus repositories beside the repository
// (../.mirror/OWNER+NAME/repo); without them only the table's judgements are
// checked (TestJudgedAccusations).
func TestJudgedVerdictsOnRealTrees(t *testing.T) {
	slowtest.Skip(t, "the built-in rules on 25 real repositories' trees, read with git")
	dir := corpus.Dir(t)
	root := mirrorRoot()
	if root == "" {
		t.Skip("SKIPPED: no clones of the corpus repositories at ../.mirror: the judged verdicts are NOT re-checked on real trees")
	}
	names, _ := filepath.Glob(filepath.Join(dir, "repos", "*"))
	var got []judgedRow
	for _, n := range names {
		name := filepath.Base(n)
		git := mirrorRepo(root, name)
		if git == "" {
			t.Skipf("SKIPPED: no clone of %s at %s: the judged verdicts are NOT re-checked on real trees", name, root)
		}
		m := readMeta(t, dir, name)
		tree := mirrorTree(t, git, m.Deadline)
		s := mustLoad(t, strconv.Itoa(m.Year))
		for _, v := range s.Check(tree, mirrorChecklist(t, git, m.Deadline, m.ReportPath)) {
			got = append(got, judgedRow{repo: name, line: v.Item.Line, rule: v.Rule, ticked: v.Item.Checked, status: v.Status})
		}
	}
	if *updateJudged {
		writeJudged(t, got)
		return
	}
	want := map[string]judgedRow{}
	for _, r := range readJudged(t) {
		want[r.key()] = r
	}
	for _, g := range got {
		w, ok := want[g.key()]
		delete(want, g.key())
		switch {
		case !ok:
			t.Errorf("%s: %s, not in %s (run with -update-judged and judge it)", g.key(), g.status, judgedFile)
		case w.status != g.status || w.ticked != g.ticked:
			t.Errorf("%s: %s, the table says %s (ticked %v; judged %s: %s)", g.key(), g.status, w.status, w.ticked, w.judged, w.why)
		}
	}
	for k := range want {
		t.Errorf("%s: in %s, no longer a verdict", k, judgedFile)
	}
}

// writeJudged rewrites the table, keeping the judgements of the rows it
// already holds.
func writeJudged(t *testing.T, rows []judgedRow) {
	old := map[string]judgedRow{}
	if _, err := os.Stat(judgedFile); err == nil {
		for _, r := range readJudged(t) {
			old[r.key()] = r
		}
	}
	var b strings.Builder
	b.WriteString(`# Every verdict of the built-in claims rules on the 25 corpus repositories
# (../shared/corpus/repos), at their deadline commits, on the checklist of the
# report at that commit. A ticked item without evidence is judged by hand,
# reading the repository: right (the work is not in the tree), with the file
# and line the judgement rests on and why. TestJudgedVerdictsOnRealTrees
# re-checks every verdict where whole clones of the repositories are at hand;
# TestJudgedAccusations checks the judgements. No file contents here.
#
# repo	line	rule	ticked	status	judged	where	why
`)
	for _, r := range rows {
		if o, ok := old[r.key()]; ok && o.status == r.status && o.ticked == r.ticked {
			r.judged, r.where, r.why = o.judged, o.where, o.why
		}
		if r.accusation() && r.judged == "" {
			r.judged = "unjudged"
		}
		ticked := "-"
		if r.ticked {
			ticked = "x"
		}
		fmt.Fprintf(&b, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.repo, r.line, undash(r.rule), ticked, r.status, undash(r.judged), undash(r.where), undash(r.why))
	}
	if err := os.WriteFile(judgedFile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
