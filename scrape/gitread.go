package scrape

import (
	"fmt"
	"io"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
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
		if size, err := repo.Storer.EncodedObjectSize(next); err == nil && size > maxCommitObject {
			return nil, fmt.Errorf("commit %s is %s, over the %s a commit may take", short(next.String()), mib(size), mib(maxCommitObject))
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

// readBlob is the start of a blob, at most limit bytes.
func readBlob(repo *git.Repository, h plumbing.Hash, limit int64) ([]byte, error) {
	blob, err := repo.BlobObject(h)
	if err != nil {
		return nil, err
	}
	r, err := blob.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(io.LimitReader(r, limit))
}

// maxCommitObject bounds the commit objects read: git writes a few hundred
// bytes (a few KB signed); a larger one is built to fill memory.
const maxCommitObject = 1 << 20

// maxCommitMessage bounds the commit message a snapshot keeps: statistics need
// its length and first line, nobody reads more.
const maxCommitMessage = 64 << 10

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
		Message:     c.Message[:min(len(c.Message), maxCommitMessage)],
	}
	sanitizeDates(&m)
	return m
}
