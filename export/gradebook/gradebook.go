package gradebook

// The gradebook's life cycle on disk: read back what the instructor put
// into the current workbook, write the new one over it (keeping the old as
// a backup when the instructor had edited it) or, while it is open in a
// spreadsheet program, beside it as the one pending workbook. The sheets
// are written in write.go and sheet.go; the instructor's work is read
// back in read.go.

import (
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"handin/internal/atomicfile"
	"handin/internal/inputfile"
)

// The gradebook's files in its folder (backups aside: see backup.go).
const (
	// File is the gradebook: the workbook the instructor grades in.
	File = "gradebook.xlsx"
	// PendingFile is the new gradebook while File is open in a
	// spreadsheet program or cannot be read: one file, replaced by every
	// write until File can be written again.
	PendingFile = "gradebook.new.xlsx"
	// StateFile is what handin last wrote into the gradebook (see
	// state.go).
	StateFile = ".gradebook-state.json.gz"
)

// Written says what Write did.
type Written struct {
	// Path is the workbook written: File, or PendingFile while File is
	// open or cannot be read.
	Path string
	// Backup is the backup made of the instructor's edited gradebook
	// before it was replaced; "" when none was needed.
	Backup string
	// Kept counts the instructor's values that could not be put back on
	// their row and were moved to the Kept sheet.
	Kept int
	// Warnings need the instructor's attention (the gradebook was open,
	// a column was renamed, values were moved to Kept).
	Warnings []string
}

// files are the gradebook's files in its folder.
type files struct{ dir string }

func (g files) book() string      { return filepath.Join(g.dir, File) }
func (g files) pending() string   { return filepath.Join(g.dir, PendingFile) }
func (g files) statePath() string { return filepath.Join(g.dir, StateFile) }

// job is one Write's work on the gradebook's files.
type job struct {
	files
	sheets []Layout
	state  *state
	now    time.Time
	out    *Written
	// work is what the instructor has in gradebook.xlsx (nil when there is
	// none, or it cannot be read); it is all carried into the new workbook.
	work *instructorWork
	// backedUp: this write made a backup, so backups are pruned.
	backedUp bool
}

// Write writes the gradebook into dir: handin's sheets as laid out by
// sheets, in that order, with these rows (each sheet's in the order they
// come), and everything of the instructor's carried over from the
// gradebook there. The rows are read once, a row at a time, and wait in
// dir as temporary files until the workbook is saved, so that memory holds
// one row whatever the course's size (the files are named as atomicfile
// names its own: atomicfile.RemoveTemps removes those of a process killed
// meanwhile). now names backups and dates the values moved to Kept.
func Write(dir string, sheets []Layout, rows iter.Seq2[Row, error], now time.Time) (*Written, error) {
	if err := checkLayouts(sheets); err != nil {
		return nil, err
	}
	g := &job{files: files{dir: dir}, sheets: sheets, now: now, out: &Written{}}
	g.state = loadState(g.statePath())
	current, err := readIfExists(g.book())
	var unreadable error // gradebook.xlsx cannot be read: it is left as it is
	switch {
	case errors.Is(err, inputfile.ErrTooLarge):
		unreadable = err
	case err != nil:
		return nil, fmt.Errorf("gradebook: %w", err)
	}
	if current != nil {
		if g.backedUp, err = adoptLegacyPending(g.dir, sheets, g.state); err != nil {
			return nil, fmt.Errorf("gradebook backups: %w", err)
		}
	}
	// A workbook that is byte for byte what handin wrote was not edited:
	// it needs no backup, every value in handin's columns is handin's, and
	// a sheet that held nothing of the instructor's still holds nothing.
	edited := current != nil && !slices.Contains(g.state.Book, digest(current))
	if current != nil {
		read := readOptions{written: g.state.Values}
		if !edited {
			read = readOptions{plain: map[string][]string{}}
			for _, name := range g.state.Plain {
				read.plain[name] = g.state.Headers[name]
			}
		}
		g.work, unreadable = readInstructorWork(current, sheets, read)
	}
	// Where the new workbook goes is known before it is built, so that
	// what is not needed any more is let go first: for a large course the
	// workbook read and what handin wrote into it take tens of MB.
	name, pending := g.book(), g.pending()
	lock := LockFile(name)
	replacing := unreadable == nil && lock == ""
	unedited := "" // the digest of the workbook replaced, when handin's own
	if replacing {
		if edited {
			if err := g.backUp(current); err != nil {
				return nil, err
			}
		} else if current != nil {
			unedited = digest(current)
		}
		g.state.Values = nil // the new workbook's replace them
	}
	current = nil
	built, err := build(sheets, rows, g.work, g.now, g.dir)
	if err != nil {
		return nil, err
	}
	if g.out.Kept = built.moved; built.moved > 0 {
		g.warn(fmt.Sprintf(
			"gradebook: %d value(s) could not be put back on their row and were moved to the %s sheet, each with where it was and why",
			built.moved, KeptSheet))
	}
	if g.work != nil {
		if msg := renamedColumns(g.state.Headers, g.work); msg != "" {
			g.warn(msg)
		}
		g.state.Headers = g.work.headers() // each rename is announced once
	}
	switch {
	case unreadable != nil:
		g.warn(fmt.Sprintf(
			"%s could not be read (%v): it was left untouched and the new gradebook is %s. To finish: repair %s or move it away, then run handin export again",
			name, unreadable, pending, name))
		err = g.writePending(built)
	case lock != "":
		g.warn(fmt.Sprintf(
			"%s is open in a spreadsheet program (%s exists): it was left untouched and the new gradebook is %s, with your work as last saved. "+
				"To finish: save and close %s, then run handin export again (it carries your changes over and removes %s). If no program has it open, delete %s",
			name, lock, pending, name, pending, lock))
		err = g.writePending(built)
	default:
		err = g.replace(built, unedited)
	}
	if err != nil {
		return nil, err
	}
	return g.out, nil
}

func (g *job) warn(msg string) { g.out.Warnings = append(g.out.Warnings, msg) }

// backUp keeps the instructor's edited workbook as a backup, before it is
// replaced.
func (g *job) backUp(current []byte) error {
	backup, err := keepBackup(g.dir, current, g.work.values(), g.now, g.state)
	if err != nil {
		return fmt.Errorf("gradebook backup: %w", err)
	}
	g.out.Backup, g.backedUp = backup, true
	return nil
}

// replace writes gradebook.xlsx and removes a pending workbook it
// supersedes. unedited is the digest of the gradebook it replaces when
// that was handin's own, else "".
func (g *job) replace(built *builtBook, unedited string) error {
	pending, err := readIfExists(g.pending())
	if err != nil {
		return fmt.Errorf("gradebook: %w", err)
	}
	if pending != nil {
		if err := g.keepIfEdited(pending); err != nil {
			return err
		}
	}
	// The state names both files, the new and the one it replaces (when
	// that was handin's own): a crash around the rename leaves either,
	// and neither looks edited.
	g.state.Book = []string{digest(built.data)}
	if unedited != "" {
		g.state.Book = append(g.state.Book, unedited)
	}
	g.state.Headers, g.state.Values, g.state.Plain = built.headers, built.values, built.plain
	if err := g.pruneAndSave(); err != nil {
		return err
	}
	if err := atomicfile.Write(g.book(), built.data, 0o644); err != nil {
		return fmt.Errorf("gradebook: %w", err)
	}
	g.out.Path = g.book()
	if err := os.Remove(g.pending()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("gradebook: %w", err)
	}
	return nil
}

// writePending writes gradebook.new.xlsx, leaving gradebook.xlsx alone.
func (g *job) writePending(built *builtBook) error {
	previous, err := readIfExists(g.pending())
	if err != nil {
		return fmt.Errorf("gradebook: %w", err)
	}
	ours := previous != nil && slices.Contains(g.state.Pending, digest(previous))
	if previous != nil {
		if err := g.keepIfEdited(previous); err != nil {
			return err
		}
	}
	// As for the gradebook: both files until the rename is done.
	g.state.Pending = []string{digest(built.data)}
	if ours {
		g.state.Pending = append(g.state.Pending, digest(previous))
	}
	if err := g.pruneAndSave(); err != nil {
		return err
	}
	if err := atomicfile.Write(g.pending(), built.data, 0o644); err != nil {
		return fmt.Errorf("gradebook: %w", err)
	}
	g.out.Path = g.pending()
	return nil
}

// keepIfEdited keeps a pending workbook the instructor typed into as a
// backup before it is replaced or removed: only gradebook.xlsx is read
// back, so what was typed there must be copied over by hand.
func (g *job) keepIfEdited(pending []byte) error {
	if slices.Contains(g.state.Pending, digest(pending)) {
		return nil
	}
	values, _ := instructorValues(pending, g.sheets) // unreadable: a backup with no values known
	backup, err := keepBackup(g.dir, pending, values, g.now, g.state)
	if err != nil {
		return fmt.Errorf("gradebook backup: %w", err)
	}
	g.backedUp = true
	g.warn(fmt.Sprintf(
		"%s had been edited: it is kept as %s. Only %s is read back: copy what you typed there into it",
		g.pending(), backup, g.book()))
	return nil
}

// pruneAndSave prunes the backups when this write made one, and saves the
// state, before the new workbook is written.
func (g *job) pruneAndSave() error {
	if g.backedUp {
		if err := pruneBackups(g.dir, g.sheets, g.work.values(), g.state); err != nil {
			return err
		}
	}
	return g.state.save(g.statePath())
}

// LockFile is the lock file a spreadsheet program keeps beside a workbook
// it has open (LibreOffice, Excel), or "".
func LockFile(name string) string {
	dir, base := filepath.Split(name)
	for _, lock := range []string{".~lock." + base + "#", "~$" + base} {
		if _, err := os.Lstat(filepath.Join(dir, lock)); err == nil {
			return filepath.Join(dir, lock)
		}
	}
	return ""
}

// headers are the header rows of handin's sheets as read.
func (w *instructorWork) headers() map[string][]string {
	out := map[string][]string{}
	for name, s := range w.sheets {
		out[name] = s.headers
	}
	return out
}

// renamedColumns says which columns the instructor renamed since handin
// last wrote or read the workbook: a header that is gone, and a new header
// in its place (as far right of the nearest header still there as it was
// before). "" when none, or nothing to compare with.
func renamedColumns(previous map[string][]string, w *instructorWork) string {
	var renames []string
	for _, l := range w.layouts {
		s, before := w.sheets[l.Name], previous[l.Name]
		if s == nil || len(before) == 0 {
			continue
		}
		now := make([]string, len(s.headers))
		for i, h := range s.headers {
			now[i] = strings.TrimSpace(h)
		}
		for i, old := range before {
			if old == "" || containsHeader(now, old) {
				continue
			}
			at := i
			for left := i - 1; left >= 0; left-- {
				if j := slices.IndexFunc(now, func(h string) bool { return strings.EqualFold(h, before[left]) }); j >= 0 {
					at = j + i - left
					break
				}
			}
			if at >= len(now) || now[at] == "" || containsHeader(before, now[at]) {
				continue
			}
			msg := fmt.Sprintf("%s %q is now %q", l.Name, old, now[at])
			if l.Index(old) >= 0 {
				msg += fmt.Sprintf(" (its values stay in your column; handin adds its %q column again)", old)
			}
			renames = append(renames, msg)
		}
	}
	if len(renames) == 0 {
		return ""
	}
	return "gradebook: columns renamed: " + strings.Join(renames, "; ") + ". Renamed columns are yours: their values are carried over under the new names"
}
