package main

import (
	"bytes"
	"strings"
	"testing"

	"handin/grade"
	"handin/scrape"
	"handin/workspace"
)

// The summary counts each group by its result's state, as the index and the
// gradebook do: a group this run could not scrape again, graded from the
// snapshot an earlier run kept, is not failed, and the summary says why it
// was not scraped; a groups.csv row without a group of its own is failed.
func TestRunSummaryCountsAsTheResults(t *testing.T) {
	graded := []grade.Graded{
		{Group: 1, State: grade.StateOK, Status: workspace.StatusOK},
		{Group: 2, State: grade.StateFailed, Status: workspace.StatusNotFound, Error: "repository not found"},
		{Group: 3, State: grade.StateGrade, Status: workspace.StatusOK, Reasons: []string{"Q3: too few words"}},
	}
	outcomes := []scrape.Outcome{
		{Group: 1, Status: workspace.StatusNetworkError, Error: "could not resolve the host example.invalid", Kept: workspace.StatusOK},
		{Group: 2, Status: workspace.StatusNotFound, Error: "repository not found"},
		{Group: 3, Status: workspace.StatusOK},
		{Group: 0, Status: workspace.StatusInvalid, Error: `groups.csv:5: group number "x" is not a positive integer`},
	}
	sum := &runSummary{}
	sum.tally(graded, outcomes)
	if sum.Total != 4 || sum.OK != 1 || sum.Grade != 1 || sum.Failed != 2 || sum.Act+sum.Check != 0 {
		t.Errorf("summary %d groups: %d ok, %d grade, %d failed (%d act, %d check); want 4: 1, 1, 2", sum.Total, sum.OK, sum.Grade, sum.Failed, sum.Act, sum.Check)
	}
	var out bytes.Buffer
	if err := printRunSummary(streams{out: &out, err: &out}, sum, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"4 groups: 2 failed, 0 act, 1 grade, 0 check, 1 ok",
		"failed:\n  2  not-found  repository not found\n  0  invalid    groups.csv:5",
		"not scraped again (graded from the earlier snapshot):\n  1  network-error  could not resolve the host example.invalid\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
}

// A cron job's owner learns from the exit code that some group could not be
// scraped again, even when every grade is ok.
func TestRunExitsOneWhenAGroupWasNotScrapedAgain(t *testing.T) {
	graded := []grade.Graded{{Group: 1, State: grade.StateOK, Status: workspace.StatusOK}}
	for _, tc := range []struct {
		outcome scrape.Outcome
		want    int
	}{
		{scrape.Outcome{Group: 1, Status: workspace.StatusOK}, exitOK},
		{scrape.Outcome{Group: 1, Status: workspace.StatusTimeout, Kept: workspace.StatusOK}, exitViolations},
	} {
		sum := &runSummary{}
		sum.tally(graded, []scrape.Outcome{tc.outcome})
		if got := sum.exitCode(); got != tc.want || sum.OK != 1 {
			t.Errorf("outcome %s: exit %d (%d ok), want %d", tc.outcome.Status, got, sum.OK, tc.want)
		}
	}
}
