package grade

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"handin/grade/similarity"
	"handin/internal/corpus"
	"handin/parse"
)

// corpusReport is a real report of the corpus, its answers to compare.
type corpusReport struct {
	name    string
	year    int
	answers []similarity.Answer
	prompts []string
}

func corpusReports(t *testing.T) []corpusReport {
	dir := corpus.Dir(t)
	names, err := filepath.Glob(filepath.Join(dir, "reports", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	var out []corpusReport
	for _, name := range names {
		repo := strings.TrimSuffix(filepath.Base(name), ".md")
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		meta, err := os.ReadFile(filepath.Join(dir, "repos", repo, "meta.json"))
		if err != nil {
			t.Fatal(err)
		}
		var m struct{ Year int }
		if err := json.Unmarshal(meta, &m); err != nil {
			t.Fatalf("%s: %v", repo, err)
		}
		rep, err := parse.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", repo, err)
		}
		answers, prompts := answersOf(rep)
		out = append(out, corpusReport{repo, m.Year, answers, prompts})
	}
	return out
}

// compareCorpus compares course with archive (nil: none) and names each
// match by its reports.
func compareCorpus(course, archive []corpusReport, opts similarity.Options) (matches []similarity.Match, name func(m similarity.Match) (a, b string)) {
	var reports, archived []similarity.Report
	var prompts []string
	for _, r := range course {
		reports = append(reports, similarity.Report{Answers: r.answers})
		prompts = append(prompts, r.prompts...)
	}
	for _, r := range archive {
		archived = append(archived, similarity.Report{Answers: r.answers})
	}
	name = func(m similarity.Match) (string, string) {
		if m.Archive {
			return course[m.A].name, archive[m.B].name
		}
		return course[m.A].name, course[m.B].name
	}
	return similarity.Compare(reports, slices.Values(archived), prompts, opts), name
}

// No two real reports of 2023-2026 are alike: honest groups write alike
// only where the template, the question or tool names make them, and
// none of the corpus's groups copied another's. The test logs every pair
// sharing a passage, as one course and each year against the earlier years
// as an archive, and the largest shares.
func TestNoCorpusReportsAreAlike(t *testing.T) {
	reports := corpusReports(t)
	for _, m := range mustCompare(t, reports, nil, similarity.Options{}) {
		t.Errorf("alike in the corpus as one course: %s", m)
	}
	years := map[int][]corpusReport{}
	for _, r := range reports {
		years[r.year] = append(years[r.year], r)
	}
	for year, course := range years {
		var earlier []corpusReport
		for _, r := range reports {
			if r.year < year {
				earlier = append(earlier, r)
			}
		}
		for _, m := range mustCompare(t, course, earlier, similarity.Options{}) {
			t.Errorf("alike in %d against the earlier years: %s", year, m)
		}
		for _, m := range mustCompare(t, course, earlier, anyPassage) {
			t.Logf("%d against the earlier years, sharing a passage: %s", year, m)
		}
	}
	for _, m := range mustCompare(t, reports, nil, anyPassage) {
		t.Logf("as one course, sharing a passage: %s", m)
	}
}

// anyPassage finds every pair sharing a passage at all: a share above
// nothing, a single passage of the least length.
var anyPassage = similarity.Options{Share: 1e-9, Words: similarity.MinPassage}

// mustCompare lists the matches of course against archive, a line each,
// largest share first.
func mustCompare(t *testing.T, course, archive []corpusReport, opts similarity.Options) []string {
	t.Helper()
	matches, name := compareCorpus(course, archive, opts)
	slices.SortStableFunc(matches, func(x, y similarity.Match) int {
		return cmp.Compare(max(y.ShareA, y.ShareB), max(x.ShareA, x.ShareB))
	})
	var out []string
	for _, m := range matches {
		a, b := name(m)
		what := fmt.Sprintf("Q%d", m.Question)
		if m.Question == 0 {
			what = "whole report"
		}
		out = append(out, fmt.Sprintf("%s ~ %s, %s: %.1f %% / %.1f %% (%d / %d words)", a, b, what, 100*m.ShareA, 100*m.ShareB, m.WordsA, m.WordsB))
	}
	return out
}
