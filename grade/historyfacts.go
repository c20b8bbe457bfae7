package grade

import (
	"bytes"

	"handin/workspace"
)

// sharingSide is what comparing a group with the others it shares history
// with needs of its snapshot besides the commits.
type sharingSide struct {
	students []string
	report   []byte // nil when there is no report that could be read
	pushedBy string // the login that created the branch, when the push log says
}

// describeShared adds to each shared history what the snapshots say: the
// students, the reports compared, who pushed each first commit. Only the
// groups that share history are read, one snapshot at a time; a snapshot
// that cannot be read leaves those facts out (grading it says why).
func describeShared(ws *workspace.Workspace, shared map[int][]SharedHistory) {
	sides := make(map[int]sharingSide, len(shared))
	for g := range shared {
		s, err := ws.LoadSnapshot(g)
		if err != nil {
			continue
		}
		side := sharingSide{students: s.Students, pushedBy: branchCreator(s.Pin.Evidence)}
		if loc := locateReport(s); loc.Path != "" && loc.Err == nil {
			side.report = loc.Data
		}
		sides[g] = side
	}
	for g, list := range shared {
		this := sides[g]
		for i := range list {
			h := &list[i]
			other := sides[h.Group]
			h.Students, h.OtherStudents = nonNil(this.students), nonNil(other.students)
			h.First.PushedBy, h.OtherFirst.PushedBy = this.pushedBy, other.pushedBy
			if this.report != nil && other.report != nil {
				h.Reports = compareReports(this.report, other.report)
			}
		}
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// branchCreator is the GitHub login that created the branch, when the push
// log the scrape read reaches back to its creation; "" otherwise.
func branchCreator(evidence []workspace.Evidence) string {
	for _, e := range evidence {
		if e.Source == workspace.SourcePushLog && e.Push == "branch_creation" && e.Actor != "" {
			return e.Actor
		}
	}
	return ""
}

// compareReports says whether two reports are the same bytes and, if not,
// what share of the longer one's non-blank lines (spaces at either end
// ignored, each line matched once) the other holds.
func compareReports(a, b []byte) *ReportComparison {
	if bytes.Equal(a, b) {
		return &ReportComparison{Same: true, SameLines: 100}
	}
	la, lb := reportLines(a), reportLines(b)
	if len(la) < len(lb) {
		la, lb = lb, la
	}
	if len(la) == 0 {
		return &ReportComparison{}
	}
	left := map[string]int{}
	for _, l := range lb {
		left[l]++
	}
	same := 0
	for _, l := range la {
		if left[l] > 0 {
			left[l]--
			same++
		}
	}
	return &ReportComparison{SameLines: same * 100 / len(la)}
}

func reportLines(data []byte) []string {
	var out []string
	for line := range bytes.Lines(data) {
		if t := bytes.TrimSpace(line); len(t) > 0 {
			out = append(out, string(t))
		}
	}
	return out
}
