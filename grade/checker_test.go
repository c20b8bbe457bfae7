package grade

import (
	"fmt"
	"strings"
	"testing"

	"handin/parse"
)

// synthReport writes a report in the template's shape for a spec: front
// matter, a checklist, then every question as "### Question N", a quoted
// prompt and "> Answer:". answers overrides a question's answer (default:
// "word" repeated to the lower end of its word range plus the images it
// needs); a question mapped to "-" is left out entirely.
func synthReport(spec *Spec, answers map[int]string) string {
	var b strings.Builder
	b.WriteString("---\nlayout: default\nnav_exclude: true\n---\n\n# Exam report\n\n## Checklist\n\n### Week 1\n\n* [x] a task\n\n## Group information\n\n")
	for _, qs := range spec.Questions {
		a, ok := answers[qs.Number]
		if a == "-" {
			continue
		}
		if !ok {
			a = defaultAnswer(qs)
		}
		fmt.Fprintf(&b, "### Question %d\n> **Say something.**\n>\n> Answer:\n\n%s\n\n", qs.Number, a)
	}
	return b.String()
}

func defaultAnswer(qs QuestionSpec) string {
	var parts []string
	if qs.Words != nil && qs.Words.Min > 0 {
		parts = append(parts, strings.TrimSpace(strings.Repeat("word ", qs.Words.Min)))
	}
	if qs.Images != nil {
		for i := range qs.Images.Min {
			parts = append(parts, fmt.Sprintf("![fig %d](figures/f%d.png)", i, i))
		}
	}
	if len(parts) == 0 {
		return "free text"
	}
	return strings.Join(parts, "\n\n")
}

// emulate runs the checker and compares its segments with parse's answers.
func emulate(t *testing.T, src string, spec *Spec) (*CheckerRun, []SegmentDiff) {
	t.Helper()
	run := EmulateChecker([]byte(src), spec)
	if run.Crash != nil {
		checkEffects(t, run)
		return run, nil
	}
	r, err := parse.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	diffs, err := CompareSegments(run, r)
	if err != nil {
		t.Fatal(err)
	}
	return run, diffs
}

// checkEffects: a count crash's causes add up to the answers found too many
// or too few.
func checkEffects(t *testing.T, run *CheckerRun) {
	t.Helper()
	if run.Crash.Exception != CrashCount {
		return
	}
	sum := 0
	for _, c := range run.Crash.Causes {
		sum += c.Effect
	}
	if sum != run.Found-run.Expected {
		t.Errorf("causes add up to %+d, found %d expected %d: %+v", sum, run.Found, run.Expected, run.Crash.Causes)
	}
}

func lineOf(t *testing.T, src, needle string) int {
	t.Helper()
	i := strings.Index(src, needle)
	if i < 0 {
		t.Fatalf("%q not in the report", needle)
	}
	return 1 + strings.Count(src[:i], "\n")
}

func TestCheckerVersionForSpec(t *testing.T) {
	for name, want := range map[string]string{"2023": "2023-01-19 d1fc9de", "2024": "2023-09-27 64ea22b",
		"2025": "2025-01-08 d1b907d", "2026": "2026-01-09 e3622b4", "spec-2027.toml": "2026-01-09 e3622b4"} {
		if got := CheckerVersionFor(name).String(); got != want {
			t.Errorf("%s: checker %s, want %s", name, got, want)
		}
	}
}

// TestEmulateCheckerCleanReport: on a report in the template's shape the
// checker's counts are parse's and no segment differs, for every course.
func TestEmulateCheckerCleanReport(t *testing.T) {
	for _, name := range BuiltinSpecs() {
		spec := mustSpec(t, name)
		src := synthReport(spec, map[int]string{3: "too short"})
		run, diffs := emulate(t, src, spec)
		if run.Crash != nil || run.Found != len(spec.Questions) {
			t.Fatalf("%s: crash %+v, found %d", name, run.Crash, run.Found)
		}
		if len(diffs) != 0 {
			t.Errorf("%s: segments differ: %+v", name, diffs)
		}
		passed := 0
		for _, q := range run.Questions {
			if q.Pass {
				passed++
			}
		}
		q3 := run.Questions[2]
		wantQ3 := spec.Questions[2].Words.Min <= 2 // 2026 accepts 0-200 words
		if q3.Words != 2 || q3.Pass != wantQ3 || passed != len(spec.Questions)-1+boolInt(wantQ3) {
			t.Errorf("%s: Q3 %+v, %d passed", name, q3, passed)
		}
		if q3.Line != lineOf(t, src, "> Answer:\n\ntoo short") {
			t.Errorf("%s: Q3 answer line %d", name, q3.Line)
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestCheckerStopsAtSubHeading: a "####" sub-heading inside an answer ends
// the checker's text there; its count (and verdict) is of the text above.
func TestCheckerStopsAtSubHeading(t *testing.T) {
	spec := mustSpec(t, "2026")
	answer := strings.Repeat("word ", 60) + "\n\n#### Details\n\n" + strings.Repeat("more ", 60)
	src := synthReport(spec, map[int]string{4: answer})
	run, diffs := emulate(t, src, spec)
	q4 := run.Questions[3]
	if q4.Words != 60 || q4.Pass {
		t.Fatalf("Q4 = %+v, want 60 words, failing 100-200", q4)
	}
	if len(diffs) != 1 {
		t.Fatalf("diffs = %+v", diffs)
	}
	d := diffs[0]
	if d.Number != 4 || d.Kind != SegmentStoppedEarly || d.Line != lineOf(t, src, "#### Details") ||
		d.Words != 122 || d.CheckerWords != 60 || !strings.Contains(d.Message, `"###"`) {
		t.Errorf("diff = %+v", d)
	}
}

// TestCheckerStopsAtDoubleHash: "##" anywhere in an answer (here C#'s
// sibling in prose) cuts it too, and images after the cut are not counted.
func TestCheckerStopsAtDoubleHash(t *testing.T) {
	spec := mustSpec(t, "2025")
	answer := strings.Repeat("word ", 210) + "we rewrote it in F## later\n\n![a](figures/a.png)"
	src := synthReport(spec, map[int]string{14: answer})
	run, diffs := emulate(t, src, spec)
	q14 := run.Questions[13]
	if q14.Words != 215 || q14.Images != 0 || q14.Pass {
		t.Fatalf("Q14 = %+v", q14)
	}
	if len(diffs) != 1 || diffs[0].Kind != SegmentStoppedEarly || diffs[0].Images != 1 || diffs[0].CheckerImages != 0 ||
		diffs[0].Line != lineOf(t, src, "F## later") || !strings.Contains(diffs[0].Message, `"##"`) {
		t.Errorf("diffs = %+v", diffs)
	}
}

// TestCheckerSubHeadingRightAfterMarker: an answer that starts with a
// sub-heading gives the checker no text at all.
func TestCheckerSubHeadingRightAfterMarker(t *testing.T) {
	spec := mustSpec(t, "2026")
	src := synthReport(spec, map[int]string{5: "### Our setup\n\n" + strings.Repeat("word ", 120)})
	run, diffs := emulate(t, src, spec)
	if q5 := run.Questions[4]; q5.Words != 0 || q5.Pass {
		t.Fatalf("Q5 = %+v", q5)
	}
	if len(diffs) != 1 || diffs[0].Kind != SegmentStoppedEarly || diffs[0].Line != lineOf(t, src, "### Our setup") {
		t.Errorf("diffs = %+v", diffs)
	}
}

// TestCheckerStraysPastLastAnswer: a "#" heading after the last answer is
// not a "###": the checker counts everything after it as the last answer.
func TestCheckerStraysPastLastAnswer(t *testing.T) {
	spec := mustSpec(t, "2024")
	src := synthReport(spec, nil) + "# Appendix\n\n" + strings.Repeat("extra ", 200)
	run, diffs := emulate(t, src, spec)
	last := run.Questions[len(run.Questions)-1]
	if last.Words != 50+2+200 || last.Pass {
		t.Fatalf("Q27 = %+v", last)
	}
	if len(diffs) != 1 || diffs[0].Number != 27 || diffs[0].Kind != SegmentStrayed ||
		diffs[0].Line != lineOf(t, src, "# Appendix") || diffs[0].Words != 50 {
		t.Errorf("diffs = %+v", diffs)
	}
}

// TestCheckerSecondAnswerMarker: "Answer:" twice in one question, no "###"
// between: the checker drops the text before the second, so the count of
// answers is right but this one is short.
func TestCheckerSecondAnswerMarker(t *testing.T) {
	spec := mustSpec(t, "2026")
	answer := strings.Repeat("word ", 100) + "\n\nShort Answer: yes, " + strings.Repeat("more ", 10)
	src := synthReport(spec, map[int]string{6: answer})
	run, diffs := emulate(t, src, spec)
	if run.Crash != nil {
		t.Fatalf("crash %+v", run.Crash)
	}
	if q6 := run.Questions[5]; q6.Words != 11 || q6.Pass {
		t.Fatalf("Q6 = %+v", q6)
	}
	second := lineOf(t, src, "Short Answer:")
	if len(diffs) != 1 || diffs[0].Kind != SegmentStrayed || diffs[0].Line != second || diffs[0].Words != 113 {
		t.Errorf("diffs = %+v", diffs)
	}
}

// Crashes: what changes the number of answers the checker finds.
func TestEmulatedCheckerCrashes(t *testing.T) {
	spec := mustSpec(t, "2026")
	twice := strings.Repeat("word ", 100) + "\n\n### Update\n\nAnswer: " + strings.Repeat("more ", 100)
	cases := []struct {
		name      string
		src       string
		found     int
		causeLine string // a line the causes must name ("" for none)
		cause     string // words the causes must hold
	}{
		{"question deleted", synthReport(spec, map[int]string{12: "-"}), 30, "", "Question 12 has no heading"},
		{"heading deleted, answer kept",
			strings.Replace(synthReport(spec, nil), "### Question 8\n", "", 1), 30, "", "Question 8 has no heading"},
		{"question duplicated",
			strings.Replace(synthReport(spec, nil), "### Question 9\n", "### Question 9\n> Answer:\n\nfirst try\n\n### Question 9\n", 1),
			32, "### Question 9\n> **", "Question 9 appears again"},
		{"Answer: twice around a sub-heading", synthReport(spec, map[int]string{7: twice}), 32,
			"Answer: more", "Question 7"},
		{"sub-heading after the last answer", synthReport(spec, nil) + "### Thanks\n\nfor reading\n", 32,
			"### Thanks", "counts the text after it twice"},
		{"question without Answer:",
			strings.Replace(synthReport(spec, nil), "### Question 20\n> **Say something.**\n>\n> Answer:", "### Question 20\n", 1),
			30, "### Question 20", `Question 20 (line`},
		{"extra question", synthReport(spec, nil) + "### Question 32\n> Answer:\n\nbonus\n", 32, "### Question 32", "not in the template"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			run, _ := emulate(t, c.src, spec)
			if run.Crash == nil || run.Crash.Exception != CrashCount || run.Found != c.found || len(run.Questions) != 0 {
				t.Fatalf("run = found %d, crash %+v", run.Found, run.Crash)
			}
			var lines []int
			var text []string
			for _, cause := range run.Crash.Causes {
				lines = append(lines, cause.Line)
				text = append(text, cause.Message)
			}
			if all := strings.Join(text, "\n"); !strings.Contains(all, c.cause) {
				t.Errorf("causes %q do not say %q", all, c.cause)
			}
			if c.causeLine != "" {
				// the last occurrence: a duplicated heading's second copy
				want := lineOf(t, c.src, c.causeLine)
				if i := strings.LastIndex(c.src, c.causeLine); i >= 0 {
					want = 1 + strings.Count(c.src[:i], "\n")
				}
				if !containsInt(lines, want) {
					t.Errorf("causes %+v do not name line %d", run.Crash.Causes, want)
				}
			}
		})
	}
}

// TestCheckerCrashCausesFolded: a report with thousands of question
// headings lists the first causes one by one and sums up the rest.
func TestCheckerCrashCausesFolded(t *testing.T) {
	spec := mustSpec(t, "2026")
	var extra strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&extra, "### Question %d\n> Answer:\n\nmore\n\n", 100+i%900)
	}
	run, _ := emulate(t, synthReport(spec, nil)+extra.String(), spec) // checks that the effects add up
	if run.Crash == nil || run.Found != 31+2000 {
		t.Fatalf("run = found %d, crash %+v", run.Found, run.Crash)
	}
	causes := run.Crash.Causes
	if len(causes) != maxCauses || !strings.Contains(causes[0].Message, "Question 100 (line") ||
		causes[maxCauses-1].Message != fmt.Sprintf("%d more causes like these", 2000-(maxCauses-1)) {
		t.Errorf("causes = %+v", causes)
	}
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// TestCheckerWithoutAnswerMarkers: a report with no "Answer:" at all stops
// the versions from 2025 with an IndexError and the older ones with a
// ValueError (they find one answer: the whole text).
func TestCheckerWithoutAnswerMarkers(t *testing.T) {
	for name, want := range map[string]string{"2026": CrashNoAnswer, "2025": CrashNoAnswer, "2024": CrashCount, "2023": CrashCount} {
		spec := mustSpec(t, name)
		src := strings.ReplaceAll(synthReport(spec, nil), "> Answer:", ">")
		run, _ := emulate(t, src, spec)
		if run.Crash == nil || run.Crash.Exception != want || len(run.Crash.Causes) == 0 {
			t.Errorf("%s: crash %+v, want %s", name, run.Crash, want)
		}
		if want == CrashCount && run.Found != 1 {
			t.Errorf("%s: found %d answers, want 1", name, run.Found)
		}
	}
}

// TestCheckerLegacyHeader: the 2023/2024 checkers skip the first 43
// characters, so an "Answer:" there is not seen; the 2025+ ones drop the
// whole text before the first "Answer:" anyway. A byte-order mark is one of
// the 43 characters.
func TestCheckerLegacyHeader(t *testing.T) {
	legacy, current := mustSpec(t, "2024"), mustSpec(t, "2025")
	for _, bom := range []string{"", "\ufeff"} {
		// 43 characters including the marker, then a heading: the legacy cut
		// removes the marker but keeps "### Intro".
		head := bom + strings.Repeat("x", 43-len("Answer:")-len([]rune(bom))-1) + "\nAnswer:### Intro\n\n"
		run, _ := emulate(t, head+synthReport(legacy, nil), legacy)
		if run.Crash != nil {
			t.Errorf("bom %q: legacy checker saw the marker in its skipped header: %+v", bom, run.Crash)
		}
		run, _ = emulate(t, head+synthReport(current, nil), current)
		if run.Crash == nil || run.Found != 32 {
			t.Errorf("bom %q: current checker found %d answers, crash %+v", bom, run.Found, run.Crash)
		}
	}
}

// TestCheckerLegacyDropsFirstAnswer: with no "###" before the first
// "Answer:", the legacy checkers drop the first answer instead of the
// preamble.
func TestCheckerLegacyDropsFirstAnswer(t *testing.T) {
	spec := mustSpec(t, "2023")
	src := strings.Replace(synthReport(spec, nil), "### Week 1", "Week 1", 1)
	src = strings.Replace(src, "### Question 1\n", "Question 1\n", 1)
	run, _ := emulate(t, src, spec)
	if run.Crash == nil || run.Found != 26 || !strings.Contains(run.Crash.Causes[len(run.Crash.Causes)-1].Message, "drops the first answer") {
		t.Fatalf("found %d, crash %+v", run.Found, run.Crash)
	}
}

// TestCheckerLineEndingsAndDecoding: CRLF reads as LF (Python's text mode),
// so counts and lines are the same; bytes that are not UTF-8 stop Python.
func TestCheckerLineEndingsAndDecoding(t *testing.T) {
	spec := mustSpec(t, "2026")
	src := synthReport(spec, map[int]string{4: "a\n\n#### b\n\nc d"})
	lf, lfDiffs := emulate(t, src, spec)
	crlf, crlfDiffs := emulate(t, strings.ReplaceAll(src, "\n", "\r\n"), spec)
	if fmt.Sprint(lf.Questions) != fmt.Sprint(crlf.Questions) || fmt.Sprint(lfDiffs) != fmt.Sprint(crlfDiffs) || len(lfDiffs) != 1 {
		t.Errorf("LF %+v %+v\nCRLF %+v %+v", lf.Questions, lfDiffs, crlf.Questions, crlfDiffs)
	}
	bad := strings.Replace(src, "free text", "caf\xe9", 1)
	run := EmulateChecker([]byte(bad), spec)
	if run.Crash == nil || run.Crash.Exception != CrashDecode || run.Crash.Causes[0].Line != lineOf(t, bad, "caf\xe9") {
		t.Errorf("crash %+v", run.Crash)
	}
}

// TestCheckerCountsImagesOnOneLine: the checker's image pattern never spans
// lines and takes the shortest match.
func TestCheckerCountsImagesOnOneLine(t *testing.T) {
	spec := mustSpec(t, "2026")
	src := synthReport(spec, map[int]string{19: "![a](x.png) ![b](y.png)\n![broken\n](z.png) ![c] (w.png)"})
	run, diffs := emulate(t, src, spec)
	if q := run.Questions[18]; q.Images != 2 || !q.Pass || len(diffs) != 0 {
		t.Errorf("Q19 = %+v, diffs %+v", q, diffs)
	}
}

// TestCheckerRenamedHeading: a question heading renamed ("### Fifth
// question") still cuts the checker's text, so it runs without error; parse
// keeps the renamed section inside Question 4's answer and has no Question 5.
func TestCheckerRenamedHeading(t *testing.T) {
	spec := mustSpec(t, "2026")
	src := strings.Replace(synthReport(spec, nil), "### Question 5\n", "### Fifth question\n", 1)
	run, diffs := emulate(t, src, spec)
	if run.Crash != nil {
		t.Fatalf("crash %+v", run.Crash)
	}
	if len(diffs) != 2 {
		t.Fatalf("diffs = %+v", diffs)
	}
	if d := diffs[0]; d.Number != 4 || d.Kind != SegmentStoppedEarly || d.Line != lineOf(t, src, "### Fifth question") {
		t.Errorf("Q4 diff = %+v", d)
	}
	if d := diffs[1]; d.Number != 5 || d.Kind != SegmentStrayed || d.Words != 0 || d.CheckerWords != 100 ||
		!strings.Contains(d.Message, "no Question 5 heading") {
		t.Errorf("Q5 diff = %+v", d)
	}
}
