package budget

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// Work done within its budget gives its result.
func TestRunGivesTheResult(t *testing.T) {
	got, err := Run(context.Background(), time.Minute, func(context.Context) int { return 42 })
	if err != nil || got != 42 {
		t.Errorf("Run = %d, %v; want 42", got, err)
	}
}

// Work that never ends is abandoned once its budget is spent: Run returns
// ErrOver, and the work's context is done.
func TestRunAbandonsWorkOverBudget(t *testing.T) {
	stuck := make(chan struct{}) // never closed: the work never ends by itself
	seen := make(chan error, 1)
	_, err := Run(context.Background(), 10*time.Millisecond, func(ctx context.Context) int {
		<-ctx.Done()
		seen <- ctx.Err()
		<-stuck
		return 1
	})
	if !errors.Is(err, ErrOver) {
		t.Fatalf("Run of stuck work: %v, want ErrOver", err)
	}
	if ctxErr := <-seen; !errors.Is(ctxErr, context.DeadlineExceeded) {
		t.Errorf("the work's context ended with %v, want its deadline", ctxErr)
	}
}

// A cancelled run is said as such, not as a budget spent.
func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, time.Minute, func(ctx context.Context) int { <-ctx.Done(); select {} })
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrOver) {
		t.Errorf("Run cancelled: %v, want context.Canceled", err)
	}
}

// A panic in the work is the caller's, as if it had called it.
func TestRunRaisesAPanicAgain(t *testing.T) {
	defer func() {
		if v := recover(); v != "boom" {
			t.Errorf("recovered %v, want the work's panic", v)
		}
	}()
	Run(context.Background(), time.Minute, func(context.Context) int { panic("boom") })
	t.Error("Run returned after a panic")
}

// Once abandoned, a Writer takes nothing more.
func TestWriterAbandoned(t *testing.T) {
	var b strings.Builder
	w := NewWriter(&b)
	if _, err := w.Write([]byte("before ")); err != nil {
		t.Fatal(err)
	}
	w.Abandon()
	if _, err := w.Write([]byte("after")); !errors.Is(err, ErrAbandoned) {
		t.Errorf("a write after Abandon: %v, want ErrAbandoned", err)
	}
	if b.String() != "before " {
		t.Errorf("written %q", b.String())
	}
}

// Work that ends after its budget is over it, even when its result is
// there by the time Run looks (no work is done within a nanosecond).
func TestRunWorkDoneLateIsOverBudget(t *testing.T) {
	for range 100 {
		if _, err := Run(context.Background(), time.Nanosecond, func(context.Context) int { return 1 }); !errors.Is(err, ErrOver) {
			t.Fatalf("work done after a nanosecond's budget: %v, want ErrOver", err)
		}
	}
}
