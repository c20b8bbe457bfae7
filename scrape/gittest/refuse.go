package gittest

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/pktline"
)

// refuseObjectWant answers an upload-pack request that wants anything but
// a commit of the repository at dir with git's refusal, and reports
// whether it did; otherwise the request is left for git http-backend, its
// body as it came.
func refuseObjectWant(w http.ResponseWriter, r *http.Request, dir string) bool {
	body, err := io.ReadAll(r.Body)
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return false
	}
	wanted := firstNonCommitWant(dir, body, r.Header.Get("Content-Encoding") == "gzip")
	if wanted == "" {
		return false
	}
	w.Header().Set("Content-Type", "application/x-git-upload-pack-result")
	pktline.NewEncoder(w).Encodef("ERR upload-pack: not our ref %s", wanted)
	return true
}

// firstNonCommitWant is the first object of a protocol v0 request's want
// lines that the repository at dir does not hold as a commit, "" for none
// (or a request it cannot read).
func firstNonCommitWant(dir string, body []byte, gzipped bool) string {
	var in io.Reader = bytes.NewReader(body)
	if gzipped {
		zr, err := gzip.NewReader(in)
		if err != nil {
			return ""
		}
		in = zr
	}
	repo, err := git.PlainOpen(dir)
	if err != nil {
		return ""
	}
	s := pktline.NewScanner(in)
	for s.Scan() {
		want, ok := strings.CutPrefix(string(s.Bytes()), "want ")
		if !ok {
			continue
		}
		sha := strings.Fields(want)[0]
		if _, err := repo.CommitObject(plumbing.NewHash(sha)); err != nil {
			return sha
		}
	}
	return ""
}
