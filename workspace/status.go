package workspace

// Status says how scraping one group ended.
type Status string

const (
	StatusOK            Status = "ok"
	StatusInvalid       Status = "invalid"       // bad groups.csv row
	StatusNotFound      Status = "not-found"     // 404, or private without a token
	StatusAuthFailed    Status = "auth-failed"   // 401/403 with a token
	StatusTimeout       Status = "timeout"       // per-repo timeout hit
	StatusNetworkError  Status = "network-error" // transient failures (retries exhausted), a host that does not resolve
	StatusEmptyRepo     Status = "empty-repo"    // no commits at all
	StatusNoCommit      Status = "no-commit-before-deadline"
	StatusNoReport      Status = "no-report" // deadline tree has no report anywhere
	StatusInternalError Status = "error"     // anything else (disk, corrupt pack)
)

// Infrastructure reports whether a status means handin could not look at the
// repository (as opposed to a fact about what the students handed in).
func (s Status) Infrastructure() bool {
	switch s {
	case StatusTimeout, StatusNetworkError, StatusAuthFailed, StatusInternalError:
		return true
	}
	return false
}

// Pinned reports whether the status comes with a deadline commit to grade
// (ok, or no-report: the commit is there, the report is not).
func (s Status) Pinned() bool { return s == StatusOK || s == StatusNoReport }
