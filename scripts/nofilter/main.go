// Command nofilter forwards HTTP requests to a git server and hides the
// filter capability from its advertisements: clients see the server as one
// without partial fetch. scripts/bench-scrape.sh scrapes through it for the
// whole fetch it compares the partial one with.
//
//	nofilter -upstream http://127.0.0.1:8780 -url-file proxy.url
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
)

func main() {
	upstream := flag.String("upstream", "", "the git server's base URL")
	urlFile := flag.String("url-file", "", "write the proxy's base URL here once it listens")
	flag.Parse()
	target, err := url.Parse(*upstream)
	if err != nil || *upstream == "" || *urlFile == "" {
		log.Fatal("usage: nofilter -upstream URL -url-file FILE")
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.FlushInterval = -1 // stream packs as they come
	proxy.ModifyResponse = func(res *http.Response) error {
		if strings.HasSuffix(res.Request.URL.Path, "/info/refs") {
			return hideFilter(res)
		}
		return nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*urlFile, []byte("http://"+ln.Addr().String()+"\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.Serve(ln, proxy))
}

// hideFilter rewrites a protocol v0 reference advertisement without the
// filter capability (a v2 advertisement's "fetch=... filter" line too).
func hideFilter(res *http.Response) error {
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return err
	}
	var out bytes.Buffer
	for len(body) >= 4 {
		var n int
		if _, err := fmt.Sscanf(string(body[:4]), "%04x", &n); err != nil {
			return fmt.Errorf("advertisement: %w", err)
		}
		if n < 4 || n > len(body) { // flush, delimiter; or a line cut short, passed on as it is
			out.Write(body[:min(4, len(body))])
			body = body[4:]
			continue
		}
		line := strings.Replace(string(body[4:n]), " filter", "", 1)
		fmt.Fprintf(&out, "%04x%s", len(line)+4, line)
		body = body[n:]
	}
	out.Write(body)
	res.Body = io.NopCloser(&out)
	res.ContentLength = int64(out.Len())
	res.Header.Del("Content-Length")
	return nil
}
