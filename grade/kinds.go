package grade

import "slices"

// KindInfo is what handin says about a kind of finding: its default level,
// a title the pages, the index and the gradebook name it by, and what it
// means ('handin findings', docs/findings.md).
type KindInfo struct {
	Kind  Kind
	Level Level // the default: the course file's [levels] may change it
	// Title names what is wrong in a few words ("figure missing at the
	// deadline"), to be followed by where.
	Title   string
	Meaning string
}

// KindTable lists every kind with its default level, each level's kinds
// most pressing first: the order pages and the index list them in. A new
// kind is one line here (and one in docs/findings.md, which a test keeps
// equal to this table).
var KindTable = []KindInfo{
	{KindNotScraped, LevelAct, "not scraped", "no deadline commit: the scrape status says why (the group is failed)"},
	{KindOldData, LevelAct, "graded from old data", "this run could not reach the repository: the group is graded from the snapshot an earlier run scraped"},
	{KindBackdated, LevelAct, "backdated commits", "evidence shows commits dated at or before the deadline were pushed after it"},
	{KindNoReport, LevelAct, "no report", "no report anywhere in the deadline tree"},
	{KindReportUnreadable, LevelAct, "report unreadable", "the report could not be read or parsed"},
	{KindNotChecked, LevelAct, "report not checked", "no spec to check the report against"},
	{KindTemplateMismatch, LevelAct, "another year's template", "the report follows another year's template (try another --spec)"},
	{KindSharedHistory, LevelAct, "history shared with another group", "another group's repository shares commits with this one at both deadline commits: a fork, a copy, one start, or one group handing in twice. Both groups are told; the message names the other group, how many commits they share, whether the reports are the same text and the students both have; the page says which history is older and where they part"},
	{KindSameRepository, LevelAct, "same repository on two rows", "another row of groups.csv names the same repository (however written: http or https, ssh, letter case, .git): both groups are told, with both lines"},
	{KindStudentTwoRows, LevelAct, "student on two rows", "a student id of this group's row of groups.csv is on another group's row too: both groups are told, with both lines"},
	{KindGroupNumber, LevelAct, "another group's number", "Question 1 names another group's number: the report of another group?"},
	{KindNoStudentIDs, LevelAct, "no student ids", "Question 2 names no student id"},
	{KindStudentMissing, LevelAct, "roster student not in Question 2", "a roster student is not in Question 2"},
	{KindMissing, LevelAct, "question deleted", "the question is not in the report"},
	{KindOverBudget, LevelAct, "not graded in the time a group may take", "grading the group took longer than a group may take (`group_timeout`, default 1m): the result holds what the scrape found, the report, checklist and statistics are not graded; the course went on (a page over that time is written without the report, and says so)"},

	{KindLateWork, LevelGrade, "report changed after the deadline", "late commits changed the report or a figure it shows: work that arrived after the deadline (the message says when and in which commits)"},
	{KindUnanswered, LevelGrade, "question unanswered", "only the template's `--- question N fill here ---` placeholder is there"},
	{KindWords, LevelGrade, "word count out of range", "the question's word count is outside its range (the checker's count); one level lower (check) when it misses the range by at most a tenth"},
	{KindImages, LevelGrade, "image count out of range", "the question's image count is outside its range (the checker's count)"},
	{KindMissingFile, LevelGrade, "figure missing at the deadline", "a figure file is not in the repository at the deadline (also for a URL of the group's own repository); `added_late` names the late commit that added it"},
	{KindCaseMismatch, LevelGrade, "figure name in another letter case", "the figure file exists in another letter case: broken on GitHub"},
	{KindOutsideRepo, LevelGrade, "figure path outside the repository", "the figure path climbs out of the repository, or is a path of the author's own disk"},
	{KindSpacesInLink, LevelGrade, "spaces in a figure link", "`![x](a b.png)`: spaces without `%20` or `<...>`, so GitHub shows the text, not an image (the message says whether the file exists)"},
	{KindBadFormat, LevelGrade, "figure format GitHub does not show", "the figure is not a .png, .jpg, .jpeg, .gif, .webp or .svg"},

	{KindTickedWithoutEvidence, LevelCheck, "ticked without evidence", "a ticked checklist item the deadline tree shows no evidence of, where the rule is certain (the message says what was looked for; `line` is the item's)"},
	{KindPlaceholder, LevelCheck, "template placeholder left", "the template's placeholder line is still there beside an answer"},
	{KindCodeImage, LevelCheck, "image inside backticks", "image markdown inside backticks: GitHub shows the text, not the image"},
	{KindLinkImage, LevelCheck, "a link where an image was meant", "`[text](x.png)`: a link where an image was meant (not counted by the checker)"},
	{KindNoChecklist, LevelCheck, "no checklist", "the report has no checklist (the template's was deleted)"},
	{KindNothingTicked, LevelCheck, "nothing ticked", "the checklist has items and none is ticked"},
	{KindClaimsNotChecked, LevelCheck, "checklist not judged", "the checklist could not be judged (an internal error, named in the message): judge it by hand"},
	{KindNoGroupNumber, LevelCheck, "no group number", "Question 1 is answered and names no group number"},
	{KindStudentExtra, LevelCheck, "student not on the roster", "a student in Question 2 is not on the roster"},
	{KindNoCommits, LevelCheck, "students without commits", "roster students without a commit while every commit identity is mapped"},
	{KindAttribution, LevelCheck, "attribution incomplete", "roster students without commits while some commit identities are mapped to no student; information (one level lower) when there are as many unmapped people as such students, who may be them (`unmapped_identities` lists them)"},
	{KindSimilarAnswer, LevelCheck, "answer shared with another group", "the answer shares passages with another group's answer to the question, of this course or of an archived year: at least `similarity_words` shared words (30 unless the course file says otherwise) that are at least `similarity_share` percent of either answer's own words (30); the template's and question's text and text found in more than `similarity_common` reports (5) never count. The message names the other group and the shares; the page shows the passages side by side"},
	{KindSimilarReport, LevelCheck, "report shared with another group", "the report's answers, taken together wherever they stand, share passages with another report's (of this course or an archived year) by the same thresholds as an answer: a copy whose answers were moved to other questions. The message names the answers found under other questions"},
	{KindOutOfOrder, LevelCheck, "history out of date order", "committer dates go backwards on the branch (rebased or rewritten history, clock skew; not proof of backdating)"},
	{KindDuplicatedQuestion, LevelCheck, "question heading written twice", "a question heading is written twice (the first counts)"},
	{KindCIFailing, LevelCheck, "CI failing", "a check failed on GitHub at the commit that counts (a GitHub Actions job or another app's check run, or a commit status); the message names the failing checks, the page links each"},
	{KindReadAsText, LevelCheck, "markup shown as plain text", "markup that cannot be parsed in reasonable time (lists or quotes nested past column 64, more than 128 link reference definitions in one paragraph, a paragraph of tens of kilobytes full of link, emphasis or code marks) was read as plain text: its formatting, links and checklist boxes are not read, and the page shows it as text. No report written for people has it; see [goldmark.md](goldmark.md)"},
	{KindCheckerSegmentation, LevelCheck, "the checker counted other text", "the checker counted other text than the whole answer (a sub-heading inside it, a heading after the last answer, \"Answer:\" twice) and its verdict differs from the whole answer's; information (one level lower) when both verdicts agree"},

	{KindCut, LevelInfo, "cut by handin's limits", "the scrape left out part of the repository that went over one of its limits (an author name over 256 bytes, a commit with over 100 parents, a history over 50,000 commits, a tree listing over 500,000 entries, ...: the table in the README); the message says what and how much"},
	{KindLateCommits, LevelInfo, "late commits", "commits on the branch after the commit that counts that change neither the report nor its figures (bots' commits counted apart)"},
	{KindCheckerCrash, LevelInfo, "the course checker would stop", "the course checker would stop with an error on the report (cause and line given)"},
	{KindReportLocation, LevelInfo, "report location", "the report is not at reports/README.md (it was found and graded where it is)"},
	{KindInvalidUTF8, LevelInfo, "not valid UTF-8", "the report is not valid UTF-8 from a line on (invalid bytes replaced)"},
	{KindQuestionsOrder, LevelInfo, "questions out of order", "questions are not in ascending order"},
	{KindExtraQuestions, LevelInfo, "questions the spec does not have", "questions the spec does not have"},
	{KindStudentDuplicated, LevelInfo, "student id written twice", "a student id is written twice in Question 2"},
	{KindImplausibleDates, LevelInfo, "implausible commit dates", "commits dated before 2000 or long after the deadline (a wrong clock): counted, not plotted"},
	{KindReadmeUnreadable, LevelInfo, "README unreadable", "the root README could not be read to count its words"},
	{KindUntickedWithEvidence, LevelInfo, "not ticked, but the repository shows it", "an unticked checklist item the deadline tree shows (the message names the files)"},
	{KindHTMLImage, LevelInfo, "HTML image, not counted by the checker", "`<img src>`: shown, but not counted by the checker"},
	{KindRemoteImage, LevelInfo, "remote image", "an image shown from a web address that is not a known URL of the group's repository: not checked against the deadline tree"},
	{KindOwnRepoURL, LevelInfo, "figure linked by a URL of the repository", "a URL of a file of the group's own repository (github.com blob/raw, raw.githubusercontent.com, `?raw=true`) that is in the deadline tree; the message says which branch or commit the URL names"},
	{KindNoMarker, LevelInfo, "no \"Answer:\" line", "no \"Answer:\" line under the question: the answer is taken from after the prompt"},
}

// minorTitles name the lesser case of the kinds that have one (see
// Finding.Minor).
var minorTitles = map[Kind]string{
	KindWords:               "word count just out of range",
	KindCheckerSegmentation: "the checker counted other text, same verdict",
	KindAttribution:         "attribution incomplete, maybe only unmapped",
}

// TitleOf is the title of a finding's kind, or of its lesser case.
func TitleOf(f Finding) string {
	if t, ok := minorTitles[f.Kind]; ok && f.Minor {
		return t
	}
	info, _ := KindOf(f.Kind)
	return info.Title
}

// kindDefault is the kind's entry of KindTable; false for a kind this
// handin does not know.
func kindDefault(k Kind) (KindInfo, bool) {
	info, rank := KindOf(k)
	return info, rank < len(KindTable)
}

// KindOf is the kind's entry of KindTable and its rank there (the order
// pages list kinds in); a kind this handin does not know (a newer result)
// is titled by its name, at information, and ranks last.
func KindOf(k Kind) (info KindInfo, rank int) {
	if i := slices.IndexFunc(KindTable, func(e KindInfo) bool { return e.Kind == k }); i >= 0 {
		return KindTable[i], i
	}
	return KindInfo{Kind: k, Level: LevelInfo, Title: string(k)}, len(KindTable)
}
