package claims

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"

	"handin/internal/lazyregexp"
)

// moduleTag is one course module tag.
var moduleTag = &lazyregexp.Regexp{Expr: `^M\d+$`}

// Thresholds of the Dice similarity between an item's words and a rule's
// wording. Students keep the template's items but fix typos, drop or add a
// word, or append a remark; a different item of the same template shares at
// most half of its words with another.
//
// A wrong rule accuses a group of a claim it never made, so an item whose
// wording is not clearly one rule's is judged by none ("cannot tell").
const (
	sameWording      = 0.9  // the template's item, give or take a typo: wins over the tag
	enoughWithTag    = 0.3  // several rules carry the item's tag: the wording decides
	enoughWithoutTag = 0.6  // no usable tag: the wording alone must be close
	clearMargin      = 0.15 // the best wording must be this much closer than the next one
)

// itemIndex finds the rule that judges a checklist item.
type itemIndex struct {
	rules []itemRule
	// found remembers each item's rule: a course's checklists repeat the
	// template's wording, so most items are matched once, not per group
	// (it holds one entry per distinct wording seen).
	found *sync.Map // itemKey -> matchResult
}

type itemKey struct{ text, module string }

type matchResult struct {
	rule int
	ok   bool
}

type itemRule struct {
	modules []string
	words   []wordSet // one per wording in Rule.Items
}

type wordSet map[string]bool

func newItemIndex(rules []Rule) (itemIndex, error) {
	x := itemIndex{found: &sync.Map{}}
	owner := map[string]string{}
	for _, r := range rules {
		ir := itemRule{modules: r.Modules}
		for _, text := range r.Items {
			w := words(text)
			if len(w) == 0 {
				return x, fmt.Errorf("rule %q: item %q has no words", r.ID, text)
			}
			key := w.key()
			if other, ok := owner[key]; ok {
				return x, fmt.Errorf("rules %q and %q both list the item %q", other, r.ID, text)
			}
			owner[key] = r.ID
			ir.words = append(ir.words, w)
		}
		x.rules = append(x.rules, ir)
	}
	return x, nil
}

// match returns the index of the rule that judges it, or false when none
// does clearly (no rule, or two equally close).
func (x itemIndex) match(it Item) (int, bool) {
	key := itemKey{it.Text, it.Module}
	if r, ok := x.found.Load(key); ok {
		return r.(matchResult).rule, r.(matchResult).ok
	}
	rule, ok := x.closest(it)
	x.found.Store(key, matchResult{rule, ok})
	return rule, ok
}

func (x itemIndex) closest(it Item) (int, bool) {
	it = withInlineTag(it)
	w := words(it.Text)
	sims := make([]float64, len(x.rules))
	for i, r := range x.rules {
		for _, rw := range r.words {
			sims[i] = max(sims[i], dice(w, rw))
		}
	}
	all := make([]int, len(x.rules))
	for i := range all {
		all[i] = i
	}
	if i, ok := best(sims, all, sameWording); ok {
		return i, true
	}
	if mods := splitModules(it.Module); len(mods) > 0 {
		tagged := x.withModules(mods, true)
		if len(tagged) == 0 {
			tagged = x.withModules(mods, false)
		}
		if len(tagged) == 1 {
			return tagged[0], true // the only rule for this tag, however the item is worded
		}
		if i, ok := best(sims, tagged, enoughWithTag); ok {
			return i, true
		}
	}
	return best(sims, all, enoughWithoutTag)
}

// best is the candidate with the highest similarity if it reaches min and
// no other candidate comes within clearMargin of it.
func best(sims []float64, candidates []int, min float64) (int, bool) {
	top, second := -1, 0.0
	for _, i := range candidates {
		switch {
		case top < 0 || sims[i] > sims[top]:
			if top >= 0 {
				second = sims[top]
			}
			top = i
		case sims[i] > second:
			second = sims[i]
		}
	}
	if top < 0 || sims[top] < min || sims[top]-second < clearMargin {
		return 0, false
	}
	return top, true
}

// withModules lists the rules whose tags equal mods (exact) or share one.
func (x itemIndex) withModules(mods []string, exact bool) []int {
	var out []int
	for i, r := range x.rules {
		shared := 0
		for _, m := range mods {
			for _, rm := range r.modules {
				if strings.EqualFold(m, rm) {
					shared++
				}
			}
		}
		if exact && shared == len(mods) && len(r.modules) == len(mods) || !exact && shared > 0 {
			out = append(out, i)
		}
	}
	return out
}

// inlineTag is a module tag inside an item's text: "(M9)", "(M2+M6)".
var inlineTag = &lazyregexp.Regexp{Expr: `\((M\d+(?:[ \t]*[+,/&][ \t]*M\d+)*)\)`}

// withInlineTag: an item whose tag is not at its end (a remark appended
// after it: "... (M9) (notation: ...)") has that tag, and its wording is the
// text before the tag, the remark left out.
func withInlineTag(it Item) Item {
	if it.Module != "" {
		return it
	}
	loc := inlineTag.Re().FindStringSubmatchIndex(it.Text)
	if loc == nil {
		return it
	}
	it.Module = strings.Join(strings.Fields(it.Text[loc[2]:loc[3]]), "")
	if before := strings.TrimSpace(it.Text[:loc[0]]); len(words(before)) > 0 {
		it.Text = before
	}
	return it
}

// splitModules splits a tag such as "M2+M6" into its modules.
func splitModules(tag string) []string {
	return strings.FieldsFunc(tag, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// stopWord: a word with no meaning of its own in a checklist item.
func stopWord(w string) bool {
	switch w {
	case "a", "an", "the", "to", "of", "for", "and", "or", "in", "on", "with", "that", "this", "your", "you",
		"is", "are", "be", "it", "its", "as", "at", "by":
		return true
	}
	return false
}

// words is the set of an item's meaningful words: lowercased, split at
// anything but letters and digits, without stop words and module tags, with a
// plural s dropped (configurations files = configuration file).
func words(text string) wordSet {
	w := wordSet{}
	for _, f := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if stopWord(f) || moduleTag.MatchString(strings.ToUpper(f)) {
			continue
		}
		if len(f) > 3 && strings.HasSuffix(f, "s") && !strings.HasSuffix(f, "ss") {
			f = f[:len(f)-1]
		}
		w[f] = true
	}
	return w
}

// key identifies a word set regardless of word order.
func (w wordSet) key() string {
	keys := make([]string, 0, len(w))
	for k := range w {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return strings.Join(keys, " ")
}

// dice is the Dice similarity of two word sets: 1 for the same words, 0 for
// none in common.
func dice(a, b wordSet) float64 {
	if len(a)+len(b) == 0 {
		return 0
	}
	common := 0
	for k := range a {
		if b[k] {
			common++
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}
