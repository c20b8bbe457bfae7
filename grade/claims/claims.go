// Package claims checks a report's checklist against the repository at the
// deadline. For every checklist item it finds the rule that judges it (by
// module tag and wording) and looks in the deadline tree for the files or
// the code that show the work (comments, a dependency declared and never
// imported, and files that are not the group's work never do): the verdict
// is evidence (with the files and lines), no evidence (with what was looked
// for), or cannot tell (work done in the cloud, files that were not kept,
// understanding).
//
// The rules are data, one TOML file per template year (rules/*.toml), loaded
// with Load; an instructor can override a rule with a file of their own. The
// package is pure: it reads a file list and the bytes of kept files through
// Tree, never git or the file system.
package claims

// File is one file of the deadline tree.
type File struct {
	Path string // slash-separated, relative to the repository root
	Size int64  // bytes; 0 is an empty file, never evidence; negative when unknown
}

// Tree is the deadline tree of one group's repository.
type Tree struct {
	Files []File
	// Read returns the bytes of a kept file. False means the file was not
	// kept (too large, binary, over the group's cap): a text rule that needed
	// it says it could not read it instead of "no evidence". Nil reads nothing.
	Read func(path string) ([]byte, bool)
}

// Item is a checklist line as the report parser gives it.
type Item struct {
	Text    string `json:"text"`
	Module  string `json:"module,omitempty"` // "M21", "M2+M6"; empty when untagged
	Checked bool   `json:"checked"`
	Line    int    `json:"line"`
}

// Status is a verdict's outcome.
type Status string

// The three outcomes of a claim.
const (
	Evidence   Status = "evidence"
	NoEvidence Status = "no evidence"
	CannotTell Status = "cannot tell"
)

// Verdict is what the repository says about one checklist item.
type Verdict struct {
	Item Item `json:"item"`
	// Rule is the id of the rule that judged the item; empty when no rule
	// matches it (then Status is CannotTell).
	Rule   string `json:"rule,omitempty"`
	Status Status `json:"status"`
	// Evidence lists the files (and lines) that show the work.
	Evidence []Location `json:"evidence,omitempty"`
	// Missing says what was looked for and not found (Status NoEvidence, or
	// CannotTell when finding nothing proves nothing for this item).
	Missing []string `json:"missing,omitempty"`
	// Reason says why the repository cannot settle it (Status CannotTell).
	Reason string `json:"reason,omitempty"`
	// Unread lists files that could have shown it but were not kept.
	Unread []string `json:"unread,omitempty"`
	// Skipped lists files that would have shown it but are not the group's
	// work (the course template's files unchanged, copies of the course
	// material, agent instructions) and dependencies declared but never
	// imported, each with why; the reason names them too. Empty when the
	// verdict is evidence.
	Skipped []Skip `json:"skipped,omitempty"`
}

// Skip is a file (or a line of one) that did not count, and why.
type Skip struct {
	Path string `json:"path"`
	Line int    `json:"line,omitempty"`
	Why  string `json:"why"`
}

// Location is one piece of evidence.
type Location struct {
	Path string `json:"path"`
	Line int    `json:"line,omitempty"` // 0 when the file itself is the evidence
	What string `json:"what"`           // the need it shows, in the rule's words
}
