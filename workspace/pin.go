package workspace

import "time"

// PinRule says what proves that the commit that counts was handed in on
// time.
type PinRule string

const (
	// PinnedByCommitterDate: no sighting of the branch proves when the
	// commit was pushed; it is dated at or before the deadline and was on
	// the branch when first seen after it, so it gets the benefit of the
	// doubt.
	PinnedByCommitterDate PinRule = "committer-date"
	// PinnedByObservation: a scrape saw it on the branch at or before the
	// deadline (the evidence log).
	PinnedByObservation PinRule = "observation"
	// PinnedByPushLog: GitHub's push log shows it on the branch at or
	// before the deadline.
	PinnedByPushLog PinRule = "push-log"
)

// EvidenceSource is who saw the branch.
type EvidenceSource string

const (
	// SourceEvidenceLog: a scrape of handin's (observations.jsonl).
	SourceEvidenceLog EvidenceSource = "evidence-log"
	// SourcePushLog: GitHub's record of pushes (the repository activity API).
	SourcePushLog EvidenceSource = "push-log"
)

// Name is the source as a sentence names it.
func (s EvidenceSource) Name() string {
	switch s {
	case SourceEvidenceLog:
		return "handin's evidence log"
	case SourcePushLog:
		return "GitHub's push log"
	}
	return string(s)
}

// EvidenceRole is what the pin rule concluded from a sighting.
type EvidenceRole string

const (
	// RoleOnTime: the last sighting at or before the deadline; everything
	// reachable from its tip was pushed on time.
	RoleOnTime EvidenceRole = "on-time"
	// RoleBound: the first sighting after the deadline; a commit dated at
	// or before the deadline that its tip does not contain was pushed after
	// the deadline.
	RoleBound EvidenceRole = "bound"
)

// Evidence is one sighting of a group's branch: its tip at a time, and who
// saw it. Push-log sightings also say what the push replaced and who pushed.
type Evidence struct {
	Source EvidenceSource `json:"source"`
	Time   time.Time      `json:"time"`
	TipSHA string         `json:"tip_sha"` // "" when the branch was empty
	// Push log only: the activity type (push, force_push, pr_merge, ...;
	// "at-deadline" for the branch as it stood at the deadline, between
	// the last push before it and the first after), the tip the push
	// replaced and the GitHub login of who pushed.
	Push   string `json:"push,omitempty"`
	Before string `json:"before,omitempty"`
	Actor  string `json:"actor,omitempty"`
	// Role is set on the sightings the pin rule used.
	Role EvidenceRole `json:"role,omitempty"`
}

// PushAtDeadline is the Evidence.Push of the push log's sighting of the
// branch as it stood at the deadline.
const PushAtDeadline = "at-deadline"

// Pin is which commit counts for a group at its deadline, what proves it and
// what was pushed after it. Scrape decides it once; the snapshot, the scrape
// outcome and the graded result all carry this one value.
type Pin struct {
	SHA  string    `json:"sha,omitempty"` // "" when nothing was handed in by the deadline
	Time time.Time `json:"time,omitzero"` // committer time of SHA
	By   PinRule   `json:"by,omitempty"`  // what proves SHA was on time
	// Evidence are the sightings the rule used (roles on-time and bound),
	// oldest first; none when the branch was never seen around the deadline.
	Evidence []Evidence `json:"evidence,omitempty"`
	// DateBasedSHA is what the committer dates alone would pin on the
	// branch as scraped, when that differs from SHA.
	DateBasedSHA string `json:"date_based_sha,omitempty"`
	// LateCommits counts the commits on the branch (as scraped, or as first
	// seen after the deadline) that SHA does not contain.
	LateCommits int `json:"late_commits"`
	// Late lists those commits, newest first, at most MaxLateListed.
	Late []LateCommit `json:"late,omitempty"`
	// Backdated: evidence shows commits dated at or before the deadline
	// were pushed after it (the first sighting after the deadline did not
	// contain them). An accusation, made only on that evidence.
	Backdated bool `json:"backdated"`
	// BackdatingKnown: the evidence could show backdating (a sighting at
	// or before the deadline, or GitHub's push log); without it a commit
	// pushed between the deadline and the first sighting after it cannot
	// be told from one pushed on time, so "not backdated" is unknown. Set
	// by grade (BackdatingCheckable); a snapshot's says nothing.
	BackdatingKnown bool `json:"backdating_known"`
	// OutOfOrder: committer dates go backwards somewhere on the branch's
	// first-parent chain by more than laptop clocks disagree (a rebase,
	// clock skew). Information, not evidence of backdating.
	OutOfOrder bool `json:"out_of_order"`
	// NotOnBranch: the branch was rewritten after the deadline and no
	// longer contains SHA (which stays in the workspace clone).
	NotOnBranch bool     `json:"not_on_branch,omitempty"`
	Notes       []string `json:"notes,omitempty"`
}

// BackdatingCheckable reports whether the pin's evidence could show
// backdating: a sighting at or before the deadline, or GitHub's push log.
func (p Pin) BackdatingCheckable() bool {
	for _, e := range p.Evidence {
		if e.Role == RoleOnTime || e.Source == SourcePushLog {
			return true
		}
	}
	return false
}

// MaxLateListed bounds Pin.Late: a group that kept working for weeks after
// the deadline must not turn its page into a commit log.
const MaxLateListed = 50

// LateCommit is a commit the pinned one does not contain.
type LateCommit struct {
	SHA        string    `json:"sha"`
	AuthorName string    `json:"author_name"`
	CommitTime time.Time `json:"commit_time"`
	Subject    string    `json:"subject"` // first line of the message
	// Backdated: dated at or before the deadline, and shown by a sighting
	// to have been pushed after it.
	Backdated bool `json:"backdated,omitempty"`
	// Bot: the author is a bot (dependabot, pre-commit-ci, a GitHub
	// Actions workflow). Set by grade.
	Bot bool `json:"bot,omitempty"`
	// SeenAt is the first sighting after the deadline whose tip contains
	// the commit (zero when none did, e.g. the current scrape's tip came
	// from a resumed snapshot); SeenBy is its source.
	SeenAt time.Time      `json:"seen_at,omitzero"`
	SeenBy EvidenceSource `json:"seen_by,omitempty"`
	// Files the commit changed against its first parent, at most
	// MaxLateFiles; FilesOmitted counts the rest.
	Files        []LateFile `json:"files,omitempty"`
	FilesOmitted int        `json:"files_omitted,omitempty"`
}

// MaxLateFiles bounds LateCommit.Files.
const MaxLateFiles = 30

// LateFile is a path a late commit touched, marked when it is the report
// or a figure. Scrape marks every README (the report may be any) and every
// image; grade, knowing the report, marks the report's own path and the
// figures it shows (or keeps in its folder).
type LateFile struct {
	Path   string `json:"path"`
	Report bool   `json:"report,omitempty"`
	Figure bool   `json:"figure,omitempty"`
	// Kept: an image the deadline tree lacks, kept in the snapshot as this
	// commit added it (Snapshot.OpenLate), so that the page can show what
	// arrived late.
	Kept bool `json:"kept,omitempty"`
}
