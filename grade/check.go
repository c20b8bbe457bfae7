package grade

import (
	"fmt"
	"path"
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

// Check checks a parsed report against a spec. reportDir is the report's
// folder inside the repository ("reports"), used to resolve figure paths;
// files may be nil when the repository's file list is unknown.
func Check(file string, r *parse.Report, spec *Spec, reportDir string, files *RepoFiles) *CheckResult {
	res := &CheckResult{File: file, Spec: spec.Name, InvalidUTF8: r.InvalidUTF8, Students: []string{}}
	first := map[int]*parse.Question{}
	for i := range r.Questions {
		q := &r.Questions[i]
		if first[q.Number] == nil {
			first[q.Number] = q
		}
	}
	for _, qs := range spec.Questions {
		qr := checkQuestion(first[qs.Number], qs, reportDir, files)
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

func checkQuestion(q *parse.Question, qs QuestionSpec, reportDir string, files *RepoFiles) QuestionResult {
	qr := QuestionResult{Number: qs.Number, WordRange: qs.Words, ImageRange: qs.Images, Problems: []Finding{}, Findings: []Finding{}}
	if q == nil {
		qr.Problems = append(qr.Problems, newFinding(KindMissing, qs.Number, "Question %d is not in the report", qs.Number))
		return qr
	}
	qr.Line, qr.Words, qr.Images = q.Line, q.Words, len(q.Images)
	if qs.Words != nil && !qs.Words.Contains(q.Words) {
		qr.Problems = append(qr.Problems, rangeProblem(KindWords, qs.Number, "words", q.Words, *qs.Words))
	}
	if qs.Images != nil && !qs.Images.Contains(len(q.Images)) {
		qr.Problems = append(qr.Problems, rangeProblem(KindImages, qs.Number, "images", len(q.Images), *qs.Images))
	}
	qr.Pass = len(qr.Problems) == 0
	qr.Findings = findings(q, reportDir, files)
	return qr
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
func findings(q *parse.Question, reportDir string, files *RepoFiles) []Finding {
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
	figures := slices.Concat(withoutCode(q.Images, q.CodeImages), q.HTMLImages, q.LinkImages)
	for _, img := range figures {
		out = append(out, checkFigure(q.Number, img, reportDir, files)...)
	}
	return out
}

func withoutCode(all, code []parse.Image) []parse.Image {
	return slices.DeleteFunc(slices.Clone(all), func(img parse.Image) bool { return slices.Contains(code, img) })
}

// Figure resolution outcomes.
const (
	FigureInRepo  = "repo"   // a path inside the repository
	FigureRemote  = "remote" // an http(s) URL
	FigureOutside = "outside"
	FigureData    = "data" // an inline data: URI
)

// ResolveFigure resolves an image target written in a report kept in
// reportDir. It returns the repository path for targets inside the repo; for
// URLs and paths outside the repository it returns "" and the kind. Paths may
// climb out of the report's folder but never out of the repository.
func ResolveFigure(reportDir, target string) (repoPath, kind string) {
	t := strings.TrimSpace(target)
	lower := strings.ToLower(t)
	switch {
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"), strings.HasPrefix(lower, "//"):
		return "", FigureRemote
	case strings.HasPrefix(lower, "data:"):
		return "", FigureData
	case t == "", strings.HasPrefix(t, "/"), strings.HasPrefix(t, "\\"), strings.Contains(t, ":"):
		return "", FigureOutside // absolute paths, drive letters, other schemes
	}
	if i := strings.IndexAny(t, "?#"); i >= 0 {
		t = t[:i]
	}
	t = strings.ReplaceAll(t, "%20", " ")
	joined := path.Join(reportDir, t)
	if joined == ".." || strings.HasPrefix(joined, "../") || joined == "." {
		return "", FigureOutside
	}
	return joined, FigureInRepo
}

var figureFormats = []string{".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}

func checkFigure(question int, img parse.Image, reportDir string, files *RepoFiles) []Finding {
	p := func(kind Kind, msg string) []Finding {
		f := newFinding(kind, question, "%s", msg)
		f.Target, f.Line = img.Target, img.Line
		return []Finding{f}
	}
	repoPath, kind := ResolveFigure(reportDir, img.Target)
	switch kind {
	case FigureRemote:
		return p(KindRemoteImage, "remote image: not part of the repository at the deadline")
	case FigureOutside:
		return p(KindOutsideRepo, "image path points outside the repository")
	case FigureData:
		return nil
	}
	var out []Finding
	if ext := strings.ToLower(path.Ext(repoPath)); !slices.Contains(figureFormats, ext) {
		out = append(out, p(KindBadFormat, fmt.Sprintf("unsupported image format %q (use .png, .jpg or .jpeg)", path.Ext(repoPath)))...)
	}
	if files == nil || files.exact[repoPath] {
		return out
	}
	if real, ok := files.lower[strings.ToLower(repoPath)]; ok {
		return append(out, p(KindCaseMismatch, fmt.Sprintf("file is %s: letter case differs (works on macOS/Windows, not on Linux)", real))...)
	}
	msg := fmt.Sprintf("file %s is not in the repository", repoPath)
	if fromRoot, kind := ResolveFigure(".", img.Target); kind == FigureInRepo && files.exact[fromRoot] {
		msg += fmt.Sprintf(" (%s exists: links are relative to the report's folder, not the repository root)", fromRoot)
	}
	return append(out, p(KindMissingFile, msg)...)
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
