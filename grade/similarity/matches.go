package similarity

import (
	"cmp"
	"slices"
)

// segment is one answer of a side, read into words and shingles.
type segment struct {
	question int
	text     string
	words    []word
	shingles []uint64
}

func segments(answers []Answer, k int) []segment {
	out := make([]segment, len(answers))
	for i, a := range answers {
		ws := words(a.Text)
		out[i] = segment{question: a.Question, text: a.Text, words: ws, shingles: shingles(ws, k)}
	}
	return out
}

// matches compares, word by word, the pairs that share enough shingles to
// reach opts.Words, and keeps those alike.
func (c *comparison) matches() []Match {
	var keys []pairKey
	for key, n := range c.pairs {
		if int(n) >= c.minShared() {
			keys = append(keys, key)
		}
	}
	slices.SortFunc(keys, func(x, y pairKey) int {
		return cmp.Or(cmp.Compare(wholeReports(x), wholeReports(y)), cmp.Compare(x.a, y.a),
			cmp.Compare(x.question, y.question), cmp.Compare(x.b, y.b))
	})
	var out []Match
	for _, key := range keys {
		a := segments(c.reports[key.a].Answers, c.opts.Shingle)
		b := segments(c.reports[key.b].Answers, c.opts.Shingle)
		if key.question != 0 {
			a, b = ofQuestion(a, int(key.question)), ofQuestion(b, int(key.question))
		}
		m, ok := c.compare(a, b)
		if !ok {
			continue
		}
		m.A, m.B, m.Question = int(key.a), int(key.b), int(key.question)
		if int(key.b) >= c.course {
			m.B, m.Archive = c.archived[int(key.b)-c.course], true
		}
		if key.question != 0 {
			m.Parts = []Part{c.part(a, b, int(key.question), int(key.question))}
		} else {
			m.Parts = c.movedParts(a, b)
		}
		out = append(out, m)
	}
	return out
}

// wholeReports orders the whole reports' pairs after the questions'.
func wholeReports(k pairKey) int {
	if k.question == 0 {
		return 1
	}
	return 0
}

func ofQuestion(s []segment, question int) []segment {
	return slices.DeleteFunc(s, func(x segment) bool { return x.question != question })
}

// compare measures two sides: the words of each covered by evidence
// shingles of the other, against each side's own words.
func (c *comparison) compare(a, b []segment) (Match, bool) {
	ownA, sharedA := c.cover(a, c.evidence(b))
	ownB, sharedB := c.cover(b, c.evidence(a))
	m := Match{ShareA: share(sharedA, ownA), ShareB: share(sharedB, ownB), WordsA: sharedA, WordsB: sharedB}
	alike := min(sharedA, sharedB) >= c.opts.Words && max(m.ShareA, m.ShareB) >= c.opts.Share
	return m, alike
}

func share(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// countable: a shingle neither boilerplate nor common.
func (c *comparison) countable(h uint64) bool { return !c.boiler[h] && !c.common[h] }

// evidence is the set of a side's countable shingles.
func (c *comparison) evidence(side []segment) map[uint64]bool {
	set := map[uint64]bool{}
	for _, s := range side {
		for _, h := range s.shingles {
			if c.countable(h) {
				set[h] = true
			}
		}
	}
	return set
}

// cover counts a side's own words (covered by a countable shingle) and its
// shared words (covered by a shingle in other).
func (c *comparison) cover(side []segment, other map[uint64]bool) (own, shared int) {
	for _, s := range side {
		o, sh := c.coverage(s, other)
		own, shared = own+count(o), shared+count(sh)
	}
	return own, shared
}

// coverage marks a segment's own words and its shared ones: those in
// passages of at least MinPassage words covered by shingles in other.
func (c *comparison) coverage(s segment, other map[uint64]bool) (own, shared []bool) {
	own, shared = make([]bool, len(s.words)), make([]bool, len(s.words))
	k := c.opts.Shingle
	for i, h := range s.shingles {
		if !c.countable(h) {
			continue
		}
		fill(own[i : i+k])
		if other[h] {
			fill(shared[i : i+k])
		}
	}
	for _, r := range c.runs(shared) {
		if count(shared[r.first:r.last+1]) < MinPassage {
			clear(shared[r.first : r.last+1])
		}
	}
	return own, shared
}

// wordRange is the words [first, last] of a segment.
type wordRange struct{ first, last int }

// runs groups the shared words into passages: shared words with gaps of at
// most opts.Shingle words between them (a word changed, a sentence cut)
// are one passage.
func (c *comparison) runs(shared []bool) []wordRange {
	var out []wordRange
	for i, sh := range shared {
		switch n := len(out); {
		case !sh:
		case n > 0 && i-out[n-1].last-1 <= c.opts.Shingle:
			out[n-1].last = i
		default:
			out = append(out, wordRange{i, i})
		}
	}
	return out
}

func fill(bs []bool) {
	for i := range bs {
		bs[i] = true
	}
}

func count(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// part is the passages two answers share.
func (c *comparison) part(a, b []segment, qa, qb int) Part {
	return Part{QuestionA: qa, QuestionB: qb, A: c.passages(a, c.evidence(b)), B: c.passages(b, c.evidence(a))}
}

// movedParts are the answers of a found in other questions of b.
func (c *comparison) movedParts(a, b []segment) []Part {
	var out []Part
	for _, sa := range a {
		for _, sb := range b {
			if sa.question == sb.question {
				continue
			}
			p := c.part([]segment{sa}, []segment{sb}, sa.question, sb.question)
			if len(p.A) > 0 {
				out = append(out, p)
			}
		}
	}
	return out
}

// passages are a side's shared words, passage by passage, each marked
// word by word (adjacent shared words are one mark, over the punctuation
// between them).
func (c *comparison) passages(side []segment, other map[uint64]bool) []Passage {
	var out []Passage
	for _, s := range side {
		_, shared := c.coverage(s, other)
		for _, r := range c.runs(shared) {
			var marks []Span // in s.text
			for i := r.first; i <= r.last; i++ {
				w := s.words[i]
				switch n := len(marks); {
				case !shared[i]:
				case n > 0 && shared[i-1]:
					marks[n-1].Stop = w.stop
				default:
					marks = append(marks, Span{w.start, w.stop})
				}
			}
			out = append(out, passage(s.text, marks))
		}
	}
	return out
}

// passage is text from the first mark to the last, the marks made relative
// to it.
func passage(text string, marks []Span) Passage {
	start := marks[0].Start
	p := Passage{Text: text[start:marks[len(marks)-1].Stop], Marks: make([]Span, len(marks))}
	for i, m := range marks {
		p.Marks[i] = Span{m.Start - start, m.Stop - start}
	}
	return p
}
