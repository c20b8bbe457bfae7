package main

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"handin/workspace"
)

// Exit codes are decided in one place, cancellation first.
func TestExitCode(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	locked := fmt.Errorf("workspace ws: %w (pid 7)", workspace.ErrLocked)
	for _, tc := range []struct {
		name string
		ctx  context.Context
		err  error
		code int
		msg  string
	}{
		{"success", context.Background(), nil, exitOK, ""},
		{"violations, already reported", context.Background(), withCode(exitViolations), exitViolations, ""},
		{"usage", context.Background(), usageError("no groups"), exitUsage, "no groups"},
		{"I/O", context.Background(), ioError("write: disk full"), exitIO, "write: disk full"},
		{"locked", context.Background(), locked, exitLocked, "workspace ws: another handin command is using it (pid 7): try again when it has finished"},
		{"locked, wrapped as I/O", context.Background(), ioError("scrape: %w", locked), exitLocked, ""},
		{"interrupted while writing", cancelled, ioError("scrape: %w", context.Canceled), exitCancelled, "interrupted: scrape: context canceled"},
		{"interrupted, any error", cancelled, errors.New("read: EOF"), exitCancelled, "interrupted: read: EOF"},
		{"urfave/cli's own", context.Background(), errors.New("flag provided but not defined: -x"), exitUsage, "flag provided but not defined: -x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, msg := exitCode(tc.ctx, tc.err)
			if code != tc.code || (tc.msg != "" && msg != tc.msg) {
				t.Errorf("exitCode = %d %q, want %d %q", code, msg, tc.code, tc.msg)
			}
		})
	}
}
