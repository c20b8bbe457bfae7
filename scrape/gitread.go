package scrape

import (
	"cmp"
	"container/heap"
	"context"
	"fmt"
	"io"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"handin/workspace"
)

// Limits on what a history makes the scrape keep. git writes commits of a
// few hundred bytes (a few KB signed) and never limits what is in them: a
// crafted history can name a megabyte of author or twenty thousand parents
// in each of thousands of commits, a few KB of pack that fill gigabytes.
const (
	// maxCommitObject bounds the commit objects read.
	maxCommitObject = 1 << 20
	// maxHistoryCommits bounds the commits of one history (the corpus's
	// largest has 388, a large project a few thousand).
	maxHistoryCommits = 50_000
	// maxParents bounds a commit's parents (the largest octopus merge git
	// itself knows of has 66).
	maxParents = 100
	// maxIdentity bounds an author's name and address.
	maxIdentity = 256
	// maxCommitMessage bounds the commit message a snapshot keeps:
	// statistics need its length and first line, nobody reads more.
	maxCommitMessage = 64 << 10
	// maxHistoryMessages bounds the messages of one history together;
	// past it, each message is kept up to maxSubject.
	maxHistoryMessages = 16 << 20
	maxSubject         = 256
)

// loadHistory reads the metadata of every commit reachable from the given
// tips (all parents), the input of pinCommit, newest committer date first
// and up to the limits above (what is cut goes into c): a history cut
// short loses its oldest commits, the farthest from the deadline. A tip
// the clone does not hold is left out (an observed tip lost to a
// force-push before it was fetched); a missing parent is a damaged clone
// and an error. It stops when ctx ends.
func loadHistory(ctx context.Context, repo *git.Repository, c *cuts, tips ...plumbing.Hash) (history, error) {
	w := &historyWalk{repo: repo, cuts: c, seen: map[plumbing.Hash]bool{}}
	for _, tip := range tips {
		if _, err := repo.CommitObject(tip); err == nil {
			if err := w.read(tip); err != nil {
				return nil, err
			}
		}
	}
	h := history{}
	for w.queue.Len() > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if len(h) == maxHistoryCommits {
			c.say("the history has more than %d commits: the oldest were not read", maxHistoryCommits)
			break
		}
		m := heap.Pop(&w.queue).(workspace.Commit)
		h[m.SHA] = m
		for _, p := range m.Parents {
			if err := w.read(plumbing.NewHash(p)); err != nil {
				return nil, err
			}
		}
	}
	return h, nil
}

// historyWalk reads a history's commits, each once, into a queue ordered
// by committer date.
type historyWalk struct {
	repo     *git.Repository
	cuts     *cuts
	seen     map[plumbing.Hash]bool
	queue    newestFirst
	messages int // bytes of message kept so far
}

// read reads commit h into the queue, unless it was read before.
func (w *historyWalk) read(h plumbing.Hash) error {
	if w.seen[h] {
		return nil
	}
	w.seen[h] = true
	if size, err := w.repo.Storer.EncodedObjectSize(h); err == nil && size > maxCommitObject {
		return fmt.Errorf("commit %s is %s, over the %s a commit may take", short(h.String()), mib(size), mib(maxCommitObject))
	}
	commit, err := w.repo.CommitObject(h)
	if err != nil {
		return fmt.Errorf("walk history at %s: %w", short(h.String()), err)
	}
	m := commitMetadata(commit, w.cuts, w.messages >= maxHistoryMessages)
	w.messages += len(m.Message)
	heap.Push(&w.queue, m)
	return nil
}

// newestFirst is a heap of commits, the newest committer date on top.
type newestFirst []workspace.Commit

func (q newestFirst) Len() int { return len(q) }
func (q newestFirst) Less(i, j int) bool {
	return cmp.Or(q[j].CommitTime.Compare(q[i].CommitTime), strings.Compare(q[i].SHA, q[j].SHA)) < 0
}
func (q newestFirst) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *newestFirst) Push(x any)   { *q = append(*q, x.(workspace.Commit)) }
func (q *newestFirst) Pop() any {
	old := *q
	last := old[len(old)-1]
	*q = old[:len(old)-1]
	return last
}

// commitMetadata is what a snapshot keeps of a commit, its dates made
// representable (sanitizeDates), its fields cut to the limits above (what
// is cut is counted in c). brief keeps only the message's first
// maxSubject bytes: the history's messages are over maxHistoryMessages.
func commitMetadata(commit *object.Commit, c *cuts, brief bool) workspace.Commit {
	parents := commit.ParentHashes
	if len(parents) > maxParents {
		parents = parents[:maxParents]
		c.count(fmt.Sprintf("commits with more than %d parents: the others were not read", maxParents))
	}
	m := workspace.Commit{
		SHA:        commit.Hash.String(),
		Parents:    make([]string, len(parents)),
		AuthorTime: commit.Author.When,
		CommitTime: commit.Committer.When,
	}
	for i, ph := range parents {
		m.Parents[i] = ph.String()
	}
	var cut bool
	if m.AuthorName, cut = cutString(commit.Author.Name, maxIdentity); cut {
		c.count(fmt.Sprintf("commits whose author name is cut to %d bytes", maxIdentity))
	}
	if m.AuthorEmail, cut = cutString(commit.Author.Email, maxIdentity); cut {
		c.count(fmt.Sprintf("commits whose author address is cut to %d bytes", maxIdentity))
	}
	switch {
	case brief:
		if m.Message, cut = cutString(commit.Message, maxSubject); cut {
			c.count(fmt.Sprintf("commit messages cut to %d bytes, as the history's messages pass %s", maxSubject, mib(maxHistoryMessages)))
		}
	default:
		if m.Message, cut = cutString(commit.Message, maxCommitMessage); cut {
			c.count(fmt.Sprintf("commit messages cut to %s", mib(maxCommitMessage)))
		}
	}
	sanitizeDates(&m)
	return m
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
