package workspace

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrLocked: another handin command is using the workspace. Every command
// that reads or writes a workspace holds its lock from start to end, so a
// cron 'handin run' never replaces a snapshot that an instructor's 'handin
// export' is reading.
var ErrLocked = errors.New("another handin command is using it")

// lockName is the lock file in the workspace folder. It holds who has the
// lock, for the message a second command prints.
const lockName = ".handin.lock"

// lockFile is a held lock; release gives it back.
type lockFile struct{ f *os.File }

// acquire takes the workspace lock without waiting.
func acquire(root string) (*lockFile, error) {
	name := filepath.Join(root, lockName)
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("workspace: %w", err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("workspace: lock: %w", err)
	}
	if !held {
		holder, _ := os.ReadFile(name)
		f.Close()
		msg := strings.TrimSpace(string(holder))
		if msg == "" {
			return nil, fmt.Errorf("workspace %s: %w", root, ErrLocked)
		}
		return nil, fmt.Errorf("workspace %s: %w (%s)", root, ErrLocked, msg)
	}
	// Say who holds it; a failure here only makes the message poorer.
	if f.Truncate(0) == nil {
		fmt.Fprintf(f, "pid %d, %s, since %s\n", os.Getpid(), commandLine(), time.Now().Format(time.RFC3339))
	}
	return &lockFile{f: f}, nil
}

// commandLine is how the holder was started, e.g. "handin run", without the
// flags (which may name a token file).
func commandLine() string {
	words := []string{filepath.Base(os.Args[0])}
	for _, a := range os.Args[1:] {
		if strings.HasPrefix(a, "-") {
			break
		}
		words = append(words, a)
	}
	return strings.Join(words, " ")
}

func (l *lockFile) release() {
	if l == nil || l.f == nil {
		return
	}
	unlock(l.f)
	l.f.Close()
}
