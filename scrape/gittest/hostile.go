package gittest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Markers repeated through the hostile server's answers, so that tests can
// count how much of them reached an output.
const (
	HugeBodyMarker   = "HUGE-404-BODY-"
	EndlessRefMarker = "refs/heads/endless-"
)

// Hostile is an HTTP server whose repositories answer the way no git server
// should, for the scrape's limits to be tested against:
//
//	URL/huge404.git   404 with a body of Huge404Size bytes
//	URL/endless.git   a ref advertisement that never ends
//	URL/drip.git      a ref advertisement sent one byte every DripEvery
//
// and those of hostilepack.go, which answer a fetch.
type Hostile struct {
	URL string

	http    *httptest.Server
	closing chan struct{}
	once    sync.Once

	mu    sync.Mutex
	packs map[string]servedPack // by repository name (ServePack)
}

// Huge404Size is the length of huge404.git's error page (1.5 GiB, as the
// server in the issue sent): streamed, never held in memory.
const Huge404Size = 3 << 29

// DripEvery is how often drip.git sends its next byte.
const DripEvery = 100 * time.Millisecond

// NewHostile starts a hostile server on 127.0.0.1.
func NewHostile() *Hostile {
	h := &Hostile{closing: make(chan struct{})}
	h.http = httptest.NewServer(h)
	h.URL = h.http.URL
	return h
}

// RepoURL is the clone URL of one of the hostile repositories.
func (h *Hostile) RepoURL(name string) string { return h.URL + "/" + name }

// Close stops the server, ending the answers still being sent.
func (h *Hostile) Close() {
	h.once.Do(func() {
		close(h.closing)
		h.http.Close()
	})
}

func (h *Hostile) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	switch name {
	case "huge404.git":
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusNotFound)
		h.stream(w, r, &repeated{text: HugeBodyMarker, left: Huge404Size})
	case "endless.git":
		w.Header().Set("Content-Type", "application/x-git-upload-pack-advertisement")
		io.WriteString(w, "001e# service=git-upload-pack\n0000")
		h.stream(w, r, &endlessRefs{})
	case "drip.git":
		w.Header().Set("Content-Type", "application/x-git-upload-pack-advertisement")
		h.drip(w, r)
	default:
		if !h.servePack(w, r, name) {
			http.NotFound(w, r)
		}
	}
}

// stream copies src to the client until it is done, the client leaves or
// the server closes.
func (h *Hostile) stream(w http.ResponseWriter, r *http.Request, src io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		select {
		case <-r.Context().Done():
			return
		case <-h.closing:
			return
		default:
		}
		n, err := src.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// drip starts a ref advertisement whose first line announces 65,520 bytes,
// then sends them one at a time: the client waits for the line's end.
func (h *Hostile) drip(w http.ResponseWriter, r *http.Request) {
	flusher, _ := w.(http.Flusher)
	io.WriteString(w, "001e# service=git-upload-pack\n0000fff4")
	tick := time.NewTicker(DripEvery)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-h.closing:
			return
		case <-tick.C:
		}
		if _, err := io.WriteString(w, "a"); err != nil {
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
	}
}

// repeated reads text over and over, left bytes in all.
type repeated struct {
	text string
	pos  int
	left int64
}

func (r *repeated) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && r.left > 0 {
		c := copy(p[n:min(len(p), n+int(min(r.left, int64(len(r.text)-r.pos))))], r.text[r.pos:])
		n += c
		r.pos = (r.pos + c) % len(r.text)
		r.left -= int64(c)
	}
	return n, nil
}

// endlessRefs is a ref advertisement of ever more branches, as pkt-lines.
type endlessRefs struct {
	next    int
	pending []byte
}

func (e *endlessRefs) Read(p []byte) (int, error) {
	for len(e.pending) < len(p) {
		line := fmt.Sprintf("%040x %s%d\n", e.next+1, EndlessRefMarker, e.next)
		if e.next == 0 { // the first ref carries the capabilities
			line = fmt.Sprintf("%040x HEAD\x00multi_ack ofs-delta side-band-64k symref=HEAD:refs/heads/main\n", 1)
		}
		e.pending = fmt.Appendf(e.pending, "%04x%s", len(line)+4, line)
		e.next++
	}
	n := copy(p, e.pending)
	e.pending = e.pending[n:]
	return n, nil
}
