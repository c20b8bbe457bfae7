package scrape

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"handin/scrape/packstore"
	"handin/workspace"
)

// treeEntry is a File of the deadline tree with the blob it names.
type treeEntry struct {
	workspace.File
	blob plumbing.Hash
	// missing: a partial clone does not hold the blob (yet); its size is
	// unknown until asked for (File.SizeUnknown), a symlink's target until
	// fetched.
	missing bool
}

// Limits of the tree listing. A crafted tree can nest folders thousands
// deep, name one folder from every entry of another (a few KB of objects
// that list billions of paths), or name a folder with megabytes.
const (
	maxTreeDepth     = 256
	maxTreeEntries   = 500_000  // files and folders visited
	maxTreePathBytes = 32 << 20 // of all paths listed together
	// maxNameBytes and maxPathBytes are the longest file name and path a
	// file system takes (NAME_MAX, PATH_MAX): a longer one cannot be a
	// file anyone checked out.
	maxNameBytes = 255
	maxPathBytes = 4096
)

// maxSymlinkTarget bounds how much of a symlink blob is read as its target.
const maxSymlinkTarget = 4096

// maxQuotedNames is how many skipped names a note quotes.
const maxQuotedNames = 5

// treeFiles lists every file of a commit's tree (folders are implied by the
// paths), with notes on what it left out; what the limits above cut goes
// into c. Symlinks are recorded with their target, never resolved;
// submodules with no size. An entry whose name cannot be a file name (a
// control character such as the "Icon\r" macOS Finder writes, "..", a
// slash, invalid UTF-8, ".git") is skipped with everything under it, and
// the rest of the tree is listed. In a partial clone, a blob the clone does
// not hold is marked missing, not unread. It stops when ctx ends.
func treeFiles(ctx context.Context, repo *git.Repository, commit plumbing.Hash, partial bool, c *cuts) ([]treeEntry, []string, error) {
	co, err := repo.CommitObject(commit)
	if err != nil {
		return nil, nil, fmt.Errorf("read commit %s: %w", short(commit.String()), err)
	}
	l := &treeLister{ctx: ctx, repo: repo, partial: partial}
	if size, err := l.size(co.TreeHash); err != nil || size > packstore.MaxInMemoryObject {
		return nil, nil, fmt.Errorf("tree of %s: unreadable or over %s (%s): %v", short(commit.String()), mib(packstore.MaxInMemoryObject), mib(size), err)
	}
	root, err := co.Tree()
	if err != nil {
		return nil, nil, fmt.Errorf("read tree of %s: %w", short(commit.String()), err)
	}
	if err := l.walk(root, "", 0); err != nil && !errors.Is(err, errTreeTooLarge) {
		return nil, nil, fmt.Errorf("tree of %s: %w", short(commit.String()), err)
	}
	l.cut(c)
	return l.files, l.notes(), nil
}

// errTreeTooLarge stops a listing at maxTreeEntries.
var errTreeTooLarge = errors.New("too many tree entries")

// treeLister walks one tree, collecting its files and what it skipped.
type treeLister struct {
	ctx       context.Context
	repo      *git.Repository
	partial   bool // blobs missing from the clone are expected
	files     []treeEntry
	visited   int
	pathBytes int
	unsafe    skipped  // names that cannot be file names
	tooLong   skipped  // paths over maxPathBytes
	tooDeep   []string // folders not entered
	unread    []string // entries whose object is missing, or a folder too large to read
	stopped   string   // the limit that ended the listing, "" when none did
}

func (l *treeLister) walk(tree *object.Tree, dir string, depth int) error {
	for _, e := range tree.Entries {
		if !safeEntryName(e.Name) {
			l.unsafe.add(dir, e.Name)
			continue
		}
		if len(dir)+1+len(e.Name) > maxPathBytes {
			l.tooLong.add(dir, e.Name)
			continue
		}
		if l.visited++; l.visited > maxTreeEntries {
			l.stopped = fmt.Sprintf("the tree has more than %d files and folders", maxTreeEntries)
			return errTreeTooLarge
		}
		if l.visited%4096 == 0 {
			if err := l.ctx.Err(); err != nil {
				return err
			}
		}
		p := path.Join(dir, e.Name)
		if e.Mode == filemode.Dir {
			if depth+1 >= maxTreeDepth {
				l.tooDeep = append(l.tooDeep, p)
				continue
			}
			if size, err := l.size(e.Hash); err != nil || size > packstore.MaxInMemoryObject {
				l.unread = append(l.unread, p)
				continue
			}
			sub, err := l.repo.TreeObject(e.Hash)
			if err != nil {
				return fmt.Errorf("read folder %s: %w", p, err)
			}
			if err := l.walk(sub, p, depth+1); err != nil {
				return err
			}
			continue
		}
		if l.pathBytes += len(p); l.pathBytes > maxTreePathBytes {
			l.stopped = fmt.Sprintf("the paths of the tree's files pass %s together", mib(maxTreePathBytes))
			return errTreeTooLarge
		}
		f, err := l.entry(p, e)
		if err != nil {
			return err
		}
		l.files = append(l.files, f)
	}
	return nil
}

// skipped are the tree entries skipped for one reason: how many, and the
// first few quoted.
type skipped struct {
	n      int
	quoted []string
}

// add counts the entry name in folder dir; only the first few are quoted,
// each cut short (a name may be megabytes).
func (s *skipped) add(dir, name string) {
	if s.n++; len(s.quoted) < maxQuotedNames {
		p, cut := cutString(path.Join(dir, name), 120)
		if s.quoted = append(s.quoted, strconv.Quote(p)); cut {
			s.quoted[len(s.quoted)-1] += "…"
		}
	}
}

// String is the quoted names, and how many more there are.
func (s skipped) String() string {
	list := strings.Join(s.quoted, ", ")
	if more := s.n - len(s.quoted); more > 0 {
		list += fmt.Sprintf(" and %d more", more)
	}
	return list
}

// entry describes one non-folder tree entry.
func (l *treeLister) entry(p string, e object.TreeEntry) (treeEntry, error) {
	f := treeEntry{File: workspace.File{Path: p}, blob: e.Hash}
	switch e.Mode {
	case filemode.Submodule:
		f.Mode = workspace.ModeSubmodule
		return f, nil
	case filemode.Executable:
		f.Mode = workspace.ModeExec
	case filemode.Symlink:
		f.Mode = workspace.ModeSymlink
		target, err := readSymlinkTarget(l.repo, e.Hash)
		if l.partial && errors.Is(err, plumbing.ErrObjectNotFound) {
			f.missing, f.SizeUnknown = true, true
			return f, nil
		}
		if err != nil {
			return f, fmt.Errorf("read symlink %s: %w", p, err)
		}
		f.Target = target
	default:
		f.Mode = workspace.ModeFile
	}
	var err error
	f.Size, err = l.size(e.Hash)
	switch {
	case l.partial && errors.Is(err, plumbing.ErrObjectNotFound):
		f.missing, f.SizeUnknown = true, true
		err = nil
	case errors.Is(err, plumbing.ErrObjectNotFound):
		l.unread = append(l.unread, p) // left out of the clone (indexPack)
		err = nil
	}
	if err != nil {
		return f, fmt.Errorf("size of %s: %w", p, err)
	}
	return f, nil
}

// size is an object's size, read from its header (see packstore), not
// inflated.
func (l *treeLister) size(h plumbing.Hash) (int64, error) {
	return l.repo.Storer.EncodedObjectSize(h)
}

// notes say what the listing left out that is no limit's doing.
func (l *treeLister) notes() []string {
	var notes []string
	if l.unsafe.n > 0 {
		notes = append(notes, fmt.Sprintf("skipped %d tree entries whose names cannot be file names (and anything under them): %s", l.unsafe.n, l.unsafe))
	}
	if len(l.unread) > 0 {
		notes = append(notes, fmt.Sprintf("%d entries could not be read from the clone (missing, or a folder object over %s): %s",
			len(l.unread), mib(packstore.MaxInMemoryObject), quotedList(l.unread)))
	}
	return notes
}

// cut says what the limits of the listing cut.
func (l *treeLister) cut(c *cuts) {
	if len(l.tooDeep) > 0 {
		c.say("%d folder(s) nested more than %d deep not listed: %s", len(l.tooDeep), maxTreeDepth, quotedList(l.tooDeep))
	}
	if l.tooLong.n > 0 {
		c.say("%d tree entries whose path is over %d bytes not listed (and anything under them): %s", l.tooLong.n, maxPathBytes, l.tooLong)
	}
	if l.stopped != "" {
		c.say("%s: the listing stops there", l.stopped)
	}
}

// quotedList is the first few names, and how many more there are.
func quotedList(names []string) string {
	shown := names[:min(len(names), maxQuotedNames)]
	for i, n := range shown {
		if len(n) > 120 {
			shown[i] = n[:120] + "…"
		}
	}
	list := strings.Join(shown, ", ")
	if more := len(names) - len(shown); more > 0 {
		list += fmt.Sprintf(" and %d more", more)
	}
	return list
}

// safeEntryName reports whether a tree entry name can be a file name in
// the snapshot and in JSON as it is: not empty, ".", ".." or ".git", no
// slash, backslash or control character, valid UTF-8, at most
// maxNameBytes.
func safeEntryName(name string) bool {
	if name == "" || len(name) > maxNameBytes || name == "." || name == ".." || strings.EqualFold(name, ".git") || !utf8.ValidString(name) {
		return false
	}
	return !strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '/' || r == '\\' })
}

func readSymlinkTarget(repo *git.Repository, h plumbing.Hash) (string, error) {
	target, err := readBlob(repo, h, maxSymlinkTarget)
	return string(target), err
}
