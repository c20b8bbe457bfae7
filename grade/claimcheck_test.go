package grade

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"handin/grade/claims"
	"handin/internal/corpus"
	"handin/workspace"
)

// claimsReport is a report whose checklist holds the given lines ("* [x]
// ..."), then four questions. Checklist lines start at line 5.
func claimsReport(items ...string) string {
	return "# Exam report\n\n## Overall project checklist\n\n" + strings.Join(items, "\n") + "\n\n" + reportText(1, 2, 3, 4)
}

// The 2026 template's wording of the items the tests tick.
const (
	itemFastAPI  = "Create a FastAPI application that can do inference using your model (M22)"
	itemLogging  = "Use logging to log important events in your code (M14)"
	itemDocker   = "Construct one or multiple docker files for your code (M10)"
	itemDataTest = "Write unit tests related to the data part of your code (M16)"
	itemCICache  = "Add caching and multi-os/python/pytorch testing to your continuous integration (M17)"
	itemAlerts   = "Create one or more alert systems in GCP to alert you if your app is not behaving correctly (M28)"
)

// colmeraySnapshot is a snapshot of a real 2026 deadline tree (paths and
// sizes from the corpus) whose files/ holds the report and synthetic
// contents for the given files, as the scrape keeps text files.
func colmeraySnapshot(t *testing.T, ws *workspace.Workspace, report string, kept map[string]string) *workspace.Snapshot {
	t.Helper()
	tree := loadCorpusTree(t, corpus.Dir(t), "Colmeray__mlops_project")
	files := map[string]string{"reports/README.md": report}
	for p, text := range kept {
		if !slices.ContainsFunc(tree, func(f workspace.File) bool { return f.Path == p }) {
			t.Fatalf("%s is not in the real tree", p)
		}
		files[p] = text
	}
	s := &workspace.Snapshot{Group: 31, Status: workspace.StatusOK, Students: []string{"s111111"}, Tree: tree,
		WebURL: "https://github.com/synthetic/group31"}
	return saveSnapshot(t, ws, s, files)
}

// colmerayCode is synthetic Python for every Python file of the tree and
// its pyproject.toml: a loguru import in data.py (line 3), no FastAPI
// anywhere.
func colmerayCode() map[string]string {
	return map[string]string{
		"src/project/data.py":    "from pathlib import Path\n\nfrom loguru import logger\n\n\ndef load(path: Path) -> list[str]:\n    logger.info(\"loading\")\n    return path.read_text().split()\n",
		"src/project/model.py":   "import torch\n\n\nclass Net(torch.nn.Module):\n    pass\n",
		"src/project/train.py":   "import typer\n\nfrom project.model import Net\n\n\ndef train(epochs: int = 3) -> None:\n    Net()\n",
		"tasks.py":               "from invoke import task\n\n\n@task\ndef test(ctx):\n    ctx.run(\"pytest tests\")\n",
		"tests/test_data.py":     "from project.data import load\n\n\ndef test_load(tmp_path):\n    assert load(tmp_path / \"x\") == []\n",
		"tests/test_model.py":    "from project.model import Net\n\n\ndef test_net():\n    Net()\n",
		"tests/test_training.py": "from project.train import train\n\n\ndef test_train():\n    train(epochs=1)\n",
		"pyproject.toml":         "[project]\nname = \"project\"\ndependencies = [\"torch\", \"loguru\", \"typer\"]\n",
	}
}

func claimsOptions(t *testing.T, rules string) Options {
	t.Helper()
	set, err := LoadClaims(rules, nil)
	if err != nil {
		t.Fatal(err)
	}
	return Options{Spec: loadSpec(t), Claims: set}
}

func verdictOf(t *testing.T, r *GroupResult, item string) claims.Verdict {
	t.Helper()
	if r.Claims == nil {
		t.Fatalf("group %d: no claims judged", r.Group)
	}
	for _, v := range r.Claims.Verdicts {
		if v.Item.Text == item {
			return v
		}
	}
	t.Fatalf("no verdict for %q", item)
	return claims.Verdict{}
}

func findingsOf(r *GroupResult, kind Kind) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Kind == kind {
			out = append(out, f)
		}
	}
	return out
}

// Grading judges the checklist against a real deadline tree: path rules on
// the real paths, text rules on the kept files, "cannot tell" for the files
// not kept and for cloud-only work; a ticked item without evidence is a
// problem on its report line, an unticked item with evidence information.
func TestGradeJudgesClaimsOnARealTree(t *testing.T) {
	report := claimsReport(
		"* [x] "+itemFastAPI,  // line 5
		"* [x] "+itemLogging,  // line 6
		"* [ ] "+itemDocker,   // line 7
		"* [x] "+itemDataTest, // line 8
		"* [x] "+itemCICache,  // line 9
		"* [x] "+itemAlerts,   // line 10
	)
	s := colmeraySnapshot(t, testWorkspace(t), report, colmerayCode())
	r := Grade(s, claimsOptions(t, ""))

	if r.Claims.Rules != "2026" {
		t.Errorf("rules %q, want 2026 (the spec's year)", r.Claims.Rules)
	}
	tests := []struct {
		item     string
		status   claims.Status
		evidence []string // path[:line] of every location
		unread   string   // one of the files it could not read
	}{
		{item: itemFastAPI, status: claims.NoEvidence},
		{item: itemLogging, status: claims.Evidence, evidence: []string{"src/project/data.py:3"}}, // the import, not the declaration
		{item: itemDocker, status: claims.Evidence, evidence: []string{"dockerfiles/train.dockerfile", "dockerfiles/train.gpu.dockerfile"}},
		{item: itemDataTest, status: claims.Evidence, evidence: []string{"tests/test_data.py"}},
		{item: itemCICache, status: claims.CannotTell, unread: ".github/workflows/tests.yaml"},
		{item: itemAlerts, status: claims.CannotTell},
	}
	for _, tc := range tests {
		v := verdictOf(t, r, tc.item)
		var got []string
		for _, l := range v.Evidence {
			got = append(got, LocationText(l))
		}
		if v.Status != tc.status || !slices.Equal(got, tc.evidence) || (tc.unread != "" && !slices.Contains(v.Unread, tc.unread)) {
			t.Errorf("%q: %s, evidence %v, unread %v; want %s, evidence %v, unread with %q",
				tc.item, v.Status, got, v.Unread, tc.status, tc.evidence, tc.unread)
		}
	}
	if v := verdictOf(t, r, itemAlerts); v.Reason == "" {
		t.Error("cloud-only alerts: cannot tell without a reason")
	}

	unsupported := findingsOf(r, KindTickedWithoutEvidence)
	if len(unsupported) != 1 || unsupported[0].Line != 5 || !unsupported[0].Reason() ||
		!strings.Contains(unsupported[0].Message, "“"+itemFastAPI+"”: looked for FastAPI in the code") {
		t.Errorf("ticked without evidence: %+v, want one problem on line 5 naming the FastAPI item", unsupported)
	}
	unticked := findingsOf(r, KindUntickedWithEvidence)
	if len(unticked) != 1 || unticked[0].Line != 7 || unticked[0].Reason() ||
		!strings.HasSuffix(unticked[0].Message, ": dockerfiles/train.dockerfile, dockerfiles/train.gpu.dockerfile") {
		t.Errorf("unticked with evidence: %+v, want one piece of information on line 7 naming the Dockerfiles", unticked)
	}
	if r.Claims.TickedWithoutEvidence() != 1 {
		t.Errorf("TickedWithoutEvidence = %d, want 1", r.Claims.TickedWithoutEvidence())
	}
}

// What was found but is not the group's work is named in the problem, so the
// instructor sees why it did not count.
func TestTickedWithoutEvidenceNamesWhatDidNotCount(t *testing.T) {
	code := colmerayCode()
	code["pyproject.toml"] = "[project]\nname = \"project\"\ndependencies = [\"torch\", \"fastapi\"]\n"
	s := colmeraySnapshot(t, testWorkspace(t), claimsReport("* [x] "+itemFastAPI), code)
	r := Grade(s, claimsOptions(t, "2026"))
	f := findingsOf(r, KindTickedWithoutEvidence)
	if len(f) != 1 || !strings.HasSuffix(f[0].Message, "; not counted: pyproject.toml:3 (fastapi declared, never imported or used)") {
		t.Errorf("declared, never imported: %v", texts(f))
	}
}

// A file the scrape did not keep is a file that could not be read, never
// one without evidence: without train.py FastAPI could be imported there,
// so the ticked item is "cannot tell", not a problem.
func TestClaimsNeverAccuseOnFilesNotKept(t *testing.T) {
	code := colmerayCode()
	delete(code, "src/project/train.py")
	s := colmeraySnapshot(t, testWorkspace(t), claimsReport("* [x] "+itemFastAPI), code)
	r := Grade(s, claimsOptions(t, "2026"))
	v := verdictOf(t, r, itemFastAPI)
	if v.Status != claims.CannotTell || !slices.Contains(v.Unread, "src/project/train.py") {
		t.Errorf("FastAPI with train.py not kept: %s, unread %v; want cannot tell naming src/project/train.py", v.Status, v.Unread)
	}
	if f := findingsOf(r, KindTickedWithoutEvidence); len(f) != 0 {
		t.Errorf("a file not kept made a problem: %v", texts(f))
	}

	// With nothing kept at all (a snapshot from before text files were
	// kept), every text rule cannot tell; path rules still judge.
	s = colmeraySnapshot(t, testWorkspace(t), claimsReport("* [x] "+itemLogging, "* [x] "+itemDataTest), nil)
	r = Grade(s, claimsOptions(t, "2026"))
	if v := verdictOf(t, r, itemLogging); v.Status != claims.CannotTell || !slices.Contains(v.Unread, "src/project/data.py") {
		t.Errorf("logging with no file kept: %s, unread %v; want cannot tell", v.Status, v.Unread)
	}
	if v := verdictOf(t, r, itemDataTest); v.Status != claims.Evidence {
		t.Errorf("data tests by path with no file kept: %s, want evidence", v.Status)
	}
}

// The rule set follows the spec's year unless one is named; a rules file
// overrides the built-in rules.
func TestLoadClaims(t *testing.T) {
	for _, tc := range []struct {
		name string
		year int
		want string
	}{
		{"", 2026, "2026"}, {"", 2024, "2024"}, {"", 2027, "2026"}, {"", 2021, "2023"}, {"", 0, "2026"},
		{"2023", 2026, "2023"},
	} {
		rules, err := LoadClaims(tc.name, &Spec{Name: "x", Year: tc.year})
		if err != nil || rules.Name != tc.want {
			t.Errorf("LoadClaims(%q, year %d) = %v, %v; want rule set %s", tc.name, tc.year, rules, err, tc.want)
		}
	}
	file := filepath.Join(t.TempDir(), "ours.toml")
	writeTestFile(t, file, "name = \"ours\"\nbase = \"2026\"\ndrop = [\"fastapi\"]\n")
	rules, err := LoadClaims(file, loadSpec(t))
	if err != nil || rules.Name != "ours" || slices.ContainsFunc(rules.Rules, func(r claims.Rule) bool { return r.ID == "fastapi" }) {
		t.Fatalf("LoadClaims(file) = %v, %v; want the file's rule set without fastapi", rules, err)
	}
	if _, err := LoadClaims("2099", nil); err == nil || !strings.Contains(err.Error(), "2099") {
		t.Errorf("LoadClaims(2099): %v, want an error naming it", err)
	}
}

// A report without checklist, or grading without rules, judges nothing.
func TestNoClaimsWithoutChecklistOrRules(t *testing.T) {
	ws := testWorkspace(t)
	s := saveSnapshot(t, ws, &workspace.Snapshot{Group: 1, Status: workspace.StatusOK},
		map[string]string{"reports/README.md": reportText(1, 2, 3, 4)})
	if r := Grade(s, claimsOptions(t, "2026")); r.Claims != nil {
		t.Errorf("no checklist: claims %+v, want none", r.Claims)
	}
	s = saveSnapshot(t, ws, &workspace.Snapshot{Group: 2, Status: workspace.StatusOK},
		map[string]string{"reports/README.md": claimsReport("* [x] " + itemFastAPI)})
	if r := Grade(s, Options{Spec: loadSpec(t)}); r.Claims != nil || len(findingsOf(r, KindTickedWithoutEvidence)) > 0 {
		t.Errorf("no rules: claims %+v, want none", r.Claims)
	}
}

// A rule set that breaks on some input costs that group its claims, with a
// finding, and never the run.
func TestClaimsCheckThatPanicsIsAFinding(t *testing.T) {
	s := saveSnapshot(t, testWorkspace(t), &workspace.Snapshot{Group: 1, Status: workspace.StatusOK},
		map[string]string{"reports/README.md": claimsReport("* [x] " + itemFastAPI)})
	r := Grade(s, Options{Spec: loadSpec(t), Claims: &claims.RuleSet{Name: "never compiled"}})
	if f := findingsOf(r, KindClaimsNotChecked); len(f) != 1 || !strings.Contains(f[0].Message, "internal error") || r.Claims != nil {
		t.Errorf("claims findings %v, claims %+v; want one claims-not-checked finding", texts(f), r.Claims)
	}
}

func writeTestFile(t *testing.T, name, text string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPanicIsLoggedWithTheGroup: a rule that panics on some unforeseen file
// is an error for its group, logged with the group in the run's context.
func TestPanicIsLoggedWithTheGroup(t *testing.T) {
	rules, err := claims.Load("2026")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	var runs []any
	ctx := context.WithValue(context.Background(), runKey{}, "the run")
	log := groupLog{ctx: ctx, logger: slog.New(runRecorder{slog.NewTextHandler(&out, nil), &runs}).With("group", 7)}
	tree := claims.Tree{Files: []claims.File{{Path: "src/api.py", Size: 100}}, Read: func(string) ([]byte, bool) { panic("unforeseen") }}
	_, err = judgeClaims(rules, tree, []claims.Item{{Text: itemFastAPI, Module: "M22", Checked: true, Line: 5}}, log)
	if err == nil || !strings.Contains(err.Error(), "unforeseen") {
		t.Errorf("error %v, want the panic's", err)
	}
	if line := out.String(); !strings.Contains(line, `level=ERROR msg="grade: claims check panicked" group=7 rules=2026 panic=unforeseen`) {
		t.Errorf("logged %q", line)
	}
	if len(runs) != 1 || runs[0] != "the run" {
		t.Errorf("logged in the contexts of %v, want the run's", runs)
	}
}

// runKey marks a test's run in a context.
type runKey struct{}

// runRecorder notes the run of every record's context.
type runRecorder struct {
	slog.Handler
	runs *[]any
}

func (h runRecorder) Handle(ctx context.Context, r slog.Record) error {
	*h.runs = append(*h.runs, ctx.Value(runKey{}))
	return h.Handler.Handle(ctx, r)
}

func (h runRecorder) WithAttrs(attrs []slog.Attr) slog.Handler {
	return runRecorder{h.Handler.WithAttrs(attrs), h.runs}
}
