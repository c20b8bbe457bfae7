package demo

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"handin/grade"
	"handin/scrape/gittest"
)

// member is one student and the two identities they commit under.
type member struct {
	id       string
	name     string
	dtu      gittest.Signature // sNNNNNN@student.dtu.dk
	personal gittest.Signature // a private address under the same name
}

// groupBuilder writes one group's repository.
type groupBuilder struct {
	course *Course
	group  *Group
	spec   *grade.Spec
	*project
	members []member
	repo    *gittest.Repo
	held    *heldPush
	step    int // commits written so far, for messages
}

// github is the committer of merges done in GitHub's web interface.
var github = gittest.Signature{Name: "GitHub", Email: "noreply@github.com"}

func (b *groupBuilder) build() error {
	b.members = b.makeMembers()
	for _, m := range b.members {
		b.group.Students = append(b.group.Students, m.id)
	}
	if b.group.Case == CaseUnreachable {
		return nil // groups.csv names a repository the server does not have
	}
	repo, err := gittest.NewRepo(filepath.Join(b.course.ReposDir, b.group.Repo))
	if err != nil {
		return err
	}
	b.repo = repo
	return b.writeHistory()
}

// makeMembers draws 2 to 4 students with ids unique to the group.
func (b *groupBuilder) makeMembers() []member {
	n := 2 + b.rng.IntN(3)
	used := map[string]bool{}
	var ms []member
	for k := range n {
		var first, last string
		for {
			first, last = firstNames[b.rng.IntN(len(firstNames))], lastNames[b.rng.IntN(len(lastNames))]
			if !used[first] {
				used[first] = true
				break
			}
		}
		id := fmt.Sprintf("s%06d", 240000+b.group.Number*10+k+1)
		name := first + " " + last
		user := strings.ToLower(first) + "." + asciiFold(strings.ToLower(last))
		ms = append(ms, member{
			id:       id,
			name:     name,
			dtu:      gittest.Signature{Name: name, Email: id + "@student.dtu.dk"},
			personal: gittest.Signature{Name: name, Email: user + "@" + personalDomains[b.rng.IntN(len(personalDomains))]},
		})
	}
	return ms
}

func asciiFold(s string) string {
	return strings.NewReplacer("ø", "oe", "æ", "ae", "å", "aa", "ü", "ue").Replace(s)
}

// author picks who writes the next commit: every member early on (from
// their DTU address, so the roster can match them), then anyone, mostly
// from the DTU address.
func (b *groupBuilder) author() gittest.Signature {
	b.step++
	var m member
	if b.step <= len(b.members) {
		m = b.members[b.step-1]
	} else {
		m = b.members[b.rng.IntN(len(b.members))]
	}
	if b.group.Case == CaseUnmatchedAuthor && m.id == b.members[len(b.members)-1].id {
		// Commits only from a laptop configured with a nickname and a
		// private address: nothing ties them to the student's id.
		return gittest.Signature{Name: strings.ToLower(strings.Fields(m.name)[0]) + "-laptop", Email: m.personal.Email}
	}
	if b.step > len(b.members) && b.rng.IntN(10) < 4 {
		return m.personal
	}
	return m.dtu
}

// timeline hands out increasing commit times over the three weeks before
// the deadline, during waking hours, ending three hours before it.
type timeline struct {
	times []time.Time
}

func (b *groupBuilder) newTimeline(n int) *timeline {
	end := b.course.Deadline.Add(-3 * time.Hour)
	start := end.Add(-21 * 24 * time.Hour)
	span := end.Sub(start)
	var ts []time.Time
	for range n {
		t := start.Add(time.Duration(b.rng.Int64N(int64(span))))
		if h := t.Hour(); h < 8 { // nobody commits at 4 in the morning... mostly
			t = t.Add(time.Duration(8-h) * time.Hour)
		}
		if t.After(end) {
			t = end.Add(-time.Duration(b.rng.IntN(180)) * time.Minute)
		}
		ts = append(ts, t.Truncate(time.Second))
	}
	slices.SortFunc(ts, func(a, c time.Time) int { return a.Compare(c) })
	for i := 1; i < len(ts); i++ { // strictly increasing: commits are never simultaneous
		if !ts[i].After(ts[i-1]) {
			ts[i] = ts[i-1].Add(time.Duration(1+b.rng.IntN(20)) * time.Minute)
		}
	}
	return &timeline{times: ts}
}

func (t *timeline) next() time.Time {
	when := t.times[0]
	t.times = t.times[1:]
	return when
}

// reportStates are how many questions were answered in the successive
// report commits; the last is the final report (all 31).
var reportStates = []int{0, 9, 18, 26, 31}

// writeHistory commits the project: a skeleton with the template report,
// code commits, a feature branch merged by pull request, report updates and
// figures, then whatever the group's case adds at the end.
func (b *groupBuilder) writeHistory() error {
	k := b.group.Case
	plan := b.plan()
	answers := b.answers(plan, b.spec)
	hasReport := k != CaseNoReport
	states := reportStates
	switch k {
	case CaseLate, CaseBackdated, CaseLastMinute:
		states = []int{0, 9, 18, 24} // finished at the very end
	}

	codeCommits := 9 + b.rng.IntN(8)
	branchCommits := 2
	events := 1 + codeCommits + branchCommits + 1 + (len(states) - 1) + 1 // + merge, report updates, figures
	tl := b.newTimeline(events)

	files := b.skeleton()
	if hasReport {
		files["reports/README.md"] = []byte(b.renderReport(plan, answers, states[0]))
	}
	if _, err := b.commit(gittest.Commit{Message: "Initial commit from the cookiecutter template", Files: files}, tl.next()); err != nil {
		return err
	}

	// Code commits, with the feature branch and the report updates woven in.
	merged := false
	reportAt := map[int]int{} // code commit index -> report state index
	for i := 1; i < len(states); i++ {
		reportAt[i*codeCommits/len(states)] = i
	}
	figuresAt := codeCommits / 2
	for i := range codeCommits {
		msg := codeCommitMessages[i%len(codeCommitMessages)]
		if _, err := b.commit(gittest.Commit{Message: msg, Files: b.codeFiles(i)}, tl.next()); err != nil {
			return err
		}
		if !merged && i == codeCommits/3 {
			if err := b.featureBranch(tl); err != nil {
				return err
			}
			merged = true
		}
		if i == figuresAt && hasReport {
			figures, err := b.figureFiles(plan, false)
			if err != nil {
				return err
			}
			if _, err := b.commit(gittest.Commit{Message: "add figures to the report", Files: figures}, tl.next()); err != nil {
				return err
			}
		}
		if s, ok := reportAt[i]; ok && hasReport {
			report := b.renderReport(plan, answers, states[s])
			msg := fmt.Sprintf("report: questions up to %d", states[s])
			if _, err := b.commit(gittest.Commit{Message: msg, Files: map[string][]byte{"reports/README.md": []byte(report)}}, tl.next()); err != nil {
				return err
			}
		}
	}
	return b.finish(plan, answers)
}

// finish adds what happens at the very end: around the deadline for late,
// backdated and last-minute groups, the report's move for CaseReportAtRoot.
func (b *groupBuilder) finish(plan reportPlan, answers map[int]string) error {
	final := []byte(b.renderReport(plan, answers, len(prompts)))
	deadline := b.course.Deadline
	switch b.group.Case {
	case CaseLate:
		if _, err := b.commit(gittest.Commit{Message: "finish the report", Files: map[string][]byte{"reports/README.md": final}},
			deadline.Add(3*time.Hour+17*time.Minute)); err != nil {
			return err
		}
		_, err := b.commit(gittest.Commit{Message: "fix typos", Files: b.codeFiles(99)}, deadline.Add(20*time.Hour))
		return err
	case CaseBackdated:
		// The tip seen before the deadline, then a commit made after it and
		// dated an hour before its parent: git accepts any date.
		parentTime := deadline.Add(-150 * time.Minute)
		if _, err := b.commit(gittest.Commit{Message: "update report", Files: map[string][]byte{"reports/README.md": []byte(
			b.renderReport(plan, answers, 26))}}, parentTime); err != nil {
			return err
		}
		observed, err := b.repo.Tip(gittest.DefaultBranch)
		if err != nil {
			return err
		}
		sha, err := b.commit(gittest.Commit{Message: "final report", Files: map[string][]byte{"reports/README.md": final}},
			parentTime.Add(-time.Hour))
		if err != nil {
			return err
		}
		b.held = &heldPush{group: b.group.Number, repo: b.repo, sha: sha, afterDeadline: true}
		return b.repo.SetBranch(gittest.DefaultBranch, observed)
	case CaseLastMinute:
		// The tip a cron scrape sees ten minutes before the deadline, then
		// the report finished and pushed three minutes before it.
		observed, err := b.repo.Tip(gittest.DefaultBranch)
		if err != nil {
			return err
		}
		sha, err := b.commit(gittest.Commit{Message: "finish the report", Files: map[string][]byte{"reports/README.md": final}},
			deadline.Add(-3*time.Minute))
		if err != nil {
			return err
		}
		b.held = &heldPush{group: b.group.Number, repo: b.repo, sha: sha}
		return b.repo.SetBranch(gittest.DefaultBranch, observed)
	case CaseLateFigures:
		figures, err := b.figureFiles(plan, true)
		if err != nil {
			return err
		}
		_, err = b.commit(gittest.Commit{Message: "add the figures of question 14", Files: figures}, deadline.Add(32*time.Second))
		return err
	case CaseBotLate:
		return b.botCommits(deadline)
	case CaseReportAtRoot:
		report := strings.ReplaceAll(string(final), "](figures/", "](reports/figures/")
		_, err := b.commit(gittest.Commit{Message: "move the report to the front page", Files: map[string][]byte{
			"reports/README.md": nil, "README.md": []byte(report)}}, deadline.Add(-2*time.Hour-40*time.Minute))
		return err
	}
	return nil
}

// Bots that commit to student repositories.
var (
	dependabot   = gittest.Signature{Name: "dependabot[bot]", Email: "49699333+dependabot[bot]@users.noreply.github.com"}
	preCommitBot = gittest.Signature{Name: "pre-commit-ci[bot]", Email: "66853113+pre-commit-ci[bot]@users.noreply.github.com"}
)

// botCommits are what bots push after the deadline while the group is
// done: dependency bumps and formatting fixes, days and weeks later.
func (b *groupBuilder) botCommits(deadline time.Time) error {
	for i, c := range []gittest.Commit{
		{Message: "Bump torch from 2.1.0 to 2.1.2", Author: dependabot, When: deadline.Add(2*24*time.Hour + 3*time.Hour),
			Files: map[string][]byte{"requirements.txt": []byte("torch==2.1.2\ntyper==0.9.0\n")}},
		{Message: "[pre-commit.ci] auto fixes from pre-commit.com hooks", Author: preCommitBot, When: deadline.Add(9 * 24 * time.Hour),
			Files: b.codeFiles(98)},
		{Message: "Bump typer from 0.9.0 to 0.12.3", Author: dependabot, When: deadline.Add(16 * 24 * time.Hour),
			Files: map[string][]byte{"requirements.txt": []byte("torch==2.1.2\ntyper==0.12.3\n")}},
	} {
		if _, err := b.repo.Commit(gittest.DefaultBranch, c); err != nil {
			return fmt.Errorf("bot commit %d: %w", i+1, err)
		}
	}
	return nil
}

// featureBranch forks a branch, commits twice on it and merges it back
// through a pull request (GitHub's merge commit) or a local merge.
func (b *groupBuilder) featureBranch(tl *timeline) error {
	base, err := b.repo.Tip(gittest.DefaultBranch)
	if err != nil {
		return err
	}
	branch := "feature/" + []string{"api", "sweeps", "dvc", "monitoring"}[b.rng.IntN(4)]
	if err := b.repo.SetBranch(branch, base); err != nil {
		return err
	}
	for i := range 2 {
		when := tl.next()
		a := b.author()
		c := gittest.Commit{Message: fmt.Sprintf("%s: part %d", strings.TrimPrefix(branch, "feature/"), i+1), Author: a, When: when,
			Files: map[string][]byte{fmt.Sprintf("src/%s/%s_%d.py", b.pkg, strings.TrimPrefix(branch, "feature/"), i): pythonModule(b.pkg, i+40)}}
		if _, err := b.repo.Commit(branch, c); err != nil {
			return err
		}
	}
	merge := gittest.Commit{Author: b.author(), When: tl.next()}
	if b.group.Number%3 == 0 {
		merge.Message = fmt.Sprintf("Merge branch '%s'", branch)
	} else {
		merge.Message = fmt.Sprintf("Merge pull request #%d from mlops-group%02d/%s\n\n%s", 3+b.rng.IntN(20), b.group.Number, branch,
			strings.TrimPrefix(branch, "feature/"))
		merge.Committer = github
	}
	_, err = b.repo.Merge(gittest.DefaultBranch, branch, merge)
	return err
}

func (b *groupBuilder) commit(c gittest.Commit, when time.Time) (string, error) {
	c.Author, c.When = b.author(), when
	return b.repo.Commit(gittest.DefaultBranch, c)
}

// plan decides what the group's final report says, from its case.
func (b *groupBuilder) plan() reportPlan {
	p := reportPlan{
		groupWritten: b.group.Number,
		students:     b.group.Students,
		short:        map[int]bool{},
		placeholders: map[int]bool{},
		trailing:     map[int]bool{},
		figures:      b.figurePlan(),
		figureLink:   "figures/",
		checked:      map[string]bool{},
		deleted:      map[int]bool{},
		codeImages:   map[int]bool{},
	}
	// Teams tick most of week 1, much of week 2, some of week 3.
	share := map[string]int{"Week 1": 95, "Week 2": 75, "Week 3": 35, "Extra": 60}
	for _, sec := range checklist {
		for _, it := range sec.items {
			p.checked[it.text] = b.rng.IntN(100) < share[sec.section]
		}
	}
	switch b.group.Case {
	case CaseShortAnswers:
		for _, q := range []int{4, 8, 11, 16, 24} {
			p.short[q] = true
		}
	case CasePlaceholders:
		p.placeholders[27], p.placeholders[28] = true, true
		p.trailing[31] = true
	case CaseWrongGroup:
		p.groupWritten = b.group.Number*10 + 1
	case CaseMissingStudent:
		p.students = p.students[:len(p.students)-1]
	case CasePlaceholderLeft:
		for q := 3; q <= len(prompts); q++ { // the group and its students stand alone
			p.trailing[q] = true
		}
	case CaseNoChecklist:
		p.noChecklist = true
	case CaseQuestionDeleted:
		p.deleted[23] = true
	case CaseCodeImages:
		p.codeImages[19], p.codeImages[21] = true, true
	}
	return p
}

// figurePlan lists the figures of the image questions. CaseMissingFigures
// links two files it never commits and one with the wrong letter case.
func (b *groupBuilder) figurePlan() map[int][]figure {
	figs := map[int][]figure{
		14: {{file: "q14_loss.png", alt: "Training and validation loss", kind: figureCurves},
			{file: "q14_sweep.png", alt: "Learning rate sweep", kind: figureBars}},
		19: {{file: "q19_bucket.png", alt: "Our bucket", kind: figureBars}},
		20: {{file: "q20_registry.png", alt: "Images in the registry", kind: figureBars}},
		21: {{file: "q21_builds.png", alt: "Build history", kind: figureBars}},
		29: {{file: "q29_architecture.png", alt: "Architecture of the system", kind: figureDiagram}},
	}
	for _, fs := range figs {
		for i := range fs {
			fs[i].link = fs[i].file
		}
	}
	switch b.group.Case {
	case CaseMissingFigures:
		figs[14][1].missing = true
		figs[20][0].missing = true
		figs[29][0].link = "Q29_Architecture.png"
	case CaseLateFigures:
		figs[14][0].late, figs[14][1].late = true, true
	}
	return figs
}

// figureFiles are the figure files of the plan committed before the
// deadline (late: those committed after it).
func (b *groupBuilder) figureFiles(plan reportPlan, late bool) (map[string][]byte, error) {
	files := map[string][]byte{}
	seed := uint64(b.group.Number) * 100
	for q, figs := range plan.figures {
		for i, f := range figs {
			if f.missing || f.late != late {
				continue
			}
			data, err := figurePNG(f.kind, seed+uint64(q*10+i))
			if err != nil {
				return nil, err
			}
			files["reports/figures/"+f.file] = data
		}
	}
	return files, nil
}
