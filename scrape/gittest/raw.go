package gittest

import (
	"github.com/go-git/go-git/v5/plumbing"
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
