// Package inputfile reads the files an instructor hands handin (groups.csv,
// a spec, claims rules, authors.csv, the course file, the previous
// gradebook) up to a size far above what such a file holds: a path
// mistyped as /dev/zero, or a gradebook grown without bound, ends with an
// error naming the file rather than with all memory.
package inputfile

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrTooLarge: a file is over the size handin reads of it.
var ErrTooLarge = errors.New("too large")

// Read reads the file name whole, or fails with an error wrapping
// ErrTooLarge once it is past max bytes.
func Read(name string, max int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadFrom(f, name, max)
}

// ReadFrom reads r (the file name) to its end, or fails with an error
// wrapping ErrTooLarge once it is past max bytes.
func ReadFrom(r io.Reader, name string, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s is over %s, more than handin reads of it: %w", name, Size(max), ErrTooLarge)
	}
	return data, nil
}

// Size spells a size in bytes as the limits are written: "64 KiB",
// "16 MiB", "1 GiB".
func Size(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
