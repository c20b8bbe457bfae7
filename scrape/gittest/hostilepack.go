package gittest

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
)

// A hostile server's repositories that answer a fetch: the smart HTTP
// protocol as git speaks it, with a pack git never sends.
//
//	URL/gzip.git  a fetch answered gzip-encoded (no git server compresses
//	              its answers): some MB that inflate to GzipPackSize bytes
//	              of pack
//	URL/NAME      a pack given to ServePack, sent as it is

// GzipPackSize is what gzip.git's answer to a fetch inflates to.
const GzipPackSize = 16 << 30

// gzipZeros is one gzip member of gzipChunk zero bytes: gzip.git's answer
// repeats it (a reader of gzip reads concatenated members as one stream).
const gzipChunk = 16 << 20

var gzipZeros = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write(make([]byte, gzipChunk))
	zw.Close()
	return b.Bytes()
})

// servedPack is a repository of a hostile server: one branch, one pack.
type servedPack struct {
	tip  string
	pack []byte
}

// ServePack serves name as a repository whose main branch is at tip and
// whose every fetch is answered with pack, as it is (deltas chained as
// deep as the pack chains them: git's upload-pack would shorten them).
func (h *Hostile) ServePack(name, tip string, pack []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.packs == nil {
		h.packs = map[string]servedPack{}
	}
	h.packs[name] = servedPack{tip: tip, pack: pack}
}

// servePack answers for a repository that serves a pack, and reports
// whether name is one.
func (h *Hostile) servePack(w http.ResponseWriter, r *http.Request, name string) bool {
	h.mu.Lock()
	p, ok := h.packs[name]
	h.mu.Unlock()
	if name == "gzip.git" {
		p, ok = servedPack{tip: strings.Repeat("1", 40)}, true
	}
	if !ok {
		return false
	}
	switch {
	case strings.HasSuffix(r.URL.Path, "/info/refs"):
		w.Header().Set("Content-Type", "application/x-git-upload-pack-advertisement")
		io.WriteString(w, pktLine("# service=git-upload-pack\n")+"0000"+
			pktLine(p.tip+" HEAD\x00ofs-delta symref=HEAD:refs/heads/"+DefaultBranch+" agent=gittest-hostile\n")+
			pktLine(p.tip+" refs/heads/"+DefaultBranch+"\n")+"0000")
	case strings.HasSuffix(r.URL.Path, "/git-upload-pack") && name == "gzip.git":
		w.Header().Set("Content-Type", "application/x-git-upload-pack-result")
		w.Header().Set("Content-Encoding", "gzip")
		h.stream(w, r, io.MultiReader(gzipped(gzipPackStart()), &repeatedBytes{data: gzipZeros(), left: GzipPackSize / gzipChunk}))
	case strings.HasSuffix(r.URL.Path, "/git-upload-pack"):
		w.Header().Set("Content-Type", "application/x-git-upload-pack-result")
		h.stream(w, r, io.MultiReader(strings.NewReader("0008NAK\n"), bytes.NewReader(p.pack)))
	default:
		http.NotFound(w, r)
	}
	return true
}

// gzipPackStart is what gzip.git's answer starts with: no common commits,
// then a pack of one blob of GzipPackSize zero bytes, stored uncompressed
// (its zeros follow).
func gzipPackStart() []byte {
	var p Pack
	p.start(plumbing.BlobObject, GzipPackSize)
	return append([]byte("0008NAK\nPACK\x00\x00\x00\x02\x00\x00\x00\x01"), p.buf.Bytes()...)
}

func gzipped(data []byte) io.Reader {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	return &b
}

// repeatedBytes reads data left times.
type repeatedBytes struct {
	data []byte
	pos  int
	left int
}

func (r *repeatedBytes) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	n := copy(p, r.data[r.pos:])
	if r.pos += n; r.pos == len(r.data) {
		r.pos, r.left = 0, r.left-1
	}
	return n, nil
}

// pktLine is s as one pkt-line.
func pktLine(s string) string { return fmt.Sprintf("%04x%s", len(s)+4, s) }
