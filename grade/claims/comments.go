package claims

import (
	"bytes"
	"path"
	"strings"
)

// commentStyle is how a kind of file writes comments.
type commentStyle int

const (
	noComments     commentStyle = iota // Markdown, JSON: nothing is a comment
	hashComments                       // YAML, shell, Makefile, Dockerfile, INI: # after a space or at a line's start
	pythonComments                     // Python, TOML: any # outside a string
	slashComments                      // JavaScript, TypeScript: // outside a string
)

// commentStyleOf tells a file's comment style by its lowercased name.
func commentStyleOf(lowerPath string) commentStyle {
	base := path.Base(lowerPath)
	switch path.Ext(base) {
	case ".py", ".toml", ".pyi", notebookExt: // a notebook's code cells, as notebookCode gives them
		return pythonComments
	case ".yaml", ".yml", ".sh", ".bash", ".cfg", ".ini", ".txt", ".properties", ".dockerfile", ".docker", ".env":
		return hashComments
	case ".js", ".ts", ".mjs", ".cjs", ".jsx", ".tsx":
		return slashComments
	}
	switch {
	case base == "makefile" || base == "justfile" || base == "pipfile" || base == "config" || base == ".coveragerc" ||
		base == ".flake8" || base == ".pylintrc" || base == "pylintrc":
		return hashComments
	case strings.Contains(base, "dockerfile"):
		return hashComments
	}
	return noComments
}

// withoutComments returns text with its comments blanked out (each comment
// byte a space, lines and offsets kept), so that no text search matches a
// remark or commented-out code; text itself when it holds no comment. A
// line is read on its own: a quote opens a string only at the start of a
// word outside Python, where an apostrophe in prose (don't) is no quote.
func withoutComments(text []byte, style commentStyle) []byte {
	marker := byte('#')
	if style == slashComments {
		marker = '/'
	}
	if style == noComments || bytes.IndexByte(text, marker) < 0 {
		return text
	}
	var out []byte // a copy, made at the first comment
	for start := 0; start < len(text); {
		end := bytes.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		line := text[start:end]
		if bytes.IndexByte(line, marker) >= 0 {
			if at := commentStart(line, style); at >= 0 {
				if out == nil {
					out = bytes.Clone(text)
				}
				for i := start + at; i < end; i++ {
					if out[i] != '\r' {
						out[i] = ' '
					}
				}
			}
		}
		start = end + 1
	}
	if out == nil {
		return text
	}
	return out
}

// commentStart is where a comment starts in a line, or -1.
func commentStart(line []byte, style commentStyle) int {
	var quote byte // the open string's quote, 0 outside strings
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'' || c == '`' && style == slashComments:
			if style == pythonComments || style == slashComments || wordStart(line, i) {
				quote = c
			}
		case c == '#' && style == pythonComments:
			return i
		case c == '#' && style == hashComments && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return i
		case c == '/' && style == slashComments && i+1 < len(line) && line[i+1] == '/':
			return i
		}
	}
	return -1
}

// wordStart: line[i] starts a word (a quote there opens a string).
func wordStart(line []byte, i int) bool {
	if i == 0 {
		return true
	}
	return strings.IndexByte(" \t=([{,:!", line[i-1]) >= 0
}
