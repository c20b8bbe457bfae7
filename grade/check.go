package grade

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"handin/internal/lazyregexp"
	"handin/parse"
)

// RepoFiles is the set of file paths of a repository (the deadline tree, or a
// corpus *.files.txt), for checking that figures exist.
type RepoFiles struct {
	exact map[string]bool
	lower map[string]string // lower-cased path -> real path
}

// NewRepoFiles indexes repository paths (slash-separated, from the repo root).
func NewRepoFiles(paths []string) *RepoFiles {
	f := &RepoFiles{exact: map[string]bool{}, lower: map[string]string{}}
	for _, p := range paths {
		f.exact[p] = true
		f.lower[strings.ToLower(p)] = p
	}
	return f
}

// lookup finds a path in the repository: real is the path as the tree has
// it (p itself, or p in another letter case); found is false when the tree
// has it in no letter case, or the files are unknown (f is nil).
func (f *RepoFiles) lookup(p string) (real string, found bool) {
	if f == nil {
		return "", false
	}
	if f.exact[p] {
		return p, true
	}
	real, found = f.lower[strings.ToLower(p)]
	return real, found
}

// Repository is what Check knows of the repository holding a report. Only
// ReportDir is required: what is left out is not checked.
type Repository struct {
	// ReportDir is the report's folder in the repository ("reports"; "."
	// for the root), where relative figure paths start.
	ReportDir string
	// Files are the deadline tree's paths; nil when unknown (figure files
	// are then not looked for).
	Files *RepoFiles
	// URLs are the repository's addresses (clone URL, web URL, where it
	// moved): a URL of a file in the repository is checked as that file.
	URLs []string
	// Branch is the branch graded, History the commit ids up to the
	// deadline commit: they tell which commit a URL into the repository
	// shows. Empty when unknown.
	Branch  string
	History []string
}

// Check checks a parsed report against a spec. Each question's words,
// images and pass are the course checker's (EmulateChecker with the spec's
// checker version), as students saw them, with the whole answer's counts
// beside them where the checker counted other text; where the checker
// would stop with an error they are handin's counts of each whole answer.
func Check(file string, r *parse.Report, spec *Spec, repo Repository) *CheckResult {
	res := &CheckResult{File: file, Spec: spec.Name, InvalidUTF8: r.InvalidUTF8, ReadAsText: r.Plain, Students: []string{},
		FilesChecked: repo.Files != nil}
	first := map[int]*parse.Question{}
	for i := range r.Questions {
		q := &r.Questions[i]
		if first[q.Number] == nil {
			first[q.Number] = q
		}
	}
	run := checkerRun(r, spec)
	res.Checker = CheckerVerdict{Version: run.Version.String(), Crash: run.Crash}
	segments := segmentDiffs(run, r)
	figures := newFigureChecker(repo)
	for i, qs := range spec.Questions {
		qr := checkQuestion(first[qs.Number], qs, figures)
		if run.Crash == nil {
			qr = withCheckerCounts(qr, qs, run.Questions[i], segments[qs.Number])
		}
		if qr.Pass {
			res.Passed++
		}
		res.Questions = append(res.Questions, qr)
	}
	res.Pass = res.Passed == len(spec.Questions)
	res.Drift = drift(r, spec)
	if q := first[1]; q != nil {
		res.Group, res.GroupText = groupNumber(q.Answer)
	}
	if q := first[2]; q != nil {
		res.Students = studentIDs(q.Answer)
	}
	res.Checklist = checklist(r.Checklist)
	return res
}

// checkQuestion checks a question's whole answer (the text under its
// heading) against its spec.
func checkQuestion(q *parse.Question, qs QuestionSpec, figures *figureChecker) QuestionResult {
	qr := QuestionResult{Number: qs.Number, WordRange: qs.Words, ImageRange: qs.Images, Problems: []Finding{}, Findings: []Finding{}}
	if q == nil {
		qr.Problems = append(qr.Problems, newFinding(KindMissing, qs.Number, "Question %d is not in the report", qs.Number))
		return qr
	}
	qr.Line, qr.Words, qr.Images = q.Line, q.Words, len(q.Images)
	qr.Problems = rangeProblems(qs, qr.Words, qr.Images)
	qr.Pass = len(qr.Problems) == 0
	qr.Findings = findings(q, figures)
	return qr
}

// rangeProblems are the checker's reasons to fail a question with these
// counts.
func rangeProblems(qs QuestionSpec, words, images int) []Finding {
	out := []Finding{}
	if qs.Words != nil && !qs.Words.Contains(words) {
		out = append(out, rangeProblem(KindWords, qs.Number, "words", words, *qs.Words))
	}
	if qs.Images != nil && !qs.Images.Contains(images) {
		out = append(out, rangeProblem(KindImages, qs.Number, "images", images, *qs.Images))
	}
	return out
}

func rangeProblem(kind Kind, question int, unit string, got int, want Range) Finding {
	how := "too many"
	if got < want.Min {
		how = "too few"
	}
	f := newFinding(kind, question, "%s %s: %d, expected %d-%d", how, unit, got, want.Min, want.Max)
	f.Min, f.Max, f.Got = &want.Min, &want.Max, &got
	return f
}

// findings lists what the checker does not look at: placeholders and the
// state of every figure reference.
func findings(q *parse.Question, figures *figureChecker) []Finding {
	out := []Finding{}
	add := func(kind Kind, msg, target string, line int) {
		f := newFinding(kind, q.Number, "%s", msg)
		f.Target, f.Line = target, line
		out = append(out, f)
	}
	if !q.HasMarker {
		add(KindNoMarker, `no "Answer:" line (answer taken from after the prompt)`, "", q.Line)
	}
	switch {
	case q.OnlyPlaceholder || strings.TrimSpace(q.Answer) == "":
		add(KindUnanswered, "unanswered: only the template placeholder is there", "", q.AnswerLine)
	case q.Placeholder:
		add(KindPlaceholder, "the template placeholder is still in the answer", "", q.AnswerLine)
	}
	for _, img := range q.CodeImages {
		add(KindCodeImage, "image written inside backticks: shown as text, not as an image", img.Target, img.Line)
	}
	for _, img := range q.LinkImages {
		add(KindLinkImage, "a link to an image where an image was meant (missing \"!\")", img.Target, img.Line)
	}
	for _, img := range q.HTMLImages {
		add(KindHTMLImage, "HTML <img>: shown, but not counted by the course checker", img.Target, img.Line)
	}
	for _, img := range slices.Concat(withoutCode(q.Images, q.CodeImages), q.HTMLImages, q.LinkImages) {
		out = append(out, figures.check(q.Number, img)...)
	}
	return out
}

func withoutCode(all, code []parse.Image) []parse.Image {
	inCode := make(map[parse.Image]bool, len(code))
	for _, img := range code {
		inCode[img] = true
	}
	return slices.DeleteFunc(slices.Clone(all), func(img parse.Image) bool { return inCode[img] })
}

func drift(r *parse.Report, spec *Spec) Drift {
	var d Drift
	count := map[int]int{}
	maxSeen := 0
	for _, q := range r.Questions {
		count[q.Number]++
		if count[q.Number] == 2 {
			d.Duplicated = append(d.Duplicated, q.Number)
		}
		if q.Number < maxSeen && count[q.Number] == 1 {
			d.OutOfOrder = append(d.OutOfOrder, q.Number)
		}
		maxSeen = max(maxSeen, q.Number)
		if _, ok := spec.Question(q.Number); !ok && count[q.Number] == 1 {
			d.Extra = append(d.Extra, q.Number)
		}
	}
	for _, qs := range spec.Questions {
		if count[qs.Number] == 0 {
			d.Missing = append(d.Missing, qs.Number)
		}
	}
	if n := len(count); n != len(spec.Questions) && (len(d.Extra) > 0 || len(d.Missing) > 2) {
		d.Mismatch = fmt.Sprintf("the report has %d questions, spec %s has %d: it may follow another year's template%s",
			n, spec.Name, len(spec.Questions), suggestSpec(n))
	}
	return d
}

// suggestSpec names the built-in specs with n questions.
func suggestSpec(n int) string {
	var names []string
	for _, name := range BuiltinSpecs() {
		if s, err := LoadSpec(name); err == nil && len(s.Questions) == n {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " (try --spec " + strings.Join(names, " or --spec ") + ")"
}

var (
	studentID   = &lazyregexp.Regexp{Expr: `(?i)\bs\d{6}\b`}
	groupWord   = &lazyregexp.Regexp{Expr: `(?i)\bgroup\s*(?:no\.?|nr\.?|number|num\.?|#)?\s*[:#-]?\s*(\d{1,4})\b`}
	plainNumber = &lazyregexp.Regexp{Expr: `\b\d{1,4}\b`}
)

// groupNumber finds the group number in Question 1's answer ("42",
// "Group 42", "Group: 35", "MLOps 4", "Awesome 21").
func groupNumber(answer string) (*int, string) {
	text := strings.TrimSpace(parse.StripPlaceholders(answer))
	text = strings.Trim(text, "-` \n")
	var digits string
	if m := groupWord.FindStringSubmatch(text); m != nil {
		digits = m[1]
	} else if m := plainNumber.FindString(studentID.ReplaceAllString(text, "")); m != "" {
		digits = m
	}
	if digits == "" {
		return nil, text
	}
	n, err := strconv.Atoi(digits)
	if err != nil {
		return nil, text
	}
	return &n, text
}

// studentIDs lists the ids (s + 6 digits, lower-cased) in Question 2's
// answer, in order, duplicates kept.
func studentIDs(answer string) []string {
	ids := []string{}
	for _, m := range studentID.FindAllString(answer, -1) {
		ids = append(ids, strings.ToLower(m))
	}
	return ids
}

func checklist(sections []parse.ChecklistSection) []ChecklistSummary {
	out := []ChecklistSummary{}
	for _, s := range sections {
		sum := ChecklistSummary{Section: s.Name, Checked: s.Checked(), Total: len(s.Items), Items: []ChecklistItem{}}
		for _, it := range s.Items {
			sum.Items = append(sum.Items, ChecklistItem{Text: it.Text, Module: it.Module, Checked: it.Checked, Line: it.Line})
		}
		out = append(out, sum)
	}
	return out
}
