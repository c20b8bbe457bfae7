package grade

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"handin/grade/claims"
	"handin/internal/corpus"
	"handin/internal/inputfile"
	"handin/parse"
)

func mustSpec(t *testing.T, name string) *Spec {
	t.Helper()
	s, err := LoadSpec(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBuiltinSpecs(t *testing.T) {
	if got := BuiltinSpecs(); !reflect.DeepEqual(got, []string{"2023", "2024", "2025", "2026"}) {
		t.Fatalf("built-in specs = %v", got)
	}
	for name, n := range map[string]int{"2023": 27, "2024": 27, "2025": 31, "2026": 31} {
		if got := len(mustSpec(t, name).Questions); got != n {
			t.Errorf("spec %s has %d questions, want %d", name, got, n)
		}
	}
	if a, b := mustSpec(t, "2023").Questions, mustSpec(t, "2024").Questions; !reflect.DeepEqual(a, b) {
		t.Error("2023 and 2024 must share one table")
	}
	s25, s26 := mustSpec(t, "2025"), mustSpec(t, "2026")
	for i := range s25.Questions {
		a, b := s25.Questions[i], s26.Questions[i]
		if differs := !reflect.DeepEqual(a, b); differs != (a.Number == 3) {
			t.Errorf("2025 vs 2026 Q%d: %+v vs %+v (only Q3 may differ)", a.Number, a, b)
		}
	}
	if q3, _ := s26.Question(3); *q3.Words != (Range{0, 200}) {
		t.Errorf("2026 Q3 = %+v", q3.Words)
	}
	// Image-only questions have image ranges and no word range.
	for _, n := range []int{19, 20, 21} {
		if q, _ := mustSpec(t, "2024").Question(n); q.Words != nil || q.Images == nil {
			t.Errorf("2024 Q%d = %+v, want image-only", n, q)
		}
	}
}

func TestSpecFileRoundTripAndErrors(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	if err := mustSpec(t, "2026").WriteTOML(&b); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "copy.toml")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := mustSpec(t, file); !reflect.DeepEqual(got.Questions, mustSpec(t, "2026").Questions) {
		t.Error("WriteTOML then LoadSpec changed the questions")
	}

	bad := map[string]string{
		"syntax":        "name = \n",
		"no questions":  "name = \"x\"\n",
		"bad range":     "name = \"x\"\n[[question]]\nnumber = 1\nwords = { min = 9, max = 3 }\n",
		"duplicate":     "name = \"x\"\n[[question]]\nnumber = 1\n[[question]]\nnumber = 1\n",
		"unknown base":  "name = \"x\"\nbase = \"1999\"\n",
		"typo in a key": "name = \"x\"\n[[question]]\nnumber = 1\nword = { min = 1, max = 3 }\n",
	}
	for name, text := range bad {
		file := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".toml")
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadSpec(file); err == nil || !strings.Contains(err.Error(), file) {
			t.Errorf("%s: err = %v, want an error naming the file", name, err)
		}
	}
	if _, err := LoadSpec("2019"); err == nil || !strings.Contains(err.Error(), "2023, 2024, 2025, 2026") {
		t.Errorf("unknown name: err = %v", err)
	}

	override := filepath.Join(dir, "next.toml")
	os.WriteFile(override, []byte("name = \"2027\"\nbase = \"2026\"\n[[question]]\nnumber = 32\nwords = { min = 10, max = 20 }\n"), 0o644)
	if s := mustSpec(t, override); len(s.Questions) != 32 || s.Questions[31].Words.Max != 20 {
		t.Errorf("base + added question: %d questions", len(s.Questions))
	}
}

// templateYear says which course year's checker each template version
// belongs to: the last version before a course's deadline is the one in
// force. Drafts replaced before their course ran differ from the checker
// that was used; draftDiffs lists exactly where, and nothing else may differ.
func templateYear(version string, questions int) int {
	switch {
	case version < "2023-02":
		return 2023
	case questions == 27:
		return 2024
	case version < "2025-02":
		return 2025
	}
	return 2026
}

var draftDiffs = map[string][]int{
	"2022-12-29_5883172": {18}, // 50-100 words in the draft, 100-200 in the checker
	"2022-12-31_9c5086e": {18},
	"2023-01-02_148bb62": {18},
	"2024-12-22_4eb1889": {31}, // 50-200 words in the draft, 50-300 in the checker
	"2026-01-04_1fa2571": {3},  // 100-200 words; the checker of 2026-01-09 made it 0-200
}

// TestExtractMatchesBuiltins: spec extract on every template version agrees
// with that year's built-in spec on every question it determines.
func TestExtractMatchesBuiltins(t *testing.T) {
	dir := corpus.Dir(t)
	templates, _ := filepath.Glob(filepath.Join(dir, "templates", "*.md"))
	if len(templates) == 0 {
		t.Fatal("no templates in the corpus")
	}
	for _, file := range templates {
		version := strings.TrimSuffix(filepath.Base(file), ".md")
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		got, undetermined, err := ExtractSpec(data, version)
		if err != nil {
			t.Fatalf("%s: %v", version, err)
		}
		builtin, _ := LoadSpec(strconv.Itoa(templateYear(version, len(got.Questions))))
		if len(got.Questions) != len(builtin.Questions) {
			t.Errorf("%s: %d questions, spec %s has %d", version, len(got.Questions), builtin.Name, len(builtin.Questions))
			continue
		}
		var diffs []int
		determined := 0
		for _, q := range got.Questions {
			if q.Words == nil && q.Images == nil {
				continue
			}
			determined++
			want, _ := builtin.Question(q.Number)
			if !reflect.DeepEqual(q, want) {
				diffs = append(diffs, q.Number)
			}
		}
		if !reflect.DeepEqual(diffs, draftDiffs[version]) {
			t.Errorf("%s vs spec %s: questions %v differ, want %v", version, builtin.Name, diffs, draftDiffs[version])
		}
		if determined < len(got.Questions)-3 {
			t.Errorf("%s: only %d questions determined (undetermined %v)", version, determined, undetermined)
		}
	}
}

// TestTemplateSpecs: a report follows the built-in specs whose constraints
// its prompts state, and none once a prompt was edited.
func TestTemplateSpecs(t *testing.T) {
	for name, want := range map[string][]string{"2023": {"2023", "2024"}, "2024": {"2023", "2024"}, "2025": {"2025"}, "2026": {"2026"}} {
		if got := TemplateSpecs(parseTemplate(t, mustSpec(t, name))); !slices.Equal(got, want) {
			t.Errorf("the template of %s follows %v, want %v", name, got, want)
		}
	}
	edited := mustSpec(t, "2025")
	edited.Questions[5].Words = &Range{Min: 1, Max: 500}
	if got := TemplateSpecs(parseTemplate(t, edited)); len(got) != 0 {
		t.Errorf("an edited prompt follows %v, want none", got)
	}
}

// parseTemplate parses a template whose prompts state spec's constraints
// in the course's words.
func parseTemplate(t *testing.T, spec *Spec) *parse.Report {
	t.Helper()
	var b strings.Builder
	for _, q := range spec.Questions {
		fmt.Fprintf(&b, "### Question %d\n\n> Question text.\n>\n", q.Number)
		if q.Words != nil {
			fmt.Fprintf(&b, "> Answer length: %d-%d words.\n>\n", q.Words.Min, q.Words.Max)
		}
		if q.Images != nil {
			fmt.Fprintf(&b, "> **Upload %d to %d screenshots.**\n>\n", q.Images.Min, q.Images.Max)
		}
		b.WriteString("> Answer:\n\nAn answer.\n\n")
	}
	r, err := parse.Parse([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// A spec or rules file is read up to a size: /dev/zero given by mistake is
// an error naming it, not all memory.
func TestSpecAndRulesFilesAreCapped(t *testing.T) {
	if _, err := LoadSpec("/dev/zero"); !errors.Is(err, inputfile.ErrTooLarge) {
		t.Errorf("LoadSpec(/dev/zero): %v, want ErrTooLarge", err)
	}
	if _, err := claims.Load("/dev/zero"); !errors.Is(err, inputfile.ErrTooLarge) {
		t.Errorf("claims.Load(/dev/zero): %v, want ErrTooLarge", err)
	}
}
