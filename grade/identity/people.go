// Package identity tells who wrote a group's commits: it merges the commit
// identities (name and address pairs) of a history into people, maps each
// person to a roster student by the instructor's authors.csv, a DTU address or
// a student id written in a name, address or GitHub login, and lists what no
// rule maps so that the instructor can map it in authors.csv. Every merge and
// every mapping records the rule that made it and the evidence.
package identity

// Contributors is who wrote a history: the roster students and the people
// no rule maps to one.
type Contributors struct {
	// Contributions counts commits per person: a roster student's id, or
	// the main identity of a person matched to no student (bots too).
	Contributions map[string]int
	Count         int // people, bots excluded
	Students      []StudentStats
	Unmatched     []Author   // people matched to no student, bots excluded
	Unmapped      []Unmapped // the identities of Unmatched, one by one
}

// Author is one person matched to no roster student: their merged commit
// identities.
type Author struct {
	Names   []string `json:"names"`
	Emails  []string `json:"emails"`
	Commits int      `json:"commits"`
	// Hint says why a likely match was refused (an id not on the roster).
	Hint string `json:"hint,omitempty"`
	// Identities are the person's commit identities and why they were merged.
	Identities []Identity `json:"identities,omitempty"`
}

// Identity is one commit identity (a name and an address) of a person. Every
// identity but the person's main one (the first) says which identity it was
// merged with (Via), by which rule (same-email, same-student-id, same-name,
// login, same-student) and on what.
type Identity struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Commits  int    `json:"commits"`
	Rule     string `json:"rule,omitempty"`
	Evidence string `json:"evidence,omitempty"`
	Via      string `json:"via,omitempty"`
}

// StudentStats is one roster student's contribution.
type StudentStats struct {
	ID      string   `json:"id"`
	Commits int      `json:"commits"`
	Authors []string `json:"authors"`        // matched author names/emails
	Rule    string   `json:"rule,omitempty"` // which rule matched: authors.csv, email, email-user, name, login
	// Evidence is what the rule matched on: the email, name, login or
	// authors.csv key.
	Evidence string `json:"evidence,omitempty"`
	// Identities are the student's commit identities and why they were merged.
	Identities []Identity `json:"identities,omitempty"`
}
