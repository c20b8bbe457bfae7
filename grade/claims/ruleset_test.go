package claims

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func mustLoad(t testing.TB, nameOrFile string) *RuleSet {
	t.Helper()
	s, err := Load(nameOrFile)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func ruleIDs(s *RuleSet) []string {
	var ids []string
	for _, r := range s.Rules {
		ids = append(ids, r.ID)
	}
	return ids
}

func TestBuiltinRuleSets(t *testing.T) {
	if got := List(); !reflect.DeepEqual(got, []string{"2023", "2024", "2025", "2026"}) {
		t.Fatalf("List() = %v", got)
	}
	for _, name := range List() {
		s := mustLoad(t, name)
		if s.Name != name || s.Year == 0 || s.Source == "" {
			t.Errorf("%s: name %q, year %d, source %q", name, s.Name, s.Year, s.Source)
		}
	}
	// 2024 is 2023's checklist; 2026 is 2025's with one item reworded and one added.
	s23, s24, s25, s26 := mustLoad(t, "2023"), mustLoad(t, "2024"), mustLoad(t, "2025"), mustLoad(t, "2026")
	if !reflect.DeepEqual(s23.Rules, s24.Rules) {
		t.Error("2024 must have 2023's rules")
	}
	if got, want := ruleIDs(s26), append(ruleIDs(s25), "io-collection"); !reflect.DeepEqual(got, want) {
		t.Errorf("2026 rules = %v, want 2025's and io-collection", got)
	}
	for _, id := range []string{"torchserve", "telemetry", "performance-monitoring"} {
		if !slices.Contains(ruleIDs(s23), id) || slices.Contains(ruleIDs(s25), id) {
			t.Errorf("%s must be a 2023 rule only", id)
		}
	}
	// A field-level override keeps what it does not name: 2023's bucket rule
	// has its own wording and reason but 2025's search.
	b23, b25 := s23.Rules[s23.ruleIndex("gcp-bucket")], s25.Rules[s25.ruleIndex("gcp-bucket")]
	if !reflect.DeepEqual(b23.Needs, b25.Needs) || b23.CannotTell == "" || b25.CannotTell != "" || b23.Items[0] == b25.Items[0] {
		t.Errorf("2023 gcp-bucket = %+v", b23)
	}
}

func TestLoadReturnsACopy(t *testing.T) {
	a := mustLoad(t, "2025")
	a.Rules[0].Items[0] = "changed"
	a.Rules[1].Needs = nil
	if b := mustLoad(t, "2025"); b.Rules[0].Items[0] == "changed" {
		t.Error("changing a loaded rule set changed the built-in")
	}
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWriteTOMLRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, name := range List() {
		s := mustLoad(t, name)
		var b strings.Builder
		if err := s.WriteTOML(&b); err != nil {
			t.Fatal(err)
		}
		back := mustLoad(t, writeFile(t, dir, name+".toml", b.String()))
		back.c, s.c = nil, nil
		if !reflect.DeepEqual(back, s) {
			t.Errorf("%s: WriteTOML then Load changed the rules", name)
		}
	}
	// Regexps print as literal strings, as written in the built-in files.
	var b strings.Builder
	if err := mustLoad(t, "2026").WriteTOML(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `regexp = '(?m)^[ \t]*(?:from|import)[ \t]+fastapi\b'`) {
		t.Errorf("fastapi regexp not printed as a literal string:\n%s", b.String())
	}
}

func TestTomlStringQuotesWhatALiteralCannotHold(t *testing.T) {
	for in, want := range map[string]string{
		`a\b`:    `'a\b'`,
		`it's`:   `"it's"`,
		`"'\`:    `"\"'\\"`,
		"tab\tx": `"tab\u0009x"`,
	} {
		if got := tomlString(in); got != want {
			t.Errorf("tomlString(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestOverrideFromAFile(t *testing.T) {
	dir := t.TempDir()
	file := writeFile(t, dir, "mine.toml", `
name = "2026-mine"
base = "2026"
drop = ["alerts"]

[[rule]]
id = "fastapi"
cannot_tell = "we accept Flask too; look by hand"

[[rule]]
id = "flask"
items = ["Create a Flask application"]
[[rule.need]]
what = "Flask imported"
text = [{ files = ["**/*.py"], regexp = 'import flask' }]
`)
	s := mustLoad(t, file)
	base := mustLoad(t, "2026")
	if s.Name != "2026-mine" || s.Year != 2026 || s.Source != base.Source {
		t.Errorf("header = %q %d %q, want the name given and the base's year and source", s.Name, s.Year, s.Source)
	}
	if slices.Contains(ruleIDs(s), "alerts") || !slices.Contains(ruleIDs(s), "flask") {
		t.Errorf("rules = %v", ruleIDs(s))
	}
	f := s.Rules[s.ruleIndex("fastapi")]
	if f.CannotTell == "" || !reflect.DeepEqual(f.Needs, base.Rules[base.ruleIndex("fastapi")].Needs) {
		t.Errorf("fastapi override = %+v, want the base's needs with a cannot_tell", f)
	}
}

func TestBadRuleFilesAreErrorsNamingTheFile(t *testing.T) {
	dir := t.TempDir()
	rule := func(body string) string {
		return "name = \"x\"\n[dependencies]\nfiles = [\"**/requirements.txt\"]\n[[rule]]\nid = \"r\"\nitems = [\"Do a thing\"]\n" + body
	}
	bad := map[string]struct{ text, want string }{
		"syntax":         {"name = \n", "x"},
		"no rules":       {"name = \"x\"\n", "no rules"},
		"unknown key":    {rule("[[rule.need]]\nwhat = \"w\"\npath = [\"a\"]\n"), "unknown key"},
		"unknown base":   {"name = \"x\"\nbase = \"1999\"\n", "1999"},
		"drop unknown":   {"name = \"x\"\nbase = \"2025\"\ndrop = [\"nope\"]\n", "nope"},
		"drop no base":   {"name = \"x\"\ndrop = [\"a\"]\n", "drop needs a base"},
		"no id":          {"name = \"x\"\n[[rule]]\nitems = [\"a\"]\ncannot_tell = \"c\"\n", "without an id"},
		"no items":       {"name = \"x\"\n[[rule]]\nid = \"r\"\ncannot_tell = \"c\"\n", "no items"},
		"nothing to do":  {rule(""), "no needs and no cannot_tell"},
		"empty need":     {rule("[[rule.need]]\nwhat = \"w\"\n"), "no paths, text or deps"},
		"no what":        {rule("[[rule.need]]\npaths = [\"a\"]\n"), "no what"},
		"bad glob":       {rule("[[rule.need]]\nwhat = \"w\"\npaths = [\"[a\"]\n"), "glob"},
		"absolute glob":  {rule("[[rule.need]]\nwhat = \"w\"\npaths = [\"/etc/passwd\"]\n"), "glob"},
		"bad regexp":     {rule("[[rule.need]]\nwhat = \"w\"\ntext = [{ files = [\"a\"], regexp = \"(\" }]\n"), "regexp"},
		"empty regexp":   {rule("[[rule.need]]\nwhat = \"w\"\ntext = [{ files = [\"a\"], regexp = \"x*\" }]\n"), "matches an empty file"},
		"text no files":  {rule("[[rule.need]]\nwhat = \"w\"\ntext = [{ regexp = \"x\" }]\n"), "no files"},
		"bad package":    {rule("[[rule.need]]\nwhat = \"w\"\ndeps = [\"a b\"]\n"), "not a package name"},
		"bad module":     {"name = \"x\"\n[[rule]]\nid = \"r\"\nmodules = [\"21\"]\nitems = [\"a\"]\ncannot_tell = \"c\"\n", "M21"},
		"deps, no files": {"name = \"x\"\n[[rule]]\nid = \"r\"\nitems = [\"a\"]\n[[rule.need]]\nwhat = \"w\"\ndeps = [\"x\"]\n", "lists no files"},
		"duplicate rule": {"name = \"x\"\n[[rule]]\nid = \"r\"\nitems = [\"a\"]\ncannot_tell = \"c\"\n[[rule]]\nid = \"r\"\nitems = [\"b\"]\n", ""},
		"item twice":     {"name = \"x\"\n[[rule]]\nid = \"r\"\nitems = [\"Do it\"]\ncannot_tell = \"c\"\n[[rule]]\nid = \"s\"\nitems = [\"do  IT\"]\ncannot_tell = \"c\"\n", "both list"},
		"item no words":  {"name = \"x\"\n[[rule]]\nid = \"r\"\nitems = [\"(M3)\"]\ncannot_tell = \"c\"\n", "no words"},
		"bad template":   {"name = \"x\"\n[[rule]]\nid = \"r\"\nitems = [\"a\"]\ncannot_tell = \"c\"\ntemplate = \"yes\"\n", "template \"yes\""},
		"skip no why":    {"name = \"x\"\n[[skip]]\nfiles = [\"a/**\"]\n[[rule]]\nid = \"r\"\nitems = [\"a\"]\ncannot_tell = \"c\"\n", "no why"},
		"skip bad glob":  {"name = \"x\"\n[[skip]]\nwhy = \"w\"\nfiles = [\"[a\"]\n[[rule]]\nid = \"r\"\nitems = [\"a\"]\ncannot_tell = \"c\"\n", "skip 1"},
	}
	for name, tc := range bad {
		file := writeFile(t, dir, strings.ReplaceAll(name, " ", "_")+".toml", tc.text)
		_, err := Load(file)
		if err == nil || !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one naming %s and saying %q", name, err, file, tc.want)
		}
	}
	if _, err := Load("no-such-rules"); err == nil || !strings.Contains(err.Error(), "2026") {
		t.Errorf("unknown name: err = %v, want one listing the built-in sets", err)
	}
}
