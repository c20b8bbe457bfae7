package scrape

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"golang.org/x/sync/errgroup"

	"handin/workspace"
)

// maxContentRounds bounds the requests for file contents at the commit that
// counts, after fetchFirst's READMEs: the first brings the text files and
// figures copyFiles wants; another is needed only when a text file turns
// out binary, which leaves room for more within the limits.
const maxContentRounds = 4

// copyFetching copies the files of the deadline tree that later stages
// read (copyFiles) into a new folder of the group's, returned with what
// copyFiles says. A partial clone fetches the contents it lacks first
// (fetchFirst, then what copyFiles finds missing): copyFiles runs again
// after each fetch, so that what it finally copies is what it copies from
// a whole clone.
func (r *runner) copyFetching(ctx context.Context, cl *clone, group int, tree []treeEntry) (copyResult, string, error) {
	if cl.remote != nil {
		if err := r.fetchFirst(ctx, cl, tree); err != nil {
			return copyResult{}, "", err
		}
	}
	for round := 1; ; round++ {
		dst, err := r.ws.NewFilesDir(group)
		if err != nil {
			return copyResult{}, "", &workspaceError{fmt.Errorf("copy files: %w", err)}
		}
		res, err := copyFiles(cl.repo, tree, dst)
		if err != nil {
			os.RemoveAll(dst)
			return copyResult{}, "", err
		}
		blobs := slices.Concat(res.Missing, missingSymlinks(tree))
		if len(blobs) == 0 || cl.remote == nil || round == maxContentRounds {
			res.Notes = append(res.Notes, unsizedNote(tree, cl.remote)...)
			return res, dst, nil
		}
		if err := os.RemoveAll(dst); err != nil {
			return copyResult{}, "", &workspaceError{fmt.Errorf("copy files: %w", err)}
		}
		if err := r.fetchContents(ctx, cl, uniqueHashes(blobs)); err != nil {
			return copyResult{}, "", err
		}
		for i := range tree {
			tree[i].NotCopied = ""
			learnFetched(cl, &tree[i])
		}
	}
}

// fetchFirst brings a partial clone the contents of the tree's READMEs (they
// name the figures worth fetching) and symlinks, while it asks the server
// for the sizes of every file it lacks (object-info): two exchanges at once,
// each a round trip on a server far away.
func (r *runner) fetchFirst(ctx context.Context, cl *clone, tree []treeEntry) error {
	var first, unsized []plumbing.Hash
	for _, e := range tree {
		switch {
		case !e.missing:
		case e.Mode == workspace.ModeSymlink || e.Mode.Regular() && strings.EqualFold(path.Base(e.Path), "readme.md"):
			first = append(first, e.blob)
		case e.SizeUnknown:
			unsized = append(unsized, e.blob)
		}
	}
	var sizes map[plumbing.Hash]int64
	var both errgroup.Group
	p := cl.remote // cl changes if the server refuses the contents
	both.Go(func() (err error) {
		sizes, err = r.askSizes(ctx, p, uniqueHashes(unsized))
		return err
	})
	if len(first) > 0 {
		both.Go(func() error { return r.fetchContents(ctx, cl, uniqueHashes(first)) })
	}
	if err := both.Wait(); err != nil {
		return err
	}
	for i := range tree {
		if size, ok := sizes[tree[i].blob]; ok && tree[i].SizeUnknown {
			tree[i].Size, tree[i].SizeUnknown = size, false
		}
		learnFetched(cl, &tree[i])
	}
	return nil
}

// remoteError: a request to the group's server failed after the fetch (for
// the contents of files, or their sizes): the group's status says so, as
// for a failed fetch.
type remoteError struct{ err error }

func (e *remoteError) Error() string { return e.err.Error() }
func (e *remoteError) Unwrap() error { return e.err }

// fetchContents brings file contents into a partial clone, in one request.
// A server that refuses to send them gets a whole fetch in place of the
// clone, which then holds every file.
func (r *runner) fetchContents(ctx context.Context, cl *clone, blobs []plumbing.Hash) error {
	p := cl.remote
	err := r.retry.do(ctx, func() error { return p.fetchBlobs(ctx, cl.repo, blobs) })
	switch {
	case err == nil:
		return nil
	case !refused(err):
		return &remoteError{err}
	}
	why := fmt.Sprintf("the server refused to send the files asked for by id (%s)", oneLine(err.Error()))
	err = r.refetchWhole(ctx, cl, why)
	if err != nil && !workspaceFailure(err) {
		return &remoteError{err}
	}
	return err
}

// askSizes is the sizes of blobs a partial clone lacks, as the server
// answers object-info. Where it cannot, they stay unknown and p.sizesNote
// says why; a failure to reach the server is the group's.
func (r *runner) askSizes(ctx context.Context, p *server, blobs []plumbing.Hash) (map[plumbing.Hash]int64, error) {
	if len(blobs) == 0 {
		return nil, nil
	}
	var sizes map[plumbing.Hash]int64
	var offered bool
	err := r.retry.do(ctx, func() (err error) {
		sizes, offered, err = objectSizes(ctx, p.group.URL, p.auth, blobs)
		return err
	})
	switch {
	case err != nil && (transient(err) || ctx.Err() != nil):
		return nil, &remoteError{err}
	case err != nil:
		p.sizesNote = "the server's answer to object-info was unusable: " + oneLine(err.Error())
	case !offered:
		p.sizesNote = "the server does not offer object-info (git protocol v2)"
	}
	return sizes, nil
}

// learnFetched updates an entry whose blob the clone lacked: its size (and
// a symlink's target) once the clone holds it.
func learnFetched(cl *clone, e *treeEntry) {
	if !e.missing {
		return
	}
	size, err := cl.repo.Storer.EncodedObjectSize(e.blob)
	if err != nil {
		return
	}
	if e.Mode == workspace.ModeSymlink {
		if e.Target, err = readSymlinkTarget(cl.repo, e.blob); err != nil {
			return
		}
	}
	e.missing, e.Size, e.SizeUnknown = false, size, false
}

// missingSymlinks are the blobs of symlinks whose target the clone lacks:
// the tree lists every symlink with its target.
func missingSymlinks(tree []treeEntry) []plumbing.Hash {
	var blobs []plumbing.Hash
	for _, e := range tree {
		if e.missing && e.Mode == workspace.ModeSymlink {
			blobs = append(blobs, e.blob)
		}
	}
	return blobs
}

// unsizedNote names the files whose size stayed unknown, and why.
func unsizedNote(tree []treeEntry, p *server) []string {
	var paths []string
	for _, e := range tree {
		if e.SizeUnknown {
			paths = append(paths, e.Path)
		}
	}
	if len(paths) == 0 {
		return nil
	}
	why := "their sizes were not asked for"
	if p != nil && p.sizesNote != "" {
		why = p.sizesNote
	}
	return []string{fmt.Sprintf("the sizes of %d files are unknown, as their contents were not fetched and %s: the repository size counts the other files only: %s",
		len(paths), why, quotedList(paths))}
}

func uniqueHashes(hs []plumbing.Hash) []plumbing.Hash {
	slices.SortFunc(hs, func(a, b plumbing.Hash) int { return bytes.Compare(a[:], b[:]) })
	return slices.Compact(hs)
}
