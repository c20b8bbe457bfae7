//go:build unix

package scrape

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockFile in the workspace is held (flock) for the whole run: two runs in
// one workspace (a cron job overlapping a manual run) would clean each
// other's temporary clones.
const lockFile = ".scrape.lock"

func lockWorkspace(root string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(root, lockFile), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("workspace: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("workspace %s: another scrape is running in it", root)
		}
		return nil, fmt.Errorf("workspace: lock: %w", err)
	}
	return f, nil
}

func unlockWorkspace(f *os.File) {
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	f.Close()
}
