package scrape

import (
	"errors"
	"fmt"
	"io"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"handin/workspace"
)

// loadHistory reads the metadata of every commit reachable from the given
// tips (all parents), the input of pinCommit. A tip the clone does not hold
// is left out (an observed tip lost to a force-push before it was fetched);
// a missing parent is a damaged clone and an error.
func loadHistory(repo *git.Repository, tips ...plumbing.Hash) (history, error) {
	h := history{}
	var stack []plumbing.Hash
	for _, tip := range tips {
		if _, err := repo.CommitObject(tip); err == nil {
			stack = append(stack, tip)
		}
	}
	for len(stack) > 0 {
		next := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if _, seen := h[next.String()]; seen {
			continue
		}
		c, err := repo.CommitObject(next)
		if err != nil {
			return nil, fmt.Errorf("walk history at %s: %w", short(next.String()), err)
		}
		h[next.String()] = commitMetadata(c)
		stack = append(stack, c.ParentHashes...)
	}
	return h, nil
}

// maxMessage bounds the commit message a snapshot keeps: statistics need
// its length and first line, nobody reads more.
const maxMessage = 64 << 10

// commitMetadata is what a snapshot keeps of a commit, its dates made
// representable (sanitizeDates).
func commitMetadata(c *object.Commit) workspace.Commit {
	parents := make([]string, len(c.ParentHashes))
	for i, ph := range c.ParentHashes {
		parents[i] = ph.String()
	}
	m := workspace.Commit{
		SHA:         c.Hash.String(),
		Parents:     parents,
		AuthorName:  c.Author.Name,
		AuthorEmail: c.Author.Email,
		AuthorTime:  c.Author.When,
		CommitTime:  c.Committer.When,
		Message:     c.Message[:min(len(c.Message), maxMessage)],
	}
	sanitizeDates(&m)
	return m
}

// treeEntry is a File of the deadline tree with the blob it names.
type treeEntry struct {
	workspace.File
	blob plumbing.Hash
}

// maxSymlinkTarget bounds how much of a symlink blob is read as its target.
const maxSymlinkTarget = 4096

// objectSizer is implemented by go-git's filesystem storage: an object's size
// from its header, without inflating it.
type objectSizer interface {
	EncodedObjectSize(plumbing.Hash) (int64, error)
}

// treeFiles lists every file of a commit's tree (recursively; folders are
// implied by the paths). Symlinks are recorded with their target, which is
// never resolved; submodules with no size.
func treeFiles(repo *git.Repository, commit plumbing.Hash) ([]treeEntry, error) {
	c, err := repo.CommitObject(commit)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", short(commit.String()), err)
	}
	tree, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("read tree of %s: %w", short(commit.String()), err)
	}
	sizer, _ := repo.Storer.(objectSizer)
	walker := object.NewTreeWalker(tree, true, nil)
	defer walker.Close()
	var files []treeEntry
	for {
		name, entry, err := walker.Next()
		if errors.Is(err, io.EOF) {
			return files, nil
		}
		if err != nil {
			return nil, fmt.Errorf("walk tree of %s: %w", short(commit.String()), err)
		}
		f := treeEntry{File: workspace.File{Path: name}, blob: entry.Hash}
		switch entry.Mode {
		case filemode.Dir:
			continue
		case filemode.Submodule:
			f.Mode = workspace.ModeSubmodule
			files = append(files, f)
			continue
		case filemode.Executable:
			f.Mode = workspace.ModeExec
		case filemode.Symlink:
			f.Mode = workspace.ModeSymlink
			if f.Target, err = readSymlinkTarget(repo, entry.Hash); err != nil {
				return nil, fmt.Errorf("read symlink %s: %w", name, err)
			}
		default:
			f.Mode = workspace.ModeFile
		}
		if sizer != nil {
			f.Size, err = sizer.EncodedObjectSize(entry.Hash)
		} else {
			var blob *object.Blob
			if blob, err = repo.BlobObject(entry.Hash); err == nil {
				f.Size = blob.Size
			}
		}
		if err != nil {
			return nil, fmt.Errorf("size of %s: %w", name, err)
		}
		files = append(files, f)
	}
}

func readSymlinkTarget(repo *git.Repository, h plumbing.Hash) (string, error) {
	blob, err := repo.BlobObject(h)
	if err != nil {
		return "", err
	}
	r, err := blob.Reader()
	if err != nil {
		return "", err
	}
	defer r.Close()
	target, err := io.ReadAll(io.LimitReader(r, maxSymlinkTarget))
	return string(target), err
}
