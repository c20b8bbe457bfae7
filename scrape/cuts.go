package scrape

import (
	"fmt"
	"maps"
	"slices"
	"unicode/utf8"
)

// cuts is what the scrape left out of a repository because it went over a
// limit (a name too long, a history too large): the snapshot's Cuts, which
// grading makes findings of. Every limit is far above what a student's
// repository holds; only a crafted one reaches it.
type cuts struct {
	counted map[string]int // "commits whose ..." -> how many
	said    []string       // cuts that happen once
}

// count counts one more thing cut, described by a plural phrase
// ("commits whose author name is cut to 256 bytes").
func (c *cuts) count(phrase string) {
	if c.counted == nil {
		c.counted = map[string]int{}
	}
	c.counted[phrase]++
}

// say records a cut that happens once.
func (c *cuts) say(format string, args ...any) {
	c.said = append(c.said, fmt.Sprintf(format, args...))
}

// lines are the cuts, one line each: those said in order, then the
// counted ones by phrase.
func (c *cuts) lines() []string {
	lines := slices.Clone(c.said)
	for _, phrase := range slices.Sorted(maps.Keys(c.counted)) {
		lines = append(lines, fmt.Sprintf("%d %s", c.counted[phrase], phrase))
	}
	return lines
}

// cutString is s cut to at most max bytes (at a character boundary), and
// whether it was cut.
func cutString(s string, max int) (string, bool) {
	if len(s) <= max {
		return s, false
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut], true
}
