package claims

import (
	"path"
	"strings"

	"github.com/coregx/ahocorasick"
)

// vendoredDir: a folder of installed packages: code the group did not
// write, never evidence. Any folder holding a pyvenv.cfg or conda-meta/ is an
// environment too, whatever its name.
func vendoredDir(name string) bool {
	switch name {
	case "site-packages", "dist-packages", "node_modules", ".venv", "venv", "__pypackages__", ".tox", ".nox":
		return true
	}
	return false
}

// groupIndex is one group's tree prepared for checking: the files that can
// be evidence, which glob matches which file, and the contents read so far.
// Each glob is matched once and each file read once per group, however many
// rules ask.
type groupIndex struct {
	c     *compiled
	files []File   // candidates for evidence, in tree order
	lower []string // their paths, lowercased
	base  []string // the last elements of those
	read  func(string) ([]byte, bool)
	hits  [][]bool              // per glob id: which files match; nil until asked
	sel   [][]int               // per selection id: the files selected; nil until asked
	texts []*fileText           // per file: its contents; nil until read
	deps  map[string][]Location // package name -> where it is declared; nil until asked
	// notOwn says, per file, why it is not the group's work ("" when it
	// is); template whether it is the course template's, unchanged.
	notOwn   []string
	template []tristate
}

// tristate is a fact about a file not yet looked at, true or false.
type tristate int8

const (
	unknown tristate = iota
	yes
	no
)

type fileText struct {
	raw  []byte // as committed
	code []byte // raw with its comments blanked out: what text searches read
	kept bool
	// lines, for a notebook, is the line of the file each line of code
	// comes from; nil when code's lines are the file's.
	lines []int
	// unreadable, for a kept notebook whose JSON holds no cells, says why:
	// the file is then searched as if empty.
	unreadable string
	// literals lists where the rule set's literals occur, in order, found
	// in one pass once scanned, and present which of them do.
	scanned  bool
	literals []ahocorasick.Match
	present  literalSet
}

func newGroupIndex(c *compiled, tree Tree) *groupIndex {
	g := &groupIndex{c: c, read: tree.Read}
	envs := environmentRoots(tree.Files)
	for _, f := range tree.Files {
		lower := strings.ToLower(f.Path)
		if f.Size == 0 || vendored(f.Path, envs) || c.ignored(lower) {
			continue
		}
		g.files = append(g.files, f)
		g.lower = append(g.lower, lower)
		g.base = append(g.base, path.Base(lower))
	}
	g.hits = make([][]bool, len(c.globs))
	g.sel = make([][]int, len(c.selections))
	g.texts = make([]*fileText, len(g.files))
	g.template = make([]tristate, len(g.files))
	if len(c.skips) > 0 {
		g.notOwn = make([]string, len(g.files))
		for i := range g.files {
			for _, sk := range c.skips {
				if g.matchesAny(sk.globs, i) {
					g.notOwn[i] = sk.why
					break
				}
			}
		}
	}
	return g
}

// templateUnchanged is why the course template's files never show a
// group's work (but the rule on using the template).
const templateUnchanged = "the course template's file, unchanged"

// whyNotOwn is why file i does not count as the group's work, "" when it
// does. The course template's unchanged files count where the rule says so.
func (g *groupIndex) whyNotOwn(i int, templateCounts bool) string {
	if g.notOwn != nil && g.notOwn[i] != "" {
		return g.notOwn[i]
	}
	if !templateCounts && g.fromTemplate(i) {
		return templateUnchanged
	}
	return ""
}

// fromTemplate reports whether file i is the course template's, unchanged;
// only a file named as one of the template's is read for it.
func (g *groupIndex) fromTemplate(i int) bool {
	if g.template[i] == unknown {
		g.template[i] = no
		if len(templateFiles()[g.base[i]]) > 0 {
			if t := g.text(i); t.kept && templateFiles().holds(g.lower[i], t.raw) {
				g.template[i] = yes
			}
		}
	}
	return g.template[i] == yes
}

// environmentRoots are the folders that hold a Python environment.
func environmentRoots(files []File) []string {
	var roots []string
	for _, f := range files {
		dir, base := path.Split(f.Path)
		switch {
		case base == "pyvenv.cfg":
			roots = append(roots, dir)
		case strings.HasSuffix(dir, "conda-meta/"):
			roots = append(roots, strings.TrimSuffix(dir, "conda-meta/"))
		}
	}
	return roots
}

func vendored(p string, envRoots []string) bool {
	for _, root := range envRoots {
		if strings.HasPrefix(p, root) {
			return true
		}
	}
	for dir := range strings.SplitSeq(path.Dir(p), "/") {
		if vendoredDir(strings.ToLower(dir)) {
			return true
		}
	}
	return false
}

// matches reports whether file i matches glob id, matching the glob against
// every file the first time it is asked.
func (g *groupIndex) matches(id, i int) bool {
	if g.hits[id] == nil {
		hit := make([]bool, len(g.files))
		gl := g.c.globs[id]
		for j, p := range g.lower {
			hit[j] = gl.match(p, g.base[j])
		}
		g.hits[id] = hit
	}
	return g.hits[id][i]
}

func (g *groupIndex) matchesAny(ids []int, i int) bool {
	for _, id := range ids {
		if g.matches(id, i) {
			return true
		}
	}
	return false
}

// selected lists the files of selection id, listing them on first use.
func (g *groupIndex) selected(id int) []int {
	if g.sel[id] == nil {
		s := g.c.selections[id]
		out := []int{}
		for i := range g.files {
			if g.matchesAny(s.globs, i) && !g.matchesAny(s.exclude, i) {
				out = append(out, i)
			}
		}
		g.sel[id] = out
	}
	return g.sel[id]
}

// text returns file i's contents, reading it on first use.
func (g *groupIndex) text(i int) *fileText {
	if g.texts[i] == nil {
		t := &fileText{}
		if g.read != nil {
			t.raw, t.kept = g.read(g.files[i].Path)
			if t.kept && isNotebook(g.lower[i]) {
				code, lines, err := notebookCode(t.raw)
				if err != nil {
					t.unreadable = err.Error()
				}
				t.raw, t.lines = code, lines // what comments = true reads too: the code cells, never the outputs
			}
			t.code = withoutComments(t.raw, commentStyleOf(g.lower[i]))
		}
		g.texts[i] = t
	}
	return g.texts[i]
}

// literalsIn returns where the literals of the rule set occur in a kept
// file, and which occur, searching the file once for all of them.
func (g *groupIndex) literalsIn(t *fileText) ([]ahocorasick.Match, literalSet) {
	if !t.scanned {
		t.scanned = true
		if g.c.literals != nil {
			t.literals = g.c.literals.FindAllOverlapping(t.code)
		}
		for _, m := range t.literals {
			t.present.add(m.PatternID)
		}
	}
	return t.literals, t.present
}

// declared returns where each package is declared, parsing the dependency
// files on first use (a file not kept declares nothing it can show).
func (g *groupIndex) declared() map[string][]Location {
	if g.deps == nil {
		g.deps = map[string][]Location{}
		for _, i := range g.selected(g.c.depFiles) {
			t := g.text(i)
			if !t.kept {
				continue
			}
			declaredPackages(t.code, func(name string, line int) {
				g.deps[name] = append(g.deps[name], Location{Path: g.files[i].Path, Line: line})
			})
		}
	}
	return g.deps
}
