// Package grade checks a parsed report against a course year's template spec
// and turns a scraped snapshot into a GroupResult: violations against the
// roster, figure checks and repository statistics. It is pure: no git, no
// network; it reads only the snapshot's data.
package grade

import (
	"slices"
	"time"

	"handin/grade/identity"
	"handin/parse"
	"handin/workspace"
)

// Range is an inclusive min..max bound.
type Range struct {
	Min int `json:"min" toml:"min"`
	Max int `json:"max" toml:"max"`
}

// Contains reports whether n is within the range.
func (r Range) Contains(n int) bool { return r.Min <= n && n <= r.Max }

// QuestionResult is one question checked against its spec. Words, Images
// and Pass are the course checker's (CheckResult.Checker says which
// version), or handin's counts of the whole answer where the checker would
// stop with an error.
type QuestionResult struct {
	Number     int       `json:"number"`
	Line       int       `json:"line,omitempty"` // heading line; 0 when missing
	Words      int       `json:"words"`
	Images     int       `json:"images"`
	WordRange  *Range    `json:"word_range,omitempty"`
	ImageRange *Range    `json:"image_range,omitempty"`
	Pass       bool      `json:"pass"`
	Problems   []Finding `json:"problems"` // checker-compatible reasons for !Pass
	Findings   []Finding `json:"findings"` // separate facts (placeholders, figures)
	// Answer is the whole answer's counts where the checker counted other
	// text (a checker-segmentation finding says where); nil when they agree.
	Answer *AnswerCounts `json:"answer,omitempty"`
}

// ChecklistSummary counts one checklist section.
type ChecklistSummary struct {
	Section string          `json:"section"`
	Checked int             `json:"checked"`
	Total   int             `json:"total"`
	Items   []ChecklistItem `json:"items"`
}

// ChecklistItem is one checklist line.
type ChecklistItem struct {
	Text    string `json:"text"`
	Module  string `json:"module,omitempty"`
	Checked bool   `json:"checked"`
	Line    int    `json:"line,omitempty"` // line in the report
}

// Drift says how the report's questions differ from the spec's.
type Drift struct {
	Missing    []int `json:"missing,omitempty"`      // in the spec, not in the report
	Duplicated []int `json:"duplicated,omitempty"`   // heading appears more than once
	OutOfOrder []int `json:"out_of_order,omitempty"` // appears before a lower number
	Extra      []int `json:"extra,omitempty"`        // in the report, not in the spec
	// Mismatch is set when the report clearly follows another template
	// (e.g. 27 questions against a 31-question spec).
	Mismatch string `json:"mismatch,omitempty"`
}

// Empty reports whether there is no drift at all.
func (d Drift) Empty() bool {
	return len(d.Missing)+len(d.Duplicated)+len(d.OutOfOrder)+len(d.Extra) == 0 && d.Mismatch == ""
}

// CheckResult is one report checked against one spec.
type CheckResult struct {
	File        string             `json:"file"`
	Spec        string             `json:"spec"`
	Questions   []QuestionResult   `json:"questions"`
	Passed      int                `json:"passed"` // questions passing
	Pass        bool               `json:"pass"`   // every question passes
	Group       *int               `json:"group"`  // group number written in Question 1
	GroupText   string             `json:"group_text,omitempty"`
	Students    []string           `json:"students"` // student ids found in Question 2, in order
	Checklist   []ChecklistSummary `json:"checklist"`
	Drift       Drift              `json:"drift"`
	InvalidUTF8 int                `json:"invalid_utf8_line,omitempty"` // line of the first non-UTF-8 byte, 0 if none
	// ReadAsText is the markup read as plain text because it cannot be
	// parsed in reasonable time (parse.Report.Plain).
	ReadAsText []parse.PlainPart `json:"read_as_text,omitempty"`
	// Checker is what the course checker says about the report as a whole.
	Checker CheckerVerdict `json:"checker"`
	// FilesChecked is false when the repository's files were not known:
	// figure files were then not looked for.
	FilesChecked bool `json:"figure_files_checked"`
}

// SchemaVersion is the version of result.json and results.json (field
// "schema"). It changes when a field changes meaning or goes away; new
// fields do not change it. The fields are described in docs/results.md.
const SchemaVersion = 4

// GroupResult is everything the gradebook and a group's page show.
type GroupResult struct {
	Schema    int              `json:"schema"`
	Group     int              `json:"group"`
	State     State            `json:"state"`  // ok, check, grade, act or failed
	Status    workspace.Status `json:"status"` // how the scrape ended
	Error     string           `json:"error,omitempty"`
	URL       string           `json:"url"`
	WebURL    string           `json:"web_url,omitempty"`
	GitHub    string           `json:"github,omitempty"` // the repository's home on the course's GitHub host
	Branch    string           `json:"branch,omitempty"`
	MovedTo   string           `json:"moved_to,omitempty"` // where the URL redirects (a renamed repository)
	Deadline  time.Time        `json:"deadline"`
	ScrapedAt time.Time        `json:"scraped_at"`
	Pin       workspace.Pin    `json:"pin"` // the commit that counts
	// TimeZone is the course's time zone (IANA name) the result was graded
	// in: pages show times in it.
	TimeZone string `json:"time_zone,omitempty"`

	// ReportPath is where the report was found ("" when none).
	ReportPath string `json:"report_path,omitempty"`
	// WrongLocation is set when the report is not at reports/README.md.
	WrongLocation    bool           `json:"wrong_location,omitempty"`
	Check            *CheckResult   `json:"check,omitempty"`
	Roster           RosterCheck    `json:"roster"`
	Stats            RepoStats      `json:"stats"`
	Students         []StudentStats `json:"students"`
	UnmatchedAuthors []Author       `json:"unmatched_authors,omitempty"`
	// UnmappedIdentities are the commit identities no rule maps to a roster
	// student, one by one and in full (the people of UnmatchedAuthors), with
	// a suggested student id where a rule suggests one.
	UnmappedIdentities []UnmappedIdentity `json:"unmapped_identities,omitempty"`
	// Claims is the checklist judged against the deadline tree; nil when the
	// report has no checklist or no claims rules were given.
	Claims *ClaimsResult `json:"claims,omitempty"`
	// SharedHistory lists the other groups whose repositories share commits
	// with this one at their deadline commits, by group.
	SharedHistory []SharedHistory `json:"shared_history,omitempty"`
	// Similar lists the answers (and the whole report) sharing passages
	// with another group's of the course or with an archived report's.
	Similar []Similarity `json:"similar,omitempty"`
	// CI is the CI status of the commit that counts, as GitHub reports its
	// checks: its state and the failing checks; nil when the repository is
	// not on GitHub.
	CI *workspace.CI `json:"ci,omitempty"`
	// Findings lists every problem and piece of information about the
	// group and its questions, for the index, the gradebook and the page.
	Findings []Finding `json:"findings"`
}

// Reasons are the findings above information, the reasons for the
// group's state: most pressing level first, each level's kinds in
// KindTable's order, findings in their order.
func (r *GroupResult) Reasons() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Reason() {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, CompareFindings)
	return out
}

// CompareFindings orders findings most pressing level first, then by kind
// as KindTable lists them.
func CompareFindings(a, b Finding) int {
	if c := a.Level.Compare(b.Level); c != 0 {
		return c
	}
	_, ra := KindOf(a.Kind)
	_, rb := KindOf(b.Kind)
	return ra - rb
}

// RosterCheck compares what the report says with groups.csv.
type RosterCheck struct {
	GroupWritten *int     `json:"group_written"`
	GroupOK      bool     `json:"group_ok"`
	Missing      []string `json:"missing_students,omitempty"`    // on the roster, not in Question 2
	Extra        []string `json:"extra_students,omitempty"`      // in Question 2, not on the roster
	Duplicated   []string `json:"duplicated_students,omitempty"` // written twice in Question 2
}

// RepoStats are statistics of the repository at the deadline commit.
type RepoStats struct {
	Contributors     int            `json:"num_contributors"`
	Commits          int            `json:"commits"`
	AvgMessageLength float64        `json:"avg_commit_message_length"`
	LatestCommit     time.Time      `json:"latest_commit,omitzero"`
	FirstCommit      time.Time      `json:"first_commit,omitzero"`
	Contributions    map[string]int `json:"contributions"`           // contributor (merged identity) -> commits
	Activity         [][]int        `json:"activity"`                // day index from first commit × 24 hours
	ActivityStart    time.Time      `json:"activity_start,omitzero"` // midnight of day 0, course time zone
	MergedPRs        int            `json:"merged_pull_requests"`
	PythonFiles      int            `json:"python_files"`
	Dockerfiles      int            `json:"dockerfiles"`
	WorkflowFiles    int            `json:"workflow_files"`
	RequirementFiles int            `json:"requirement_files"`
	HasCloudBuild    bool           `json:"cloudbuild"`
	// CloudBuildUnknown: no Cloud Build config by name, and YAML files whose
	// content was not kept in the snapshot could be one (by their steps):
	// HasCloudBuild false then means "none found", not "none".
	CloudBuildUnknown bool  `json:"cloudbuild_unknown,omitempty"`
	UsesDVC           bool  `json:"dvc"`
	TestFiles         int   `json:"test_files"`
	RepoSize          int64 `json:"repo_size"`
	// RepoSizeUnsized counts the files of the deadline tree whose size the
	// scrape could not learn (a partial clone, from a server that does not
	// answer object-info): RepoSize is the size of the others.
	RepoSizeUnsized int `json:"repo_size_unsized,omitempty"`
	ReadmeWords     int `json:"readme_words"`
}

// The people of a result (who wrote the commits, see package identity),
// under the names the rest of the result's types have.
type (
	StudentStats     = identity.StudentStats
	Author           = identity.Author
	Identity         = identity.Identity
	UnmappedIdentity = identity.Unmapped
)
