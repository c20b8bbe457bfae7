// Package similarity finds answers that groups share: the same passages
// in two groups' answers to a question, or anywhere in two reports (a copy
// whose answers were moved to other questions). It is pure: texts in,
// matches out, no files and no git.
//
// Words are normalised (case, punctuation and markup, accents: see words)
// and compared as shingles, runs of Options.Shingle consecutive words
// hashed. A shingle is evidence only where it is no template's or
// question's text (the boilerplate given to Compare) and no more than
// Options.Common reports hold it: text many groups write (a tool's name in
// a phrase everyone uses, a command of the course's own) shows nothing.
// A shared passage is the words evidence shingles in both cover, with gaps
// of a few words (a word changed) inside it; one of fewer than MinPassage
// words (a command of the course's, a list of tools) is no evidence either.
// Two answers are alike when their shared passages hold at least
// Options.Words words and at least Options.Share of either answer's own
// words (those not covered by boilerplate or common text alone).
//
// Cost: with W the words of the course's reports and V those of the
// archive's, Compare sorts the course's shingles once (O(W log W)), streams
// the archive through a bit filter and a hash table of them (O(V), holding
// only the archive reports that share enough shingles with the course), and
// counts the pairs of reports behind each shingle; a shingle in more than
// Options.Common reports is common and pairs none, so there are O(W) pair
// counts at worst. Only the pairs that share enough shingles to reach
// Options.Words are then compared word by word (linear in their words) to
// find the passages exactly. Memory is O(W) and the archive's candidates:
// it does not grow with the archive. 150 groups of 31 answers against 750
// archived reports take about a second (BenchmarkCourseAgainstArchive).
package similarity

import (
	"cmp"
	"iter"
	"math"
	"slices"
)

// Defaults of Options. On the 24 real reports of 2023-2026 of the corpus
// (grade's TestNoCorpusReportsAreAlike) no two groups share a passage of
// more than 28 words or 20 % of an answer; shingles of four or five words
// raise that share to 25 %, shingles of eight miss an answer copied with a
// word changed in every sentence.
const (
	DefaultShingle = 6
	DefaultShare   = 0.3
	DefaultWords   = 30
	DefaultCommon  = 5
)

// MinPassage is the fewest words a shared passage holds: shorter ones, a
// command from the course's pages or a list of tools written alike by
// chance, are no evidence.
const MinPassage = 15

// Options are the thresholds; a zero field takes its default.
type Options struct {
	// Shingle is the words per shingle.
	Shingle int
	// Share is the part of an answer's own words (the whole report's, for a
	// whole-report match) that must be in the other's for a match.
	Share float64
	// Words is the fewest shared words that make a match, so that short
	// answers alike by chance never do.
	Words int
	// Common: a shingle in more reports than this is common text, not
	// evidence.
	Common int
}

func (o Options) withDefaults() Options {
	o.Shingle = cmp.Or(max(o.Shingle, 0), DefaultShingle)
	if o.Share <= 0 {
		o.Share = DefaultShare
	}
	o.Words = cmp.Or(max(o.Words, 0), DefaultWords)
	o.Common = cmp.Or(max(o.Common, 0), DefaultCommon)
	return o
}

// Answer is one question's answer of a report. Questions are numbered
// from 1; an answer under another number (a "Question 0" heading) is not
// compared.
type Answer struct {
	Question int
	Text     string
}

// maxQuestion is the largest question number compared.
const maxQuestion = math.MaxInt32

// comparable are the report's answers to compare: those numbered 1 to
// maxQuestion (the report itself when all are).
func (r Report) comparable() Report {
	ok := func(a Answer) bool { return a.Question >= 1 && a.Question <= maxQuestion }
	if !slices.ContainsFunc(r.Answers, func(a Answer) bool { return !ok(a) }) {
		return r
	}
	return Report{Answers: slices.DeleteFunc(slices.Clone(r.Answers), func(a Answer) bool { return !ok(a) })}
}

// Report is one group's answers, in any order.
type Report struct {
	Answers []Answer
}

// Span is the bytes [Start, Stop) of a text.
type Span struct {
	Start int `json:"start"`
	Stop  int `json:"stop"`
}

// Passage is a stretch of an answer holding shared words: Text from the
// first shared word to the last, over gaps of a few words (a word changed,
// a sentence cut), and Marks, the shared words' bytes in Text.
type Passage struct {
	Text  string `json:"text"`
	Marks []Span `json:"marks"`
}

// Part is what one answer of A shares with one answer of B.
type Part struct {
	QuestionA int       `json:"question"`
	QuestionB int       `json:"other_question"`
	A         []Passage `json:"passages"`
	B         []Passage `json:"other_passages"`
}

// Match is two reports alike: in one question's answers, or as a whole.
type Match struct {
	// A indexes the course's reports; B the course's too, or with Archive
	// the archive's, in the order Compare read them. A < B in a course.
	A, B    int
	Archive bool
	// Question is the question compared; 0 for the whole reports.
	Question int
	// ShareA is the part of A's own words that are in B; ShareB the
	// other way round. WordsA and WordsB count those words.
	ShareA, ShareB float64
	WordsA, WordsB int
	// Parts are the passages: one part for a question; for the whole
	// reports, the answers of A found in other questions of B (those in
	// the same question are that question's match).
	Parts []Part
}

// Compare finds the matches among the course's reports and between each of
// them and the archive's (never between two archived reports), questions
// first (by course report, question, other report), then whole reports.
// boilerplate are the template's texts, the question prompts among them.
func Compare(course []Report, archive iter.Seq[Report], boilerplate []string, opts Options) []Match {
	usable := make([]Report, len(course))
	for i, r := range course {
		usable[i] = r.comparable()
	}
	c := newComparison(usable, boilerplate, opts.withDefaults())
	if archive != nil {
		for r := range archive {
			c.addArchive(r.comparable())
		}
	}
	c.countPairs()
	return c.matches()
}
