package export

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"golang.org/x/image/webp"

	"handin/grade"
	"handin/workspace"
)

// Limits on the figures one page inlines. A page is opened in a browser,
// mailed and printed, so a report cannot make it arbitrarily heavy: a
// figure over a limit gets a note saying why it is not shown.
const (
	// maxInlineFigure is the largest figure file inlined.
	maxInlineFigure = 10 << 20
	// maxFigurePixels is the largest figure inlined, in pixels. A browser
	// decodes 4 bytes a pixel, and a small file can describe a huge image
	// (a 30000×30000 PNG of one colour is under 1 MB).
	maxFigurePixels = 50_000_000
	// maxPageFigureBytes is the most figure file bytes one page inlines:
	// with base64 that is a page of about 43 MB. Real reports have a few
	// MB of figures; this is only reached by a report repeating huge ones.
	maxPageFigureBytes = 32 << 20
	// maxPageFigurePixels caps the pixels of all figures of a page, for the
	// same reason as maxFigurePixels.
	maxPageFigurePixels = 250_000_000
)

// configDecoder reads the dimensions of an inlined image type, by the
// content type sniffed from the file's first bytes; ok is false for the
// types not inlined.
func configDecoder(contentType string) (decode func(io.Reader) (image.Config, error), ok bool) {
	switch contentType {
	case "image/png":
		return png.DecodeConfig, true
	case "image/jpeg":
		return jpeg.DecodeConfig, true
	case "image/gif":
		return gif.DecodeConfig, true
	case "image/webp":
		return webp.DecodeConfig, true
	}
	return nil, false
}

// figure is what an image reference in a report turns into on the page:
// exactly one of Type (inline the file at Path, read when the page is
// written), Remote (link to it) or Note (a visible placeholder) is set.
type figure struct {
	Path          string // repository path of the file to inline
	Type          string // its content type
	Size          int64
	Width, Height int
	Remote        string
	Note          string
}

func (f figure) inline() bool  { return f.Type != "" }
func (f figure) pixels() int64 { return int64(f.Width) * int64(f.Height) }

// figureSource resolves image references of one report against the files of
// the deadline commit, with grade's resolver (the one grading uses, so the
// page shows the figures the grade finds). It never reads anything outside
// the repository.
type figureSource struct {
	snap     *workspace.Snapshot // nil when the snapshot could not be loaded
	resolver *grade.FigureResolver
	files    map[string]workspace.File // the deadline tree's files by path
	byLower  map[string]string         // their paths by lower-case path
	cache    map[string]figure
}

// newFigureSource resolves the references of r's report (its folder, and
// URLs into its repository) against snap.
func newFigureSource(snap *workspace.Snapshot, r *grade.GroupResult) *figureSource {
	s := &figureSource{snap: snap, cache: map[string]figure{}}
	if snap != nil {
		s.files = make(map[string]workspace.File, len(snap.Tree))
		s.byLower = make(map[string]string, len(snap.Tree))
		for _, f := range snap.Tree {
			s.files[f.Path] = f
			s.byLower[strings.ToLower(f.Path)] = f.Path
		}
	}
	exists := func(p string) bool { _, ok := s.byLower[strings.ToLower(p)]; return ok }
	s.resolver = grade.NewFigureResolver(path.Dir(r.ReportPath), []string{r.URL, r.WebURL, r.MovedTo}, exists)
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
	ref := s.resolver.Resolve(src)
	switch ref.Kind {
	case grade.FigureRemote:
		return figure{Remote: ref.URL}
	case grade.FigureOutside:
		return figure{Note: fmt.Sprintf("image %q: outside the repository, not read", src)}
	case grade.FigureData:
		return figure{Note: fmt.Sprintf("image %q: not a file of the repository, not shown", src)}
	}
	if strings.EqualFold(path.Ext(ref.Path), ".svg") {
		return figure{Note: fmt.Sprintf("SVG figure %s not shown (SVG can carry scripts); open it in the repository", ref.Path)}
	}
	if s.snap == nil {
		return figure{Note: fmt.Sprintf("figure %s: the snapshot is not available", ref.Path)}
	}
	return s.inspect(ref.Path) // a URL into the repository shows the file as at the deadline
}

// inspect checks a figure file without reading it whole: its size, its type
// (sniffed from its first bytes, whatever its name) and its dimensions
// (from its header). The file is read again when the page is written.
func (s *figureSource) inspect(repoPath string) figure {
	file, err := s.snap.Open(repoPath)
	if err != nil {
		return s.missing(repoPath, err)
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil || !info.Mode().IsRegular() {
		return figure{Note: fmt.Sprintf("figure %s could not be read", repoPath)}
	}
	if info.Size() > maxInlineFigure {
		return figure{Note: fmt.Sprintf("figure %s is too large to inline (%s, at most %s)", repoPath, byteSize(info.Size()), byteSize(maxInlineFigure))}
	}
	head := make([]byte, 1024)
	n, err := io.ReadFull(file, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return figure{Note: fmt.Sprintf("figure %s could not be read", repoPath)}
	}
	head = head[:n]
	ctype := http.DetectContentType(head)
	decodeConfig, ok := configDecoder(ctype)
	switch {
	case !ok && looksLikeSVG(head):
		return figure{Note: fmt.Sprintf("SVG figure %s not shown (SVG can carry scripts); open it in the repository", repoPath)}
	case !ok:
		return figure{Note: fmt.Sprintf("figure %s is not a PNG, JPEG, GIF or WebP image (%s), not shown", repoPath, ctype)}
	}
	config, err := decodeConfig(io.MultiReader(bytes.NewReader(head), file))
	if err != nil {
		return figure{Note: fmt.Sprintf("figure %s looks like %s but its header cannot be read (a damaged file?), not shown", repoPath, ctype)}
	}
	f := figure{Path: repoPath, Type: ctype, Size: info.Size(), Width: config.Width, Height: config.Height}
	if f.pixels() > maxFigurePixels {
		return figure{Note: fmt.Sprintf("figure %s is %d×%d pixels, too large to inline (at most %d megapixels); open it in the repository",
			repoPath, f.Width, f.Height, maxFigurePixels/1_000_000)}
	}
	return f
}

func (s *figureSource) missing(repoPath string, readErr error) figure {
	if !errors.Is(readErr, fs.ErrNotExist) && !errors.Is(readErr, fs.ErrInvalid) { // invalid: a name no tree file has
		return figure{Note: fmt.Sprintf("figure %s could not be read", repoPath)}
	}
	if f, ok := s.files[repoPath]; ok {
		return figure{Note: fmt.Sprintf("figure %s is in the repository but was not copied into the snapshot: %s", repoPath,
			cmp.Or(f.NotCopied, "no reason recorded"))}
	}
	if other, ok := s.byLower[strings.ToLower(repoPath)]; ok {
		return figure{Note: fmt.Sprintf("missing figure %s: the repository has %s (different letter case: broken on GitHub)", repoPath, other)}
	}
	return figure{Note: fmt.Sprintf("missing figure %s: not in the repository at the deadline", repoPath)}
}

// writeDataURI writes a figure as a base64 data: URI, reading its file as
// it goes: exactly the size inspect saw, so the page holds what was
// budgeted for it.
func writeDataURI(w io.Writer, snap *workspace.Snapshot, f figure) error {
	file, err := snap.Open(f.Path)
	if err != nil {
		return fmt.Errorf("inline figure: %w", err)
	}
	defer file.Close()
	if _, err := io.WriteString(w, "data:"+f.Type+";base64,"); err != nil {
		return err
	}
	enc := base64.NewEncoder(base64.StdEncoding, w)
	if _, err := io.CopyN(enc, file, f.Size); err != nil {
		return fmt.Errorf("inline figure %s: %w", f.Path, err)
	}
	return enc.Close()
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
