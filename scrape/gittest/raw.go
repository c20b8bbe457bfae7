package gittest

import (
	"sort"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Object is a git object go-git can encode: an object.Tree or an
// object.Commit.
type Object interface {
	Encode(plumbing.EncodedObject) error
}

// Store writes o into the repository exactly as go-git encodes it, with
// whatever it holds: tree entries under any name, in any order, naming any
// object (one folder under every name of another), commits with thousands
// of parents or megabytes of author name. It returns the object's hex SHA;
// point a branch at a commit with SetBranch.
func (r *Repo) Store(o Object) (string, error) {
	h, err := r.store(o)
	return h.String(), err
}

// StoreBlob writes content as a blob and returns its hex SHA.
func (r *Repo) StoreBlob(content []byte) (string, error) {
	h, err := r.storeBlob(content)
	return h.String(), err
}

// CommitObject reads the commit sha.
func (r *Repo) CommitObject(sha string) (*object.Commit, error) {
	return r.repo.CommitObject(plumbing.NewHash(sha))
}

// FanOut stores a folder that names one folder under each of width names
// ("0", "1", ...), that folder likewise, levels deep, down to one small
// file: width^levels paths in levels+1 objects, as git accepts them. It
// returns the folder's hex SHA.
func (r *Repo) FanOut(width, levels int) (string, error) {
	h, err := r.storeBlob([]byte("x\n"))
	if err != nil {
		return "", err
	}
	mode := filemode.Regular
	for range levels {
		var t object.Tree
		for i := range width {
			t.Entries = append(t.Entries, object.TreeEntry{Name: strconv.Itoa(i), Mode: mode, Hash: h})
		}
		sort.Sort(object.TreeEntrySorter(t.Entries))
		if h, err = r.store(&t); err != nil {
			return "", err
		}
		mode = filemode.Dir
	}
	return h.String(), nil
}
