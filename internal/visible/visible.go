// Package visible shows the characters that change how text around them is
// displayed without showing themselves: bidirectional controls (U+202E
// RIGHT-TO-LEFT OVERRIDE makes "gnp.exe" read "exe.png") and zero-width
// characters. Students write the names, messages, paths and reports that
// pages, gradebook cells and authors.csv show: each such character is
// shown as its escape ("\u202e") instead, by the one transform here.
package visible

import (
	"fmt"
	"io"
	"slices"
	"unicode/utf8"

	"golang.org/x/text/transform"
)

// Hidden reports whether r is a character that reorders or hides the text
// around it.
func Hidden(r rune) bool {
	switch {
	case r == 0x061c, r == 0x2060, r == 0xfeff: // Arabic letter mark, word joiner, zero-width no-break space
		return true
	case 0x200b <= r && r <= 0x200f: // zero-width space, non-joiner, joiner; left-to-right and right-to-left marks
		return true
	case 0x202a <= r && r <= 0x202e: // embeddings and overrides
		return true
	case 0x2066 <= r && r <= 0x2069: // isolates
		return true
	}
	return false
}

// showHidden is the transform that writes every hidden character as its
// escape and every other byte as it is (invalid UTF-8 included).
type showHidden struct{ transform.NopResetter }

func (showHidden) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		rest := src[nSrc:]
		if rest[0] < utf8.RuneSelf { // a run of ASCII, as it is
			n := slices.IndexFunc(rest, func(b byte) bool { return b >= utf8.RuneSelf })
			if n < 0 {
				n = len(rest)
			}
			copied := copy(dst[nDst:], rest[:n])
			nDst, nSrc = nDst+copied, nSrc+copied
			if copied < n {
				return nDst, nSrc, transform.ErrShortDst
			}
			continue
		}
		if !atEOF && !utf8.FullRune(rest) {
			return nDst, nSrc, transform.ErrShortSrc
		}
		r, size := utf8.DecodeRune(rest)
		out := rest[:size]
		if Hidden(r) {
			out = fmt.Appendf(nil, `\u%04x`, r)
		}
		if nDst+len(out) > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += copy(dst[nDst:], out)
		nSrc += size
	}
	return nDst, nSrc, nil
}

// String is s with every hidden character shown as its escape.
func String(s string) string {
	out, _, err := transform.String(showHidden{}, s)
	if err != nil {
		return s // cannot happen: the transform takes any input
	}
	return out
}

// Writer writes to w with every hidden character shown as its escape;
// Close writes what is held back (the start of a character cut by a
// write).
func Writer(w io.Writer) io.WriteCloser { return transform.NewWriter(w, showHidden{}) }
