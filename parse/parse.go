package parse

import "errors"

// MaxSize is the largest report parsed; real reports are under 100 KB.
const MaxSize = 8 << 20

// Errors for input that is not a report at all.
var (
	ErrEmpty    = errors.New("empty file")
	ErrBinary   = errors.New("binary file (NUL bytes), not markdown")
	ErrTooLarge = errors.New("file too large for a report")
)

// Parse parses a report. It fails only for input that is not markdown text
// (empty, binary, too large); any markdown gives a Report.
func Parse(data []byte) (*Report, error) {
	panic("TODO")
}
