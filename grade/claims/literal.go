package claims

import (
	"regexp/syntax"
	"slices"
	"unicode"
)

// maxExact caps how many strings exactSet enumerates.
const maxExact = 16

// requiredLiterals returns strings of which every match of re contains at
// least one, or nil when re has no such set. A file that holds none of them
// cannot match, and in a file that does only the lines holding one need the
// regexp. Text matched in any letter case ((?i)) counts only when it has few
// spellings.
func requiredLiterals(re *syntax.Regexp) []string {
	if exact := exactSet(re); exact != nil && !slices.Contains(exact, "") {
		return exact
	}
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiterals(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLiterals(re.Sub[0])
		}
	case syntax.OpConcat:
		// On a tie the later part wins: what is imported (fastapi) is rarer
		// than the keyword before it (import).
		var best []string
		for _, set := range concatSets(re.Sub) {
			if !selective(best, set) {
				best = set
			}
		}
		return best
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			l := requiredLiterals(sub)
			if l == nil {
				return nil
			}
			all = append(all, l...)
		}
		return dedupe(all)
	}
	return nil
}

// concatSets lists, for a concatenation, the literal sets any match must
// hit: each run of parts with few exact matches (log, (?:ging|uru)) joined
// into whole words (logging, loguru), and the required literals of the rest.
func concatSets(parts []*syntax.Regexp) [][]string {
	var sets [][]string
	var run []string // the strings the current run of exact parts can match
	flush := func() {
		if run != nil && !slices.Contains(run, "") {
			sets = append(sets, run)
		}
		run = nil
	}
	for _, p := range parts {
		exact := exactSet(p)
		if exact == nil {
			flush()
			if l := requiredLiterals(p); l != nil {
				sets = append(sets, l)
			}
			continue
		}
		if run == nil {
			run = exact
		} else if run = product(run, exact); run == nil {
			flush()
			run = exact
		}
	}
	flush()
	return sets
}

// exactSet returns every string re can match when there are at most
// maxExact of them; nil otherwise.
func exactSet(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return []string{""}
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase == 0 {
			return []string{string(re.Rune)}
		}
		// In any letter case ([Pp], (?i)): each spelling, if there are few.
		out := []string{""}
		for _, r := range re.Rune {
			var cases []string
			for c := r; ; {
				cases = append(cases, string(c))
				if c = unicode.SimpleFold(c); c == r {
					break
				}
			}
			if out = product(out, cases); out == nil {
				return nil
			}
		}
		return out
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] >= maxExact {
				return nil
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				out = append(out, string(r))
			}
		}
		if out = dedupe(out); len(out) > maxExact {
			return nil
		}
		return out
	case syntax.OpCapture:
		return exactSet(re.Sub[0])
	case syntax.OpQuest:
		if sub := exactSet(re.Sub[0]); sub != nil {
			return dedupe(append(sub, ""))
		}
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			s := exactSet(sub)
			if s == nil {
				return nil
			}
			out = append(out, s...)
		}
		if out = dedupe(out); len(out) <= maxExact {
			return out
		}
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range re.Sub {
			s := exactSet(sub)
			if s == nil {
				return nil
			}
			if out = product(out, s); out == nil {
				return nil
			}
		}
		return out
	}
	return nil
}

// product joins every string of a to every string of b, or nil when that
// makes more than maxExact.
func product(a, b []string) []string {
	if len(a)*len(b) > maxExact {
		return nil
	}
	var out []string
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return dedupe(out)
}

func dedupe(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// selective reports whether literal set a filters better than b: its
// shortest literal is longer (fewer chance hits), then its literals are
// longer on average, then it has fewer members. Any set beats none.
func selective(a, b []string) bool {
	if a == nil || b == nil {
		return a != nil
	}
	shortest := func(s []string) int {
		return len(slices.MinFunc(s, func(x, y string) int { return len(x) - len(y) }))
	}
	if sa, sb := shortest(a), shortest(b); sa != sb {
		return sa > sb
	}
	total := func(s []string) int {
		n := 0
		for _, x := range s {
			n += len(x)
		}
		return n
	}
	if ta, tb := total(a)*len(b), total(b)*len(a); ta != tb { // average length, without division
		return ta > tb
	}
	return len(a) < len(b)
}

// matchesNewline reports whether some match of re can hold a newline.
func matchesNewline(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpAnyChar:
		return true
	case syntax.OpLiteral:
		return slices.Contains(re.Rune, '\n')
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= '\n' && '\n' <= re.Rune[i+1] {
				return true
			}
		}
		return false
	}
	return slices.ContainsFunc(re.Sub, matchesNewline)
}
