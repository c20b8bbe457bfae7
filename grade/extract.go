package grade

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"handin/internal/lazyregexp"
	"handin/parse"
)

var (
	// "Answer length: 100-200 words" and "Recommended answer length: ...".
	lengthLine = &lazyregexp.Regexp{Expr: `(?i)answer length:\s*(\d+)\s*(?:-|to)\s*(\d+)\s*words`}
	// "1 to 3 screenshots", "1-2 images".
	imageRange = &lazyregexp.Regexp{Expr: `(?i)\b(\d+)\s*(?:-|to)\s*(\d+)\s+(?:screenshots?|images?|figures?)\b`}
	// "one image", "a figure", "1 screenshot".
	imageOne = &lazyregexp.Regexp{Expr: `(?i)\b(?:one|an?|1)\s+(?:screenshot|image|figure)\b`}
)

// ExtractSpec derives a spec from a template's own text: the "Answer length"
// lines give word ranges and the prompt's wording ("Upload 1 to 3
// screenshots", "Include a figure") gives image ranges. It also returns the
// questions it could not determine (no length line, no image wording), which
// it leaves unconstrained.
func ExtractSpec(template []byte, name string) (*Spec, []int, error) {
	r, err := parse.Parse(template)
	if err != nil {
		return nil, nil, fmt.Errorf("extract spec: %w", err)
	}
	return extractSpec(r, name)
}

// TemplateSpecs names the built-in specs whose template the report follows:
// every question of the spec, in its order, with the constraints the
// report's own prompts state (a filled-in template keeps them). A report
// whose prompts were edited or deleted follows none; 2023 and 2024 share
// one table, so a report of either follows both.
func TemplateSpecs(r *parse.Report) []string {
	own, _, err := extractSpec(r, "")
	if err != nil {
		return nil
	}
	var names []string
	for _, name := range BuiltinSpecs() {
		if slices.EqualFunc(builtins()[name].Questions, own.Questions, QuestionSpec.same) {
			names = append(names, name)
		}
	}
	return names
}

func extractSpec(r *parse.Report, name string) (*Spec, []int, error) {
	if len(r.Questions) == 0 {
		return nil, nil, fmt.Errorf("extract spec: no \"### Question N\" headings in the template")
	}
	spec := &Spec{Name: name, Source: "extracted from the template's text"}
	var undetermined []int
	for _, q := range r.Questions {
		if _, dup := spec.Question(q.Number); dup {
			continue
		}
		qs := QuestionSpec{Number: q.Number}
		if m := lengthLine.FindStringSubmatch(q.Prompt); m != nil {
			qs.Words = atoiRange(m[1], m[2])
		}
		qs.Images = promptImages(q.Prompt)
		if qs.Words == nil && qs.Images == nil {
			undetermined = append(undetermined, q.Number)
		}
		spec.Questions = append(spec.Questions, qs)
	}
	return spec, undetermined, spec.validate()
}

// promptImages reads the image count from the instruction lines of a prompt
// (the bold lines and the length line), not from its example text.
func promptImages(prompt string) *Range {
	for _, line := range strings.Split(prompt, "\n") {
		line = strings.TrimLeft(line, "> ")
		if !strings.HasPrefix(line, "**") && !lengthLine.MatchString(line) {
			continue
		}
		if m := imageRange.FindStringSubmatch(line); m != nil {
			return atoiRange(m[1], m[2])
		}
		if imageOne.MatchString(line) {
			return &Range{Min: 1, Max: 1}
		}
	}
	return nil
}

func atoiRange(lo, hi string) *Range {
	a, _ := strconv.Atoi(lo)
	b, _ := strconv.Atoi(hi)
	return &Range{Min: a, Max: b}
}
