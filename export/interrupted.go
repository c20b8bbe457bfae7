package export

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"handin/internal/lazyregexp"
)

// tempFile matches the temporary files atomicfile.Write writes and renames
// (".index.html.tmp-123"): one left behind was written by an export that
// was killed before its rename.
var tempFile = &lazyregexp.Regexp{Expr: `^\..+\.tmp-[0-9]+$`}

// removeInterruptedWrites deletes the temporary files an interrupted
// export left in the output folder and its pages folder, so that the
// folder holds only what an export documents. The workspace lock keeps a
// second export out while this one runs.
func removeInterruptedWrites(out string) error {
	for _, dir := range []string{out, filepath.Join(out, PagesDir)} {
		entries, err := os.ReadDir(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("output folder: %w", err)
		}
		for _, e := range entries {
			if e.Type().IsRegular() && tempFile.MatchString(e.Name()) {
				if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
					return fmt.Errorf("output folder: %w", err)
				}
			}
		}
	}
	return nil
}
