// Package budget runs one group's share of a stage under a time budget: a
// report crafted to make a parser take hours must cost that group its
// result, not the course its run (nor the workspace lock a cron run needs
// next). Go cannot stop a goroutine from outside, so work over budget is
// abandoned: its context ends, what it returns is dropped, and it ends on
// its own or with the process.
package budget

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// ErrOver: the work was not done within its budget.
var ErrOver = errors.New("over its time budget")

// Run runs work with a context that ends after d (or with ctx), and
// returns what it returns; or ErrOver once d has passed without it,
// without waiting further (work done after d is over its budget too, even
// when its result is there by the time Run looks). work must write
// nothing that outlives it (files, shared state) but through what it
// returns. A panic in work is raised again here.
func Run[T any](ctx context.Context, d time.Duration, work func(context.Context) T) (T, error) {
	end := time.Now().Add(d)
	ctx, cancel := context.WithDeadline(ctx, end)
	defer cancel()
	type outcome struct {
		value    T
		panic    any
		finished time.Time
	}
	done := make(chan outcome, 1) // the abandoned worker never blocks on it
	go func() {
		var o outcome
		defer func() {
			o.panic, o.finished = recover(), time.Now()
			done <- o
		}()
		o.value = work(ctx)
	}()
	var zero T
	select {
	case o := <-done:
		switch {
		case o.panic != nil:
			panic(o.panic)
		case o.finished.After(end):
			return zero, fmt.Errorf("%w (%s)", ErrOver, d)
		}
		return o.value, nil
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return zero, fmt.Errorf("%w (%s)", ErrOver, d)
		}
		return zero, ctx.Err()
	}
}

// ErrAbandoned: work over its budget wrote to a Writer after it was
// abandoned.
var ErrAbandoned = errors.New("written after the budget was spent")

// Writer lets work under a budget write to w until Abandon: a file the
// caller goes on to replace must not take what abandoned work writes
// later. Writes and Abandon may come from different goroutines.
type Writer struct {
	mu        sync.Mutex
	w         io.Writer
	abandoned bool
}

// NewWriter is a Writer to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

func (a *Writer) Write(p []byte) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.abandoned {
		return 0, ErrAbandoned
	}
	return a.w.Write(p)
}

// Abandon makes every later Write fail; it returns once a Write under
// way is done.
func (a *Writer) Abandon() {
	a.mu.Lock()
	a.abandoned = true
	a.mu.Unlock()
}
