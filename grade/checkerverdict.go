package grade

import (
	"fmt"
	"strings"

	"handin/parse"
)

// CheckerVerdict is what the course checker of the spec's course says about
// a report as a whole.
type CheckerVerdict struct {
	Version string `json:"version"` // "2026-01-09 e3622b4"
	// Crash is set when the checker would stop with an error instead of a
	// verdict: the questions' counts are then handin's, of each whole answer.
	Crash *CheckerCrash `json:"crash,omitempty"`
}

// AnswerCounts are a question's whole answer's counts (the text under its
// heading after "Answer:"), where the checker counted other text.
type AnswerCounts struct {
	Words  int  `json:"words"`
	Images int  `json:"images"`
	Pass   bool `json:"pass"`
	// Segment says how the checker's text differs: SegmentStoppedEarly or
	// SegmentStrayed; Line is where it stopped or strayed.
	Segment string `json:"segment"`
	Line    int    `json:"line"`
}

// segmentDiffs are the questions whose checker text is not the whole
// answer, by number (none when the checker would crash).
func segmentDiffs(run *CheckerRun, r *parse.Report) map[int]SegmentDiff {
	out := map[int]SegmentDiff{}
	if run.Crash != nil {
		return out
	}
	for _, d := range run.segments(r) { // run was emulated on r.Text
		out[d.Number] = d
	}
	return out
}

// withCheckerCounts gives a question the checker's counts and verdict, and,
// where the checker counted other text than the whole answer, the whole
// answer's counts and a checker-segmentation finding. The finding is
// minor unless the two verdicts differ: then what the student saw is not
// what the answer as written gets.
func withCheckerCounts(qr QuestionResult, qs QuestionSpec, cq CheckerQuestion, diff SegmentDiff) QuestionResult {
	whole := AnswerCounts{Words: qr.Words, Images: qr.Images, Pass: qr.Pass}
	wholeProblems, missing := qr.Problems, qr.Line == 0
	qr.Words, qr.Images, qr.Pass = cq.Words, cq.Images, cq.Pass
	qr.Problems = rangeProblems(qs, cq.Words, cq.Images)
	if diff.Kind == "" {
		return qr
	}
	whole.Segment, whole.Line = diff.Kind, diff.Line
	qr.Answer = &whole
	f := newFinding(KindCheckerSegmentation, qs.Number, "%s; %s", diff.Message, verdicts(whole, wholeProblems, missing, cq.Pass))
	f.Line = diff.Line
	if whole.Pass == cq.Pass {
		f = f.asMinor()
	}
	qr.Findings = append([]Finding{f}, qr.Findings...)
	return qr
}

// verdicts compares the checker's verdict with the whole answer's (none
// when the question is missing).
func verdicts(whole AnswerCounts, wholeProblems []Finding, missing, checkerPass bool) string {
	counts := fmt.Sprintf("the whole answer has %d words and %d images", whole.Words, whole.Images)
	if missing {
		counts = "the question is not in the report"
	}
	switch {
	case whole.Pass == checkerPass && checkerPass:
		return counts + ": both pass"
	case whole.Pass == checkerPass:
		return counts + ": both fail"
	case checkerPass:
		reasons := make([]string, len(wholeProblems))
		for i, p := range wholeProblems {
			reasons[i] = p.Message
		}
		return fmt.Sprintf("the checker passes the question, but the answer as written fails (%s)", strings.Join(reasons, "; "))
	}
	return counts + ": the checker fails the question, but the whole answer passes"
}

// crashFinding says once, for the group, that the course checker would stop
// on the report, and why.
func crashFinding(v CheckerVerdict) Finding {
	c := v.Crash
	causes := make([]string, 0, len(c.Causes))
	for _, cause := range c.Causes {
		causes = append(causes, cause.Message)
	}
	f := newFinding(KindCheckerCrash, 0, "the course checker (report.py check, %s) would stop with %s: %s (%s); the counts shown are handin's, of each whole answer",
		v.Version, c.Exception, c.Summary, strings.Join(causes, "; "))
	for _, cause := range c.Causes {
		if cause.Line > 0 {
			f.Line = cause.Line
			break
		}
	}
	return f
}
