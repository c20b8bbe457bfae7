// Package atomicfile writes files so that a reader (or a later run after a
// crash or Ctrl-C) sees either the old content or the new, never a mix.
package atomicfile

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// tempPattern is the os.CreateTemp pattern of name's temporary file:
// ".NAME.tmp-" and random digits, hidden and next to name (see IsTemp).
func tempPattern(name string) string { return "." + filepath.Base(name) + ".tmp-*" }

// Write writes data to name through a temporary file in the same folder,
// synced and renamed over name.
func Write(name string, data []byte, perm os.FileMode) error {
	return Stream(name, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Stream writes name with what write writes to w (buffered), through a
// temporary file in the same folder, synced and renamed over name. When
// write fails, name is left as it was and the temporary file is removed.
func Stream(name string, perm os.FileMode, write func(w io.Writer) error) error {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	tmp, err := os.CreateTemp(dir, tempPattern(name))
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	buf := bufio.NewWriterSize(tmp, 64<<10)
	if err := write(buf); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := buf.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Chmod(tmp.Name(), perm); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// WriteJSON writes v as indented JSON, atomically.
func WriteJSON(name string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return Write(name, append(data, '\n'), 0o644)
}
