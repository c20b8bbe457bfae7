package scrape

import (
	"errors"
	"fmt"
	"io"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Values of Snapshot.PinnedBy.
const (
	PinnedByCommitterDate = "committer-date"
	PinnedByObservation   = "observation"
)

// clockSkew is how far a commit may be dated before its parent without
// flagging the history: group members' laptop clocks disagree by seconds or
// minutes; rewritten or backdated history goes back hours or days.
const clockSkew = 10 * time.Minute

// pin is which commit counts for a group, and why.
type pin struct {
	Pinned       plumbing.Hash // zero when nothing was handed in by the deadline
	PinnedBy     string
	DateBased    plumbing.Hash // the committer-date answer, zero when none
	ObservedAt   time.Time     // when the observation that pinned was made
	NonMonotonic bool
	Backdated    bool
	LateCommits  int
	Commits      []Commit // reachable from Pinned, newest first
	Notes        []string
}

// pinDeadlineCommit finds the commit that counts. By committer date it is,
// on the first-parent chain of tip, the first commit (walking back from the
// tip) dated at or before the deadline. When the observation log saw the
// branch at or before the deadline (observed != nil), the last tip seen then
// counts instead, and commits dated before the deadline that were not part
// of it are flagged as backdated: they were pushed after that observation.
func pinDeadlineCommit(repo *git.Repository, tip plumbing.Hash, deadline time.Time, observed *Observation) (pin, error) {
	chain, err := firstParentChain(repo, tip)
	if err != nil {
		return pin{}, err
	}
	var p pin
	for i, c := range chain {
		if p.DateBased.IsZero() && !c.Committer.When.After(deadline) {
			p.DateBased = c.Hash
		}
		if i+1 < len(chain) && c.Committer.When.Add(clockSkew).Before(chain[i+1].Committer.When) {
			p.NonMonotonic = true
		}
	}
	p.Pinned, p.PinnedBy = p.DateBased, PinnedByCommitterDate
	if observed != nil {
		p.applyObservation(repo, *observed)
	}

	reachable := map[plumbing.Hash]bool{}
	if !p.Pinned.IsZero() {
		if p.Commits, err = commitsFrom(repo, p.Pinned, reachable); err != nil {
			return pin{}, err
		}
	}
	p.LateCommits = len(chain)
	for i, c := range chain {
		if reachable[c.Hash] {
			p.LateCommits = i
			break
		}
	}
	if !p.Pinned.IsZero() && !p.DateBased.IsZero() && p.DateBased != p.Pinned {
		p.Backdated = !reachable[p.DateBased]
	} else if p.Pinned.IsZero() && !p.DateBased.IsZero() {
		p.Backdated = true // the branch was empty when last seen before the deadline
	}
	if p.Backdated {
		p.Notes = append(p.Notes, fmt.Sprintf(
			"backdated: commits dated before the deadline (up to %s) were pushed after the last observation before it (%s)",
			short(p.DateBased), p.ObservedAt.Format(time.RFC3339)))
	} else if p.PinnedBy == PinnedByObservation && p.DateBased != p.Pinned {
		p.Notes = append(p.Notes, fmt.Sprintf(
			"commits dated after the deadline were already pushed at %s (committer clock ahead)", p.ObservedAt.Format(time.RFC3339)))
	}
	if !p.Pinned.IsZero() && p.LateCommits == len(chain) {
		p.Notes = append(p.Notes, "the branch was rewritten after the deadline: the pinned commit is no longer on it")
	}
	return p, nil
}

// applyObservation pins the tip seen by the last observation at or before
// the deadline, if the clone still holds it.
func (p *pin) applyObservation(repo *git.Repository, o Observation) {
	if o.TipSHA == "" {
		p.Pinned, p.PinnedBy, p.ObservedAt = plumbing.ZeroHash, PinnedByObservation, o.Time
		return
	}
	h := plumbing.NewHash(o.TipSHA)
	if _, err := repo.CommitObject(h); err != nil {
		p.Notes = append(p.Notes, fmt.Sprintf(
			"the tip observed at %s (%s) is missing from the clone: pinned by committer date", o.Time.Format(time.RFC3339), short(h)))
		return
	}
	p.Pinned, p.PinnedBy, p.ObservedAt = h, PinnedByObservation, o.Time
}

// firstParentChain is tip, its first parent, that one's first parent, ...
// down to the root.
func firstParentChain(repo *git.Repository, tip plumbing.Hash) ([]*object.Commit, error) {
	var chain []*object.Commit
	for h := tip; ; {
		c, err := repo.CommitObject(h)
		if err != nil {
			return nil, fmt.Errorf("walk history at %s: %w", short(h), err)
		}
		chain = append(chain, c)
		if c.NumParents() == 0 {
			return chain, nil
		}
		h = c.ParentHashes[0]
	}
}

// commitsFrom lists every commit reachable from h, newest committer time
// first, and marks each in reachable.
func commitsFrom(repo *git.Repository, h plumbing.Hash, reachable map[plumbing.Hash]bool) ([]Commit, error) {
	iter, err := repo.Log(&git.LogOptions{From: h, Order: git.LogOrderCommitterTime})
	if err != nil {
		return nil, fmt.Errorf("list commits from %s: %w", short(h), err)
	}
	defer iter.Close()
	var commits []Commit
	err = iter.ForEach(func(c *object.Commit) error {
		reachable[c.Hash] = true
		parents := make([]string, len(c.ParentHashes))
		for i, ph := range c.ParentHashes {
			parents[i] = ph.String()
		}
		commits = append(commits, Commit{
			SHA:         c.Hash.String(),
			Parents:     parents,
			AuthorName:  c.Author.Name,
			AuthorEmail: c.Author.Email,
			AuthorTime:  c.Author.When,
			CommitTime:  c.Committer.When,
			Message:     c.Message,
		})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list commits from %s: %w", short(h), err)
	}
	return commits, nil
}

// treeEntry is a File of the deadline tree with the blob it names.
type treeEntry struct {
	File
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
		return nil, fmt.Errorf("read commit %s: %w", short(commit), err)
	}
	tree, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("read tree of %s: %w", short(commit), err)
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
			return nil, fmt.Errorf("walk tree of %s: %w", short(commit), err)
		}
		f := treeEntry{File: File{Path: name}, blob: entry.Hash}
		switch entry.Mode {
		case filemode.Dir:
			continue
		case filemode.Submodule:
			f.Mode = "submodule"
			files = append(files, f)
			continue
		case filemode.Executable:
			f.Mode = "exec"
		case filemode.Symlink:
			f.Mode = "symlink"
			if f.Target, err = readSymlinkTarget(repo, entry.Hash); err != nil {
				return nil, fmt.Errorf("read symlink %s: %w", name, err)
			}
		default:
			f.Mode = "file"
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

// short is the 10-character abbreviation used in notes and tables.
func short(h plumbing.Hash) string {
	if h.IsZero() {
		return "none"
	}
	return h.String()[:10]
}
