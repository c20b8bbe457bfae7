package scrape

import (
	"html"
	"path"
	"strconv"
	"strings"

	git "github.com/go-git/go-git/v5"
)

// A figure is worth copying when a README names it: the report (a README)
// shows only the images it links, however it links them (markdown, <img>,
// a URL into the repository, percent-encoded or escaped). Finding every
// link would take the parser and grade's rules for resolving them; reading
// the READMEs for the image file names they contain finds every linked
// figure, and at worst a few more (an image named in the text, one of the
// same name in another folder, one whose name ends a linked one's).

// maxNamesRead is how much of a README is read for names: the largest
// report grade parses.
const maxNamesRead = 8 << 20

// maxFileName is the longest file name scanned for (git hosts cap names
// at 255 bytes).
const maxFileName = 255

// namedFigures are the lower-case base names of the tree's image files that
// a README of the tree held by the clone names. READMEs the clone does not
// hold (yet) name nothing.
func namedFigures(repo *git.Repository, tree []treeEntry) map[string]bool {
	images := map[string]bool{}
	for _, e := range tree {
		if base := strings.ToLower(path.Base(e.Path)); isImage(base) {
			images[base] = false
		}
	}
	if len(images) == 0 {
		return images
	}
	for _, e := range tree {
		if !e.Mode.Regular() || !strings.EqualFold(path.Base(e.Path), "readme.md") {
			continue
		}
		text, ok := readmeText(repo, e)
		if ok {
			markNames(images, text)
		}
	}
	return images
}

// readmeText is a README as links name files in it (linkText); ok is false
// when the clone does not hold it.
func readmeText(repo *git.Repository, e treeEntry) (string, bool) {
	raw, err := readBlob(repo, e.blob, maxNamesRead)
	if err != nil {
		return "", false
	}
	return linkText(raw), true
}

// linkText is markdown as its links name files: lower case, HTML character
// references and percent-encoding decoded, backslash escapes dropped.
func linkText(markdown []byte) string {
	text := strings.ToLower(percentDecoded(html.UnescapeString(string(markdown))))
	return strings.ReplaceAll(text, `\`, "")
}

// markNames sets images[name] for every name of images that ends where an
// image extension ends in text.
func markNames(images map[string]bool, text string) {
	for _, ext := range imageExtensions {
		for rest, end := text, 0; ; {
			i := strings.Index(rest, ext)
			if i < 0 {
				break
			}
			end += i + len(ext)
			for start := max(0, end-maxFileName); start < end-len(ext); start++ {
				if _, ok := images[text[start:end]]; ok {
					images[text[start:end]] = true
				}
			}
			rest = text[end:]
		}
	}
}

// percentDecoded decodes every %XX sequence of s, leaving other % signs.
func percentDecoded(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
