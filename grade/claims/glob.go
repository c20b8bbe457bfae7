package claims

import (
	"bytes"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// glob is a lowercased pattern (paths match in any letter case: Dockerfile,
// dockerfile) with a literal every matching path contains, to skip most
// paths without running the matcher.
type glob struct {
	pattern string
	literal string
	// name is set for a pattern of the form **/NAME (NAME without a slash):
	// it matches a path whose last element matches NAME, which is quicker to
	// ask the matcher than the whole path, and quicker still to compare when
	// NAME is plain text (tasks.py) or * and plain text (*.dvc).
	name string
	kind globKind
}

type globKind int

const (
	wholePath  globKind = iota // the matcher, on the whole path
	anyName                    // the matcher, on the last element
	plainName                  // the last element is name
	nameSuffix                 // the last element ends with name[1:]
)

func newGlob(pattern string) glob {
	g := glob{pattern: pattern, literal: globLiteral(pattern)}
	name, ok := strings.CutPrefix(pattern, "**/")
	if !ok || strings.Contains(name, "/") {
		return g
	}
	g.name, g.kind = name, anyName
	plain := func(s string) bool { return !strings.ContainsAny(s, `*?[]{}\`) }
	switch {
	case plain(name):
		g.kind = plainName
	case name[0] == '*' && plain(name[1:]):
		g.kind = nameSuffix
	}
	return g
}

// addSelection returns the id of the selection of files matching any of
// globs and none of exclude, adding it if it is new.
func (c *compiled) addSelection(globs, exclude []int) int {
	key := fmt.Sprint(globs, exclude)
	id, ok := c.selectionIDs[key]
	if !ok {
		id = len(c.selections)
		c.selections = append(c.selections, selection{globs: globs, exclude: exclude})
		c.selectionIDs[key] = id
	}
	return id
}

// addGlobs validates patterns and returns their ids, adding new ones. A
// pattern with {a,b} alternatives becomes one glob per alternative, each a
// shape glob.match handles without the general matcher.
func (c *compiled) addGlobs(patterns []string) ([]int, error) {
	ids := make([]int, 0, len(patterns))
	for _, p := range patterns {
		lower := strings.ToLower(p)
		if p == "" || strings.HasPrefix(p, "/") || !doublestar.ValidatePattern(lower) {
			return nil, fmt.Errorf("glob %q is not a valid relative pattern", p)
		}
		for _, alt := range expandBraces(lower) {
			id, ok := c.globIDs[alt]
			if !ok {
				id = len(c.globs)
				c.globs = append(c.globs, newGlob(alt))
				c.globIDs[alt] = id
			}
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// addTextGlobs is addGlobs for the files a text search reads: a glob for
// Python files (ending in .py, after braces are expanded) also selects the
// notebooks of the same name (.ipynb), whose code cells are read as Python.
func (c *compiled) addTextGlobs(patterns []string) ([]int, error) {
	ids, err := c.addGlobs(patterns)
	if err != nil {
		return nil, err
	}
	var notebooks []string
	for _, p := range patterns {
		for _, alt := range expandBraces(strings.ToLower(p)) {
			if name, ok := strings.CutSuffix(alt, ".py"); ok {
				notebooks = append(notebooks, name+notebookExt)
			}
		}
	}
	more, err := c.addGlobs(notebooks)
	return append(ids, more...), err
}

// maxAlternatives caps how many patterns a pattern's braces expand to.
const maxAlternatives = 64

// expandBraces turns a{b,c}d into abd and acd. Nested braces, escapes and
// patterns that would expand to more than maxAlternatives are kept whole,
// for the matcher.
func expandBraces(pattern string) []string {
	i := strings.IndexByte(pattern, '{')
	if i < 0 || strings.Contains(pattern, `\`) {
		return []string{pattern}
	}
	j := strings.IndexByte(pattern[i:], '}') + i
	if j < i || strings.Contains(pattern[i+1:j], "{") {
		return []string{pattern}
	}
	inner := pattern[i+1 : j]
	var out []string
	for _, alt := range strings.Split(inner, ",") {
		out = append(out, expandBraces(pattern[:i]+alt+pattern[j+1:])...)
		if len(out) > maxAlternatives {
			return []string{pattern}
		}
	}
	return out
}

// globLiteral is the longest run of plain characters outside {...} and
// [...] in a pattern: every path the pattern matches contains it. The slash
// beside a ** is not part of a run, since **/ also matches no folder at all.
func globLiteral(pattern string) string {
	best, run, depth := "", []byte{}, 0
	flush := func() {
		if len(run) > len(best) {
			best = string(run)
		}
		run = run[:0]
	}
	for i := 0; i < len(pattern); i++ {
		switch ch := pattern[i]; {
		case strings.HasPrefix(pattern[i:], "**"):
			run = bytes.TrimSuffix(run, []byte("/"))
			flush()
			i++
			if i+1 < len(pattern) && pattern[i+1] == '/' {
				i++
			}
		case ch == '{' || ch == '[':
			flush()
			depth++
		case ch == '}' || ch == ']':
			depth--
		case ch == '*' || ch == '?' || ch == '\\':
			flush()
			if ch == '\\' {
				i++ // an escaped character: skip it rather than reason about it
			}
		case depth == 0:
			run = append(run, ch)
		}
	}
	flush()
	return best
}

// ignored reports whether a lowercased path never counts as evidence.
func (c *compiled) ignored(lowerPath string) bool { return c.matchesAny(c.ignore, lowerPath) }

// matchesAny reports whether a lowercased path matches one of the globs ids.
func (c *compiled) matchesAny(ids []int, lowerPath string) bool {
	base := path.Base(lowerPath)
	return slices.ContainsFunc(ids, func(id int) bool { return c.globs[id].match(lowerPath, base) })
}

// match reports whether a lowercased path, whose last element is base,
// matches the glob.
func (g glob) match(lowerPath, base string) bool {
	switch g.kind {
	case plainName:
		return base == g.name
	case nameSuffix:
		return strings.HasSuffix(base, g.name[1:])
	}
	if g.literal != "" && !strings.Contains(lowerPath, g.literal) {
		return false
	}
	if g.kind == anyName {
		return doublestar.MatchUnvalidated(g.name, base)
	}
	return doublestar.MatchUnvalidated(g.pattern, lowerPath)
}
