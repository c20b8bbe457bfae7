package export

import (
	"slices"

	"handin/grade"
)

// kindInfo is how pages and the index name a kind of finding.
type kindInfo struct {
	Kind grade.Kind
	// Title names what is wrong, to be followed by where: "only the
	// template placeholder" (in 5 questions).
	Title string
	// Section is the page section that tells more ("" when none).
	Section string
	// Itemized: Section lists every finding of the kind, so the violations
	// panel does not repeat their messages.
	Itemized bool
}

// kindOrder lists every kind, most severe first: what stops a group from
// being graded, evidence about the deadline, a report that cannot be
// checked, then failing questions, figures, the roster and the claims.
// Kinds of information follow (a finding's own severity decides where it is
// shown: a checker-segmentation finding may be a problem).
var kindOrder = []kindInfo{
	{grade.KindNotScraped, "not scraped", "", false},
	{grade.KindOverBudget, "not done in the time a group may take", "", false},
	{grade.KindBackdated, "backdated commits", "deadline-commit", false},
	{grade.KindNoReport, "no report", "", false},
	{grade.KindReportUnreadable, "report unreadable", "", false},
	{grade.KindNotChecked, "report not checked", "", false},
	{grade.KindTemplateMismatch, "another year's template", "", false},
	{grade.KindLateCommits, "late commits", "deadline-commit", false},
	{grade.KindMissing, "question missing", "", false},
	{grade.KindUnanswered, "only the template placeholder", "", false},
	{grade.KindWords, "word count out of range", "", false},
	{grade.KindImages, "image count out of range", "", false},
	{grade.KindPlaceholder, "template placeholder left", "", false},
	{grade.KindMissingFile, "figure file not in the repository", "", false},
	{grade.KindCaseMismatch, "figure name in another letter case", "", false},
	{grade.KindOutsideRepo, "figure path outside the repository", "", false},
	{grade.KindSpacesInLink, "spaces in a figure link", "", false},
	{grade.KindBadFormat, "figure format GitHub does not show", "", false},
	{grade.KindGroupNumber, "group number", "", false},
	{grade.KindNoStudentIDs, "no student ids", "", false},
	{grade.KindStudentMissing, "roster student not in Question 2", "", false},
	{grade.KindStudentExtra, "student not on the roster", "", false},
	{grade.KindNoCommits, "students without commits", "contributions", false},
	{grade.KindTickedWithoutEvidence, "ticked without evidence", "claims", true},
	{grade.KindClaimsNotChecked, "checklist not judged", "", false},
	{grade.KindCIFailing, "CI failing", "ci", true},
	{grade.KindCheckerSegmentation, "the checker counted other text", "", false},
	{grade.KindReadAsText, "markup shown as plain text", "", false},
	// information
	{grade.KindCut, "cut by handin's limits", "", false},
	{grade.KindCheckerCrash, "the course checker would stop", "", false},
	{grade.KindAttribution, "attribution incomplete", "contributions", false},
	{grade.KindSharedHistory, "history shared with another group", "claims", true},
	{grade.KindOutOfOrder, "history out of date order", "deadline-commit", false},
	{grade.KindImplausibleDates, "implausible commit dates", "", false},
	{grade.KindReportLocation, "report location", "", false},
	{grade.KindInvalidUTF8, "not valid UTF-8", "", false},
	{grade.KindDuplicatedQuestion, "question heading written twice", "", false},
	{grade.KindQuestionsOrder, "questions out of order", "", false},
	{grade.KindExtraQuestions, "questions the spec does not have", "", false},
	{grade.KindStudentDuplicated, "student id written twice", "", false},
	{grade.KindLinkImage, "a link where an image was meant", "", false},
	{grade.KindHTMLImage, "HTML image, not counted by the checker", "", false},
	{grade.KindCodeImage, "image inside backticks", "", false},
	{grade.KindRemoteImage, "remote image", "", false},
	{grade.KindOwnRepoURL, "figure linked by a URL of the repository", "", false},
	{grade.KindNoMarker, "no \"Answer:\" line", "", false},
	{grade.KindReadmeUnreadable, "README unreadable", "", false},
	{grade.KindUntickedWithEvidence, "not ticked, but the repository shows it", "claims", true},
}

// kindOf is the kind's entry; a kind this package does not know (a newer
// result) gets its own name as title and sorts last.
func kindOf(k grade.Kind) (info kindInfo, rank int) {
	if i := slices.IndexFunc(kindOrder, func(e kindInfo) bool { return e.Kind == k }); i >= 0 {
		return kindOrder[i], i
	}
	return kindInfo{Kind: k, Title: string(k)}, len(kindOrder)
}
