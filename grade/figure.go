package grade

import (
	"net/url"
	"path"
	"strings"

	"handin/internal/lazyregexp"
)

// FigureKind says where an image reference points.
type FigureKind string

const (
	// FigureInRepo: a path in the repository, relative to the report's
	// folder, or to the repository root when it starts with "/".
	FigureInRepo FigureKind = "repo"
	// FigureOwnURL: a github.com or raw.githubusercontent.com URL of a file
	// in the group's own repository.
	FigureOwnURL FigureKind = "own-url"
	FigureRemote FigureKind = "remote" // any other http(s) URL
	// FigureOutside: a path climbing out of the repository, a path of the
	// student's own disk (C:\..., file:) or another scheme.
	FigureOutside FigureKind = "outside"
	FigureData    FigureKind = "data" // an inline data: URI
)

// Figure is where an image reference points.
type Figure struct {
	Kind FigureKind
	Path string // repository path (FigureInRepo, FigureOwnURL)
	URL  string // the address (FigureRemote, FigureOwnURL); https for "//host/..."
	Ref  string // FigureOwnURL: the branch, tag or commit the URL names
}

// FigureResolver resolves the image references and links of one report the
// way GitHub resolves them when it shows the report. Grading and the pages
// both use it, so a figure the grade calls missing is the figure the page
// cannot show.
type FigureResolver struct {
	dir    string              // the report's folder in the repository ("." for the root)
	repos  map[string]bool     // "owner/name" of the group's repository, lower case
	exists func(p string) bool // whether the tree holds p (any letter case); nil when unknown
}

// NewFigureResolver resolves references of a report kept in reportDir (a
// repository path; "" or "." for the root). repoURLs are the group's
// repository addresses (clone URL, web URL, where it moved): a URL of a
// file in one of them is a file of the repository. exists tells whether the
// tree holds a path in any letter case, to tell a branch name with slashes
// from the path after it; nil when the tree is unknown.
func NewFigureResolver(reportDir string, repoURLs []string, exists func(repoPath string) bool) *FigureResolver {
	r := &FigureResolver{dir: path.Clean("./" + reportDir), repos: map[string]bool{}, exists: exists}
	for _, u := range repoURLs {
		if owner, name, ok := githubRepo(u); ok {
			r.repos[strings.ToLower(owner+"/"+name)] = true
		}
	}
	return r
}

var (
	// urlScheme is a URL's scheme as a browser reads it: letters first,
	// before any "/" (so "figures/12:30.png" is a path).
	urlScheme = &lazyregexp.Regexp{Expr: `^([A-Za-z][A-Za-z0-9+.-]*):`}
	// scpURL is git's user@host:owner/name form of a repository address.
	scpURL = &lazyregexp.Regexp{Expr: `^[\w.-]+@([\w.-]+):([^/]+)/([^/]+?)(?:\.git)?/?$`}
)

// Resolve resolves a reference as written in the report (markdown image
// destination, <img src>, or the src of the rendered HTML).
func (r *FigureResolver) Resolve(target string) Figure {
	t := strings.TrimSpace(target)
	switch m := urlScheme.FindStringSubmatch(t); {
	case strings.HasPrefix(t, "//"):
		return r.resolveURL("https:" + t)
	case m == nil:
		return r.resolvePath(t)
	case strings.EqualFold(m[1], "http"), strings.EqualFold(m[1], "https"):
		return r.resolveURL(t)
	case strings.EqualFold(m[1], "data"):
		return Figure{Kind: FigureData}
	}
	return Figure{Kind: FigureOutside} // C:\..., file:, any other scheme
}

// resolvePath resolves a relative reference as a browser does on GitHub:
// query and fragment dropped, percent escapes decoded (W%26B%20loss.png is
// "W&B loss.png"), a leading "/" meaning the repository root, and never
// climbing out of the repository.
func (r *FigureResolver) resolvePath(t string) Figure {
	if i := strings.IndexAny(t, "?#"); i >= 0 {
		t = t[:i]
	}
	if decoded, err := url.PathUnescape(t); err == nil {
		t = decoded // a lone "%" is kept as written, as a browser sends it
	}
	dir := r.dir
	if rest, rooted := strings.CutPrefix(t, "/"); rooted {
		dir, t = ".", rest
	}
	if t == "" || strings.HasPrefix(t, "\\") {
		return Figure{Kind: FigureOutside}
	}
	p, ok := inRepository(path.Join(dir, t))
	if !ok {
		return Figure{Kind: FigureOutside}
	}
	return Figure{Kind: FigureInRepo, Path: p}
}

// inRepository is a cleaned path that stays in the repository, or false.
func inRepository(p string) (string, bool) {
	p = path.Clean(p)
	if p == "." || p == ".." || strings.HasPrefix(p, "../") || strings.HasPrefix(p, "/") {
		return "", false
	}
	return p, true
}

// resolveURL resolves an http(s) URL: a file of the group's own repository
// (github.com/OWNER/REPO/blob|raw|tree/REF/path, raw.githubusercontent.com/
// OWNER/REPO/REF/path, with or without ?raw=true) or a remote image.
func (r *FigureResolver) resolveURL(raw string) Figure {
	remote := Figure{Kind: FigureRemote, URL: raw}
	u, err := url.Parse(raw)
	if err != nil {
		return remote
	}
	remote.URL = u.String()
	var rest []string
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	switch host := strings.ToLower(u.Hostname()); {
	case (host == "github.com" || host == "www.github.com") && len(segs) >= 5 &&
		(segs[2] == "blob" || segs[2] == "raw" || segs[2] == "tree"):
		rest = segs[3:]
	case host == "raw.githubusercontent.com" && len(segs) >= 4:
		rest = segs[2:]
	default:
		return remote
	}
	if !r.repos[strings.ToLower(segs[0]+"/"+strings.TrimSuffix(segs[1], ".git"))] {
		return remote
	}
	ref, p := r.splitRef(rest)
	repoPath, ok := inRepository(p)
	if !ok {
		return Figure{Kind: FigureOutside}
	}
	return Figure{Kind: FigureOwnURL, Path: repoPath, URL: u.String(), Ref: ref}
}

// splitRef splits a URL's path after OWNER/REPO/blob into the ref and the
// file path. A branch name may hold slashes ("feature/report"): the first
// split whose path the tree holds wins, else the ref is one segment
// (refs/heads/NAME and refs/tags/NAME are three).
func (r *FigureResolver) splitRef(segs []string) (ref, p string) {
	first := 1
	if len(segs) > 3 && segs[0] == "refs" && (segs[1] == "heads" || segs[1] == "tags") {
		first = 3
	}
	if r.exists != nil {
		for k := first; k < len(segs); k++ {
			if p := strings.Join(segs[k:], "/"); r.exists(path.Clean(p)) {
				return strings.Join(segs[:k], "/"), p
			}
		}
	}
	return strings.Join(segs[:first], "/"), strings.Join(segs[first:], "/")
}

// githubRepo reads OWNER and NAME from a GitHub repository address:
// https://github.com/OWNER/NAME(.git), git@github.com:OWNER/NAME.git.
func githubRepo(address string) (owner, name string, ok bool) {
	address = strings.TrimSpace(address)
	if m := scpURL.FindStringSubmatch(address); m != nil && strings.EqualFold(m[1], "github.com") {
		return m[2], m[3], true
	}
	u, err := url.Parse(address)
	if err != nil || !strings.EqualFold(strings.TrimPrefix(u.Hostname(), "www."), "github.com") {
		return "", "", false
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(segs) < 2 || segs[0] == "" || segs[1] == "" {
		return "", "", false
	}
	return segs[0], strings.TrimSuffix(segs[1], ".git"), true
}

// commitRef: a ref that looks like a commit id (7 to 40 hex digits).
var commitRef = &lazyregexp.Regexp{Expr: `^[0-9a-f]{7,40}$`}
