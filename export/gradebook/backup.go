package gradebook

// Backups of the gradebook: gradebook.YYYYMMDD-HHMMSS[-N].xlsx, one for each
// workbook the instructor had edited, never two of the same bytes. Pruning
// keeps the newest and every older one that holds an instructor value (a
// cell of theirs, a comment, a row of Kept) found in no newer backup and not
// in the live workbooks: a grade changed from 7 to 10 keeps the backup that
// still says 7.

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"handin/internal/atomicfile"
	"handin/internal/inputfile"
	"handin/internal/lazyregexp"
)

var backupName = &lazyregexp.Regexp{Expr: `^gradebook\.([0-9]{8}-[0-9]{6})(?:-([0-9]+))?\.xlsx$`}

// legacyPendingName matches the pending workbooks earlier versions of
// handin wrote, one per export while the gradebook was open.
var legacyPendingName = &lazyregexp.Regexp{Expr: `^gradebook\.new-([0-9]{8}-[0-9]{6})(?:-[0-9]+)?\.xlsx$`}

type backup struct {
	name  string // base name
	stamp string
	n     int // 1 for the first of a second, then 2, 3, ...
}

// listBackups are the backups in dir, newest first.
func listBackups(dir string) ([]backup, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
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
	slices.SortFunc(backups, func(a, b backup) int { return cmp.Or(strings.Compare(b.stamp, a.stamp), b.n-a.n) })
	return backups, nil
}

// adoptLegacyPending turns the pending workbooks of earlier versions into
// backups (they may hold what an instructor typed), so that pruning judges
// them like any backup. It says whether there were any.
func adoptLegacyPending(dir string, sheets []Layout, st *state) (bool, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false, err
	}
	adopted := false
	for _, e := range entries {
		m := legacyPendingName.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		name := filepath.Join(dir, e.Name())
		data, err := inputfile.Read(name, maxWorkbookFile)
		if err != nil {
			return adopted, err
		}
		stamp, err := time.Parse("20060102-150405", m[1])
		if err != nil {
			continue
		}
		values, _ := instructorValues(data, sheets) // unreadable: kept with no values known
		if _, err := keepBackup(dir, data, values, stamp, st); err != nil {
			return adopted, err
		}
		if err := os.Remove(name); err != nil {
			return adopted, err
		}
		adopted = true
	}
	return adopted, nil
}

// keepBackup stores data, whose instructor values are these, as a new
// backup, unless a backup already holds these bytes; it returns the
// backup's path.
func keepBackup(dir string, data []byte, values []string, now time.Time, st *state) (string, error) {
	backups, err := listBackups(dir)
	if err != nil {
		return "", err
	}
	want := digest(data)
	for _, b := range backups {
		if existing, err := inputfile.Read(filepath.Join(dir, b.name), maxWorkbookFile); err == nil && digest(existing) == want {
			return filepath.Join(dir, b.name), nil
		}
	}
	base := "gradebook." + now.Format("20060102-150405")
	name := filepath.Join(dir, base+".xlsx")
	for i := 2; ; i++ {
		if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
			break
		}
		name = filepath.Join(dir, fmt.Sprintf("%s-%d.xlsx", base, i))
	}
	if err := atomicfile.Write(name, data, 0o644); err != nil {
		return "", err
	}
	if st.Backups == nil {
		st.Backups = map[string]backupValues{}
	}
	st.Backups[filepath.Base(name)] = backupValues{SHA256: want, Values: valueDigests(values)}
	return name, nil
}

// pruneBackups deletes the backups that hold no instructor value missing
// from the live workbooks (whose values are live) and every newer backup.
// The newest backup, and any backup that cannot be read, are kept.
func pruneBackups(dir string, sheets []Layout, live []string, st *state) error {
	backups, err := listBackups(dir)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	addAll(seen, valueDigests(live))
	kept := map[string]backupValues{}
	for i, b := range backups {
		name := filepath.Join(dir, b.name)
		data, err := inputfile.Read(name, maxWorkbookFile)
		if err != nil {
			continue // unreadable: kept, never judged
		}
		values, ok := st.Backups[b.name]
		if sum := digest(data); !ok || values.SHA256 != sum {
			all, err := instructorValues(data, sheets)
			if err != nil {
				continue // unreadable: kept, never judged
			}
			values = backupValues{SHA256: sum, Values: valueDigests(all)}
		}
		if i > 0 && !slices.ContainsFunc(values.Values, func(v string) bool { return !seen[v] }) {
			if err := os.Remove(name); err != nil {
				return fmt.Errorf("gradebook backups: %w", err)
			}
			continue
		}
		addAll(seen, values.Values)
		kept[b.name] = values
	}
	st.Backups = kept
	return nil
}

func addAll(set map[string]bool, values []string) {
	for _, v := range values {
		set[v] = true
	}
}

// instructorValues are the instructor's values in a workbook's bytes,
// handin's sheets laid out as sheets say.
func instructorValues(data []byte, sheets []Layout) ([]string, error) {
	w, err := readInstructorWork(data, sheets, readOptions{})
	if err != nil {
		return nil, err
	}
	return w.values(), nil
}

// values are the instructor's values, each as one string naming where it
// is: the sheet, the row (by key on handin's sheets) and the column. A
// value moved to Kept names where it was, so that moving it does not make
// it a new value. A nil work has none.
func (w *instructorWork) values() []string {
	if w == nil {
		return nil
	}
	var out []string
	add := func(parts ...string) { out = append(out, strings.Join(parts, "\x00")) }
	for _, l := range w.layouts {
		s := w.sheets[l.Name]
		if s == nil {
			continue
		}
		for _, c := range s.columns {
			for key, cell := range c.cells {
				add(l.Name, describeKey(l, key), c.header, cell.cell.canonical())
			}
			if c.note != nil {
				add(l.Name, "header row", c.header+" (comment)", c.note.text)
			}
		}
		for k, n := range s.notes {
			add(l.Name, cmp.Or(describeKey(l, k.key), "header row"), k.header+" (comment)", n.text)
		}
	}
	for _, v := range w.unplaced {
		add(v.Sheet, v.Row, v.Column, v.Value.canonical())
	}
	for _, own := range w.own {
		for _, c := range own.cells {
			add(own.name, c.ref, c.cell.canonical())
		}
		for _, n := range own.notes {
			add(own.name, n.from+" (comment)", n.text)
		}
		if strings.EqualFold(own.name, KeptSheet) {
			for _, e := range own.keptEntries() {
				add(e[:]...)
			}
		}
	}
	return out
}

// keptEntries are the rows of a Kept sheet as sheet, row, column, value,
// found by the headers of its first row.
func (s *ownSheet) keptEntries() [][4]string {
	grid := map[string]keptCell{}
	for _, c := range s.cells {
		grid[c.ref] = c.cell
	}
	cols := [4]int{-1, -1, -1, -1}
	for i, h := range []string{"Sheet", "Row", "Column", "Value"} {
		for c := range len(s.columns) {
			if strings.EqualFold(grid[ref(c, 0)].Value, h) {
				cols[i] = c
			}
		}
		if cols[i] < 0 {
			return nil
		}
	}
	var out [][4]string
	for row := 1; row < s.rows; row++ {
		var e [4]string
		for i, c := range cols {
			e[i] = grid[ref(c, row)].Value
		}
		e[3] = grid[ref(cols[3], row)].canonical()
		out = append(out, e)
	}
	return out
}
