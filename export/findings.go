package export

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"handin/grade"
)

// kindGroup is every finding of one kind and severity: one entry of the
// violations panel and of the page header, whatever the number of
// questions it concerns.
type kindGroup struct {
	kindInfo
	Anchor    string // id of the entry in the panel
	Problem   bool
	Count     int            // findings
	Questions []questionLink // the questions concerned, in order, each once
	// Messages are the findings about the group as a whole, which no
	// question row shows (none when Section itemizes them).
	Messages []string
}

// questionLink is a question named by the panel; Anchor is "" when the
// page does not show the question (no report, a question missing).
type questionLink struct {
	Number int
	Anchor string
}

// Where says in a few words where the findings are: "in 5 questions",
// "2 times"; "" for a single finding about the group.
func (g kindGroup) Where() string {
	switch n := len(g.Questions); {
	case n == 1:
		return "in 1 question"
	case n > 1:
		return fmt.Sprintf("in %d questions", n)
	case g.Count > 1:
		return fmt.Sprintf("%d times", g.Count)
	}
	return ""
}

// maxBriefQuestions is how many questions Brief names before counting them.
const maxBriefQuestions = 3

// Brief says where in fewer words, for the index and the page header: "Q5",
// "Q5, Q7", "12 questions", "2 times"; "" for a single finding about the
// group.
func (g kindGroup) Brief() string {
	if n := len(g.Questions); n > 0 && n <= maxBriefQuestions {
		names := make([]string, n)
		for i, q := range g.Questions {
			names[i] = fmt.Sprintf("Q%d", q.Number)
		}
		return strings.Join(names, ", ")
	}
	where, _ := strings.CutPrefix(g.Where(), "in ")
	return where
}

// groupFindings groups findings by severity and kind: problems first, each
// severity's kinds most severe first (kindOrder).
func groupFindings(findings []grade.Finding, anchors map[int]bool) []kindGroup {
	var groups []kindGroup
	for _, f := range findings {
		i := slices.IndexFunc(groups, func(g kindGroup) bool { return g.Kind == f.Kind && g.Problem == f.Problem() })
		if i < 0 {
			info, _ := kindOf(f.Kind)
			anchor := "kind-" + string(f.Kind)
			if !f.Problem() {
				anchor += "-info"
			}
			groups = append(groups, kindGroup{kindInfo: info, Anchor: anchor, Problem: f.Problem()})
			i = len(groups) - 1
		}
		g := &groups[i]
		g.Count++
		switch {
		case f.Question > 0:
			if !slices.ContainsFunc(g.Questions, func(q questionLink) bool { return q.Number == f.Question }) {
				g.Questions = append(g.Questions, questionLink{Number: f.Question, Anchor: anchorIf(anchors, f.Question)})
			}
		case !g.Itemized:
			g.Messages = append(g.Messages, f.Text())
		}
	}
	for i := range groups {
		slices.SortFunc(groups[i].Questions, func(a, b questionLink) int { return a.Number - b.Number })
	}
	slices.SortStableFunc(groups, func(a, b kindGroup) int {
		_, ra := kindOf(a.Kind)
		_, rb := kindOf(b.Kind)
		return cmp.Or(problemsFirst(a.Problem, b.Problem), cmp.Compare(ra, rb))
	})
	return groups
}

// problemsFirst orders problems before information.
func problemsFirst(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}

// problemGroups are the groups of problems, the start of groupFindings.
func problemGroups(groups []kindGroup) []kindGroup {
	n := slices.IndexFunc(groups, func(g kindGroup) bool { return !g.Problem })
	if n < 0 {
		return groups
	}
	return groups[:n]
}

func anchorIf(anchors map[int]bool, question int) string {
	if anchors[question] {
		return questionAnchor(question)
	}
	return ""
}

// questionRow is one question of the panel's table: its counts against the
// spec, and every finding about it.
type questionRow struct {
	Number     int
	Anchor     string
	Checked    bool // counted against the spec (false: only findings, e.g. a heading written twice)
	Words      int
	Images     int
	WordRange  *grade.Range
	ImageRange *grade.Range
	Pass       bool
	Problem    bool // a finding about it is a problem (it may still pass the checker)
	Details    []questionDetail
}

type questionDetail struct {
	Text    string
	Problem bool
}

// questionRows lists, one row per question, every question that fails or
// has a finding, in order. The details come from the group's findings, as
// the panel's entries do, so a question's row and its entries agree.
func questionRows(r *grade.GroupResult, anchors map[int]bool) []questionRow {
	checked := map[int]grade.QuestionResult{}
	var numbers []int
	if r.Check != nil {
		for _, q := range r.Check.Questions {
			if _, dup := checked[q.Number]; dup {
				continue
			}
			checked[q.Number] = q
			if !q.Pass {
				numbers = append(numbers, q.Number)
			}
		}
	}
	details := map[int][]questionDetail{}
	for _, f := range r.Findings {
		if f.Question <= 0 {
			continue
		}
		n := f.Question
		f.Question = 0 // the row names the question: its text need not
		details[n] = append(details[n], questionDetail{Text: f.Text(), Problem: f.Problem()})
		numbers = append(numbers, n)
	}
	slices.Sort(numbers)
	var rows []questionRow
	for _, n := range slices.Compact(numbers) {
		q, ok := checked[n]
		row := questionRow{Number: n, Anchor: anchorIf(anchors, n), Checked: ok, Words: q.Words, Images: q.Images,
			WordRange: q.WordRange, ImageRange: q.ImageRange, Pass: !ok || q.Pass, Details: details[n]}
		slices.SortStableFunc(row.Details, func(a, b questionDetail) int { return problemsFirst(a.Problem, b.Problem) })
		row.Problem = !row.Pass || slices.ContainsFunc(row.Details, func(d questionDetail) bool { return d.Problem })
		rows = append(rows, row)
	}
	return rows
}
