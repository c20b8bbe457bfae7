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
	"github.com/go-git/go-git/v5/plumbing"

	"handin/workspace"
)

// Copy limits: student repositories are untrusted and sometimes hold
// datasets; later stages need the report, its figures, and the group's own
// small text files (code, configuration, workflows) to check claims against.
// Nothing else is copied, so a partial clone fetches nothing else.
const (
	maxCopyFileSize  = 20 << 20
	maxCopyTotalSize = 200 << 20
	maxCopyFiles     = 5000
	// Text files have limits of their own, inside the ones above.
	maxTextFileSize  = 256 << 10
	maxTextTotalSize = 8 << 20
	// Dependency files are read whole up to a larger size: they are where
	// a project declares what it uses, and some list hundreds of pinned
	// packages with hashes.
	maxDependencyFileSize = 2 << 20
	// Jupyter notebooks are read for their code cells, but carry their
	// outputs (plots as base64, long logs): a notebook is kept up to a
	// larger size, after every other text file, so that notebooks never
	// take the place of code under the group's text limit.
	maxNotebookSize = 2 << 20
)

// reportFolder's READMEs, text files and figures come first.
const reportFolder = "reports/"

// imageExtensions are the figures a page can show: copied wherever they
// are (reports link figures from anywhere in the repository) when a README
// names them (namedFigures).
var imageExtensions = []string{".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}

// textExtensions are the code, configuration and requirement files later
// checks read.
var textExtensions = []string{".py", ".toml", ".cfg", ".ini", ".txt", ".yaml", ".yml", ".json", ".md", ".sh", ".dvc", ".lock", ".dockerfile",
	".js", ".ts", ".properties"}

// notebookExtension is a Jupyter notebook's: JSON whose code cells the
// claims check reads as Python.
const notebookExtension = ".ipynb"

// textNames are text files known by their whole (lowercased) name.
var textNames = []string{"makefile", "justfile", "pipfile", ".gitattributes"}

// reportMarker is the heading every question of the exam template starts
// with; a copied README without it is not a filled-in report.
const reportMarker = "### question"

// Copy priorities, most wanted first: the limits cut notebooks before other
// text files, text files before figures, and figures of other folders
// before the report itself.
const (
	priorityReport = iota
	priorityReportFolder
	priorityReadme
	priorityImage
	priorityText
	priorityNotebook
	notCopied = -1
)

// copyPriority orders the files worth copying (see the priorities above);
// notCopied for the others. An image is copied only when a README names it.
func copyPriority(p string) int {
	base := strings.ToLower(path.Base(p))
	switch {
	case p == reportFolder+"README.md":
		return priorityReport
	case strings.HasPrefix(p, reportFolder) && (base == "readme.md" || isImage(base) || isText(p, base)):
		return priorityReportFolder
	case base == "readme.md":
		return priorityReadme
	case isImage(base):
		return priorityImage
	case isText(p, base) && !workspace.Vendored(p):
		return priorityText
	case path.Ext(base) == notebookExtension && !workspace.Vendored(p):
		return priorityNotebook
	}
	return notCopied
}

// isImage: a figure file, by its lower-case name.
func isImage(base string) bool { return slices.Contains(imageExtensions, path.Ext(base)) }

// isText: a code, configuration or workflow file (base is p's lower-case
// name). DVC's config is kept in a project one folder down too.
func isText(p, base string) bool {
	return slices.Contains(textExtensions, path.Ext(base)) || strings.HasPrefix(base, "dockerfile") || slices.Contains(textNames, base) ||
		strings.HasPrefix(p, ".github/workflows/") || p == ".dvc/config" || strings.HasSuffix(p, "/.dvc/config")
}

// isDependencyFile: a file that declares a Python project's dependencies
// (base is p's lower-case name).
func isDependencyFile(base string) bool {
	switch {
	case base == "pyproject.toml" || base == "setup.py" || base == "setup.cfg" || base == "pipfile":
		return true
	case strings.HasSuffix(base, ".txt") && strings.Contains(base, "requirements"):
		return true
	case strings.HasPrefix(base, "environment") && (strings.HasSuffix(base, ".yml") || strings.HasSuffix(base, ".yaml")):
		return true
	}
	return false
}

// textLimit is the size a text file (or notebook) may have to be copied.
func textLimit(p string) int64 {
	base := strings.ToLower(path.Base(p))
	switch {
	case isDependencyFile(base):
		return maxDependencyFileSize
	case path.Ext(base) == notebookExtension:
		return maxNotebookSize
	}
	return maxTextFileSize
}

// copyResult is what copyFiles copied and what it had to leave out.
type copyResult struct {
	Copied    []string
	Notes     []string
	HasReport bool // a copied README.md contains a question heading
	// Missing are the blobs of files to copy that the clone does not hold
	// (a partial clone): counted against the limits as if copied, and not
	// copied.
	Missing []plumbing.Hash
}

// copyFiles copies the README files, the figures they name and the text
// files of the tree into dst (a fresh folder), within the size limits, and
// says in each wanted entry's NotCopied why it was not copied. Symlinks and
// submodules are never materialised.
func copyFiles(repo *git.Repository, tree []treeEntry, dst string) (copyResult, error) {
	var res copyResult
	var wanted []*treeEntry
	figures := namedFigures(repo, tree)
	for i := range tree {
		e := &tree[i]
		if copyPriority(e.Path) == notCopied || isImage(strings.ToLower(path.Base(e.Path))) && !figures[strings.ToLower(path.Base(e.Path))] {
			continue
		}
		switch e.Mode {
		case workspace.ModeSymlink:
			e.NotCopied = fmt.Sprintf("a symlink to %q", e.Target)
		case workspace.ModeSubmodule:
			e.NotCopied = "a submodule (another repository)"
		default:
			wanted = append(wanted, e)
		}
	}
	slices.SortStableFunc(wanted, func(a, b *treeEntry) int { return cmp.Compare(copyPriority(a.Path), copyPriority(b.Path)) })

	var total, textTotal int64
	var overSize, overText, binary, notHeld []string
	for _, e := range wanted {
		priority := copyPriority(e.Path)
		text := priority == priorityText || priority == priorityNotebook
		switch {
		case e.Size > maxCopyFileSize:
			e.NotCopied = fmt.Sprintf("%s, over the %s a file may take", mib(e.Size), mib(maxCopyFileSize))
			overSize = append(overSize, e.Path)
			continue
		case text && e.Size > textLimit(e.Path):
			e.NotCopied = fmt.Sprintf("a text file of %s, over the %s one may take", mib(e.Size), mib(textLimit(e.Path)))
			continue
		case total+e.Size > maxCopyTotalSize || len(res.Copied) >= maxCopyFiles:
			e.NotCopied = fmt.Sprintf("the copy limit of %d files or %s was reached", maxCopyFiles, mib(maxCopyTotalSize))
			overSize = append(overSize, e.Path)
			continue
		case text && textTotal+e.Size > maxTextTotalSize:
			e.NotCopied = fmt.Sprintf("the %s of text files a group may take were reached", mib(maxTextTotalSize))
			overText = append(overText, e.Path)
			continue
		}
		content, err := writeBlob(repo, *e, dst, text)
		missing := errors.Is(err, plumbing.ErrObjectNotFound)
		switch {
		case missing:
			res.Missing = append(res.Missing, e.blob) // counted below as if copied
			e.NotCopied = "its contents are not in the clone"
			notHeld = append(notHeld, e.Path)
		case errors.Is(err, fs.ErrExist) || errors.Is(err, syscall.ENOTDIR):
			// Only a malformed tree names a path twice, or as file and folder.
			e.NotCopied = "its path clashes with another path of the tree"
			res.Notes = append(res.Notes, fmt.Sprintf("not copied: %s clashes with another path of the tree", e.Path))
			continue
		case errors.Is(err, errBinary):
			e.NotCopied = "binary content"
			binary = append(binary, e.Path)
			continue
		case err != nil:
			return copyResult{}, err
		}
		total += e.Size
		if text {
			textTotal += e.Size
		}
		if missing {
			continue
		}
		res.Copied = append(res.Copied, e.Path)
		if strings.EqualFold(path.Base(e.Path), "readme.md") && bytes.Contains(bytes.ToLower(content), []byte(reportMarker)) {
			res.HasReport = true
		}
	}
	res.Notes = append(res.Notes, leftOutNotes(tree, overSize, overText, binary, notHeld)...)
	return res, nil
}

// leftOutNotes are the snapshot's few lines on what was not copied; each
// file's reason is in its NotCopied.
func leftOutNotes(tree []treeEntry, overSize, overText, binary, notHeld []string) []string {
	var notes []string
	var links []string
	for _, e := range tree {
		if e.Mode == workspace.ModeSymlink || e.Mode == workspace.ModeSubmodule {
			if e.NotCopied != "" {
				links = append(links, e.Path+" ("+e.NotCopied+")")
			}
		}
	}
	for _, group := range []struct {
		what  string
		paths []string
	}{
		{"symlinks and submodules", links},
		{fmt.Sprintf("files over the size limits (%s a file, %s in all)", mib(maxCopyFileSize), mib(maxCopyTotalSize)), overSize},
		{fmt.Sprintf("text files over the %s text files may take", mib(maxTextTotalSize)), overText},
		{"text files with binary content", binary},
		{"files whose contents are not in the clone", notHeld},
	} {
		if len(group.paths) > 0 {
			notes = append(notes, fmt.Sprintf("not copied: %d %s: %s", len(group.paths), group.what, quotedList(group.paths)))
		}
	}
	return notes
}

// errBinary: a text file turned out to hold binary content.
var errBinary = errors.New("binary content")

// binarySniff is how much of a text file is looked at for a NUL byte, as
// git does to tell binary files.
const binarySniff = 8000

// writeBlob copies one blob to dst/<path>; it returns the content of README
// files (small, needed for the report check) and nil for others. A text
// file with a NUL byte near its start is removed again (errBinary).
func writeBlob(repo *git.Repository, e treeEntry, dst string, text bool) ([]byte, error) {
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
	if text || strings.EqualFold(path.Base(e.Path), "readme.md") {
		w = io.MultiWriter(f, &keep)
	}
	if _, err := io.Copy(w, io.LimitReader(r, maxCopyFileSize)); err != nil {
		f.Close()
		return nil, fmt.Errorf("copy %s: %w", e.Path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("copy %s: %w", e.Path, err)
	}
	if text && bytes.IndexByte(keep.Bytes()[:min(keep.Len(), binarySniff)], 0) >= 0 {
		if err := os.Remove(name); err != nil {
			return nil, fmt.Errorf("copy %s: %w", e.Path, err)
		}
		return nil, errBinary
	}
	return keep.Bytes(), nil
}

// mib is a size for messages: in MiB, or KiB below one MiB.
func mib(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d KiB", (n+1023)>>10)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
