package grade

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"handin/internal/corpus"
	"handin/parse"
)

// TestEmulateCheckerCorpus: on every real report, the emulated checker (the
// version of the report's course year) says what the course checker said:
// crash or not and with which exception, and per question words, images and
// pass; a question whose checker text the corpus marks as not the answer is
// exactly a question CompareSegments lists.
func TestEmulateCheckerCorpus(t *testing.T) {
	dir := corpus.Dir(t)
	names, _ := filepath.Glob(filepath.Join(dir, "expected", "*.json"))
	if len(names) == 0 {
		t.Fatal("no expected results in the corpus")
	}
	var reports, reportsAgree, questions, questionsAgree, crashes int
	for _, path := range names {
		name := filepath.Base(path)
		_, r, spec, want := loadCorpusReport(t, dir, name)
		data, err := os.ReadFile(filepath.Join(dir, "reports", strings.TrimSuffix(name, ".json")+".md"))
		if err != nil {
			t.Fatal(err)
		}
		run := EmulateChecker(data, spec)
		if got := run.Version.Date + "_" + run.Version.Commit; got != want.Checker {
			t.Errorf("%s: emulated checker %s, the corpus ran %s", name, got, want.Checker)
		}
		reports++
		agree := true
		if want.Status != "ok" {
			crashes++
			if run.Crash == nil || !strings.HasPrefix(want.Error, run.Crash.Exception+":") {
				t.Errorf("%s: the checker crashed with %q; emulated crash %+v", name, want.Error, run.Crash)
				agree = false
			}
			if agree {
				reportsAgree++
			}
			continue
		}
		if run.Crash != nil {
			t.Errorf("%s: the checker ran; emulated crash %+v", name, run.Crash)
			continue
		}
		diffs, err := CompareSegments(run, r)
		if err != nil {
			t.Fatal(err)
		}
		differs := map[int]bool{}
		for _, d := range diffs {
			differs[d.Number] = true
		}
		for i, wq := range want.Questions {
			questions++
			gq := run.Questions[i]
			if gq.Number != wq.Number || gq.Words != wq.Words || gq.Images != wq.Images || gq.Pass != wq.Pass ||
				differs[wq.Number] == wq.SegmentOK {
				t.Errorf("%s Q%d: emulated words=%d images=%d pass=%v differs=%v; checker words=%d images=%d pass=%v segment_ok=%v",
					name, wq.Number, gq.Words, gq.Images, gq.Pass, differs[wq.Number], wq.Words, wq.Images, wq.Pass, wq.SegmentOK)
				agree = false
				continue
			}
			questionsAgree++
		}
		if agree {
			reportsAgree++
		}
	}
	t.Logf("agreement with the course checker: %d/%d reports (%d crashed), %d/%d questions",
		reportsAgree, reports, crashes, questionsAgree, questions)
	if crashes == 0 {
		t.Error("the corpus has no report the checker crashed on")
	}
}

// TestCompareSegmentsNeedsTheSameText: a report parsed from other bytes is
// refused rather than compared at wrong offsets.
func TestCompareSegmentsNeedsTheSameText(t *testing.T) {
	run := EmulateChecker([]byte(miniReport("1", "s123456", "a", "b")), miniSpec)
	other, err := parse.Parse([]byte(miniReport("2", "s123456", "a", "b")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CompareSegments(run, other); err == nil {
		t.Error("compared a run with a report of another text")
	}
}
