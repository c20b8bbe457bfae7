//go:build unix

package workspace

import (
	"errors"
	"os"
	"syscall"
)

// tryLock takes an exclusive flock on f; held is false when another process
// has it. The kernel drops the lock when the process dies, however it dies.
func tryLock(f *os.File) (held bool, err error) {
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return false, nil
	}
	return err == nil, err
}

func unlock(f *os.File) { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
