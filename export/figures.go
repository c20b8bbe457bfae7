package export

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"

	"handin/workspace"
)

// maxInlineFigure is the largest figure inlined into a page; bigger files
// get a placeholder so one huge image cannot make a page unusable.
const maxInlineFigure = 10 << 20

// inlined reports whether a sniffed content type is shown inline.
func inlined(contentType string) bool {
	switch contentType {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}

// figure is what an image reference in a report turns into on the page:
// exactly one of Data (inline it as a data: URI of Type), Remote (link to
// it) or Note (a visible placeholder) is set.
type figure struct {
	Type   string
	Data   []byte
	Remote string
	Note   string
}

// figureSource resolves image references of one report against the files of
// the deadline commit. It never reads anything outside the repository.
type figureSource struct {
	snap      *workspace.Snapshot // nil when the snapshot could not be loaded
	reportDir string              // the report's folder inside the repo ("" = root)
	byLower   map[string]string
	cache     map[string]figure
}

func newFigureSource(snap *workspace.Snapshot, reportPath string) *figureSource {
	s := &figureSource{snap: snap, cache: map[string]figure{}}
	if dir := path.Dir(reportPath); dir != "." && dir != "/" {
		s.reportDir = dir
	}
	if snap != nil {
		s.byLower = make(map[string]string, len(snap.Tree))
		for _, f := range snap.Tree {
			s.byLower[strings.ToLower(f.Path)] = f.Path
		}
	}
	return s
}

// resolve turns an image source as found in the (sanitized) report HTML into
// a figure.
func (s *figureSource) resolve(src string) figure {
	src = strings.TrimSpace(src)
	if f, ok := s.cache[src]; ok {
		return f
	}
	f := s.lookup(src)
	s.cache[src] = f
	return f
}

func (s *figureSource) lookup(src string) figure {
	if src == "" {
		return figure{Note: "image without a usable source (removed as unsafe or empty)"}
	}
	u, err := url.Parse(src)
	if err != nil {
		return figure{Note: fmt.Sprintf("image %q: not a valid path", src)}
	}
	switch {
	case u.Scheme == "http" || u.Scheme == "https":
		return figure{Remote: u.String()}
	case u.Scheme == "" && u.Host != "": // "//host/x.png", https on GitHub
		u.Scheme = "https"
		return figure{Remote: u.String()}
	case u.Scheme != "":
		return figure{Note: fmt.Sprintf("image %q: not a file of the repository, not shown", src)}
	}
	rel, err := url.PathUnescape(u.Path)
	if err != nil {
		rel = u.Path
	}
	repoPath, ok := s.repoPath(rel)
	if !ok {
		return figure{Note: fmt.Sprintf("image %q: outside the repository, not read", rel)}
	}
	if strings.EqualFold(path.Ext(repoPath), ".svg") {
		return figure{Note: fmt.Sprintf("SVG figure %s not shown (SVG can carry scripts); open it in the repository", repoPath)}
	}
	if s.snap == nil {
		return figure{Note: fmt.Sprintf("figure %s: the snapshot is not available", repoPath)}
	}
	data, err := readSnapshotFile(s.snap, repoPath, maxInlineFigure)
	var tooLarge *tooLargeError
	switch {
	case errors.As(err, &tooLarge):
		return figure{Note: fmt.Sprintf("figure %s is too large to inline (%d MB)", repoPath, tooLarge.Size>>20)}
	case err != nil:
		return s.missing(repoPath, err)
	}
	return sniffFigure(repoPath, data)
}

// repoPath resolves a relative image path against the report's folder. It
// refuses absolute paths and paths climbing above the repository root
// (climbing out of the report folder but staying in the repo is allowed).
func (s *figureSource) repoPath(rel string) (string, bool) {
	if rel == "" || strings.HasPrefix(rel, "/") || strings.Contains(rel, "\\") {
		return "", false
	}
	joined := path.Clean(path.Join(s.reportDir, rel))
	if joined == "." || joined == ".." || strings.HasPrefix(joined, "../") || !fs.ValidPath(joined) {
		return "", false
	}
	return joined, true
}

func (s *figureSource) missing(repoPath string, readErr error) figure {
	if !errors.Is(readErr, fs.ErrNotExist) {
		return figure{Note: fmt.Sprintf("figure %s could not be read", repoPath)}
	}
	if s.snap.HasFile(repoPath) {
		return figure{Note: fmt.Sprintf("figure %s is in the repository but was not copied into the snapshot", repoPath)}
	}
	if other, ok := s.byLower[strings.ToLower(repoPath)]; ok {
		return figure{Note: fmt.Sprintf("missing figure %s: the repository has %s (different letter case: broken on GitHub)", repoPath, other)}
	}
	return figure{Note: fmt.Sprintf("missing figure %s: not in the repository at the deadline", repoPath)}
}

// sniffFigure inlines raster images by their content, whatever their name.
func sniffFigure(repoPath string, data []byte) figure {
	ctype := http.DetectContentType(data)
	if inlined(ctype) {
		return figure{Type: ctype, Data: data}
	}
	if looksLikeSVG(data) {
		return figure{Note: fmt.Sprintf("SVG figure %s not shown (SVG can carry scripts); open it in the repository", repoPath)}
	}
	return figure{Note: fmt.Sprintf("figure %s is not a PNG, JPEG, GIF or WebP image (%s), not shown", repoPath, ctype)}
}

// appendDataURI appends the figure as a base64 data: URI.
func (f figure) appendDataURI(dst []byte) []byte {
	dst = append(dst, "data:"+f.Type+";base64,"...)
	return base64.StdEncoding.AppendEncode(dst, f.Data)
}

// dataURILen is the length appendDataURI adds.
func (f figure) dataURILen() int {
	return len("data:;base64,") + len(f.Type) + base64.StdEncoding.EncodedLen(len(f.Data))
}

// tooLargeError says a snapshot file is over the size this package reads.
type tooLargeError struct{ Size int64 }

func (e *tooLargeError) Error() string { return fmt.Sprintf("file of %d bytes is too large", e.Size) }

// readSnapshotFile reads a regular file of the snapshot (through
// Snapshot.Open, so never from outside the repository) in one allocation of
// its size, refusing files over limit before reading them.
func readSnapshotFile(snap *workspace.Snapshot, repoPath string, limit int64) ([]byte, error) {
	f, err := snap.Open(repoPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", repoPath, err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("read %s: not a regular file", repoPath)
	}
	if info.Size() > limit {
		return nil, &tooLargeError{Size: info.Size()}
	}
	data := make([]byte, info.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, fmt.Errorf("read %s: %w", repoPath, err)
	}
	return data, nil
}

func looksLikeSVG(data []byte) bool {
	head := data[:min(len(data), 1024)]
	return bytes.Contains(bytes.ToLower(head), []byte("<svg"))
}
