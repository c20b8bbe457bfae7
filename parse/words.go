package parse

import (
	"sort"
	"unicode"
	"unicode/utf8"
)

// pyWordCount counts words exactly as Python's len(str.split()) does, the
// course checker's rule.
func pyWordCount(s string) int {
	n := 0
	inWord := false
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		if pyIsSpace(r) {
			inWord = false
			continue
		}
		if !inWord {
			n++
			inWord = true
		}
	}
	return n
}

// pyIsSpace is Python's str.isspace for one character: Go's unicode.IsSpace
// plus the ASCII information separators U+001C..U+001F, which Python also
// splits on.
func pyIsSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiSpace[r]
	}
	return unicode.IsSpace(r)
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true,
	0x1c: true, 0x1d: true, 0x1e: true, 0x1f: true}

// lineIndex maps byte offsets to 1-based line numbers and back.
type lineIndex []int // offsets of line starts

func newLineIndex(src []byte) lineIndex {
	idx := lineIndex{0}
	for i, c := range src {
		if c == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

// line is the 1-based line holding offset.
func (l lineIndex) line(offset int) int {
	return sort.Search(len(l), func(i int) bool { return l[i] > offset })
}

// offset is the byte offset where a 1-based line starts.
func (l lineIndex) offset(line int) int {
	if line < 1 {
		return 0
	}
	return l[min(line, len(l))-1]
}

// lineStart is the offset of the start of the line holding offset.
func (l lineIndex) lineStart(offset int) int { return l.offset(l.line(offset)) }

// nextLine is the offset of the line after the one holding offset (or the
// end of the text).
func (l lineIndex) nextLine(offset int) int {
	n := l.line(offset)
	if n < len(l) {
		return l[n]
	}
	return offset
}
