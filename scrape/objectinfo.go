package scrape

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/pktline"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

// Sizes of files a partial clone does not hold, without their contents:
// protocol v2's object-info command (git 2.31 on; git 2.42 on offers it
// when configured to). go-git speaks protocol v0 and v1 only, so scrape
// makes these two requests itself, through the same http.Client as go-git's
// (gitClient): the capability advertisement, then one object-info request.

// objectInfoBatch is how many objects one object-info request asks about.
const objectInfoBatch = 10_000

// maxObjectInfoLine bounds one line of the server's answer ("<oid> <size>").
const maxObjectInfoLine = 128

// objectSizes asks the server of cloneURL for the sizes of objects. offered
// is false (and sizes nil) when the server does not offer object-info.
// An object the server does not have is missing from sizes.
func objectSizes(ctx context.Context, cloneURL string, auth transport.AuthMethod, objects []plumbing.Hash) (sizes map[plumbing.Hash]int64, offered bool, err error) {
	endpoint, offered, err := objectInfoEndpoint(ctx, cloneURL, auth)
	if err != nil || !offered {
		return nil, false, err
	}
	sizes = make(map[plumbing.Hash]int64, len(objects))
	for start := 0; start < len(objects); start += objectInfoBatch {
		batch := objects[start:min(start+objectInfoBatch, len(objects))]
		if err := askObjectInfo(ctx, endpoint, auth, batch, sizes); err != nil {
			return nil, true, fmt.Errorf("object-info: %w", err)
		}
	}
	return sizes, true, nil
}

// objectInfoEndpoint reads the server's protocol v2 capabilities: offered
// says whether object-info is among them, endpoint is where to ask (the
// repository's URL after any redirect, + /git-upload-pack).
func objectInfoEndpoint(ctx context.Context, cloneURL string, auth transport.AuthMethod) (endpoint string, offered bool, err error) {
	res, err := gitRequest(ctx, http.MethodGet, cloneURL+"/info/refs?service=git-upload-pack", auth, nil)
	if err != nil {
		return "", false, fmt.Errorf("protocol v2 capabilities: %w", err)
	}
	defer res.Body.Close()
	caps, err := v2Capabilities(res.Body)
	if err != nil {
		return "", false, fmt.Errorf("protocol v2 capabilities: %w", err)
	}
	repoURL := *res.Request.URL // where the redirects, if any, led
	repoURL.RawQuery = ""
	repoURL.Path = strings.TrimSuffix(repoURL.Path, "/info/refs")
	return repoURL.String() + "/git-upload-pack", caps["object-info"], nil
}

// v2Capabilities reads a capability advertisement: the names of the
// capabilities, or none when the server answered in protocol v0 (its list
// of references).
func v2Capabilities(body io.Reader) (map[string]bool, error) {
	s := pktline.NewScanner(body)
	if !s.Scan() {
		return nil, cmp.Or(s.Err(), io.ErrUnexpectedEOF)
	}
	if bytes.HasPrefix(s.Bytes(), []byte("# service=")) { // smart HTTP's header, then a flush
		if !s.Scan() || len(s.Bytes()) != 0 || !s.Scan() {
			return nil, cmp.Or(s.Err(), io.ErrUnexpectedEOF)
		}
	}
	if string(bytes.TrimSuffix(s.Bytes(), []byte("\n"))) != "version 2" {
		return nil, nil
	}
	caps := map[string]bool{}
	for s.Scan() && len(s.Bytes()) > 0 {
		name, _, _ := strings.Cut(strings.TrimSuffix(string(s.Bytes()), "\n"), "=")
		caps[name] = true
	}
	return caps, s.Err()
}

// askObjectInfo sends one object-info request and adds the sizes it answers
// to sizes.
func askObjectInfo(ctx context.Context, endpoint string, auth transport.AuthMethod, objects []plumbing.Hash, sizes map[plumbing.Hash]int64) error {
	var body bytes.Buffer
	enc := pktline.NewEncoder(&body)
	if err := enc.EncodeString("command=object-info\n"); err != nil {
		return err
	}
	body.WriteString("0001") // delimiter: the arguments follow
	if err := enc.EncodeString("size\n"); err != nil {
		return err
	}
	for _, h := range objects {
		if err := enc.Encodef("oid %s\n", h); err != nil {
			return err
		}
	}
	if err := enc.Flush(); err != nil {
		return err
	}
	res, err := gitRequest(ctx, http.MethodPost, endpoint, auth, &body)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	// One line of attributes, then a line per object, then a flush.
	answer := io.LimitReader(bufio.NewReader(res.Body), int64(len(objects)+2)*(maxObjectInfoLine+4))
	s := pktline.NewScanner(answer)
	if !s.Scan() {
		return cmp.Or(s.Err(), io.ErrUnexpectedEOF)
	}
	if got := strings.TrimSuffix(string(s.Bytes()), "\n"); got != "size" {
		return fmt.Errorf("answered %q, not the size attribute asked for", got)
	}
	for s.Scan() {
		line := strings.TrimSuffix(string(s.Bytes()), "\n")
		if line == "" {
			return nil // the flush: every object answered
		}
		oid, size, _ := strings.Cut(line, " ")
		if size == "" { // an object the server does not have
			continue
		}
		n, err := strconv.ParseInt(size, 10, 64)
		if !plumbing.IsHash(oid) || err != nil || n < 0 {
			return fmt.Errorf("unreadable answer line %q", line)
		}
		sizes[plumbing.NewHash(oid)] = n
	}
	return cmp.Or(s.Err(), io.ErrUnexpectedEOF)
}

// gitRequest sends one protocol v2 request of smart HTTP with the group's
// credentials, and returns the answer when its status is a success (go-git's
// errors otherwise, which failure.go tells apart).
func gitRequest(ctx context.Context, method, url string, auth transport.AuthMethod, body *bytes.Buffer) (*http.Response, error) {
	var reqBody io.Reader
	if body != nil {
		reqBody = body
	}
	req, err := http.NewRequestWithContext(ctx, method, url, reqBody)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Git-Protocol", "version=2")
	if body != nil {
		req.Header.Set("Content-Type", "application/x-git-upload-pack-request")
		req.Header.Set("Accept", "application/x-git-upload-pack-result")
	}
	if a, ok := auth.(githttp.AuthMethod); ok {
		a.SetAuth(req)
	}
	res, err := gitClient().Do(req)
	if err != nil {
		return nil, err
	}
	if err := githttp.NewErr(res); err != nil {
		return nil, err
	}
	return res, nil
}
