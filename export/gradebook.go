package export

// The gradebook's life cycle on disk: read what the instructor typed into
// the current workbook, keep it as a backup, write the new one beside or
// over it, prune old backups. The sheets are laid out in
// gradebook_sheets.go, and instructor cells read back in gradebook_kept.go.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"handin/grade"
	"handin/internal/atomicfile"
	"handin/internal/lazyregexp"
)

// writeGradebook writes gradebook.xlsx, carrying over the instructor columns
// of the existing workbook and keeping it as a timestamped backup. When the
// existing workbook cannot be read (corrupt, or open in another program), it
// is left alone and the new one is written beside it.
func writeGradebook(opts Options, results []*grade.GroupResult, sum *Summary) error {
	name := filepath.Join(opts.Out, GradebookFile)
	stamp := opts.Now().Format("20060102-150405")
	target := name
	kept, err := readInstructorWork(name)
	existing := err == nil && kept != nil
	if err != nil {
		target = uniqueName(opts.Out, "gradebook.new-"+stamp, ".xlsx")
		sum.Warnings = append(sum.Warnings, fmt.Sprintf(
			"%s could not be read (%v): it was left untouched and the new gradebook is %s; copy the Grade/Comment/Graded by columns over by hand",
			name, err, target))
		kept = nil
	}
	f, err := buildWorkbook(results, kept)
	if err != nil {
		return fmt.Errorf("gradebook: %w", err)
	}
	defer f.Close()
	buf, err := f.WriteToBuffer()
	if err != nil {
		return fmt.Errorf("gradebook: %w", err)
	}
	if existing {
		backup := uniqueName(opts.Out, backupPrefix+stamp, ".xlsx")
		if err := copyFile(name, backup); err != nil {
			return fmt.Errorf("gradebook backup: %w", err)
		}
		sum.GradebookBackup = backup
		if orphans := kept.orphanGroups(results); len(orphans) > 0 {
			sum.Warnings = append(sum.Warnings, fmt.Sprintf(
				"groups %v have instructor entries but no result any more: their rows are kept in %s with status %q", orphans, SheetGroups, orphanStatus))
		}
	}
	if err := atomicfile.Write(target, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("gradebook: %w", err)
	}
	sum.Gradebook = target
	if existing {
		if err := pruneBackups(opts.Out, keepBackups); err != nil {
			return fmt.Errorf("gradebook backups: %w", err)
		}
	}
	return nil
}

// Backups of the gradebook are backupPrefix + timestamp [+ "-N"] + ".xlsx".
// Only the newest keepBackups are kept: every instructor entry is carried
// into the new workbook (rows of vanished groups and students included), so
// older backups hold nothing the current one lacks.
const (
	backupPrefix = "gradebook."
	keepBackups  = 20
)

var backupName = &lazyregexp.Regexp{Expr: `^gradebook\.([0-9]{8}-[0-9]{6})(?:-([0-9]+))?\.xlsx$`}

// pruneBackups deletes all but the newest keep backups in dir.
func pruneBackups(dir string, keep int) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	type backup struct {
		name  string
		stamp string
		n     int // uniqueName's counter: 1 for the first of a second
	}
	var backups []backup
	for _, e := range entries {
		m := backupName.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		n := 1
		if m[2] != "" {
			n, _ = strconv.Atoi(m[2])
		}
		backups = append(backups, backup{e.Name(), m[1], n})
	}
	if len(backups) <= keep {
		return nil
	}
	sort.Slice(backups, func(i, j int) bool {
		if backups[i].stamp != backups[j].stamp {
			return backups[i].stamp < backups[j].stamp
		}
		return backups[i].n < backups[j].n
	})
	for _, b := range backups[:len(backups)-keep] {
		if err := os.Remove(filepath.Join(dir, b.name)); err != nil {
			return err
		}
	}
	return nil
}

// uniqueName is dir/base+ext, or dir/base-2+ext, ... when that exists.
func uniqueName(dir, base, ext string) string {
	name := filepath.Join(dir, base+ext)
	for i := 2; ; i++ {
		if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
			return name
		}
		name = filepath.Join(dir, fmt.Sprintf("%s-%d%s", base, i, ext))
	}
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return atomicfile.Write(to, data, 0o644)
}
