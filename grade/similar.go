package grade

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"maps"
	"math"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"handin/archive"
	"handin/grade/similarity"
	"handin/internal/budget"
	"handin/parse"
	"handin/workspace"
)

// SimilarityOptions say what to compare the course's answers with and how
// alike two answers must be to be told.
type SimilarityOptions struct {
	// Thresholds; the zero value is the defaults (docs/findings.md).
	similarity.Options
	// Archive is the folder of earlier courses' answers (archive.Add); ""
	// compares the course's groups only.
	Archive string
	// Course is this course's name in the archive: its own archived
	// answers (the same course and year) are not compared with it.
	Course string
}

// Similarity is an answer, or the whole report, sharing passages with
// another group's of the course or an archived report.
type Similarity struct {
	// Question is the question compared; 0 for the whole report.
	Question int `json:"question"`
	// Group is the other group; Course and Year are set for an archived
	// report (Group is then its group in that course).
	Group  int    `json:"group"`
	Course string `json:"course,omitempty"`
	Year   int    `json:"year,omitempty"`
	// Share is the part of this group's own words (of the answer, or of
	// all its answers) found in the other's; OtherShare the other way
	// round. Words counts this group's shared words.
	Share      float64 `json:"share"`
	OtherShare float64 `json:"other_share"`
	Words      int     `json:"words"`
	// Parts are the shared passages, this group's and the other's: one
	// part for a question; for the whole report, the answers found in
	// another question of the other report.
	Parts []similarity.Part `json:"parts"`
}

// Archived: the other report is in the archive, not in the course.
func (s Similarity) Archived() bool { return s.Course != "" }

// Other names the other report: "group 12", or "group 3 of mlops 2024".
func (s Similarity) Other() string {
	if s.Archived() {
		return fmt.Sprintf("group %d of %s %d", s.Group, s.Course, s.Year)
	}
	return fmt.Sprintf("group %d", s.Group)
}

// Percent is a share as a whole percentage, never rounded up to 100.
func Percent(share float64) int { return int(math.Floor(share * 100)) }

func (s Similarity) finding() Finding {
	if s.Question != 0 {
		return newFinding(KindSimilarAnswer, s.Question, "%d %% of the answer (%d words) is in %s's answer to it (%d %% of theirs)",
			Percent(s.Share), s.Words, s.Other(), Percent(s.OtherShare))
	}
	msg := fmt.Sprintf("%d %% of the report's answers (%d words) are in %s's report (%d %% of theirs)",
		Percent(s.Share), s.Words, s.Other(), Percent(s.OtherShare))
	if len(s.Parts) > 0 {
		var moved []string
		for _, p := range s.Parts {
			moved = append(moved, fmt.Sprintf("Q%d in their Q%d", p.QuestionA, p.QuestionB))
		}
		msg += ", answers under other questions: " + strings.Join(moved, ", ")
	}
	return newFinding(KindSimilarReport, 0, "%s", msg)
}

// setSimilar replaces the result's similarities and their findings, at the
// course's levels. It reports whether anything changed.
func (r *GroupResult) setSimilar(similar []Similarity, levels Levels) bool {
	if reflect.DeepEqual(r.Similar, similar) {
		return false
	}
	r.Similar = similar
	found := make([]Finding, len(similar))
	for i, s := range similar {
		found[i] = s.finding()
	}
	r.replaceFindings([]Kind{KindSimilarAnswer, KindSimilarReport}, found, levels)
	return true
}

// courseAnswers are the answers of each group's report at the deadline and
// the question prompts they were written under.
type courseAnswers struct {
	groups  []int
	reports []similarity.Report
	prompts []string
	years   map[int]int // groups by the year of their deadline
}

// readAnswers reads the report of each group's snapshot, one per CPU at a
// time, each within the time a group may take. A snapshot or report that
// cannot be read in it is left out: grading its group says why.
func readAnswers(ctx context.Context, ws *workspace.Workspace, groups []int, limit time.Duration) courseAnswers {
	reads := make([]reportRead, len(groups))
	years := make([]int, len(groups))
	var workers errgroup.Group
	workers.SetLimit(runtime.GOMAXPROCS(0))
	for i, g := range groups {
		workers.Go(func() error {
			s, err := ws.LoadSnapshot(g)
			if err != nil || !hasRepository(s) {
				return nil
			}
			read, err := budget.Run(ctx, cmp.Or(limit, DefaultGroupTimeout), func(context.Context) reportRead { return reportAnswers(s) })
			if err == nil {
				reads[i], years[i] = read, s.Deadline.Year()
			}
			return nil
		})
	}
	workers.Wait()
	c := courseAnswers{years: map[int]int{}}
	prompts := map[string]bool{}
	for i, read := range reads {
		if !read.ok {
			continue
		}
		c.groups = append(c.groups, groups[i])
		c.reports = append(c.reports, similarity.Report{Answers: read.answers})
		c.years[years[i]]++
		for _, p := range read.prompts {
			prompts[p] = true
		}
	}
	c.prompts = slices.Sorted(maps.Keys(prompts))
	return c
}

// year is the year of most groups' deadlines (0 without groups).
func (c courseAnswers) year() int {
	year, most := 0, 0
	for y, n := range c.years {
		if n > most || n == most && y > year {
			year, most = y, n
		}
	}
	return year
}

// reportRead is what reading a report for comparison found: its answers
// and prompts (answersOf); ok is false when there is no report to read.
type reportRead struct {
	answers []similarity.Answer
	prompts []string
	ok      bool
}

// reportAnswers reads the answers of the snapshot's report.
func reportAnswers(s *workspace.Snapshot) (read reportRead) {
	defer func() {
		if recover() != nil { // the report check names it for the group
			read = reportRead{}
		}
	}()
	loc := locateReport(s)
	if loc.Path == "" || loc.Err != nil {
		return reportRead{}
	}
	rep, err := parse.Parse(loc.Data)
	if err != nil {
		return reportRead{}
	}
	read.answers, read.prompts = answersOf(rep)
	read.ok = true
	return read
}

// answersOf are a report's answers to compare (placeholders removed, the
// roster questions left out) and its question prompts.
func answersOf(rep *parse.Report) (answers []similarity.Answer, prompts []string) {
	for _, q := range rep.Questions {
		if rosterQuestion(q.Number) {
			continue
		}
		answers = append(answers, similarity.Answer{Question: q.Number, Text: parse.StripPlaceholders(q.Answer)})
		prompts = append(prompts, q.Prompt)
	}
	return answers, prompts
}

// rosterQuestion: Questions 1 and 2 name the group and its students (Check
// reads them so): they are not compared, and never archived.
func rosterQuestion(n int) bool { return n == 1 || n == 2 }

// CourseArchive is the course's deadline answers as the archive keeps
// them, and the year of most groups' deadlines.
func CourseArchive(ctx context.Context, ws *workspace.Workspace) (reports []archive.Report, year int, err error) {
	groups, err := ws.SnapshotGroups(nil)
	if err != nil {
		return nil, 0, err
	}
	c := readAnswers(ctx, ws, groups, DefaultGroupTimeout)
	for i, g := range c.groups {
		r := archive.Report{Group: g}
		for _, a := range c.reports[i].Answers {
			r.Answers = append(r.Answers, archive.Answer{Question: a.Question, Text: a.Text})
		}
		reports = append(reports, r)
	}
	return reports, c.year(), nil
}

// similarities compares the answers of the course's groups with each other
// and with the archive, and lists what each group shares, by group. An
// archive that cannot be read (in part) is the error; what could be read
// is compared.
func similarities(ctx context.Context, ws *workspace.Workspace, groups []int, opts Options) (map[int][]Similarity, error) {
	c := readAnswers(ctx, ws, groups, opts.GroupTimeout)
	sim := opts.Similarity
	year := c.year()
	var archived []archive.Report // the archive's reports, as Compare read them: no answers kept
	var archiveErr error
	var reports iter.Seq[similarity.Report]
	if sim.Archive != "" {
		reports = func(yield func(similarity.Report) bool) {
			more := true // archive.Read reads on; yield is not called again once it said stop
			archiveErr = archive.Read(sim.Archive, func(r archive.Report) {
				if !more || r.Course == sim.Course && r.Year == year {
					return // this course, archived, is not another report
				}
				archived = append(archived, archive.Report{Course: r.Course, Year: r.Year, Group: r.Group})
				answers := make([]similarity.Answer, len(r.Answers))
				for i, a := range r.Answers {
					answers[i] = similarity.Answer{Question: a.Question, Text: a.Text}
				}
				more = yield(similarity.Report{Answers: answers})
			})
		}
	}
	out := map[int][]Similarity{}
	for _, m := range similarity.Compare(c.reports, reports, c.prompts, sim.Options) {
		a := Similarity{Question: m.Question, Share: m.ShareA, OtherShare: m.ShareB, Words: m.WordsA, Parts: m.Parts}
		if m.Archive {
			r := archived[m.B]
			a.Group, a.Course, a.Year = r.Group, r.Course, r.Year
			out[c.groups[m.A]] = append(out[c.groups[m.A]], a)
			continue
		}
		a.Group = c.groups[m.B]
		out[c.groups[m.A]] = append(out[c.groups[m.A]], a)
		b := Similarity{Question: m.Question, Group: c.groups[m.A], Share: m.ShareB, OtherShare: m.ShareA, Words: m.WordsB, Parts: swapped(m.Parts)}
		out[c.groups[m.B]] = append(out[c.groups[m.B]], b)
	}
	for g := range out {
		slices.SortStableFunc(out[g], func(x, y Similarity) int {
			return cmp.Or(cmp.Compare(wholeLast(x), wholeLast(y)), cmp.Compare(x.Question, y.Question))
		})
	}
	if archiveErr != nil {
		return out, fmt.Errorf("similarity: %w", archiveErr)
	}
	return out, nil
}

// wholeLast orders the questions' similarities before the whole report's.
func wholeLast(s Similarity) int {
	if s.Question == 0 {
		return 1
	}
	return 0
}

// swapped are parts seen from the other report.
func swapped(parts []similarity.Part) []similarity.Part {
	out := make([]similarity.Part, len(parts))
	for i, p := range parts {
		out[i] = similarity.Part{QuestionA: p.QuestionB, QuestionB: p.QuestionA, A: p.B, B: p.A}
	}
	return out
}
