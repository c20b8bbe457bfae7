package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"handin/scrape"
	"handin/workspace"
)

// The live line is redrawn in place on every change and counts as failed
// what the run's summary counts as failed: a group not reached this run but
// graded from its earlier snapshot is not failed.
func TestLiveProgressDrawsToItsWriter(t *testing.T) {
	var buf bytes.Buffer
	p := newLiveProgress(&buf, 4)
	clock := p.start
	p.now = func() time.Time { return clock }

	p.Started(1)
	p.Started(2)
	clock = clock.Add(10 * time.Second)
	p.Finished(1, &scrape.Outcome{Group: 1, Status: workspace.StatusOK})
	p.Finished(2, &scrape.Outcome{Group: 2, Status: workspace.StatusNotFound})
	p.Started(4)
	p.Finished(4, &scrape.Outcome{Group: 4, Status: workspace.StatusNetworkError, Kept: workspace.StatusOK})
	p.Started(3)
	p.Finished(3, nil) // stopped by Ctrl-C: not done
	p.finish()

	frames := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\r\033[K")
	want := []string{
		"",
		"scrape: 0/4 done, 0 failed, 1 in flight, ETA ?",
		"scrape: 0/4 done, 0 failed, 2 in flight, ETA ?",
		"scrape: 1/4 done, 0 failed, 1 in flight, ETA 30s",
		"scrape: 2/4 done, 1 failed, 0 in flight, ETA 10s",
		"scrape: 2/4 done, 1 failed, 1 in flight, ETA 10s",
		"scrape: 3/4 done, 1 failed, 0 in flight, ETA 3s",
		"scrape: 3/4 done, 1 failed, 1 in flight, ETA 3s",
		"scrape: 3/4 done, 1 failed, 0 in flight, ETA 3s",
	}
	if strings.Join(frames, "|") != strings.Join(want, "|") {
		t.Errorf("frames\n%q\nwant\n%q", frames, want)
	}
	if !strings.HasSuffix(buf.String(), "\n") {
		t.Error("finish does not end the line")
	}
}
