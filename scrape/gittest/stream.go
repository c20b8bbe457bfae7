package gittest

import (
	"errors"
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
)

// lazyWriter is go-git's filesystem storage: an object written as it
// streams in, never held whole.
type lazyWriter interface {
	LazyWriter() (io.WriteCloser, func(plumbing.ObjectType, int64) error, error)
}

// streamBlob stores size bytes read from r as a blob, written to disk as
// they are read.
func (r *Repo) streamBlob(content io.Reader, size int64) (plumbing.Hash, error) {
	storage, ok := r.repo.Storer.(lazyWriter)
	if !ok {
		return plumbing.ZeroHash, errors.New("the storage cannot stream objects")
	}
	w, writeHeader, err := storage.LazyWriter()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if err := writeHeader(plumbing.BlobObject, size); err != nil {
		w.Close()
		return plumbing.ZeroHash, err
	}
	if _, err := io.Copy(w, content); err != nil {
		w.Close()
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	hashed, ok := w.(interface{ Hash() plumbing.Hash })
	if !ok {
		return plumbing.ZeroHash, fmt.Errorf("the storage's object writer does not tell the hash")
	}
	return hashed.Hash(), nil
}

// zeros reads zero bytes forever.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
