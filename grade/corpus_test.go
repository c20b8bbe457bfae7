package grade

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"handin/internal/corpus"
	"handin/parse"
)

// checkerResult is what the course checker said for one real report.
type checkerResult struct {
	Checker   string `json:"checker"`
	Year      int    `json:"year"`
	Status    string `json:"status"`
	Error     string `json:"error"`
	Report    string `json:"report"`
	Questions []struct {
		Number    int  `json:"number"`
		Words     int  `json:"words"`
		Images    int  `json:"images"`
		Pass      bool `json:"pass"`
		SegmentOK bool `json:"segment_ok"`
	} `json:"questions"`
}

func loadCorpusReport(t *testing.T, dir, name string) (*CheckResult, *parse.Report, *Spec, checkerResult) {
	t.Helper()
	var want checkerResult
	data, err := os.ReadFile(filepath.Join(dir, "expected", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	base := strings.TrimSuffix(name, ".json")
	src, err := os.ReadFile(filepath.Join(dir, "reports", base+".md"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := parse.Parse(src)
	if err != nil {
		t.Fatalf("parse %s: %v", base, err)
	}
	spec, err := LoadSpec(strconv.Itoa(want.Year))
	if err != nil {
		t.Fatal(err)
	}
	list, err := os.ReadFile(filepath.Join(dir, "reports", base+".files.txt"))
	if err != nil {
		t.Fatal(err)
	}
	files := NewRepoFiles(strings.Fields(string(list)))
	return Check(base+".md", r, spec, Repository{ReportDir: "reports", Files: files}), r, spec, want
}

// TestCheckerParity: on every question of every report the course checker
// gave a verdict on, handin's word count, image count and pass/fail equal
// the checker's, and handin gives the whole answer's counts beside them
// exactly where the checker's text was not the answer (segment_ok false).
func TestCheckerParity(t *testing.T) {
	dir := corpus.Dir(t)
	names, _ := filepath.Glob(filepath.Join(dir, "expected", "*.json"))
	if len(names) == 0 {
		t.Fatal("no expected results in the corpus")
	}
	compared := 0
	for _, path := range names {
		name := filepath.Base(path)
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			got, _, spec, want := loadCorpusReport(t, dir, name)
			if want.Status != "ok" {
				return // the checker crashed: TestCheckerCrashes shows handin's result
			}
			if got.Checker.Crash != nil {
				t.Fatalf("the checker ran; handin says it would stop: %+v", got.Checker.Crash)
			}
			if len(got.Questions) != len(spec.Questions) || len(want.Questions) != len(spec.Questions) {
				t.Fatalf("got %d questions, the checker %d, spec has %d", len(got.Questions), len(want.Questions), len(spec.Questions))
			}
			for _, wq := range want.Questions {
				gq := got.Questions[wq.Number-1]
				compared++
				if gq.Number != wq.Number || gq.Words != wq.Words || gq.Images != wq.Images || gq.Pass != wq.Pass {
					t.Errorf("Q%d: handin words=%d images=%d pass=%v; checker words=%d images=%d pass=%v",
						wq.Number, gq.Words, gq.Images, gq.Pass, wq.Words, wq.Images, wq.Pass)
				}
				if (gq.Answer != nil) == wq.SegmentOK {
					t.Errorf("Q%d: whole answer given %v, the checker's segment was the answer: %v", wq.Number, gq.Answer != nil, wq.SegmentOK)
				}
			}
		})
	}
	t.Logf("compared %d questions with the course checker", compared)
}

// TestCheckerCrashes: where the course checker gave up on a report (it found
// no "Answer:" markers, or not the count it expected), handin still gives a
// result for every question, with nothing shifted.
func TestCheckerCrashes(t *testing.T) {
	dir := corpus.Dir(t)
	names, _ := filepath.Glob(filepath.Join(dir, "expected", "*.json"))
	crashed := 0
	for _, path := range names {
		got, r, spec, want := loadCorpusReport(t, dir, filepath.Base(path))
		if want.Status == "ok" {
			continue
		}
		crashed++
		t.Logf("%s: the checker said %q; handin:", want.Report, want.Error)
		if c := got.Checker.Crash; c == nil || !strings.HasPrefix(want.Error, c.Exception+":") {
			t.Errorf("handin says the checker would stop with %+v", c)
		}
		if len(got.Questions) != len(spec.Questions) {
			t.Fatalf("%d results for %d questions", len(got.Questions), len(spec.Questions))
		}
		for i, q := range got.Questions {
			if q.Line == 0 {
				t.Errorf("Q%d not found in the report", q.Number)
			}
			// Keyed on headings: result i is question i+1, and its answer is the
			// text under that heading, not a neighbour's.
			if q.Number != i+1 || r.Questions[i].Number != q.Number || r.Questions[i].Words != q.Words {
				t.Errorf("Q%d shifted", q.Number)
			}
			t.Logf("  Q%-2d words %-4d images %d pass %-5v problems %d findings %d", q.Number, q.Words, q.Images, q.Pass, len(q.Problems), len(q.Findings))
		}
	}
	if crashed == 0 {
		t.Fatal("the corpus has no report the checker crashed on")
	}
}
