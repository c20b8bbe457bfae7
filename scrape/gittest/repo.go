// Package gittest builds real git repositories with go-git and serves them
// over loopback smart HTTP (git http-backend), with fault injection. It backs
// the scrape tests, the benchmarks and the offline `handin demo`, so its core
// API takes no *testing.T.
package gittest

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// DefaultBranch is the branch HEAD points at in a new repository.
const DefaultBranch = "main"

// Signature names a commit's author or committer.
type Signature struct{ Name, Email string }

// Commit describes one commit to create. Files, Symlinks, Executables and
// Submodules are a delta over the parent tree; a path may appear in only one
// of them.
type Commit struct {
	Message   string
	Author    Signature
	Committer Signature // zero: same as Author
	// When is the author time, and the committer time unless CommitWhen is
	// set. Its location's offset is recorded, as git does.
	When time.Time
	// CommitWhen is an optional distinct committer time (rebased or
	// backdated history).
	CommitWhen time.Time
	// Files maps a path to its content (mode 100644). A nil value deletes the
	// path, or everything under it when it is a folder.
	Files       map[string][]byte
	Symlinks    map[string]string // path -> link target (mode 120000)
	Executables map[string][]byte // path -> content (mode 100755)
	Submodules  map[string]string // path -> commit sha (gitlink, mode 160000)
	// Zeros are files of that many zero bytes, streamed into the
	// repository (a 2 GiB file costs no memory and packs to 2 MB).
	Zeros map[string]int64
	// RawNames are files in the root folder under names git refuses to
	// write ("..", ".git", "a\\b"), stored as they are.
	RawNames map[string][]byte
	// RawEntries are entries of the root folder written as they are: under
	// any name, naming any object (a folder stored with Store or FanOut).
	RawEntries []object.TreeEntry
	// RawDate, when set, replaces the author and committer dates in the
	// commit object, written as is ("-1 +0000", "253402300800 +2500"):
	// dates git itself never writes.
	RawDate string
}

// Repo is a bare repository on disk that commits are written into directly
// through go-git's object storer (no worktree, no git binary).
type Repo struct {
	Dir string // the bare repository folder

	mu   sync.Mutex // serialises ref updates
	repo *git.Repository
}

// NewRepo initialises a bare repository at dir with HEAD -> refs/heads/main.
func NewRepo(dir string) (*Repo, error) {
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		Bare:        true,
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName(DefaultBranch)},
	})
	if err != nil {
		return nil, fmt.Errorf("init bare repo %s: %w", dir, err)
	}
	return &Repo{Dir: dir, repo: repo}, nil
}

// Commit writes a commit on top of branch's tip (a root commit when the branch
// does not exist yet: fork a branch with SetBranch first), moves the branch to
// it and returns its hex SHA.
func (r *Repo) Commit(branch string, c Commit) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ref, err := branchRef(branch)
	if err != nil {
		return "", err
	}
	tip, err := r.tip(ref)
	if err != nil && !errors.Is(err, plumbing.ErrReferenceNotFound) {
		return "", err
	}
	tree := treeEntries{}
	var parents []plumbing.Hash
	if err == nil {
		if tree, err = r.commitTree(tip); err != nil {
			return "", err
		}
		parents = []plumbing.Hash{tip}
	}
	return r.writeCommit(ref, tree, parents, c)
}

// Merge writes a two-parent merge commit onto branch into, merging branch
// from. Its tree is into's tree plus every change from made since their merge
// base (from wins on conflicts), plus c's own delta.
func (r *Repo) Merge(into, from string, c Commit) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	intoRef, err := branchRef(into)
	if err != nil {
		return "", err
	}
	fromRef, err := branchRef(from)
	if err != nil {
		return "", err
	}
	intoTip, err := r.tip(intoRef)
	if err != nil {
		return "", err
	}
	fromTip, err := r.tip(fromRef)
	if err != nil {
		return "", err
	}
	tree, err := r.commitTree(intoTip)
	if err != nil {
		return "", err
	}
	fromTree, err := r.commitTree(fromTip)
	if err != nil {
		return "", err
	}
	baseTree, err := r.mergeBaseTree(intoTip, fromTip)
	if err != nil {
		return "", err
	}
	for p, e := range fromTree {
		if baseTree[p] != e {
			tree[p] = e
		}
	}
	for p := range baseTree {
		if _, kept := fromTree[p]; !kept {
			delete(tree, p)
		}
	}
	return r.writeCommit(intoRef, tree, []plumbing.Hash{intoTip, fromTip}, c)
}

// SetHead points HEAD (the remote's default branch) at branch.
func (r *Repo) SetHead(branch string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	ref, err := branchRef(branch)
	if err != nil {
		return err
	}
	if err := r.repo.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, ref)); err != nil {
		return fmt.Errorf("set HEAD of %s to %s: %w", r.Dir, branch, err)
	}
	return nil
}

// SetBranch moves branch to the commit sha, creating the branch if needed:
// a force push, for rewritten-history scenarios.
func (r *Repo) SetBranch(branch, sha string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	ref, err := branchRef(branch)
	if err != nil {
		return err
	}
	h := plumbing.NewHash(sha)
	if _, err := r.repo.CommitObject(h); err != nil {
		return fmt.Errorf("set %s to %s: %w", branch, sha, err)
	}
	if err := r.repo.Storer.SetReference(plumbing.NewHashReference(ref, h)); err != nil {
		return fmt.Errorf("set %s to %s: %w", branch, sha, err)
	}
	return nil
}

// Tip returns the hex SHA branch points at.
func (r *Repo) Tip(branch string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ref, err := branchRef(branch)
	if err != nil {
		return "", err
	}
	h, err := r.tip(ref)
	if err != nil {
		return "", err
	}
	return h.String(), nil
}

func branchRef(branch string) (plumbing.ReferenceName, error) {
	ref := plumbing.NewBranchReferenceName(branch)
	if err := ref.Validate(); err != nil {
		return "", fmt.Errorf("branch %q: %w", branch, err)
	}
	return ref, nil
}

func (r *Repo) tip(ref plumbing.ReferenceName) (plumbing.Hash, error) {
	got, err := r.repo.Storer.Reference(ref)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("branch %s of %s: %w", ref.Short(), r.Dir, err)
	}
	return got.Hash(), nil
}

// treeEntry is a non-folder tree entry; treeEntries maps full paths to them.
type treeEntry struct {
	mode filemode.FileMode
	hash plumbing.Hash
}

type treeEntries map[string]treeEntry

func (r *Repo) commitTree(h plumbing.Hash) (treeEntries, error) {
	commit, err := r.repo.CommitObject(h)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", h, err)
	}
	tree, err := commit.Tree()
	if err != nil {
		return nil, fmt.Errorf("read tree of %s: %w", h, err)
	}
	entries := treeEntries{}
	walker := object.NewTreeWalker(tree, true, nil)
	walker.SkipPathValidation() // trees may hold the odd names tests write
	defer walker.Close()
	for {
		name, e, err := walker.Next()
		if errors.Is(err, io.EOF) {
			return entries, nil
		}
		if err != nil {
			return nil, fmt.Errorf("walk tree of %s: %w", h, err)
		}
		if e.Mode != filemode.Dir {
			entries[name] = treeEntry{mode: e.Mode, hash: e.Hash}
		}
	}
}

// mergeBaseTree is the tree of the best common ancestor of a and b, empty
// when their histories are unrelated.
func (r *Repo) mergeBaseTree(a, b plumbing.Hash) (treeEntries, error) {
	ca, err := r.repo.CommitObject(a)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", a, err)
	}
	cb, err := r.repo.CommitObject(b)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", b, err)
	}
	bases, err := ca.MergeBase(cb)
	if err != nil {
		return nil, fmt.Errorf("merge base of %s and %s: %w", a, b, err)
	}
	if len(bases) == 0 {
		return treeEntries{}, nil
	}
	return r.commitTree(bases[0].Hash)
}

func (r *Repo) writeCommit(ref plumbing.ReferenceName, tree treeEntries, parents []plumbing.Hash, c Commit) (string, error) {
	if c.When.IsZero() {
		return "", fmt.Errorf("commit %q on %s: When is zero", c.Message, ref.Short())
	}
	if err := r.applyDelta(tree, c); err != nil {
		return "", fmt.Errorf("commit %q on %s: %w", c.Message, ref.Short(), err)
	}
	root, err := r.writeTrees(tree)
	if err != nil {
		return "", fmt.Errorf("commit %q on %s: %w", c.Message, ref.Short(), err)
	}
	committer, commitWhen := c.Committer, c.CommitWhen
	if committer == (Signature{}) {
		committer = c.Author
	}
	if commitWhen.IsZero() {
		commitWhen = c.When
	}
	commit := &object.Commit{
		Author:       object.Signature{Name: c.Author.Name, Email: c.Author.Email, When: c.When},
		Committer:    object.Signature{Name: committer.Name, Email: committer.Email, When: commitWhen},
		Message:      c.Message,
		TreeHash:     root,
		ParentHashes: parents,
	}
	store := r.store
	if c.RawDate != "" {
		store = func(encoder) (plumbing.Hash, error) { return r.storeWithRawDate(commit, c.RawDate) }
	}
	h, err := store(commit)
	if err != nil {
		return "", fmt.Errorf("commit %q on %s: %w", c.Message, ref.Short(), err)
	}
	if err := r.repo.Storer.SetReference(plumbing.NewHashReference(ref, h)); err != nil {
		return "", fmt.Errorf("move %s to %s: %w", ref.Short(), h, err)
	}
	return h.String(), nil
}

// applyDelta writes the commit's blobs and updates tree in place.
func (r *Repo) applyDelta(tree treeEntries, c Commit) error {
	seen := map[string]bool{}
	claim := func(p string) error {
		if p == "" || p == "." || !fs.ValidPath(p) {
			return fmt.Errorf("invalid path %q", p)
		}
		if seen[p] {
			return fmt.Errorf("path %q given twice", p)
		}
		seen[p] = true
		return nil
	}
	put := func(p string, mode filemode.FileMode, content []byte) error {
		if err := claim(p); err != nil {
			return err
		}
		h, err := r.storeBlob(content)
		if err != nil {
			return fmt.Errorf("write %s: %w", p, err)
		}
		tree[p] = treeEntry{mode: mode, hash: h}
		return nil
	}
	for _, p := range sortedKeys(c.Files) {
		if c.Files[p] == nil {
			if err := claim(p); err != nil {
				return err
			}
			deletePath(tree, p)
			continue
		}
		if err := put(p, filemode.Regular, c.Files[p]); err != nil {
			return err
		}
	}
	for _, p := range sortedKeys(c.Executables) {
		if err := put(p, filemode.Executable, c.Executables[p]); err != nil {
			return err
		}
	}
	for _, p := range sortedKeys(c.Symlinks) {
		if err := put(p, filemode.Symlink, []byte(c.Symlinks[p])); err != nil {
			return err
		}
	}
	for _, p := range sortedKeys(c.Zeros) {
		if err := claim(p); err != nil {
			return err
		}
		h, err := r.streamBlob(io.LimitReader(zeros{}, c.Zeros[p]), c.Zeros[p])
		if err != nil {
			return fmt.Errorf("write %s: %w", p, err)
		}
		tree[p] = treeEntry{mode: filemode.Regular, hash: h}
	}
	for _, name := range sortedKeys(c.RawNames) {
		if name == "" || strings.Contains(name, "/") || seen[name] {
			return fmt.Errorf("raw name %q: empty, nested or given twice", name)
		}
		seen[name] = true
		h, err := r.storeBlob(c.RawNames[name])
		if err != nil {
			return fmt.Errorf("write %q: %w", name, err)
		}
		tree[name] = treeEntry{mode: filemode.Regular, hash: h}
	}
	for _, e := range c.RawEntries {
		if e.Name == "" || strings.Contains(e.Name, "/") || seen[e.Name] {
			return fmt.Errorf("raw entry %.40q: empty, nested or given twice", e.Name)
		}
		seen[e.Name] = true
		tree[e.Name] = treeEntry{mode: e.Mode, hash: e.Hash}
	}
	for _, p := range sortedKeys(c.Submodules) {
		if err := claim(p); err != nil {
			return err
		}
		if !plumbing.IsHash(c.Submodules[p]) {
			return fmt.Errorf("submodule %s: bad commit sha %q", p, c.Submodules[p])
		}
		tree[p] = treeEntry{mode: filemode.Submodule, hash: plumbing.NewHash(c.Submodules[p])}
	}
	return nil
}

func deletePath(tree treeEntries, p string) {
	delete(tree, p)
	for q := range tree {
		if strings.HasPrefix(q, p+"/") {
			delete(tree, q)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// dirNode is one folder while nesting a flat path map into git trees.
type dirNode struct {
	files map[string]treeEntry
	dirs  map[string]*dirNode
}

func newDirNode() *dirNode {
	return &dirNode{files: map[string]treeEntry{}, dirs: map[string]*dirNode{}}
}

// writeTrees stores the nested trees for a flat path map and returns the root
// tree's hash.
func (r *Repo) writeTrees(tree treeEntries) (plumbing.Hash, error) {
	root := newDirNode()
	for _, p := range sortedKeys(tree) {
		parts := strings.Split(p, "/")
		node := root
		for i, part := range parts[:len(parts)-1] {
			if _, isFile := node.files[part]; isFile {
				return plumbing.ZeroHash, fmt.Errorf("path %q is below file %q", p, strings.Join(parts[:i+1], "/"))
			}
			if node.dirs[part] == nil {
				node.dirs[part] = newDirNode()
			}
			node = node.dirs[part]
		}
		name := parts[len(parts)-1]
		if node.dirs[name] != nil {
			return plumbing.ZeroHash, fmt.Errorf("path %q is both a file and a folder", p)
		}
		node.files[name] = tree[p]
	}
	return r.writeDir(root)
}

func (r *Repo) writeDir(node *dirNode) (plumbing.Hash, error) {
	var t object.Tree
	for name, e := range node.files {
		t.Entries = append(t.Entries, object.TreeEntry{Name: name, Mode: e.mode, Hash: e.hash})
	}
	for name, sub := range node.dirs {
		h, err := r.writeDir(sub)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		t.Entries = append(t.Entries, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: h})
	}
	sort.Sort(object.TreeEntrySorter(t.Entries))
	return r.store(&t)
}

func (r *Repo) storeBlob(content []byte) (plumbing.Hash, error) {
	obj := r.repo.Storer.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	obj.SetSize(int64(len(content)))
	w, err := obj.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := w.Write(content); err != nil {
		w.Close()
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	return r.repo.Storer.SetEncodedObject(obj)
}

// encoder is a git object go-git can serialise (tree, commit).
type encoder interface {
	Encode(plumbing.EncodedObject) error
}

func (r *Repo) store(o encoder) (plumbing.Hash, error) {
	obj := &plumbing.MemoryObject{}
	if err := o.Encode(obj); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("encode object: %w", err)
	}
	// Every commit re-encodes all its trees; most are unchanged and already
	// stored, and writing a loose object costs several syscalls.
	if r.repo.Storer.HasEncodedObject(obj.Hash()) == nil {
		return obj.Hash(), nil
	}
	h, err := r.repo.Storer.SetEncodedObject(obj)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("store object: %w", err)
	}
	return h, nil
}
