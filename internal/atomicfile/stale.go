package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"handin/internal/lazyregexp"
)

// tempName matches the names tempPattern gives: ".NAME.tmp-" and the
// decimal digits os.CreateTemp puts for its "*".
var tempName = &lazyregexp.Regexp{Expr: `^\..+\.tmp-[0-9]+$`}

// IsTemp reports whether a file name (without folder) is one this package
// gives its temporary files.
func IsTemp(base string) bool { return tempName.MatchString(base) }

// RemoveTemps deletes the temporary files this package left in dir when a
// process was killed mid-write, and returns their paths: regular files named
// by IsTemp, nothing else. The caller must have dir to itself (handin holds
// the workspace lock), or it removes a file another process is writing. A
// missing dir holds nothing to remove.
func RemoveTemps(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list temporary files: %w", err)
	}
	var removed []string
	for _, e := range entries {
		if !e.Type().IsRegular() || !IsTemp(e.Name()) {
			continue
		}
		name := filepath.Join(dir, e.Name())
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, fmt.Errorf("remove stale temporary file: %w", err)
		}
		removed = append(removed, name)
	}
	return removed, nil
}
