package feedback

import (
	"strings"
	"unicode"

	"handin/internal/visible"
)

// wordJoiner is U+2060 WORD JOINER: invisible, and no letter or digit, so
// "@\u2060alice" shows as @alice without being a mention.
const wordJoiner = '\u2060'

// Text is s written as markdown that GitHub renders as s, on one line, and
// as nothing more: no link, image, HTML, heading, list, table or emphasis,
// no @mention (which would notify someone), no #123 or owner/repo#123
// reference (which would show in another repository's timeline), no
// autolinked URL, address or :emoji:. Student text (paths, names, quoted
// report text) goes through it before it reaches an issue.
//
// Every ASCII punctuation character is backslash-escaped (CommonMark turns
// any such escape into the character itself); GitHub's mentions, references
// and autolinks are found in the rendered text, after escapes are undone,
// so a word joiner after @, #, : and . separates each from what would
// complete one (a login, a number, "//", a domain). Characters that reorder or hide text are
// shown as escapes (\u202e), line breaks and other controls as spaces.
func Text(s string) string {
	s = visible.String(strings.ToValidUTF8(s, "\uFFFD"))
	var b strings.Builder
	runes := []rune(s)
	for i, r := range runes {
		switch {
		case r == '\n' || r == '\r' || r == '\t' || unicode.IsControl(r):
			b.WriteByte(' ')
			continue
		case r < 0x80 && unicode.IsPunct(r) || r < 0x80 && unicode.IsSymbol(r):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
		if strings.ContainsRune("@#:.", r) && i+1 < len(runes) && !unicode.IsSpace(runes[i+1]) {
			b.WriteRune(wordJoiner)
		}
	}
	return b.String()
}
