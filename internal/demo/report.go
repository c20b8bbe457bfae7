package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"handin/grade"
)

// project is one group's vocabulary and random source: every text of the
// group is drawn from it, so a group's repository depends only on its number.
type project struct {
	rng                                      *rand.Rand
	data, model, lib, tracker, env, api, pkg string
	replacer                                 *strings.Replacer
	fillers                                  []string // shuffled filler sentences not used yet
}

func newProject(group int) *project {
	rng := rand.New(rand.NewPCG(uint64(group), 0x02476))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	i := rng.IntN(len(datasets))
	p := &project{
		rng: rng, data: datasets[i], pkg: packageNames[i], model: pick(models), lib: pick(libraries),
		tracker: pick(trackers), env: pick(envManagers), api: pick(apiLibraries),
	}
	p.replacer = strings.NewReplacer(
		"{data}", p.data, "{model}", p.model, "{lib}", p.lib, "{tracker}", p.tracker, "{env}", p.env,
		"{api}", p.api, "{pkg}", p.pkg,
		"{n}", fmt.Sprint(8+rng.IntN(30)), "{cov}", fmt.Sprint(55+rng.IntN(40)), "{credits}", fmt.Sprint(5+rng.IntN(60)),
	)
	return p
}

// fill replaces the vocabulary placeholders of a sentence.
func (p *project) fill(s string) string { return p.replacer.Replace(s) }

// nextFiller draws filler sentences without repeats until all were used.
func (p *project) nextFiller() string {
	if len(p.fillers) == 0 {
		p.fillers = append(p.fillers, fillerSentences...)
		p.rng.Shuffle(len(p.fillers), func(i, j int) { p.fillers[i], p.fillers[j] = p.fillers[j], p.fillers[i] })
	}
	s := p.fillers[0]
	p.fillers = p.fillers[1:]
	return p.fill(s)
}

// prose writes exactly words whitespace-separated words (the course
// checker's count): the question's own sentences in a shuffled order first,
// then fillers, cut at a sentence end where possible and in paragraphs.
func (p *project) prose(question, words int) string {
	if words <= 0 {
		return ""
	}
	topic := append([]string(nil), topicSentences[question-1]...)
	p.rng.Shuffle(len(topic), func(i, j int) { topic[i], topic[j] = topic[j], topic[i] })
	var out []string
	paragraph := 0
	for len(out) < words {
		var s string
		if len(topic) > 0 {
			s, topic = p.fill(topic[0]), topic[1:]
		} else {
			s = p.nextFiller()
		}
		fields := strings.Fields(s)
		if len(out)+len(fields) > words {
			fields = fields[:words-len(out)]
			last := strings.TrimRight(fields[len(fields)-1], ",.;:")
			fields[len(fields)-1] = last + "."
		}
		// A paragraph break every 60 to 100 words, as people write.
		if paragraph > 60+p.rng.IntN(40) && len(out) > 0 {
			out[len(out)-1] += "\n\n"
			paragraph = 0
		}
		out = append(out, fields...)
		paragraph += len(fields)
	}
	return strings.ReplaceAll(strings.Join(out, " "), "\n\n ", "\n\n")
}

// figure is one image a report links to.
type figure struct {
	file string // name under the figures folder, as committed
	link string // name as the report writes it (differs for a case mismatch)
	alt  string
	kind figureKind
	// missing: the report links it but it is never committed; late: it is
	// committed only after the deadline.
	missing, late bool
}

// reportPlan is what a group's final report says and where it goes wrong.
type reportPlan struct {
	groupWritten int      // Question 1
	students     []string // Question 2
	short        map[int]bool
	// placeholders: questions left with only the template placeholder;
	// trailing: answered but with the placeholder still below the answer.
	placeholders, trailing map[int]bool
	figures                map[int][]figure
	figureLink             string // folder prefix of figure links, relative to the report
	checked                map[string]bool
	noChecklist            bool         // the checklist deleted
	deleted                map[int]bool // questions deleted, heading and answer
	codeImages             map[int]bool // figures written inside backticks
}

// answers writes every question's final answer once, so that earlier
// versions of the report show the same text for the questions done then.
func (p *project) answers(plan reportPlan, spec *grade.Spec) map[int]string {
	ranges := map[int]*grade.Range{}
	for _, q := range spec.Questions {
		ranges[q.Number] = q.Words
	}
	out := map[int]string{}
	for q := 1; q <= len(prompts); q++ {
		switch q {
		case 1:
			out[q] = fmt.Sprint(plan.groupWritten)
			continue
		case 2:
			out[q] = strings.Join(plan.students, ", ")
			continue
		}
		var images []string
		imageWords := 0
		for _, f := range plan.figures[q] {
			md := fmt.Sprintf("![%s](%s%s)", f.alt, plan.figureLink, f.link)
			if plan.codeImages[q] {
				md = "`" + md + "`"
			}
			images = append(images, md)
			imageWords += len(strings.Fields(md))
		}
		words := p.answerLength(ranges[q], plan.short[q]) - imageWords
		text := p.prose(q, max(words, 6))
		if len(images) > 0 {
			// Figures after the first paragraph, as most reports place them.
			first, rest, _ := strings.Cut(text, "\n\n")
			text = first + "\n\n" + strings.Join(images, "\n\n")
			if rest != "" {
				text += "\n\n" + rest
			}
		}
		out[q] = text
	}
	return out
}

// answerLength picks a word count well inside the question's range (or
// clearly below it for a too-short answer).
func (p *project) answerLength(r *grade.Range, short bool) int {
	switch {
	case r == nil:
		return 12 + p.rng.IntN(20) // a caption under a screenshot
	case short:
		return max(r.Min*2/5, 5)
	case r.Min == 0:
		return 20 + p.rng.IntN(r.Max/2)
	}
	margin := (r.Max - r.Min) / 10
	return r.Min + margin + p.rng.IntN(r.Max-r.Min-2*margin+1)
}

// placeholder is the template's marker for an unanswered question.
func placeholder(q int) string { return fmt.Sprintf("--- question %d fill here ---", q) }

// renderReport writes the report as it stood when the first answered
// questions were done (answered = 31: the final report). The checklist
// fills in along with the answers.
func (p *project) renderReport(plan reportPlan, answers map[int]string, answered int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Exam report: %s with %s\n\n", p.data, p.model)
	b.WriteString("This is the report of our project in the MLOps course. It follows the course template: fill in\n")
	b.WriteString("every question below, keep to the recommended lengths and commit the figures to the repository.\n\n")
	if !plan.noChecklist {
		p.renderChecklist(&b, plan, answered)
	}
	for q := 1; q <= len(prompts); q++ {
		if s := sectionBefore[q]; s != "" {
			fmt.Fprintf(&b, "\n## %s\n", s)
		}
		if plan.deleted[q] {
			continue
		}
		fmt.Fprintf(&b, "\n### Question %d\n\n> **%s**\n>\n> Answer:\n\n", q, prompts[q-1])
		switch {
		case q > answered || plan.placeholders[q]:
			b.WriteString(placeholder(q) + "\n")
		case plan.trailing[q]:
			b.WriteString(answers[q] + "\n\n" + placeholder(q) + "\n")
		default:
			b.WriteString(answers[q] + "\n")
		}
	}
	return b.String()
}

// renderChecklist writes the checklist, ticked along with the answers.
func (p *project) renderChecklist(b *strings.Builder, plan reportPlan, answered int) {
	b.WriteString("## Overall project checklist\n\n")
	b.WriteString("Tick what the project did. The module tag in parentheses says where the course covers it.\n")
	for _, sec := range checklist {
		fmt.Fprintf(b, "\n### %s\n\n", sec.section)
		for i, it := range sec.items {
			mark := " "
			if plan.checked[it.text] && (i*len(prompts))/len(sec.items) < answered {
				mark = "x"
			}
			line := it.text
			if it.module != "" {
				line += " (" + it.module + ")"
			}
			fmt.Fprintf(b, "* [%s] %s\n", mark, line)
		}
	}
}
