package workspace

import "time"

// PinRule says how the commit that counts was chosen.
type PinRule string

const (
	// PinnedByCommitterDate: the newest commit on the branch's first-parent
	// chain dated at or before the deadline.
	PinnedByCommitterDate PinRule = "committer-date"
	// PinnedByObservation: the branch tip a scrape saw at or before the
	// deadline (see Observation).
	PinnedByObservation PinRule = "observation"
)

// Pin is which commit counts for a group at its deadline, how it was chosen
// and what the history says around it. Scrape decides it once; the
// snapshot, the scrape outcome and the graded result all carry this one
// value.
type Pin struct {
	SHA  string    `json:"sha,omitempty"` // "" when nothing was handed in by the deadline
	Time time.Time `json:"time,omitzero"` // committer time of SHA
	By   PinRule   `json:"by,omitempty"`  // how SHA was chosen
	// ObservedAt is when the observation that pinned SHA was made.
	ObservedAt time.Time `json:"observed_at,omitzero"`
	// DateBasedSHA is what the committer dates alone would pin, when that
	// differs from SHA.
	DateBasedSHA string `json:"date_based_sha,omitempty"`
	// LateCommits counts the first-parent commits after SHA on the branch.
	LateCommits int `json:"late_commits"`
	// Backdated: commits dated before the deadline were pushed after it
	// (the evidence log saw a tip without them).
	Backdated bool `json:"backdated"`
	// OutOfOrder: committer dates go backwards somewhere on the first-parent
	// chain by more than clock skew (rewritten or rebased history).
	OutOfOrder bool     `json:"out_of_order"`
	Notes      []string `json:"notes,omitempty"`
}
