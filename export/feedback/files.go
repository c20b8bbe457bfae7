package feedback

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"handin/internal/atomicfile"
)

// Dir is the folder of the output folder that holds the feedback files.
const Dir = "feedback"

// FileName is group's feedback file in Dir, named as its page is
// (groups/007.html, feedback/007.md).
func FileName(group int) string { return fmt.Sprintf("%03d.md", group) }

// WriteFile writes a group's feedback body to OUT/feedback/NNN.md, through
// a temporary file renamed into place. A feedback folder that is a
// symbolic link is refused: the files would go wherever it points.
func WriteFile(out string, group int, body string) (string, error) {
	dir := filepath.Join(out, Dir)
	info, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", err
		}
	case err != nil:
		return "", err
	case info.Mode()&fs.ModeSymlink != 0:
		return "", fmt.Errorf("%s is a symbolic link: feedback is written only inside %s; replace the link with a folder", dir, out)
	case !info.IsDir():
		return "", fmt.Errorf("%s is not a folder", dir)
	}
	name := filepath.Join(dir, FileName(group))
	return name, atomicfile.Write(name, []byte(body), 0o644)
}
