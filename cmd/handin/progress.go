package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"handin/scrape"
)

// liveProgress draws one status line of a running scrape, redrawn in place:
// done/total, failed, in flight, estimated time left. "failed" counts what
// the run's summary counts: groups without a deadline commit to grade.
type liveProgress struct {
	mu       sync.Mutex
	w        io.Writer
	total    int
	done     int
	failed   int
	inFlight int
	start    time.Time
	now      func() time.Time
}

func newLiveProgress(w io.Writer, total int) *liveProgress {
	return &liveProgress{w: w, total: total, start: time.Now(), now: time.Now}
}

func (p *liveProgress) Started(int) { p.update(func() { p.inFlight++ }) }

func (p *liveProgress) Finished(_ int, o *scrape.Outcome) {
	p.update(func() {
		p.inFlight--
		if o == nil {
			return // stopped by the run: not done
		}
		p.done++
		if o.Failed() {
			p.failed++
		}
	})
}

func (p *liveProgress) update(change func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	change()
	eta := "?"
	if p.done > 0 {
		perGroup := p.now().Sub(p.start) / time.Duration(p.done)
		eta = (perGroup * time.Duration(p.total-p.done)).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "\r\033[Kscrape: %d/%d done, %d failed, %d in flight, ETA %s", p.done, p.total, p.failed, p.inFlight, eta)
}

// finish ends the live line so what follows starts on a fresh one.
func (p *liveProgress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintln(p.w)
}
