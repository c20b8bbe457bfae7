package claims

import (
	"errors"
	"fmt"
	"strings"

	"github.com/coregx/ahocorasick"
)

// compiled is a rule set ready to check trees: every glob, regexp and item
// wording prepared once per load, so checking a group only matches.
type compiled struct {
	globs   []glob // every distinct glob of the set, indexed by the ids below
	globIDs map[string]int
	ignore  []int
	skips   []compiledSkip
	// selections are the distinct file selections of the searches (many
	// text searches read **/*.py): a group lists each once.
	selections   []selection
	selectionIDs map[string]int
	depFiles     int            // selection id
	rules        []compiledRule // parallel to RuleSet.Rules
	items        itemIndex
	// literalList holds the literals of all text searches (literalIDs
	// numbers them); literals finds them all in a file in one pass.
	literalList [][]byte
	literalIDs  map[string]int
	literals    *ahocorasick.Automaton
}

type compiledSkip struct {
	why   string
	globs []int
}

type compiledRule struct {
	id         string
	cannotTell string
	template   string // Rule.Template
	needs      []compiledNeed
}

type compiledNeed struct {
	what    string
	paths   int // selection id, -1 when the need has no paths
	exclude []int
	texts   []textSearch
	deps    []string // normalised package names
}

// selection is the files that match any of the globs and none of exclude.
type selection struct {
	globs, exclude []int
}

func compile(s *RuleSet) (*compiled, error) {
	if s.Name == "" {
		return nil, errors.New("no name")
	}
	if len(s.Rules) == 0 {
		return nil, errors.New("no rules")
	}
	c := &compiled{globIDs: map[string]int{}, selectionIDs: map[string]int{}, literalIDs: map[string]int{}}
	var err error
	if c.ignore, err = c.addGlobs(s.Ignore); err != nil {
		return nil, fmt.Errorf("ignore: %w", err)
	}
	for i, sk := range s.Skip {
		if strings.TrimSpace(sk.Why) == "" {
			return nil, fmt.Errorf("skip %d: no why: say why these files are not the group's work", i+1)
		}
		globs, err := c.addGlobs(sk.Files)
		if err != nil {
			return nil, fmt.Errorf("skip %d: %w", i+1, err)
		}
		c.skips = append(c.skips, compiledSkip{why: sk.Why, globs: globs})
	}
	depFiles, err := c.addGlobs(s.Dependencies.Files)
	if err != nil {
		return nil, fmt.Errorf("dependencies: %w", err)
	}
	depExclude, err := c.addGlobs(s.Dependencies.Exclude)
	if err != nil {
		return nil, fmt.Errorf("dependencies: %w", err)
	}
	c.depFiles = c.addSelection(depFiles, depExclude)
	seen := map[string]bool{}
	for _, r := range s.Rules {
		if seen[r.ID] {
			return nil, fmt.Errorf("rule %q listed twice", r.ID)
		}
		seen[r.ID] = true
		cr, err := c.compileRule(r)
		if err != nil {
			return nil, fmt.Errorf("rule %q: %w", r.ID, err)
		}
		if len(cr.deps()) > 0 && len(depFiles) == 0 {
			return nil, fmt.Errorf("rule %q asks for dependencies but [dependencies] lists no files", r.ID)
		}
		c.rules = append(c.rules, cr)
	}
	if c.items, err = newItemIndex(s.Rules); err != nil {
		return nil, err
	}
	if len(c.literalList) > 0 {
		if c.literals, err = ahocorasick.NewBuilder().AddPatterns(c.literalList).Build(); err != nil {
			return nil, fmt.Errorf("text searches: %w", err)
		}
	}
	return c, nil
}

func (c *compiled) compileRule(r Rule) (compiledRule, error) {
	cr := compiledRule{id: r.ID, cannotTell: r.CannotTell, template: r.Template}
	switch r.Template {
	case "", templateCounts, templateCannotTell:
	default:
		return cr, fmt.Errorf("template %q: want %q or %q (or leave it out: the template's files never count)", r.Template, templateCounts, templateCannotTell)
	}
	if len(r.Items) == 0 {
		return cr, errors.New("no items: list the checklist wording it judges")
	}
	for _, m := range r.Modules {
		if !moduleTag.MatchString(m) {
			return cr, fmt.Errorf("module %q: want a tag like M21", m)
		}
	}
	if len(r.Needs) == 0 && r.CannotTell == "" {
		return cr, errors.New("no needs and no cannot_tell: say what shows the work or why the repository cannot")
	}
	for i, n := range r.Needs {
		cn, err := c.compileNeed(n)
		if err != nil {
			return cr, fmt.Errorf("need %d: %w", i+1, err)
		}
		cr.needs = append(cr.needs, cn)
	}
	return cr, nil
}

func (c *compiled) compileNeed(n Need) (compiledNeed, error) {
	cn := compiledNeed{what: n.What, paths: -1}
	if strings.TrimSpace(n.What) == "" {
		return cn, errors.New("no what: say what is looked for")
	}
	if len(n.Paths)+len(n.Text)+len(n.Deps) == 0 {
		return cn, errors.New("no paths, text or deps")
	}
	var err error
	if cn.exclude, err = c.addGlobs(n.Exclude); err != nil {
		return cn, err
	}
	if len(n.Paths) > 0 {
		paths, err := c.addGlobs(n.Paths)
		if err != nil {
			return cn, err
		}
		cn.paths = c.addSelection(paths, cn.exclude)
	}
	// A text search reads notebooks as Python files: what excludes a .py
	// file excludes the notebook of its name too (test_*.py, test_*.ipynb).
	textExclude, err := c.addTextGlobs(n.Exclude)
	if err != nil {
		return cn, err
	}
	for i, t := range n.Text {
		ct, err := c.compileTextSearch(t, textExclude)
		if err != nil {
			return cn, fmt.Errorf("text %d: %w", i+1, err)
		}
		cn.texts = append(cn.texts, ct)
	}
	for _, d := range n.Deps {
		if !packageName.MatchString(d) {
			return cn, fmt.Errorf("deps: %q is not a package name", d)
		}
		cn.deps = append(cn.deps, normalizePackage(d))
	}
	return cn, nil
}

func (r compiledRule) deps() []string {
	var out []string
	for _, n := range r.needs {
		out = append(out, n.deps...)
	}
	return out
}
