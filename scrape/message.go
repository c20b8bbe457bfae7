package scrape

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxMessageBytes bounds a group's error message: one line, a few hundred bytes.
// It often quotes a server's answer, which the server chose.
const maxMessageBytes = 512

// oneLine makes a message one printable line of at most maxMessageBytes:
// control characters and runs of spaces become one space, invalid UTF-8 is
// replaced, and a longer message is cut with "…".
func oneLine(msg string) string {
	msg = strings.ToValidUTF8(msg, "\uFFFD")
	msg = strings.Join(strings.FieldsFunc(msg, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if len(msg) <= maxMessageBytes {
		return msg
	}
	cut := maxMessageBytes
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut] + "…"
}
