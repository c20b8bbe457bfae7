package scrape

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	git "github.com/go-git/go-git/v5"

	"handin/workspace"
)

// Copy limits: student repositories are untrusted and sometimes hold
// datasets; the report needs only text and figures.
const (
	maxCopyFileSize  = 20 << 20
	maxCopyTotalSize = 200 << 20
	maxCopyFiles     = 5000
)

// reportFolder is copied whole.
const reportFolder = "reports/"

// imageExtensions are copied wherever they are (reports link figures
// from anywhere in the repository).
var imageExtensions = []string{".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}

// reportMarker is the heading every question of the exam template starts
// with; a copied README without it is not a filled-in report.
const reportMarker = "### question"

// copyPriority orders the files worth copying, most wanted first, so the
// limits cut figures of other folders before the report itself; -1 means the
// file is not copied.
func copyPriority(p string) int {
	base := strings.ToLower(path.Base(p))
	switch {
	case p == reportFolder+"README.md":
		return 0
	case strings.HasPrefix(p, reportFolder):
		return 1
	case base == "readme.md":
		return 2
	case slices.Contains(imageExtensions, path.Ext(base)):
		return 3
	}
	return -1
}

// copyResult is what copyFiles copied and what it had to leave out.
type copyResult struct {
	Copied    []string
	Notes     []string
	HasReport bool // a copied README.md contains a question heading
}

// copyFiles copies the report folder, README files and images of the tree
// into dst (a fresh folder), within the size limits. Symlinks and submodules
// are never materialised.
func copyFiles(repo *git.Repository, tree []treeEntry, dst string) (copyResult, error) {
	var res copyResult
	var wanted []treeEntry
	for _, e := range tree {
		if copyPriority(e.Path) < 0 {
			continue
		}
		switch {
		case e.Mode == workspace.ModeSymlink:
			res.Notes = append(res.Notes, fmt.Sprintf("not copied: %s is a symlink to %q", e.Path, e.Target))
		case e.Mode == workspace.ModeSubmodule:
			res.Notes = append(res.Notes, fmt.Sprintf("not copied: %s is a submodule", e.Path))
		default:
			wanted = append(wanted, e)
		}
	}
	slices.SortStableFunc(wanted, func(a, b treeEntry) int { return cmp.Compare(copyPriority(a.Path), copyPriority(b.Path)) })

	var total int64
	for i, e := range wanted {
		if e.Size > maxCopyFileSize {
			res.Notes = append(res.Notes, fmt.Sprintf("not copied: %s is %s, over the %s per-file limit", e.Path, mib(e.Size), mib(maxCopyFileSize)))
			continue
		}
		if total+e.Size > maxCopyTotalSize || len(res.Copied) >= maxCopyFiles {
			res.Notes = append(res.Notes, fmt.Sprintf("copying stopped at the limit (%d files, %s): %d more files not copied, from %s",
				maxCopyFiles, mib(maxCopyTotalSize), len(wanted)-i, e.Path))
			break
		}
		content, err := writeBlob(repo, e, dst)
		if errors.Is(err, fs.ErrExist) || errors.Is(err, syscall.ENOTDIR) {
			// Only a malformed tree names a path twice, or as file and folder.
			res.Notes = append(res.Notes, fmt.Sprintf("not copied: %s clashes with another path of the tree", e.Path))
			continue
		}
		if err != nil {
			return copyResult{}, err
		}
		total += e.Size
		res.Copied = append(res.Copied, e.Path)
		if strings.EqualFold(path.Base(e.Path), "readme.md") && bytes.Contains(bytes.ToLower(content), []byte(reportMarker)) {
			res.HasReport = true
		}
	}
	return res, nil
}

// writeBlob copies one blob to dst/<path>; it returns the content of README
// files (small, needed for the report check) and nil for others.
func writeBlob(repo *git.Repository, e treeEntry, dst string) ([]byte, error) {
	blob, err := repo.BlobObject(e.blob)
	if err != nil {
		return nil, fmt.Errorf("copy %s: %w", e.Path, err)
	}
	r, err := blob.Reader()
	if err != nil {
		return nil, fmt.Errorf("copy %s: %w", e.Path, err)
	}
	defer r.Close()
	name := filepath.Join(dst, filepath.FromSlash(e.Path))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return nil, fmt.Errorf("copy %s: %w", e.Path, err)
	}
	// O_EXCL: the folder is fresh and we create no links, so an existing
	// name can only be a duplicate tree entry; never write through it.
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("copy %s: %w", e.Path, err)
	}
	var keep bytes.Buffer
	w := io.Writer(f)
	if strings.EqualFold(path.Base(e.Path), "readme.md") {
		w = io.MultiWriter(f, &keep)
	}
	if _, err := io.Copy(w, io.LimitReader(r, maxCopyFileSize)); err != nil {
		f.Close()
		return nil, fmt.Errorf("copy %s: %w", e.Path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("copy %s: %w", e.Path, err)
	}
	return keep.Bytes(), nil
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
