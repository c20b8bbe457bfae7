// Package feedback writes the feedback released to each group: the
// instructor's grade, comments and scores read back from the gradebook and
// the findings of the levels the instructor chooses, through a template
// (Go text/template over Data) into markdown for an issue on the group's
// repository. Student text in it is escaped (Text): an issue is rendered
// by GitHub, where markdown could link, mention and embed.
package feedback

import (
	"bytes"
	_ "embed"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"handin/grade"
)

// Data is what a feedback template is executed with: one group's feedback.
// Every string in it is markdown ready to be written as it is: what comes
// from the group's repository is escaped (see Text), the instructor's
// values from the gradebook are as typed (markdown of the instructor's).
type Data struct {
	Group    int
	Students []string // the group's student ids, as groups.csv lists them
	// Commit is the commit that counts (its full SHA; GitHub links it in an
	// issue of the repository); "" when the group has none.
	Commit string
	// Grade and Comment are the Groups sheet's Grade and Comment; Total and
	// Max the rubric's points on the Groups sheet (Total as the spreadsheet
	// last computed it, else the sum of the Scores); "" where empty.
	Grade, Comment, Total, Max string
	// Questions are the questions the instructor scored or commented on
	// (the Questions sheet's Score and Comment), in order.
	Questions []Question
	// Findings are the group's findings of the chosen Levels, most pressing
	// first, but for those comparing it with other groups (they name them).
	Findings []Finding
	Levels   []grade.Level
}

// Question is the instructor's score and comment on one question.
type Question struct {
	Number         int
	Score, Comment string
}

// Finding is one finding as students read it: the kind's title and the
// message, the question it concerns (0 for the report as a whole).
type Finding struct {
	Level    grade.Level
	Kind     grade.Kind
	Question int
	Title    string
	Message  string // escaped: it quotes the report and the repository
}

// DefaultLevels are the levels of findings feedback holds unless told
// otherwise: what bears on the grade. Findings to act on are the
// instructor's to resolve before grading (a backdated commit, another
// group's number), findings to check are often no fault of the group's.
var DefaultLevels = []grade.Level{grade.LevelGrade}

// Marker is the hidden line at the end of every feedback body: an issue
// holding it is the group's feedback issue, updated by the next release.
const Marker = "<!-- handin feedback: handin finds this issue by this line; keep it -->"

//go:embed default.md.tmpl
var defaultTemplate string

// Template is a feedback template: text (a file's, or the built-in one's
// when "") parsed as Go text/template, named name in errors.
func Template(name, text string) (*template.Template, error) {
	if text == "" {
		name, text = "built-in feedback template", defaultTemplate
	}
	t, err := template.New(name).Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, fmt.Errorf("feedback template: %w", err)
	}
	return t, nil
}

// hexSHA is a full commit id.
var hexSHA = regexp.MustCompile(`^[0-9a-f]{40}$`)

// Build is the feedback data of a group's result and the instructor's
// marks (nil when the gradebook has no row of the group).
func Build(r *grade.GroupResult, m *Marks, levels []grade.Level) Data {
	d := Data{Group: r.Group, Levels: levels}
	for _, s := range r.Students {
		d.Students = append(d.Students, Text(s.ID))
	}
	if hexSHA.MatchString(r.Pin.SHA) {
		d.Commit = r.Pin.SHA
	}
	if m != nil {
		d.Grade, d.Comment, d.Total, d.Max = m.Grade, m.Comment, m.Total, m.Max
		for _, q := range slices.Sorted(maps.Keys(m.Questions)) {
			d.Questions = append(d.Questions, Question{Number: q, Score: m.Questions[q].Score, Comment: m.Questions[q].Comment})
		}
		if d.Total == "" {
			d.Total = sumOfScores(m.Questions)
		}
	}
	findings := slices.Clone(r.Findings)
	slices.SortStableFunc(findings, grade.CompareFindings)
	for _, f := range findings {
		// what comparing groups found names other groups: never sent
		if slices.Contains(levels, f.Level) && !grade.NamesOtherGroups(f.Kind) {
			d.Findings = append(d.Findings, Finding{Level: f.Level, Kind: f.Kind, Question: f.Question,
				Title: Text(grade.TitleOf(f)), Message: Text(f.Message)})
		}
	}
	return d
}

// Render is the issue body of d: the template's markdown, then Marker.
func Render(t *template.Template, d Data) (string, error) {
	var b bytes.Buffer
	if err := t.Execute(&b, d); err != nil {
		return "", fmt.Errorf("group %d: %w", d.Group, err)
	}
	return strings.TrimSpace(b.String()) + "\n\n" + Marker + "\n", nil
}

// sumOfScores is the sum of the scores when every one is a number ("" when
// there is none, or one is not a number): what the Total formula gives
// before a spreadsheet program has computed it.
func sumOfScores(scores map[int]Scored) string {
	sum, scored := 0.0, false
	for _, s := range scores {
		if s.Score == "" {
			continue
		}
		f, err := strconv.ParseFloat(s.Score, 64)
		if err != nil {
			return ""
		}
		sum, scored = sum+f, true
	}
	if !scored {
		return ""
	}
	return strconv.FormatFloat(sum, 'g', 12, 64)
}
