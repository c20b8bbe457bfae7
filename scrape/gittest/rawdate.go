package gittest

import (
	"bytes"
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// storeWithRawDate stores commit with its author and committer dates
// replaced by date, written as is ("-62167219200 +0000"): what
// `git hash-object --literally` lets anyone write, and go-git's encoder
// cannot (it writes negative timestamps as 0).
func (r *Repo) storeWithRawDate(commit *object.Commit, date string) (plumbing.Hash, error) {
	encoded := &plumbing.MemoryObject{}
	if err := commit.Encode(encoded); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("encode commit: %w", err)
	}
	rd, err := encoded.Reader()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	text, err := io.ReadAll(rd)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	header, message, _ := bytes.Cut(text, []byte("\n\n"))
	lines := bytes.Split(header, []byte("\n"))
	for i, line := range lines {
		if !bytes.HasPrefix(line, []byte("author ")) && !bytes.HasPrefix(line, []byte("committer ")) {
			continue
		}
		if end := bytes.LastIndexByte(line, '>'); end >= 0 {
			lines[i] = append(line[:end+1:end+1], " "+date...)
		}
	}
	raw := &plumbing.MemoryObject{}
	raw.SetType(plumbing.CommitObject)
	if _, err := raw.Write(bytes.Join([][]byte{bytes.Join(lines, []byte("\n")), message}, []byte("\n\n"))); err != nil {
		return plumbing.ZeroHash, err
	}
	h, err := r.repo.Storer.SetEncodedObject(raw)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("store commit: %w", err)
	}
	return h, nil
}
