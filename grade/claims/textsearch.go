package claims

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"

	"github.com/coregx/ahocorasick"
)

// textSearch is a TextSearch ready to run. Most regexps match within one
// line and hold some fixed text, such as "fastapi" or "wandb.init(": a file
// is then searched by finding where that text occurs (all the rule set's
// literals at once) and running the regexp on those lines only.
type textSearch struct {
	files    int // selection id
	re       *regexp.Regexp
	comments bool // searches the file as committed, comments and all
	// literals (ids in compiled.literalList) of which every match holds one;
	// a file holding none cannot match. Empty when there are none (a regexp
	// in any letter case, or with no fixed text).
	literals literalSet
	// branches are the regexp's top-level alternatives, each searched on its
	// own lines; nil when a match may span lines or a branch has no literal,
	// and the regexp then runs over the whole file.
	branches []branch
}

type branch struct {
	literals literalSet
	re       *regexp.Regexp
	// lineStart, for a branch that starts with (?m)^, is the branch anchored
	// at the start of its input: tried once per line, not at every byte.
	lineStart *regexp.Regexp
}

func (c *compiled) compileTextSearch(t TextSearch, exclude []int) (textSearch, error) {
	if len(t.Files) == 0 {
		return textSearch{}, errors.New("no files: say which files to search")
	}
	files, err := c.addTextGlobs(t.Files)
	if err != nil {
		return textSearch{}, err
	}
	re, err := regexp.Compile(t.Regexp)
	if err != nil {
		return textSearch{}, fmt.Errorf("regexp: %w", err)
	}
	if re.MatchString("") {
		return textSearch{}, fmt.Errorf("regexp %q matches an empty file", t.Regexp)
	}
	parsed, err := syntax.Parse(t.Regexp, syntax.Perl)
	if err != nil {
		return textSearch{}, fmt.Errorf("regexp: %w", err)
	}
	ts := textSearch{files: c.addSelection(files, exclude), re: re, comments: t.Comments}
	if t.Comments {
		return ts, nil // the literal scan reads code only: run the regexp over the whole file
	}
	ts.literals = c.literalIDsOf(parsed)
	if matchesNewline(parsed) {
		return ts, nil
	}
	alternatives := []*syntax.Regexp{parsed}
	if parsed.Op == syntax.OpAlternate {
		alternatives = parsed.Sub
	}
	for _, alt := range alternatives {
		b := branch{literals: c.literalIDsOf(alt)}
		if b.literals.empty() {
			ts.branches = nil // this branch may match any line: search whole files
			return ts, nil
		}
		if b.re, err = regexp.Compile(alt.String()); err != nil {
			return textSearch{}, fmt.Errorf("regexp %q: %w", t.Regexp, err)
		}
		if alt.Op == syntax.OpConcat && alt.Sub[0].Op == syntax.OpBeginLine {
			rest := &syntax.Regexp{Op: syntax.OpConcat, Flags: alt.Flags, Sub: alt.Sub[1:]}
			if b.lineStart, err = regexp.Compile(`\A(?:` + rest.String() + `)`); err != nil {
				return textSearch{}, fmt.Errorf("regexp %q: %w", t.Regexp, err)
			}
		}
		ts.branches = append(ts.branches, b)
	}
	return ts, nil
}

// literalSet is a set of literal ids, one bit each.
type literalSet []uint64

func (s *literalSet) add(id int) {
	for len(*s) <= id/64 {
		*s = append(*s, 0)
	}
	(*s)[id/64] |= 1 << (id % 64)
}

func (s literalSet) has(id int) bool { return id/64 < len(s) && s[id/64]&(1<<(id%64)) != 0 }

func (s literalSet) empty() bool {
	return !slices.ContainsFunc(s, func(w uint64) bool { return w != 0 })
}

// meets reports whether s and t share a literal.
func (s literalSet) meets(t literalSet) bool {
	for i := range min(len(s), len(t)) {
		if s[i]&t[i] != 0 {
			return true
		}
	}
	return false
}

// literalIDsOf numbers the required literals of re, adding new ones.
func (c *compiled) literalIDsOf(re *syntax.Regexp) literalSet {
	var ids literalSet
	for _, l := range requiredLiterals(re) {
		id, ok := c.literalIDs[l]
		if !ok {
			id = len(c.literalList)
			c.literalIDs[l] = id
			c.literalList = append(c.literalList, []byte(l))
		}
		ids.add(id)
	}
	return ids
}

// find returns the 1-based line of the first match of t in file i.
func (g *groupIndex) find(t *textSearch, i int) (int, bool) {
	f := g.text(i)
	if !f.kept {
		return 0, false
	}
	var found []ahocorasick.Match
	if !t.literals.empty() {
		var present literalSet
		found, present = g.literalsIn(f)
		if !present.meets(t.literals) {
			return 0, false
		}
	}
	text := f.code
	if t.comments {
		text = f.raw
	}
	first := -1
	if t.branches == nil {
		if loc := t.re.FindIndex(text); loc != nil {
			first = loc[0]
		}
	}
	for _, b := range t.branches {
		var offsets []int // in order: the matches are
		for _, m := range found {
			if b.literals.has(m.PatternID) {
				offsets = append(offsets, m.Start)
			}
		}
		if start := b.firstMatchingLine(f.code, offsets); start >= 0 && (first < 0 || start < first) {
			first = start
		}
	}
	if first < 0 {
		return 0, false
	}
	line := 1 + bytes.Count(text[:first], []byte("\n"))
	if f.lines != nil {
		line = f.lines[line-1]
	}
	return line, true
}

// firstMatchingLine returns the offset of the first line on which the
// branch matches, or -1. Only the lines that hold one of its literals (at
// the sorted offsets given) can: the branch runs on each of them when it is
// anchored at a line start, else once over them copied together.
func (b *branch) firstMatchingLine(text []byte, offsets []int) int {
	var lines []byte
	var starts, copied []int // where each copied line starts in text, and in lines
	done := -1               // end of the last line seen
	for _, at := range offsets {
		if at <= done {
			continue
		}
		start := bytes.LastIndexByte(text[:at], '\n') + 1
		end := len(text)
		if j := bytes.IndexByte(text[at:], '\n'); j >= 0 {
			end = at + j
		}
		done = end
		if b.lineStart != nil {
			if b.lineStart.Match(text[start:end]) {
				return start
			}
			continue
		}
		starts, copied = append(starts, start), append(copied, len(lines))
		lines = append(append(lines, text[start:end]...), '\n')
	}
	if b.lineStart != nil {
		return -1
	}
	loc := b.re.FindIndex(lines)
	if loc == nil {
		return -1
	}
	// The branch matches within one line: the match lies in one copied line.
	k, found := slices.BinarySearch(copied, loc[0])
	if !found {
		k--
	}
	return starts[k]
}
