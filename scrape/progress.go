package scrape

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"
)

// progress draws one live status line on a terminal: done/total, failures,
// in flight, estimated time left. It does nothing when the writer is not a
// terminal (cron), where the per-group log lines say the same.
type progress struct {
	mu       sync.Mutex
	w        io.Writer // nil: silent
	total    int
	done     int
	failed   int
	inFlight int
	start    time.Time
}

func newProgress(w io.Writer, total int) *progress {
	p := &progress{total: total, start: time.Now()}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.w = w
	}
	return p
}

func (p *progress) started() { p.update(func() { p.inFlight++ }) }

func (p *progress) stopped() { p.update(func() { p.inFlight-- }) }

func (p *progress) finished(o Outcome) {
	p.update(func() {
		p.inFlight--
		p.done++
		if o.Status.Infrastructure() {
			p.failed++
		}
	})
}

func (p *progress) update(change func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	change()
	if p.w == nil {
		return
	}
	eta := "?"
	if p.done > 0 {
		perGroup := time.Since(p.start) / time.Duration(p.done)
		eta = (perGroup * time.Duration(p.total-p.done)).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "\r\033[Kscrape: %d/%d done, %d failed, %d in flight, ETA %s", p.done, p.total, p.failed, p.inFlight, eta)
}

// finish ends the live line so what follows starts on a fresh one.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.w != nil {
		fmt.Fprintln(p.w)
	}
}
