package scrape

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"

	"handin/workspace"
)

// A full disk while cloning (a real ENOSPC, from /dev/full) ends the run as
// the workspace's failure: not network-error, not retried.
func TestDiskFullEndsTheRun(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("SKIPPING: no /dev/full: %v", err)
	}
	defer full.Close()
	_, writeErr := full.Write([]byte("pack"))
	if writeErr == nil {
		t.Fatal("writing /dev/full did not fail")
	}
	fetchErr := fmt.Errorf("fetch: receive pack: %w", writeErr)
	if transient(fetchErr) {
		t.Error("a full disk is retried")
	}
	ws, err := workspace.Create(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	r := &runner{ws: ws, opts: Options{}.withDefaults()}
	ctx := context.Background()
	_, _, err = r.failed(ctx, ctx, Group{Number: 3}, r.newSnapshot(Group{Number: 3}), false, fetchErr)
	var wsErr *workspaceError
	if !errors.As(err, &wsErr) {
		t.Errorf("failed() = %v, want the workspace's error", err)
	}
	if _, _, err = r.internalError(&workspace.Snapshot{Group: 3}, fetchErr); !errors.As(err, &wsErr) {
		t.Errorf("internalError() = %v, want the workspace's error", err)
	}
}
