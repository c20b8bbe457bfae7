package claims

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"handin/internal/corpus"
	"handin/parse"
)

// checklist parses a report's checklist into items.
func checklist(t testing.TB, file string) []Item {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return checklistOf(t, file, data)
}

// checklistOf parses the checklist of a report's contents into items.
func checklistOf(t testing.TB, name string, data []byte) []Item {
	t.Helper()
	r, err := parse.Parse(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var items []Item
	for _, sec := range r.Checklist {
		for _, it := range sec.Items {
			items = append(items, Item{Text: it.Text, Module: it.Module, Checked: it.Checked, Line: it.Line})
		}
	}
	return items
}

// templateYear is the rule set for a template version: the checklist of the
// January course it was used in. Versions between courses keep the wording of
// the course before them until the 2025 rewrite (2024-12-22).
func templateYear(file string) string {
	date := filepath.Base(file)[:10]
	switch {
	case date < "2023-02-01":
		return "2023"
	case date < "2024-12-01":
		return "2024"
	case date < "2025-12-01":
		return "2025"
	}
	return "2026"
}

// ruleOf is the id of the rule that judges it, "" when none does.
func ruleOf(s *RuleSet, it Item) string {
	if i, ok := s.c.items.match(it); ok {
		return s.Rules[i].ID
	}
	return ""
}

// Every item of every course template, module-tagged or not, has exactly one
// rule of its year, and no rule judges two items of one template: a template
// item without a rule, or two items confused, fails here.
func TestEveryTemplateItemHasItsOwnRule(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpus.Dir(t), "templates", "*.md"))
	if len(files) == 0 {
		t.Fatal("no templates in the corpus")
	}
	perYear := map[string]int{}
	for _, file := range files {
		year := templateYear(file)
		s := mustLoad(t, year)
		items := checklist(t, file)
		if len(items) > 0 {
			perYear[year]++
		}
		judges := map[string]string{}
		for _, it := range items {
			id := ruleOf(s, it)
			if id == "" {
				t.Errorf("%s (%s rules): no rule for %q (%s)", filepath.Base(file), year, it.Text, it.Module)
				continue
			}
			if other, ok := judges[id]; ok {
				t.Errorf("%s: rule %s judges both %q and %q", filepath.Base(file), id, other, it.Text)
			}
			judges[id] = it.Text
		}
	}
	for _, year := range List() {
		if perYear[year] == 0 {
			t.Errorf("no template with a checklist was checked against the %s rules", year)
		}
	}
}

// Every rule of a year judges an item of that year's template: a rule whose
// wording drifted away from the template would judge nothing.
func TestEveryRuleJudgesATemplateItem(t *testing.T) {
	dir := corpus.Dir(t)
	for year, template := range map[string]string{
		"2023": "2023-01-06_1477d9c.md", "2024": "2023-09-27_64ea22b.md",
		"2025": "2025-01-08_d1b907d.md", "2026": "2026-01-09_eb7305c.md",
	} {
		s := mustLoad(t, year)
		used := map[string]bool{}
		for _, it := range checklist(t, filepath.Join(dir, "templates", template)) {
			used[ruleOf(s, it)] = true
		}
		for _, r := range s.Rules {
			if !used[r.ID] {
				t.Errorf("%s: rule %s judges no item of %s", year, r.ID, template)
			}
		}
	}
}

// Students edit the template's items: typos, a tag dropped or wrong, the
// item reworded, a remark appended. The rule found must still be the item's;
// an item that could be either of two rules gets none rather than a guess.
func TestItemMatchingSurvivesEdits(t *testing.T) {
	s := mustLoad(t, "2026")
	for _, tc := range []struct{ text, module, want string }{
		{"Setup version controll for you data or part of you're data (M8)", "M8", "data-version-control"},
		{"Create a FastAPI application that can do inference using your model", "", "fastapi"},
		{"Create a FastAPI application that can do inference using your model (M23)", "M23", "fastapi"},
		{"Create a FastAPI application that can do inference using our model (see src/api.py)", "", "fastapi"},
		{"Unit tests for the data (M16)", "M16", "tests-data"},
		{"Tests of model construction and training (M16)", "M16", "tests-model"},
		{"Keep requirements up to date (M2 + M6)", "M2+M6", "requirements"},
		{"Keep requirements up to date", "M2, M6", "requirements"},
		{"We deployed it (M23)", "M23", "cloud-deploy"},
		{"MAKE SURE THAT ALL TEAM MEMBERS HAVE WRITE ACCESS TO THE GITHUB REPOSITORY", "", "write-access"},
		{"Write one or multiple configuration file for our experiments (M11)", "M11", "config-files"},
		{"Write unit tests (M16)", "M16", ""}, // data or model tests: not a guess
		// Weakly like one of several rules of their tag: judged by none, since
		// the closest (linting in CI; collecting a deployed API's inputs) would
		// accuse a group of a claim it never made.
		{"Run the tests in continuous integration on every push (M17)", "M17", ""},
		{"Measure drift of the input data (M27)", "M27", ""},
		{"Add a linting step to your continuous integration (M17)", "M17", "ci-lint"},
		{"Had fun (M99)", "M99", ""},
		{"Wrote a poem about the project", "", ""},
	} {
		if got := ruleOf(s, Item{Text: tc.text, Module: tc.module}); got != tc.want {
			t.Errorf("%q (%s) -> %q, want %q", tc.text, tc.module, got, tc.want)
		}
	}
}

// The real reports' checklists, as the students handed them in (ticked,
// sometimes reworded), each against its course year's rules: every item
// finds a rule, and no rule judges two different items of one checklist.
func TestRealChecklistsFindTheirRules(t *testing.T) {
	dir := corpus.Dir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "reports", "*.md"))
	if len(files) < 20 {
		t.Fatalf("%d reports in the corpus", len(files))
	}
	matched := 0
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".md")
		s := mustLoad(t, strconv.Itoa(courseYear(t, dir, name)))
		judges := map[string]string{}
		for _, it := range checklist(t, file) {
			id := ruleOf(s, it)
			if id == "" {
				t.Errorf("%s: no %s rule for %q", name, s.Name, it.Text)
				continue
			}
			if other, ok := judges[id]; ok && other != it.Text { // one group listed an item twice
				t.Errorf("%s: rule %s judges both %q and %q", name, id, other, it.Text)
			}
			judges[id] = it.Text
			matched++
		}
	}
	// The wordings one group changed still find their rules.
	s := mustLoad(t, "2024")
	for text, want := range map[string]string{
		"When you have something that works somewhat, remember at some point to do some profiling and see if you can optimize your code": "profiling",
		"Write one or multiple configuration files for your experiments":                                                                 "config-files",
		"Create a dedicated environment for your project to keep track of your packages":                                                 "environment",
	} {
		if got := ruleOf(s, Item{Text: text}); got != want {
			t.Errorf("%q -> %q, want %q", text, got, want)
		}
	}
	if matched < 900 { // 959 items in the 24 checklists; some groups deleted theirs
		t.Errorf("only %d real checklist items matched", matched)
	}
}

// courseYear reads the course year of a corpus repository.
func courseYear(t *testing.T, dir, name string) int {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "repos", name, "meta.json"))
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Year int `json:"year"`
	}
	if err := json.Unmarshal(data, &meta); err != nil || meta.Year == 0 {
		t.Fatalf("%s meta.json: year %d, %v", name, meta.Year, err)
	}
	return meta.Year
}
