package grade

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"handin/parse"
)

// The course's `report.py check` (reports/report.py of the course
// repository) is what students ran before handing in. It does not read
// markdown: it splits the report's text at every "Answer:", cuts each piece
// at its first "###" (then at its first "##"), takes the last piece whole and
// pairs the pieces with its table of questions by position. A sub-heading
// inside an answer, a heading after the last answer or a second "Answer:"
// change what it counts; a deleted or duplicated question changes how many
// answers it finds, and then it stops with an error. This file emulates it,
// so that handin can show the numbers students saw and say where they differ
// from the answer as written.

// CheckerVersion is one version of the course checker.
type CheckerVersion struct {
	Date   string `json:"date"`   // when it was committed, "2023-09-27"
	Commit string `json:"commit"` // short commit in the course repository
	// legacy versions (the 2023 and 2024 courses) skip the report's first 43
	// characters (the template's front matter) and, instead of discarding the
	// text before the first "Answer:", discard the first piece they keep.
	legacy bool
}

func (v CheckerVersion) String() string { return v.Date + " " + v.Commit }

// The checker versions in force in each January course, by the name of the
// built-in spec that holds their table of constraints.
// CheckerVersionFor returns the checker version of a spec: the one in force
// for a built-in spec's course, the newest for any other spec (a new year's
// checker has so far always kept the newest one's splitting).
func CheckerVersionFor(specName string) CheckerVersion {
	switch specName {
	case "2023":
		return CheckerVersion{Date: "2023-01-19", Commit: "d1fc9de", legacy: true}
	case "2024":
		return CheckerVersion{Date: "2023-09-27", Commit: "64ea22b", legacy: true}
	case "2025":
		return CheckerVersion{Date: "2025-01-08", Commit: "d1b907d"}
	}
	return CheckerVersion{Date: "2026-01-09", Commit: "e3622b4"}
}

// Python exceptions the checker stops with.
const (
	CrashCount    = "ValueError"         // it found more or fewer answers than questions
	CrashNoAnswer = "IndexError"         // no "Answer:" at all (versions from 2025)
	CrashDecode   = "UnicodeDecodeError" // not UTF-8: Python cannot read the file
)

// CheckerRun is what the course checker says about one report.
type CheckerRun struct {
	Version  CheckerVersion `json:"version"`
	Expected int            `json:"expected"` // answers it expects: the spec's questions
	Found    int            `json:"found"`    // answers it found
	// Crash is set when the checker stops with an error instead of a verdict;
	// Questions is then empty.
	Crash     *CheckerCrash     `json:"crash,omitempty"`
	Questions []CheckerQuestion `json:"questions"` // one per spec question, in spec order

	text  string // the report as the checker reads it, line for line parse.Report.Text
	lines lineStarts
}

// CheckerCrash says why the checker stopped.
type CheckerCrash struct {
	Exception string `json:"exception"` // what Python raised (CrashCount, ...)
	Summary   string `json:"summary"`   // in words
	// Causes explain the answer count: their effects add up to Found -
	// Expected for a CrashCount.
	Causes []CheckerCause `json:"causes"`
}

// CheckerCause is one fact of the report that the crash comes from.
type CheckerCause struct {
	Line    int    `json:"line,omitempty"`
	Effect  int    `json:"effect"` // answers it adds to (or, negative, takes from) the count
	Message string `json:"message"`
}

// CheckerQuestion is the checker's verdict on one question.
type CheckerQuestion struct {
	Number int  `json:"number"`
	Words  int  `json:"words"`
	Images int  `json:"images"`
	Pass   bool `json:"pass"`
	Line   int  `json:"line"` // line of the "Answer:" its text follows

	seg span // the text it counted, before its newlines are stripped
}

// span is a byte range [start, stop) of the report's text.
type span struct{ start, stop int }

const (
	answerSplit   = "Answer:"
	legacyHeader  = 43 // characters skipped by legacy versions
	subHeadingCut = "###"
	sectionCut    = "##"
)

// EmulateChecker runs the course checker of spec's course (see
// CheckerVersionFor) on a report's bytes, with spec's table of constraints.
// The built-in specs are the checkers' own tables.
func EmulateChecker(data []byte, spec *Spec) *CheckerRun {
	text, invalidLine := parse.Normalize(data)
	return emulateText(string(text), bomRunes(data), invalidLine, spec, func() (*parse.Report, error) { return parse.Parse(data) })
}

// checkerRun runs the checker on a parsed report: its text, byte-order mark
// and invalid bytes are what the checker reads.
func checkerRun(r *parse.Report, spec *Spec) *CheckerRun {
	bom := 0
	if r.BOM {
		bom = 1
	}
	return emulateText(r.Text, bom, r.InvalidUTF8, spec, func() (*parse.Report, error) { return r, nil })
}

// emulateText runs the checker on a report's normalized text (see
// parse.Normalize); parsed gives the report's parse, needed only to explain
// a crash.
func emulateText(text string, bom, invalidLine int, spec *Spec, parsed func() (*parse.Report, error)) *CheckerRun {
	v := CheckerVersionFor(spec.Name)
	run := &CheckerRun{Version: v, Expected: len(spec.Questions), Questions: []CheckerQuestion{},
		text: text, lines: newLineStarts(text)}
	if invalidLine > 0 {
		// open() decodes with the platform's encoding: UTF-8 on Linux and macOS.
		run.Crash = &CheckerCrash{Exception: CrashDecode, Summary: "the file is not UTF-8 text: Python cannot read it",
			Causes: []CheckerCause{{Line: invalidLine, Message: fmt.Sprintf("line %d is not UTF-8", invalidLine)}}}
		return run
	}
	start := 0
	if v.legacy {
		start = runeOffset(run.text, legacyHeader-bom)
	}
	pieces := splitPieces(run.text, start)
	segs, ok := v.collect(run.text, pieces)
	run.Found = len(segs)
	switch {
	case !ok:
		run.Crash = &CheckerCrash{Exception: CrashNoAnswer, Summary: `the report has no "Answer:": the checker stops`,
			Causes: []CheckerCause{{Effect: -run.Expected, Message: `no "Answer:" anywhere in the report`}}}
	case len(segs) != run.Expected:
		run.Crash = &CheckerCrash{Exception: CrashCount,
			Summary: fmt.Sprintf("the checker finds %d answers where it expects %d and stops", run.Found, run.Expected),
			Causes:  run.countCauses(parsed, spec, pieces)}
	default:
		for i, qs := range spec.Questions {
			run.Questions = append(run.Questions, run.verdict(qs, segs[i]))
		}
	}
	return run
}

// bomRunes is 1 when the file starts with a byte-order mark, which Python
// keeps as a character of the text (parse.Normalize drops it).
func bomRunes(data []byte) int {
	if bytes.HasPrefix(data, []byte("\ufeff")) {
		return 1
	}
	return 0
}

// runeOffset is the byte offset of the n-th character of text (Python slices
// by characters), or len(text).
func runeOffset(text string, n int) int {
	off := 0
	for ; n > 0 && off < len(text); n-- {
		_, size := utf8.DecodeRuneInString(text[off:])
		off += size
	}
	return off
}

// splitPieces is text[start:] split at every "Answer:". Piece 0 is the text
// before the first one; piece i > 0 follows the i-th "Answer:".
func splitPieces(text string, start int) []span {
	var pieces []span
	for {
		i := strings.Index(text[start:], answerSplit)
		if i < 0 {
			return append(pieces, span{start, len(text)})
		}
		pieces = append(pieces, span{start, start + i})
		start += i + len(answerSplit)
	}
}

// collect keeps, of every piece holding "###", its text up to that "###"
// (and up to a "##" before it), then the last piece whole, and drops the
// preamble. ok is false when there is no piece after the preamble to take
// whole (versions from 2025 fail there).
func (v CheckerVersion) collect(text string, pieces []span) (segs []span, ok bool) {
	if !v.legacy {
		pieces = pieces[1:]
		if len(pieces) == 0 {
			return nil, false
		}
	}
	for _, p := range pieces {
		if seg, cut := cutAtHeading(text, p); cut {
			segs = append(segs, seg)
		}
	}
	segs = append(segs, pieces[len(pieces)-1])
	if v.legacy {
		segs = segs[1:]
	}
	return segs, true
}

// cutAtHeading cuts a piece at its first "###", then at a "##" before that;
// cut is false when the piece holds no "###" (the checker skips it).
func cutAtHeading(text string, p span) (span, bool) {
	i := strings.Index(text[p.start:p.stop], subHeadingCut)
	if i < 0 {
		return p, false
	}
	stop := p.start + i
	if j := strings.Index(text[p.start:stop], sectionCut); j >= 0 {
		stop = p.start + j
	}
	return span{p.start, stop}, true
}

func (run *CheckerRun) verdict(qs QuestionSpec, seg span) CheckerQuestion {
	answer := run.text[seg.start:seg.stop]
	q := CheckerQuestion{Number: qs.Number, Words: parse.WordCount(answer), Images: parse.ImageCount(answer),
		Line: run.lines.line(max(seg.start-1, 0)), seg: seg}
	q.Pass = (qs.Words == nil || qs.Words.Contains(q.Words)) && (qs.Images == nil || qs.Images.Contains(q.Images))
	return q
}

// lineStarts maps byte offsets of a text to 1-based lines.
type lineStarts []int

func newLineStarts(text string) lineStarts {
	ls := lineStarts{0}
	for i := range len(text) {
		if text[i] == '\n' {
			ls = append(ls, i+1)
		}
	}
	return ls
}

func (ls lineStarts) line(offset int) int {
	return sort.Search(len(ls), func(i int) bool { return ls[i] > offset })
}

func (ls lineStarts) offset(line int) int { return ls[min(max(line, 1), len(ls))-1] }
