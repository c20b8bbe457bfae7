package similarity

import (
	"fmt"
	"iter"
	"slices"
	"strings"
	"testing"

	"handin/grade/similarity/prosetest"
)

var prose = prosetest.Prose

// course is reports of made-up prose, questions 1..questions, each
// report and question its own seed.
func course(reports, questions int, seed uint64) []Report {
	return slices.Collect(generate(reports, questions, seed))
}

// generate writes the reports of course one by one, each answer ten
// sentences (about 125 words).
func generate(reports, questions int, seed uint64) iter.Seq[Report] {
	return func(yield func(Report) bool) {
		for r := range reports {
			var report Report
			for q := 1; q <= questions; q++ {
				report.Answers = append(report.Answers, Answer{q, prose(seed+uint64(r*1000+q), 10)})
			}
			if !yield(report) {
				return
			}
		}
	}
}

func answer(r Report, question int) *Answer {
	i := slices.IndexFunc(r.Answers, func(a Answer) bool { return a.Question == question })
	return &r.Answers[i]
}

// describe is a match in one line, for failures.
func describe(m Match) string {
	return fmt.Sprintf("%d~%d archive=%v Q%d %.2f/%.2f %d/%d words", m.A, m.B, m.Archive, m.Question, m.ShareA, m.ShareB, m.WordsA, m.WordsB)
}

func describeAll(ms []Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, describe(m))
	}
	return out
}

func TestCopiedAnswersAreFoundOnBothSides(t *testing.T) {
	reports := course(6, 10, 1)
	from, to := reports[2], reports[4]
	// Question 3 copied verbatim, in other case and punctuation.
	answer(to, 3).Text = strings.ToUpper(strings.ReplaceAll(answer(from, 3).Text, ".", ";"))
	// Question 5: a word changed in every sentence.
	var changed []string
	for _, s := range prosetest.Sentences(answer(from, 5).Text) {
		w := strings.Fields(s)
		w[len(w)/2] = "otherword"
		changed = append(changed, strings.Join(w, " "))
	}
	answer(to, 5).Text = strings.Join(changed, " ")
	// Question 7: the sentences in another order, with one of its own.
	s := prosetest.Sentences(answer(from, 7).Text)
	answer(to, 7).Text = strings.Join([]string{s[3], s[0], prose(99, 1), s[5], s[1], s[4], s[2]}, " ")

	matches := Compare(reports, nil, nil, Options{})
	var questions []int
	for _, m := range matches {
		if m.A != 2 || m.B != 4 || m.Archive {
			t.Errorf("unexpected match %s", describe(m))
			continue
		}
		questions = append(questions, m.Question)
		if m.Question == 0 {
			continue
		}
		if m.ShareA < 0.6 || m.ShareB < 0.6 {
			t.Errorf("Q%d: shares %.2f and %.2f, want most of each answer", m.Question, m.ShareA, m.ShareB)
		}
		p := m.Parts[0]
		if p.QuestionA != m.Question || p.QuestionB != m.Question || len(p.A) == 0 || len(p.B) == 0 {
			t.Errorf("Q%d: parts %+v", m.Question, m.Parts)
		}
	}
	if !slices.Equal(questions, []int{3, 5, 7}) {
		t.Errorf("matched questions %v, want [3 5 7] (and no whole report: 3 answers of 10): %v", questions, describeAll(matches))
	}
}

func TestPassagesAreTheSharedWordsOfTheAnswer(t *testing.T) {
	own := prose(5, 2)
	copied := prose(6, 4)
	a := Report{Answers: []Answer{{1, own + " " + copied}}}
	w := strings.Fields(copied)
	edited := strings.Join(slices.Concat(w[:10], []string{"really"}, w[10:]), " ") // a word slipped in
	b := Report{Answers: []Answer{{1, edited + " " + prose(7, 1)}}}
	matches := Compare([]Report{a, b}, nil, nil, Options{})
	if len(matches) != 2 { // the question and the whole reports (no moved answers)
		t.Fatalf("matches %v, want Q1 and the whole reports", describeAll(matches))
	}
	m := matches[0]
	if m.Question != 1 || len(m.Parts) != 1 {
		t.Fatalf("first match %s, want question 1 with one part", describe(m))
	}
	pa, pb := m.Parts[0].A, m.Parts[0].B
	// The passage runs from the first word to the last: the closing full
	// stop is no word.
	if len(pa) != 1 || pa[0].Text != strings.TrimSuffix(copied, ".") || len(pa[0].Marks) != 1 {
		t.Errorf("A's passage %+v, want the copied text, marked whole", pa)
	}
	var marked []string
	for _, mk := range pb[0].Marks {
		marked = append(marked, pb[0].Text[mk.Start:mk.Stop])
	}
	if len(pb) != 1 || pb[0].Text != strings.TrimSuffix(edited, ".") || len(marked) != 2 || strings.Contains(strings.Join(marked, ""), "really") {
		t.Errorf("B's passage %+v marked %q, want the edited text with the slipped-in word unmarked", pb, marked)
	}
	if whole := matches[1]; whole.Question != 0 || len(whole.Parts) != 0 {
		t.Errorf("whole reports %s with parts %v, want no moved answers", describe(whole), whole.Parts)
	}
}

func TestAnswersMovedToOtherQuestionsAreFoundInTheArchive(t *testing.T) {
	archive := course(4, 12, 100)
	reports := course(3, 12, 200)
	// Report 1 is archived report 2, every answer moved one question on.
	for i := range reports[1].Answers {
		reports[1].Answers[i].Text = archive[2].Answers[(i+1)%12].Text
	}
	matches := Compare(reports, slices.Values(archive), nil, Options{})
	if len(matches) != 1 {
		t.Fatalf("matches %v, want the whole report only", describeAll(matches))
	}
	m := matches[0]
	if m.A != 1 || m.B != 2 || !m.Archive || m.Question != 0 || m.ShareA < 0.9 {
		t.Errorf("match %s, want report 1 ~ archived report 2, whole", describe(m))
	}
	if len(m.Parts) != 12 {
		t.Errorf("%d parts, want every answer found in another question", len(m.Parts))
	}
	for _, p := range m.Parts {
		if p.QuestionB != p.QuestionA%12+1 {
			t.Errorf("Q%d found in Q%d, want Q%d", p.QuestionA, p.QuestionB, p.QuestionA%12+1)
		}
	}
}

// templatePrompt is a question as a template words it.
const templatePrompt = `> Write about the continuous integration you set up: did you test multiple operating systems, Python
> versions and use caching? Include a link to one of your GitHub actions workflows.
>
> Recommended answer length: 200-300 words.`

func TestTemplateQuestionToolsAndCommandsAreNeverEvidence(t *testing.T) {
	tools := "We used Docker, Hydra, Weights & Biases, DVC, FastAPI, PyTorch Lightning, Cloud Build and Vertex AI."
	command := "`docker build -t trainer:latest -f dockerfiles/train.dockerfile .`"
	common := "The continuous integration runs the unit tests with pytest on every push to the main branch."
	var reports []Report
	for g := range 8 {
		text := prose(uint64(300+g), 3)
		if g < 2 { // two groups quote the prompt and write the same tools and command
			text += "\n\n" + templatePrompt + "\n\n" + tools + " " + command
		} else { // the others write a sentence that is in more reports than DefaultCommon
			text += " " + common
		}
		reports = append(reports, Report{Answers: []Answer{{12, text}, {13, prose(uint64(400+g), 4)}}})
	}
	if matches := Compare(reports, nil, []string{templatePrompt}, Options{}); len(matches) > 0 {
		t.Errorf("matches %v, want none: only the template, tools, a command and a common sentence are shared", describeAll(matches))
	}
	// Without the template as boilerplate, the quoted prompt (38 words)
	// makes a match: the test is not vacuous.
	matches := Compare(reports, nil, nil, Options{})
	if len(matches) != 2 || matches[0].A != 0 || matches[0].B != 1 {
		t.Errorf("matches %v, want groups 0 and 1 (Q12 and whole) with the prompt left in", describeAll(matches))
	}
}

func TestShortSharedPassagesAreNotMatches(t *testing.T) {
	shared := prose(50, 1) + " " + prose(51, 1) // about 25 words: under DefaultWords
	a := Report{Answers: []Answer{{4, shared}}}
	b := Report{Answers: []Answer{{4, shared + " " + prose(52, 1)}}}
	if words := len(words(shared)); words >= DefaultWords {
		t.Fatalf("the shared text has %d words, want fewer than %d", words, DefaultWords)
	}
	if matches := Compare([]Report{a, b}, nil, nil, Options{}); len(matches) > 0 {
		t.Errorf("matches %v, want none under %d shared words", describeAll(matches), DefaultWords)
	}
	if matches := Compare([]Report{a, b}, nil, nil, Options{Words: 10}); len(matches) == 0 {
		t.Errorf("no match with Words 10: want the shared sentences found")
	}
}

func TestWordsFoldCasePunctuationAndAccents(t *testing.T) {
	a := words("Modèle ÉTÉ, naïve-Straße!")
	b := words("modele ete naive strasse")
	if len(a) != 4 {
		t.Fatalf("words %v, want 4", a)
	}
	for i := range 3 {
		if a[i].hash != b[i].hash {
			t.Errorf("word %d differs after folding", i)
		}
	}
	if got := "Modèle ÉTÉ, naïve-Straße!"[a[1].start:a[1].stop]; got != "ÉTÉ" {
		t.Errorf("word 1 is %q in the text, want ÉTÉ", got)
	}
}

// A command written under every answer of two reports (thirteen words, under
// MinPassage) is no passage: the copied answer is their only match, and
// even with any share making a match, no answer is found under another
// question.
func TestShortPassagesRepeatedEverywhereAreNoEvidence(t *testing.T) {
	command := "\n\n`docker run --rm -v data:/data -e WANDB_API_KEY trainer:latest train`"
	reports := course(2, 6, 500)
	answer(reports[1], 4).Text = answer(reports[0], 4).Text
	for r := range reports {
		for i := range reports[r].Answers {
			reports[r].Answers[i].Text += command
		}
	}
	if matches := Compare(reports, nil, nil, Options{}); len(matches) != 1 || matches[0].Question != 4 {
		t.Errorf("matches %v, want Q4 alone", describeAll(matches))
	}
	matches := Compare(reports, nil, nil, Options{Share: 1e-9})
	whole := slices.IndexFunc(matches, func(m Match) bool { return m.Question == 0 })
	if whole < 0 || len(matches[whole].Parts) > 0 {
		t.Errorf("matches %v, want the whole reports without answers under other questions", describeAll(matches))
	}
}

// Answers under no question number (a "Question 0" heading, a number past
// any question) are not compared: they never pass for the whole report.
func TestAnswersWithoutAQuestionNumberAreNotCompared(t *testing.T) {
	text := prose(900, 6)
	a := Report{Answers: []Answer{{0, text}, {1 << 40, text}, {-3, text}, {5, prose(901, 6)}}}
	b := Report{Answers: []Answer{{0, text}, {1 << 40, text}, {-3, text}, {5, prose(902, 6)}}}
	if matches := Compare([]Report{a, b}, slices.Values([]Report{{Answers: a.Answers[:3]}}), nil, Options{}); len(matches) > 0 {
		t.Errorf("matches %v, want none", describeAll(matches))
	}
}
