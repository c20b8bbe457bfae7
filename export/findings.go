package export

import (
	"fmt"
	"slices"
	"strings"

	"handin/grade"
)

// kindGroup is every finding of one kind and level: one entry of the
// findings panel, of the page header's reasons and of the index's, whatever
// the number of questions it concerns.
type kindGroup struct {
	Kind  grade.Kind
	Title string
	Level grade.Level
	kindPlace
	Anchor    string         // id of the entry in the panel
	Count     int            // findings
	Questions []questionLink // the questions concerned, in order, each once
	// Messages are the findings about the group as a whole, which no
	// question row shows (none when Section itemizes them).
	Messages []string
	// first is the first finding of the group; addedLate the late
	// additions of its figures missing at the deadline, when every one
	// was added late.
	first     grade.Finding
	addedLate []*grade.LateAddition
}

// questionLink is a question named by the panel; Anchor is "" when the
// page does not show the question (no report, a question missing).
type questionLink struct {
	Number int
	Anchor string
}

// Reason reports whether the group is one of the reasons for the state: a
// level above information.
func (g kindGroup) Reason() bool { return g.Level.Compare(grade.LevelInfo) < 0 }

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

// Brief says where in fewer words: "Q5", "Q5, Q7", "Q5, Q7, Q9 and 9
// more", "2 times"; "" for a single finding about the group.
func (g kindGroup) Brief() string {
	if n := len(g.Questions); n > 0 {
		names := make([]string, 0, maxBriefQuestions+1)
		for _, q := range g.Questions[:min(n, maxBriefQuestions)] {
			names = append(names, fmt.Sprintf("Q%d", q.Number))
		}
		brief := strings.Join(names, ", ")
		if more := n - maxBriefQuestions; more > 0 {
			brief += fmt.Sprintf(" and %d more", more)
		}
		return brief
	}
	where, _ := strings.CutPrefix(g.Where(), "in ")
	return where
}

// maxReasonText bounds a reason told in a finding's own words.
const maxReasonText = 110

// Text is the group as one reason in words, for the index, the page's
// header and the gradebook: a single finding in its own words
// ("Q18: too few words: 43, expected 100-200"), more by title and where
// ("word count out of range: Q5, Q14, Q15 and 3 more"; "Q14: figure
// missing at the deadline (3), added 32 s after the deadline in 2e5d268").
func (g kindGroup) Text() string {
	var text string
	switch {
	case g.Count == 1:
		return clip(g.first.Text(), maxReasonText)
	case len(g.Questions) == 1:
		text = fmt.Sprintf("Q%d: %s (%d)", g.Questions[0].Number, g.Title, g.Count)
	case len(g.Questions) > 1:
		text = g.Title + ": " + g.Brief()
	default:
		text = fmt.Sprintf("%s (%d)", g.Title, g.Count)
	}
	if len(g.addedLate) == g.Count {
		text += ", " + lateArrival(g.addedLate)
	}
	return text
}

// lateArrival says when figures missing at the deadline arrived: "added 32
// s after the deadline in 2e5d268" for one commit, else the earliest.
func lateArrival(added []*grade.LateAddition) string {
	first := added[0]
	same := true
	for _, a := range added {
		if a.After < first.After {
			first = a
		}
		same = same && a.SHA == added[0].SHA
	}
	if same {
		return first.Text()
	}
	return "all added later, the first " + first.Text()
}

// clip shortens text to at most n runes, marking the cut.
func clip(text string, n int) string {
	runes := []rune(text)
	if len(runes) <= n {
		return text
	}
	return strings.TrimSpace(string(runes[:n-1])) + "…"
}

// groupFindings groups findings by kind, level and lesser case: the most
// pressing level first, each level's kinds in the order of grade.KindTable.
func groupFindings(findings []grade.Finding, anchors map[int]bool) []kindGroup {
	var groups []kindGroup
	for _, f := range findings {
		i := slices.IndexFunc(groups, func(g kindGroup) bool {
			return g.Kind == f.Kind && g.Level == f.Level && g.first.Minor == f.Minor
		})
		if i < 0 {
			groups = append(groups, kindGroup{Kind: f.Kind, Title: grade.TitleOf(f), Level: f.Level, kindPlace: kindPlaces[f.Kind],
				Anchor: kindAnchor(f), first: f})
			i = len(groups) - 1
		}
		g := &groups[i]
		g.Count++
		if f.AddedLate != nil {
			g.addedLate = append(g.addedLate, f.AddedLate)
		}
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
	slices.SortStableFunc(groups, func(a, b kindGroup) int { return grade.CompareFindings(a.first, b.first) })
	return groups
}

// kindAnchor is the id of the entry of a finding's kind (and level, and
// lesser case) in the findings panel.
func kindAnchor(f grade.Finding) string {
	anchor := "kind-" + string(f.Kind) + "-" + string(f.Level)
	if f.Minor {
		anchor += "-minor"
	}
	return anchor
}

// reasonGroups are the groups above information, the start of
// groupFindings.
func reasonGroups(groups []kindGroup) []kindGroup {
	n := slices.IndexFunc(groups, func(g kindGroup) bool { return !g.Reason() })
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
	// Level is the most pressing level of its findings (a question may
	// pass the checker and still have a finding to check).
	Level   grade.Level
	Details []questionDetail
}

type questionDetail struct {
	Text  string
	Level grade.Level
}

// Reason reports whether the row shows a reason for the state.
func (q questionRow) Reason() bool { return q.Level.Compare(grade.LevelInfo) < 0 }

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
		details[n] = append(details[n], questionDetail{Text: f.Text(), Level: f.Level})
		numbers = append(numbers, n)
	}
	slices.Sort(numbers)
	var rows []questionRow
	for _, n := range slices.Compact(numbers) {
		q, ok := checked[n]
		row := questionRow{Number: n, Anchor: anchorIf(anchors, n), Checked: ok, Words: q.Words, Images: q.Images,
			WordRange: q.WordRange, ImageRange: q.ImageRange, Pass: !ok || q.Pass, Details: details[n]}
		slices.SortStableFunc(row.Details, func(a, b questionDetail) int { return a.Level.Compare(b.Level) })
		row.Level = grade.LevelInfo
		if len(row.Details) > 0 {
			row.Level = row.Details[0].Level
		}
		rows = append(rows, row)
	}
	return rows
}
