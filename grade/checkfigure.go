package grade

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"handin/parse"
)

// figureFormats are the image formats GitHub shows in a report.
var figureFormats = []string{".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}

// figureChecker checks the figure references of one report against the
// repository's deadline tree.
type figureChecker struct {
	resolver *FigureResolver
	root     *FigureResolver // the same references read from the repository root, for hints
	files    *RepoFiles      // nil: files not checked
	branch   string
	history  []string // commit ids up to the deadline commit
	sorted   []string // history sorted, once a URL names a commit
}

func newFigureChecker(repo Repository) *figureChecker {
	var exists func(string) bool
	if repo.Files != nil {
		exists = func(p string) bool { _, ok := repo.Files.lookup(p); return ok }
	}
	return &figureChecker{
		resolver: NewFigureResolver(repo.ReportDir, repo.URLs, exists),
		root:     NewFigureResolver(".", nil, nil),
		files:    repo.Files, branch: repo.Branch, history: repo.History,
	}
}

// check lists what is wrong with one figure reference, or worth knowing.
func (c *figureChecker) check(question int, img parse.Image) []Finding {
	finding := func(kind Kind, format string, args ...any) []Finding {
		f := newFinding(kind, question, format, args...)
		f.Target, f.Line = img.Target, img.Line
		return []Finding{f}
	}
	fig := c.resolver.Resolve(img.Target)
	if img.RawSpaces {
		return finding(KindSpacesInLink, "%s", c.rawSpaces(fig, img.Target))
	}
	switch fig.Kind {
	case FigureData:
		return nil
	case FigureRemote:
		return finding(KindRemoteImage, "remote image: shown from its address while that serves it, not from the files of the deadline commit")
	case FigureOutside:
		return finding(KindOutsideRepo, "image path leads out of the repository (or to a file on the author's own disk): GitHub cannot show it")
	}
	var out []Finding
	if ext := path.Ext(fig.Path); !slices.Contains(figureFormats, strings.ToLower(ext)) {
		out = finding(KindBadFormat, "unsupported image format %q: GitHub does not show it (use .png, .jpg or .jpeg)", ext)
	}
	if fig.Kind == FigureOwnURL {
		return append(out, c.ownURL(fig, finding)...)
	}
	real, found := c.files.lookup(fig.Path)
	switch {
	case c.files == nil || real == fig.Path:
		return out
	case found:
		return append(out, finding(KindCaseMismatch, "file is %s: letter case differs (works on macOS/Windows, not on Linux or GitHub)", real)...)
	}
	msg := fmt.Sprintf("file %s is not in the repository", fig.Path)
	if fromRoot := c.root.Resolve(img.Target); fromRoot.Kind == FigureInRepo && fromRoot.Path != fig.Path {
		if real, _ := c.files.lookup(fromRoot.Path); real == fromRoot.Path {
			msg += fmt.Sprintf(" (%s exists: links are relative to the report's folder; write /%s for a path from the repository root)", real, real)
		}
	}
	return append(out, finding(KindMissingFile, "%s", msg)...)
}

// rawSpaces says why a destination with spaces shows no image, and whether
// the file it means exists.
func (c *figureChecker) rawSpaces(fig Figure, target string) string {
	msg := fmt.Sprintf("the link has spaces: GitHub shows the text, not an image (write %s or <%s>)",
		strings.ReplaceAll(target, " ", "%20"), target)
	if fig.Kind != FigureInRepo || c.files == nil {
		return msg
	}
	switch real, found := c.files.lookup(fig.Path); {
	case real == fig.Path:
		return msg + "; the file exists"
	case found:
		return msg + fmt.Sprintf("; the file is %s (letter case differs)", real)
	}
	return msg + fmt.Sprintf("; file %s is not in the repository either", fig.Path)
}

// ownURL checks a URL of a file in the group's own repository against the
// deadline tree.
func (c *figureChecker) ownURL(fig Figure, finding func(Kind, string, ...any) []Finding) []Finding {
	which := c.refNote(fig.Ref)
	if c.files == nil {
		return finding(KindOwnRepoURL, "URL of %s in the group's repository%s (files not checked)", fig.Path, which)
	}
	switch real, found := c.files.lookup(fig.Path); {
	case real == fig.Path:
		return finding(KindOwnRepoURL, "URL of %s in the group's repository%s: the file is in the repository at the deadline", fig.Path, which)
	case found:
		return finding(KindCaseMismatch, "URL of %s in the group's repository%s: the file is %s (letter case differs: broken on GitHub)", fig.Path, which, real)
	}
	return finding(KindMissingFile, "URL of %s in the group's repository%s: the file is not in the repository at the deadline", fig.Path, which)
}

// refNote says which version of the repository a URL shows.
func (c *figureChecker) refNote(ref string) string {
	switch {
	case ref == c.branch && ref != "", ref == "HEAD", ref == "refs/heads/"+c.branch:
		return fmt.Sprintf(" (branch %s: GitHub shows it as the branch is now, not as at the deadline)", ref)
	case !commitRef.MatchString(ref):
		return fmt.Sprintf(" (ref %s: another branch or a tag)", ref)
	case len(c.history) == 0:
		return fmt.Sprintf(" (commit %s)", ref)
	case c.inHistory(ref):
		return fmt.Sprintf(" (commit %s, at or before the deadline commit)", ref)
	}
	return fmt.Sprintf(" (commit %s: not in the history up to the deadline commit, so made later or on another branch)", ref)
}

// inHistory reports whether a commit id (full or abbreviated) is one of
// the history's.
func (c *figureChecker) inHistory(ref string) bool {
	if c.sorted == nil {
		c.sorted = slices.Sorted(slices.Values(c.history))
	}
	i, _ := slices.BinarySearch(c.sorted, ref)
	return i < len(c.sorted) && strings.HasPrefix(c.sorted[i], ref)
}
