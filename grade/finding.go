package grade

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Kind names what a finding is about. Kinds are stable: pages, the index,
// the gradebook and results.json count the same things by them.
type Kind string

// Kinds that decide a question's pass/fail exactly as the course checker
// does.
const (
	KindWords   Kind = "words"   // word count outside the range
	KindImages  Kind = "images"  // image count outside the range
	KindMissing Kind = "missing" // the question is not in the report
)

// Kinds of what the course really wants to know about a question, listed
// beside the checker-compatible result and never mixed into its pass/fail.
const (
	KindUnanswered   Kind = "unanswered"       // only the "--- question N fill here ---" placeholder
	KindPlaceholder  Kind = "placeholder"      // placeholder left next to an answer
	KindLinkImage    Kind = "link-image"       // [text](x.png): a link where an image was meant
	KindHTMLImage    Kind = "html-image"       // <img src>: shown, but not counted by the checker
	KindCodeImage    Kind = "code-image"       // image markdown inside backticks: not shown
	KindRemoteImage  Kind = "remote-image"     // http(s) image from elsewhere: not in the repository
	KindOwnRepoURL   Kind = "own-repo-url"     // URL of a file of the group's own repository, in the deadline tree
	KindMissingFile  Kind = "missing-file"     // image file not in the repository at the deadline
	KindCaseMismatch Kind = "case-mismatch"    // file exists with different letter case
	KindBadFormat    Kind = "bad-format"       // not .png/.jpg/.jpeg/.gif/.webp/.svg
	KindOutsideRepo  Kind = "outside-repo"     // ../ beyond the repository root, a local disk path
	KindSpacesInLink Kind = "spaces-in-link"   // ![x](a b.png): spaces without %20 or <...>, no image on GitHub
	KindNoMarker     Kind = "no-answer-marker" // no "Answer:" line under the question
	// KindCheckerSegmentation: the course checker counted other text than
	// the whole answer (a sub-heading inside it, a heading after the last
	// one, a second "Answer:").
	KindCheckerSegmentation Kind = "checker-segmentation"
)

// Kinds about the group as a whole (some carry the question they concern:
// the roster kinds are about Questions 1 and 2).
const (
	KindNotScraped         Kind = "not-scraped"            // no deadline commit: the scrape status says why
	KindOldData            Kind = "old-data"               // graded from an earlier snapshot: this run could not reach the repository
	KindBackdated          Kind = "backdated"              // evidence: commits dated before the deadline pushed after it
	KindLateWork           Kind = "late-work"              // late commits changed the report or its figures
	KindLateCommits        Kind = "late-commits"           // other commits on the branch after the commit that counts
	KindOutOfOrder         Kind = "history-out-of-order"   // committer dates go backwards (clock skew, rebase): information
	KindNoReport           Kind = "no-report"              // no report anywhere in the deadline tree
	KindReportLocation     Kind = "report-location"        // the report is not at reports/README.md
	KindReportUnreadable   Kind = "report-unreadable"      // the report could not be read or parsed
	KindNotChecked         Kind = "not-checked"            // no spec to check the report against
	KindInvalidUTF8        Kind = "invalid-utf8"           // the report is not valid UTF-8
	KindReadAsText         Kind = "read-as-text"           // markup that cannot be parsed in reasonable time, read as text
	KindCheckerCrash       Kind = "checker-crash"          // the course checker would stop with an error on the report
	KindTemplateMismatch   Kind = "template-mismatch"      // the report follows another year's template
	KindDuplicatedQuestion Kind = "duplicated-question"    // a question heading written twice
	KindQuestionsOrder     Kind = "questions-out-of-order" // questions not in ascending order
	KindExtraQuestions     Kind = "extra-questions"        // questions the spec does not have
	KindGroupNumber        Kind = "group-number"           // Question 1 names another group
	KindNoGroupNumber      Kind = "no-group-number"        // Question 1 names no group
	KindNoStudentIDs       Kind = "no-student-ids"         // Question 2 names no student id
	KindStudentMissing     Kind = "student-missing"        // a roster student not in Question 2
	KindStudentExtra       Kind = "student-extra"          // a student in Question 2 not on the roster
	KindStudentDuplicated  Kind = "student-duplicated"     // a student written twice in Question 2
	KindStudentTwoRows     Kind = "student-two-rows"       // a student on another row of groups.csv too
	KindSameRepository     Kind = "same-repository"        // another row of groups.csv names the same repository
	KindImplausibleDates   Kind = "implausible-dates"      // commits dated before 2000 or long after the deadline
	KindReadmeUnreadable   Kind = "readme-unreadable"      // the root README could not be read
	KindNoCommits          Kind = "no-commits"             // roster students without a commit, every author matched
	KindAttribution        Kind = "attribution-incomplete" // roster students without matched commits, identities unmapped
)

// Kinds about the checklist's claims and the repository's history.
const (
	KindTickedWithoutEvidence Kind = "ticked-without-evidence" // a ticked item the repository shows no evidence of
	KindUntickedWithEvidence  Kind = "unticked-with-evidence"  // an unticked item the repository shows
	KindClaimsNotChecked      Kind = "claims-not-checked"      // the checklist could not be judged
	KindNoChecklist           Kind = "no-checklist"            // the report has no checklist
	KindNothingTicked         Kind = "nothing-ticked"          // the checklist has no item ticked
	KindSharedHistory         Kind = "shared-history"          // another group's repository shares commits with this one
	KindCIFailing             Kind = "ci-failing"              // a check failed on GitHub at the commit that counts
)

// Kinds about answers other groups wrote too.
const (
	KindSimilarAnswer Kind = "similar-answer" // an answer shares passages with another group's answer to the question
	KindSimilarReport Kind = "similar-report" // the report's answers share passages with another report's, as a whole
)

// Kinds about what handin left out or gave up on: a repository or report
// crafted (or large enough) to exhaust it.
const (
	KindCut        Kind = "cut"         // the scrape cut something over one of its limits (a name, a history, a tree)
	KindOverBudget Kind = "over-budget" // grading or the page took longer than a group may take: not done
)

// MissingFigure reports whether the kind means a figure is not shown on
// GitHub (counted as "missing figures").
func (k Kind) MissingFigure() bool {
	switch k {
	case KindMissingFile, KindCaseMismatch, KindOutsideRepo, KindSpacesInLink:
		return true
	}
	return false
}

// Finding is one problem or piece of information about a group or one of
// its questions.
type Finding struct {
	Kind Kind `json:"kind"`
	// Level is what the finding asks of the instructor (its kind's level,
	// see Levels); "severity" in the JSON.
	Level Level `json:"severity"`
	// Question is the question the finding is about; 0 for the group.
	Question int    `json:"question,omitempty"`
	Message  string `json:"message"`
	Min      *int   `json:"min,omitempty"`
	Max      *int   `json:"max,omitempty"`
	Got      *int   `json:"got,omitempty"`
	Target   string `json:"target,omitempty"` // the image path or URL concerned
	Line     int    `json:"line,omitempty"`   // line in the report
	// AddedLate: the figure missing at the deadline was added by a late
	// commit (missing-file findings only).
	AddedLate *LateAddition `json:"added_late,omitempty"`
	// Minor: the lesser case of its kind, one level below the kind's (a
	// word count just outside its range, a checker segmentation that
	// changes no verdict, an attribution gap that may not be one).
	Minor bool `json:"minor,omitempty"`
}

// LateAddition is the late commit that added a file missing at the
// deadline.
type LateAddition struct {
	SHA  string    `json:"sha"`
	Time time.Time `json:"time"` // its committer time
	// After is how long after the deadline it was committed, in seconds
	// (0 or less: dated at or before the deadline, pushed after it).
	After int64 `json:"after_seconds"`
}

// replaceFindings replaces the result's findings of these kinds with
// found, at the course's levels, and its state with theirs: for the
// findings that comparing groups makes, which change when another group
// does.
func (r *GroupResult) replaceFindings(kinds []Kind, found []Finding, levels Levels) {
	r.Findings = slices.DeleteFunc(r.Findings, func(f Finding) bool { return slices.Contains(kinds, f.Kind) })
	for _, f := range found {
		f.Level = levels.level(f)
		r.Findings = append(r.Findings, f)
	}
	r.State = stateOf(r.Status.Pinned(), r.Findings)
}

// newFinding is a finding of kind about question (0: the group).
func newFinding(kind Kind, question int, format string, args ...any) Finding {
	return Finding{Kind: kind, Level: Levels{}.Of(kind), Question: question, Message: fmt.Sprintf(format, args...)}
}

// asMinor is the finding as the lesser case of its kind: one level below
// the kind's.
func (f Finding) asMinor() Finding {
	f.Minor = true
	f.Level = Levels{}.level(f)
	return f
}

// Reason reports whether the finding is one of the reasons for its group's
// state: a finding above information (act, grade or check).
func (f Finding) Reason() bool { return f.Level.Compare(LevelInfo) < 0 }

// Text is the finding in one line, prefixed with its question and the
// figure concerned ("Q21: figures/build.png: a link to an image ...").
func (f Finding) Text() string {
	text := f.Message
	if f.Target != "" && !strings.Contains(text, f.Target) {
		text = f.Target + ": " + text
	}
	if f.Question > 0 {
		text = fmt.Sprintf("Q%d: %s", f.Question, text)
	}
	return text
}
