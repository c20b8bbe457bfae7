package claims

import (
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"

	"handin/internal/inputfile"
)

// RuleSet is the rules of one template year (or an instructor's override).
// Check judges with the rules as they were loaded: changing these fields
// afterwards changes what WriteTOML prints, not what Check does.
type RuleSet struct {
	Name   string
	Year   int
	Source string // the template the rules were written against
	// Ignore lists globs that never count as evidence (the report itself);
	// vendored environments never count, whatever this says.
	Ignore []string
	// Skip lists files that are not the group's work (copies of the course
	// material, instructions for coding agents): never evidence, and named
	// in a verdict where they would have been.
	Skip         []SkipFiles
	Dependencies Dependencies
	Rules        []Rule

	c *compiled
}

// SkipFiles are a kind of file that never counts as the group's work.
type SkipFiles struct {
	Why   string   `toml:"why"`   // shown to the instructor beside each such file
	Files []string `toml:"files"` // globs, at any depth when they start with **/
}

// Dependencies says which files declare a project's dependencies.
type Dependencies struct {
	Files   []string `toml:"files"`
	Exclude []string `toml:"exclude"`
}

// Rule judges the checklist items it lists.
type Rule struct {
	ID      string
	Modules []string // module tags the rule answers for ("M22"), if the item has one
	Items   []string // the checklist wording(s) of its items
	// CannotTell is why the repository cannot settle the item. Without needs
	// the verdict is always "cannot tell"; with needs it replaces "no evidence".
	CannotTell string
	// Template says what the course template's files, left unchanged, are
	// to this rule: never evidence (""), evidence ("counts": the rule on
	// using the template), or a reason to say "cannot tell" instead of "no
	// evidence" ("cannot tell": the template's workflow or pre-commit config
	// may be what the group uses, which the tree cannot tell).
	Template string
	// Needs must all be met for evidence; each is met by any of its searches.
	Needs []Need
}

// Need is one part of a claim, met by any of its paths, text or deps.
type Need struct {
	What    string       `toml:"what"`    // what is looked for, in an instructor's words
	Paths   []string     `toml:"paths"`   // globs (with **), any letter case
	Text    []TextSearch `toml:"text"`    // regexps over the files the globs select
	Deps    []string     `toml:"deps"`    // packages declared in a dependency file
	Exclude []string     `toml:"exclude"` // globs of files that never meet this need
}

// TextSearch looks for a regexp in the files its globs select.
type TextSearch struct {
	Files  []string `toml:"files"`
	Regexp string   `toml:"regexp"`
	// Comments: search comments too (they are where code is documented);
	// every other search reads code only.
	Comments bool `toml:"comments"`
}

// ruleSetFile is a rules file as written: it may start from a built-in set
// (base), drop some of its rules and override others field by field.
type ruleSetFile struct {
	Name         string        `toml:"name"`
	Year         int           `toml:"year"`
	Source       string        `toml:"source"`
	Base         string        `toml:"base"`
	Drop         []string      `toml:"drop"`
	Ignore       []string      `toml:"ignore"`
	Skip         []SkipFiles   `toml:"skip"`
	Dependencies *Dependencies `toml:"dependencies"`
	Rules        []ruleFile    `toml:"rule"`
}

// ruleFile is a rule as written; nil fields are inherited from the base rule
// of the same id.
type ruleFile struct {
	ID         string   `toml:"id"`
	Modules    []string `toml:"modules"`
	Items      []string `toml:"items"`
	CannotTell *string  `toml:"cannot_tell"`
	Template   *string  `toml:"template"`
	Needs      []Need   `toml:"need"`
}

//go:embed rules/*.toml
var builtinFiles embed.FS

// builtins parses the embedded rule sets once, each after its base.
var builtins = sync.OnceValue(func() map[string]*RuleSet {
	sets, err := loadBuiltins()
	if err != nil {
		panic(err) // a broken built-in rules file is a build defect, caught by the tests
	}
	return sets
})

func loadBuiltins() (map[string]*RuleSet, error) {
	entries, err := fs.ReadDir(builtinFiles, "rules")
	if err != nil {
		return nil, fmt.Errorf("built-in rules: %w", err)
	}
	data := map[string][]byte{}
	for _, e := range entries {
		b, err := fs.ReadFile(builtinFiles, path.Join("rules", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("built-in rules %s: %w", e.Name(), err)
		}
		data[strings.TrimSuffix(e.Name(), ".toml")] = b
	}
	sets := map[string]*RuleSet{}
	var resolve func(name string, chain []string) (*RuleSet, error)
	resolve = func(name string, chain []string) (*RuleSet, error) {
		if s, ok := sets[name]; ok {
			return s, nil
		}
		if slices.Contains(chain, name) {
			return nil, fmt.Errorf("built-in rules: base cycle %s -> %s", strings.Join(chain, " -> "), name)
		}
		b, ok := data[name]
		if !ok {
			return nil, fmt.Errorf("base %q is not a built-in rule set", name)
		}
		s, err := parseRuleSet(b, "built-in "+name, func(base string) (*RuleSet, error) {
			return resolve(base, append(slices.Clip(chain), name))
		})
		if err != nil {
			return nil, err
		}
		sets[name] = s
		return s, nil
	}
	for _, name := range slices.Sorted(maps.Keys(data)) {
		if _, err := resolve(name, nil); err != nil {
			return nil, err
		}
	}
	return sets, nil
}

// List names the built-in rule sets, oldest first.
func List() []string {
	return slices.Sorted(maps.Keys(builtins()))
}

// maxRulesFile bounds a rules file read (the largest built-in set is 31 KB).
const maxRulesFile = 4 << 20

// Load returns a built-in rule set by name ("2026") or reads a rules file,
// which may start from a built-in set (base = "2026"). The result is the
// caller's own copy.
func Load(nameOrFile string) (*RuleSet, error) {
	if s, ok := builtins()[nameOrFile]; ok {
		return s.clone(), nil
	}
	data, err := inputfile.Read(nameOrFile, maxRulesFile)
	if err != nil {
		return nil, fmt.Errorf("claims rules %q: not a built-in rule set (%s) nor a readable file: %w",
			nameOrFile, strings.Join(List(), ", "), err)
	}
	return parseRuleSet(data, nameOrFile, func(base string) (*RuleSet, error) {
		if s, ok := builtins()[base]; ok {
			return s, nil
		}
		return nil, fmt.Errorf("base %q is not a built-in rule set (%s)", base, strings.Join(List(), ", "))
	})
}

// parseRuleSet decodes a rules file, merges it onto its base and compiles it.
func parseRuleSet(data []byte, name string, base func(string) (*RuleSet, error)) (*RuleSet, error) {
	var f ruleSetFile
	meta, err := toml.Decode(string(data), &f)
	if err != nil {
		return nil, fmt.Errorf("claims rules %s: %w", name, err)
	}
	if unknown := meta.Undecoded(); len(unknown) > 0 {
		return nil, fmt.Errorf("claims rules %s: unknown key %q", name, unknown[0].String())
	}
	s := &RuleSet{}
	if f.Base != "" {
		b, err := base(f.Base)
		if err != nil {
			return nil, fmt.Errorf("claims rules %s: %w", name, err)
		}
		s = b.clone()
	} else if len(f.Drop) > 0 {
		return nil, fmt.Errorf("claims rules %s: drop needs a base", name)
	}
	if err := s.merge(&f); err != nil {
		return nil, fmt.Errorf("claims rules %s: %w", name, err)
	}
	if s.c, err = compile(s); err != nil {
		return nil, fmt.Errorf("claims rules %s: %w", name, err)
	}
	return s, nil
}

// merge applies a rules file onto s (its base, or an empty set).
func (s *RuleSet) merge(f *ruleSetFile) error {
	s.Name = f.Name
	if f.Year != 0 {
		s.Year = f.Year
	}
	if f.Source != "" {
		s.Source = f.Source
	}
	if f.Ignore != nil {
		s.Ignore = f.Ignore
	}
	if f.Skip != nil {
		s.Skip = f.Skip
	}
	if f.Dependencies != nil {
		s.Dependencies = *f.Dependencies
	}
	for _, id := range f.Drop {
		i := s.ruleIndex(id)
		if i < 0 {
			return fmt.Errorf("drop %q: no such rule in the base", id)
		}
		s.Rules = slices.Delete(s.Rules, i, i+1)
	}
	listed := map[string]bool{}
	for _, rf := range f.Rules {
		if rf.ID == "" {
			return fmt.Errorf("a rule without an id (items %q)", rf.Items)
		}
		if listed[rf.ID] {
			return fmt.Errorf("rule %q listed twice", rf.ID)
		}
		listed[rf.ID] = true
		i := s.ruleIndex(rf.ID)
		if i < 0 {
			s.Rules = append(s.Rules, Rule{ID: rf.ID})
			i = len(s.Rules) - 1
		}
		rf.applyTo(&s.Rules[i])
	}
	return nil
}

func (rf *ruleFile) applyTo(r *Rule) {
	if rf.Modules != nil {
		r.Modules = rf.Modules
	}
	if rf.Items != nil {
		r.Items = rf.Items
	}
	if rf.CannotTell != nil {
		r.CannotTell = *rf.CannotTell
	}
	if rf.Template != nil {
		r.Template = *rf.Template
	}
	if rf.Needs != nil {
		r.Needs = rf.Needs
	}
}

func (s *RuleSet) ruleIndex(id string) int {
	return slices.IndexFunc(s.Rules, func(r Rule) bool { return r.ID == id })
}

// clone copies everything a merge or a caller could change; the compiled
// form is immutable and shared.
func (s *RuleSet) clone() *RuleSet {
	c := *s
	c.Ignore = slices.Clone(s.Ignore)
	c.Skip = slices.Clone(s.Skip)
	for i := range c.Skip {
		c.Skip[i].Files = slices.Clone(c.Skip[i].Files)
	}
	c.Dependencies = Dependencies{Files: slices.Clone(s.Dependencies.Files), Exclude: slices.Clone(s.Dependencies.Exclude)}
	c.Rules = make([]Rule, len(s.Rules))
	for i, r := range s.Rules {
		r.Modules = slices.Clone(r.Modules)
		r.Items = slices.Clone(r.Items)
		needs := slices.Clone(r.Needs)
		for j, n := range needs {
			n.Paths = slices.Clone(n.Paths)
			n.Text = slices.Clone(n.Text)
			for k := range n.Text {
				n.Text[k].Files = slices.Clone(n.Text[k].Files)
			}
			n.Deps = slices.Clone(n.Deps)
			n.Exclude = slices.Clone(n.Exclude)
			needs[j] = n
		}
		r.Needs = needs
		c.Rules[i] = r
	}
	return &c
}
