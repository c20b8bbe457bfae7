package scrape

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"

	"handin/scrape/packstore"
)

// scrape's git requests go through go-git's http transport on an
// http.Client of scrape's (limitedTransport, recordRedirect). go-git picks
// the transport of a fetch or a listing by the URL's scheme, from one
// process-wide table (client.Protocols): Remote.Fetch and Remote.List take
// no transport of their own (go-git v5.19). Installed for http and https,
// scrape's transport would be every go-git user's in the process; so it is
// installed under schemes of scrape's own, and scrape hands go-git its URLs
// with them (gitURL). http and https stay go-git's.
const schemePrefix = "handin+"

// gitURL is a clone URL as scrape hands it to go-git: with a scheme that
// makes go-git pick scrape's transport.
func gitURL(cloneURL string) string { return schemePrefix + cloneURL }

// gitClient is the http.Client of every git request scrape makes, through
// go-git's transport or its own (objectinfo.go).
var gitClient = sync.OnceValue(func() *http.Client {
	return &http.Client{Transport: newLimitedTransport(), CheckRedirect: recordRedirect}
})

// installTransport registers scrape's transport with go-git, once, when the
// first scrape runs (not when the package is loaded).
var installTransport = sync.OnceFunc(func() {
	t := scrapeTransport{githttp.NewClient(gitClient())}
	client.InstallProtocol(schemePrefix+"http", t)
	client.InstallProtocol(schemePrefix+"https", t)
})

// scrapeTransport is go-git's http transport, for the endpoints of URLs
// made by gitURL.
type scrapeTransport struct{ http transport.Transport }

func (t scrapeTransport) NewUploadPackSession(ep *transport.Endpoint, auth transport.AuthMethod) (transport.UploadPackSession, error) {
	plain := *ep
	plain.Protocol = strings.TrimPrefix(ep.Protocol, schemePrefix)
	return t.http.NewUploadPackSession(&plain, auth)
}

// NewReceivePackSession refuses: scrape never pushes.
func (t scrapeTransport) NewReceivePackSession(*transport.Endpoint, transport.AuthMethod) (transport.ReceivePackSession, error) {
	return nil, errors.New("scrape does not push")
}

// redirectKey carries, in a request's context, where listRemote wants the
// last redirect target written (a *string).
type redirectKey struct{}

// recordRedirect notes where a redirect led: go-git follows the redirect of
// a renamed repository without saying so. Requests not made by listRemote
// are not recorded.
func recordRedirect(req *http.Request, _ []*http.Request) error {
	if target, ok := req.Context().Value(redirectKey{}).(*string); ok {
		*target = req.URL.String()
	}
	return nil
}

// Limits on what a server's answers make handin read. groups.csv names any
// server, and a hostile one can answer a 404 with gigabytes, or list
// branches forever: go-git reads an error body whole into its error message
// and a ref advertisement to its end.
const (
	// maxErrorBody is how much of an error page is read; one line of it
	// reaches the group's message.
	maxErrorBody = 4 << 10
	// maxRefAdvertisement bounds the list of branches and tags (GitHub's
	// largest, with thousands of pull request refs, are a few MB).
	maxRefAdvertisement = 16 << 20
	// maxResponseHeader bounds a response's header lines.
	maxResponseHeader = 64 << 10
)

// errAnswerTooLarge: a server's answer went over its limit.
var errAnswerTooLarge = errors.New("the server's answer is too large")

// errEncodedAnswer: a server compressed its answer although handin did not
// ask it to (no git server does): a few MB that inflate to gigabytes.
var errEncodedAnswer = errors.New("the server encoded its answer, which git servers never do")

// limitedTransport is the http.RoundTripper of every git request: it caps
// each response body by what the request asked for, so that no answer makes
// handin read more than the limits above. Bodies are read as sent: never
// inflated on the way (the caps count what is written), and an encoded one
// is refused. Reads also end with the request's context (the group's
// timeout), as net/http does for any body.
type limitedTransport struct{ next http.RoundTripper }

// newLimitedTransport wraps a copy of http.DefaultTransport that asks for
// no compression, and so inflates nothing.
func newLimitedTransport() limitedTransport {
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.MaxResponseHeaderBytes = maxResponseHeader
	base.DisableCompression = true
	return limitedTransport{next: base}
}

func (t limitedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	switch enc := res.Header.Get("Content-Encoding"); {
	case res.StatusCode < 200 || res.StatusCode >= 300:
		// Cut short without an error: go-git puts what it read into its
		// error, and the status says what went wrong (however encoded).
		res.Body = &cappedBody{body: res.Body, left: maxErrorBody}
	case enc != "" && !strings.EqualFold(enc, "identity"): // a git answer: refused, never inflated
		res.Body.Close()
		return nil, fmt.Errorf("%w (Content-Encoding: %.40q)", errEncodedAnswer, enc)
	case strings.HasSuffix(req.URL.Path, "/info/refs"):
		res.Body = &cappedBody{body: res.Body, left: maxRefAdvertisement,
			over: fmt.Errorf("list of branches and tags over %s: %w", mib(maxRefAdvertisement), errAnswerTooLarge)}
	default:
		res.Body = &cappedBody{body: res.Body, left: packstore.MaxPackSize,
			over: fmt.Errorf("download over %s: %w", mib(packstore.MaxPackSize), errAnswerTooLarge)}
	}
	return res, nil
}

// cappedBody reads at most left bytes of a response body, then ends: with
// io.EOF when over is nil, else with over. Closing it closes the body and
// drops whatever was not read.
type cappedBody struct {
	body io.ReadCloser
	left int64
	over error
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		if b.over != nil {
			return 0, b.over
		}
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.body.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *cappedBody) Close() error { return b.body.Close() }
