package grade

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"handin/parse"
	"handin/workspace"
)

// ExpectedReportPath is where the course's template keeps the report.
const ExpectedReportPath = "reports/README.md"

const (
	// minQuestionHeadings: a README with fewer distinct "### Question N"
	// headings is a project README, not the report.
	minQuestionHeadings = 3
	// maxReportCandidates bounds the READMEs opened when looking for a moved
	// report (a tree may hold thousands of vendored READMEs).
	maxReportCandidates = 20
)

// reportLocation is where the report was found, with its bytes or the reason
// they could not be read.
type reportLocation struct {
	Path    string // repository path; "" when there is no report
	Data    []byte
	Err     error // set when Path is known but unreadable (too large, not copied)
	Wrong   bool  // not at ExpectedReportPath
	Remarks []string
}

// questionHeadings counts the distinct question numbers of "### Question N"
// headings (any level, any case). A line scan: a multi-line regexp over the
// whole file costs more than the rest of grading.
func questionHeadings(data []byte) int {
	seen := map[int]bool{}
	for line := range bytes.Lines(data) {
		line = bytes.TrimLeft(line, " ")
		hashes := len(line) - len(bytes.TrimLeft(line, "#"))
		if hashes == 0 || hashes > 6 {
			continue
		}
		if n, ok := parse.QuestionNumber(string(line[hashes:])); ok {
			seen[n] = true
		}
	}
	return len(seen)
}

// candidateRank orders the places real groups kept their report; ok is false
// for paths that are not report candidates.
func candidateRank(p string) (rank int, ok bool) {
	lower := strings.ToLower(p)
	switch {
	case p == ExpectedReportPath:
		return 0, true
	case lower == "reports/readme.md": // Reports/README.md, reports/readme.md
		return 1, true
	case lower == "readme.md":
		return 2, true
	case lower == "report/readme.md":
		return 3, true
	case strings.HasSuffix(lower, "/reports/readme.md"), strings.HasSuffix(lower, "/report/readme.md"):
		return 4, true
	}
	return 0, false
}

type candidate struct {
	file     workspace.File
	rank     int
	data     []byte
	err      error
	headings int
}

// locateReport finds the report: reports/README.md when it carries the
// template's questions, otherwise the README (root, report/, nested
// */reports/) that carries the most of them.
func locateReport(s *workspace.Snapshot) reportLocation {
	var cands []*candidate
	for _, f := range s.Tree {
		if !f.Mode.Regular() {
			continue
		}
		if rank, ok := candidateRank(f.Path); ok {
			cands = append(cands, &candidate{file: f, rank: rank})
		}
	}
	slices.SortFunc(cands, func(a, b *candidate) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank),
			cmp.Compare(strings.Count(a.file.Path, "/"), strings.Count(b.file.Path, "/")),
			strings.Compare(a.file.Path, b.file.Path))
	})
	var expected, best *candidate
	for i, c := range cands {
		if i == maxReportCandidates {
			break
		}
		c.data, c.err = readCopied(s, c.file)
		c.headings = questionHeadings(c.data)
		if c.file.Path == ExpectedReportPath {
			expected = c
			if c.headings >= minQuestionHeadings {
				break // the usual case: no need to open other READMEs
			}
		}
		if c.headings >= minQuestionHeadings && (best == nil || c.headings > best.headings) {
			best = c
		}
	}
	switch {
	case expected != nil && (best == nil || expected.headings >= minQuestionHeadings):
		return reportLocation{Path: expected.file.Path, Data: expected.data, Err: expected.err}
	case best != nil:
		loc := reportLocation{Path: best.file.Path, Data: best.data, Wrong: true}
		switch {
		case expected != nil && expected.err != nil:
			loc.Remarks = append(loc.Remarks, fmt.Sprintf("%s unreadable (%v); graded %s instead",
				ExpectedReportPath, expected.err, best.file.Path))
		case expected != nil:
			loc.Remarks = append(loc.Remarks, fmt.Sprintf("%s has no template questions; graded %s instead",
				ExpectedReportPath, best.file.Path))
		}
		return loc
	}
	return reportLocation{}
}

// findTreeFile returns the first regular file of the tree whose path matches.
func findTreeFile(tree []workspace.File, match func(string) bool) (workspace.File, bool) {
	for _, f := range tree {
		if f.Mode.Regular() && match(f.Path) {
			return f, true
		}
	}
	return workspace.File{}, false
}

// errNotCopied: the tree lists the file but the scrape did not copy it.
var errNotCopied = errors.New("not copied by the scrape")

// readCopied reads a copied file of the deadline tree, refusing files
// larger than parse.MaxSize without reading them (by the tree's size and the
// file's own).
func readCopied(s *workspace.Snapshot, f workspace.File) ([]byte, error) {
	tooLarge := func(size int64) error {
		return fmt.Errorf("%s is %s: %w", f.Path, formatSize(size), parse.ErrTooLarge)
	}
	if f.Size > parse.MaxSize {
		return nil, tooLarge(f.Size)
	}
	file, err := s.Open(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", f.Path, errNotCopied)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.Path, err)
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.Path, err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("read %s: not a regular file", f.Path)
	}
	if info.Size() > parse.MaxSize {
		return nil, tooLarge(info.Size())
	}
	var buf bytes.Buffer
	buf.Grow(int(info.Size()) + bytes.MinRead) // one allocation when the size holds
	if _, err := buf.ReadFrom(io.LimitReader(file, parse.MaxSize+1)); err != nil {
		return nil, fmt.Errorf("read %s: %w", f.Path, err)
	}
	if buf.Len() > parse.MaxSize {
		return nil, tooLarge(int64(buf.Len()))
	}
	return buf.Bytes(), nil
}

// formatSize writes a byte count for people: 512 B, 3.4 KB, 200.0 MB.
func formatSize(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	value, suffix := float64(n)/unit, "KB"
	for _, next := range []string{"MB", "GB", "TB"} {
		if value < unit {
			break
		}
		value, suffix = value/unit, next
	}
	return fmt.Sprintf("%.1f %s", value, suffix)
}
