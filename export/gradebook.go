package export

// The gradebook's life cycle on disk: read back what the instructor put
// into the current workbook, write the new one over it (keeping the old as
// a backup when the instructor had edited it) or, while it is open in a
// spreadsheet program, beside it as the one pending workbook. The sheets
// are laid out in gradebook_sheets.go and written in gradebook_write.go;
// the instructor's work is read back in gradebook_kept.go.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"handin/grade"
	"handin/internal/atomicfile"
)

// PendingGradebookFile is the new gradebook while GradebookFile is open in
// a spreadsheet program or cannot be read: one file, replaced by every
// export until GradebookFile can be written again.
const PendingGradebookFile = "gradebook.new.xlsx"

// gradebookFiles are the gradebook's files in the output folder.
type gradebookFiles struct{ dir string }

func (g gradebookFiles) book() string    { return filepath.Join(g.dir, GradebookFile) }
func (g gradebookFiles) pending() string { return filepath.Join(g.dir, PendingGradebookFile) }
func (g gradebookFiles) state() string   { return filepath.Join(g.dir, GradebookStateFile) }

// writeGradebook writes the gradebook of these results and the roster's
// groups without one, carrying over everything of the instructor's.
func writeGradebook(opts Options, results []*grade.GroupResult, gaps []rosterGap, sum *Summary) error {
	files := gradebookFiles{dir: opts.Out}
	state := loadGradebookState(files.state())
	current, err := readIfExists(files.book())
	if err != nil {
		return fmt.Errorf("gradebook: %w", err)
	}
	// A workbook that is byte for byte what handin wrote was not edited:
	// it needs no backup, and every value in handin's columns is handin's.
	edited := current != nil && !slices.Contains(state.Book, digest(current))
	var work *instructorWork
	var unreadable error
	if current != nil {
		var written map[string]*writtenSheet
		if edited {
			written = state.Values
		}
		work, unreadable = readInstructorWork(current, written)
	}
	built, err := buildGradebook(gradebookRows(results, gaps), work, opts.Now())
	if err != nil {
		return err
	}
	if sum.Kept = built.moved; built.moved > 0 {
		sum.Warnings = append(sum.Warnings, fmt.Sprintf(
			"gradebook: %d value(s) could not be put back on their row and were moved to the %s sheet, each with where it was and why",
			built.moved, SheetKept))
	}
	if work != nil {
		if msg := renamedColumns(state.Headers, work); msg != "" {
			sum.Warnings = append(sum.Warnings, msg)
		}
		state.Headers = work.headers() // each rename is announced once
	}
	name, pending := files.book(), files.pending()
	switch lock := lockFile(name); {
	case unreadable != nil:
		sum.Warnings = append(sum.Warnings, fmt.Sprintf(
			"%s could not be read (%v): it was left untouched and the new gradebook is %s. To finish: repair %s or move it away, then run handin export again",
			name, unreadable, pending, name))
		return files.writePending(built, state, opts.Now(), sum)
	case lock != "":
		sum.Warnings = append(sum.Warnings, fmt.Sprintf(
			"%s is open in a spreadsheet program (%s exists): it was left untouched and the new gradebook is %s, with your work as last saved. "+
				"To finish: save and close %s, then run handin export again (it carries your changes over and removes %s). If no program has it open, delete %s",
			name, lock, pending, name, pending, lock))
		return files.writePending(built, state, opts.Now(), sum)
	}
	return files.replace(built, current, edited, state, opts.Now(), sum)
}

// replace writes gradebook.xlsx, first keeping the instructor's edited
// workbook as a backup, and removes a pending workbook it supersedes.
func (g gradebookFiles) replace(built *builtGradebook, current []byte, edited bool, state *gradebookState, now time.Time, sum *Summary) error {
	backedUp := false
	if edited {
		backup, err := keepBackup(g.dir, current, now)
		if err != nil {
			return fmt.Errorf("gradebook backup: %w", err)
		}
		sum.GradebookBackup, backedUp = backup, true
	}
	written := digest(built.data)
	// Both digests until the rename is done: a crash in between leaves
	// either file, and neither looks edited.
	state.Book = []string{written}
	if current != nil && !edited {
		state.Book = append(state.Book, digest(current))
	}
	state.Headers, state.Values = built.headers, built.values
	if err := state.save(g.state()); err != nil {
		return err
	}
	if err := atomicfile.Write(g.book(), built.data, 0o644); err != nil {
		return fmt.Errorf("gradebook: %w", err)
	}
	sum.Gradebook = g.book()
	state.Book = []string{written}
	pending, err := readIfExists(g.pending())
	if err != nil {
		return fmt.Errorf("gradebook: %w", err)
	}
	if pending != nil {
		kept, err := g.keepIfEdited(pending, state.Pending, now, sum)
		if err != nil {
			return err
		}
		backedUp = backedUp || kept
		if err := os.Remove(g.pending()); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("gradebook: %w", err)
		}
	}
	state.Pending = nil
	if err := state.save(g.state()); err != nil {
		return err
	}
	if backedUp {
		return pruneBackups(g.dir, built.data)
	}
	return nil
}

// writePending writes gradebook.new.xlsx, leaving gradebook.xlsx alone.
func (g gradebookFiles) writePending(built *builtGradebook, state *gradebookState, now time.Time, sum *Summary) error {
	previous, err := readIfExists(g.pending())
	if err != nil {
		return fmt.Errorf("gradebook: %w", err)
	}
	backedUp := false
	if previous != nil {
		if backedUp, err = g.keepIfEdited(previous, state.Pending, now, sum); err != nil {
			return err
		}
	}
	written := digest(built.data)
	state.Pending = []string{written}
	if previous != nil && !backedUp {
		state.Pending = append(state.Pending, digest(previous))
	}
	if err := state.save(g.state()); err != nil {
		return err
	}
	if err := atomicfile.Write(g.pending(), built.data, 0o644); err != nil {
		return fmt.Errorf("gradebook: %w", err)
	}
	sum.Gradebook = g.pending()
	state.Pending = []string{written}
	if err := state.save(g.state()); err != nil {
		return err
	}
	if !backedUp {
		return nil
	}
	live := [][]byte{built.data}
	if book, err := os.ReadFile(g.book()); err == nil {
		live = append(live, book)
	}
	return pruneBackups(g.dir, live...)
}

// keepIfEdited keeps a pending workbook the instructor typed into as a
// backup before it is replaced or removed: only gradebook.xlsx is read
// back, so what was typed there must be copied over by hand.
func (g gradebookFiles) keepIfEdited(pending []byte, written []string, now time.Time, sum *Summary) (bool, error) {
	if slices.Contains(written, digest(pending)) {
		return false, nil
	}
	backup, err := keepBackup(g.dir, pending, now)
	if err != nil {
		return false, fmt.Errorf("gradebook backup: %w", err)
	}
	sum.Warnings = append(sum.Warnings, fmt.Sprintf(
		"%s had been edited: it is kept as %s. Only %s is read back: copy what you typed there into it",
		g.pending(), backup, g.book()))
	return true, nil
}

// lockFile is the lock file a spreadsheet program keeps beside a workbook
// it has open (LibreOffice, Excel), or "".
func lockFile(name string) string {
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
// last wrote or read the workbook: a header that took the place of one
// that is gone. "" when none (or nothing to compare with).
func renamedColumns(previous map[string][]string, w *instructorWork) string {
	var renames []string
	for _, l := range gradebookLayouts {
		s, before := w.sheets[l.Name], previous[l.Name]
		if s == nil {
			continue
		}
		for i, h := range s.headers {
			h = strings.TrimSpace(h)
			if i >= len(before) || h == "" || strings.EqualFold(h, before[i]) ||
				containsHeader(s.headers, before[i]) || containsHeader(before, h) {
				continue
			}
			msg := fmt.Sprintf("%s %q is now %q", l.Name, before[i], h)
			if columnIndex(l, before[i]) >= 0 {
				msg += fmt.Sprintf(" (its values stay in your column; handin adds its %q column again)", before[i])
			}
			renames = append(renames, msg)
		}
	}
	if len(renames) == 0 {
		return ""
	}
	return "gradebook: columns renamed: " + strings.Join(renames, "; ") + ". Renamed columns are yours: their values are carried over under the new names"
}
