package gradebook

import (
	"path/filepath"
	"testing"
)

// students is a sheet whose key grew a column: once the student, now the
// student and the group.
var students = Layout{
	Name:      "Students",
	Key:       []string{"Student", "Group"},
	FormerKey: []string{"Student"},
	Lead:      []Column{{Header: "Student", Width: 12}, {Header: "Group", Width: 8}},
	Offered:   []Column{{Header: "Comment", Width: 40}},
	Facts:     []Column{{Header: "Commits", Width: 9}},
}

func student(id string, group, commits int) Row {
	return Row{Sheet: students.Name, Values: []any{id, group, commits}}
}

// A gradebook written by an earlier handin with the former key (its state
// records no key) is carried over row by row: the instructor's comments on
// a student's two rows stay on them, and handin's own values there are
// known as handin's, so nothing moves to Kept. Without the former key
// handin could not tell its own values from typed ones.
func TestAFormerKeyKeepsTheInstructorsWork(t *testing.T) {
	for _, former := range []bool{true, false} {
		dir := t.TempDir()
		old := students
		old.Key, old.FormerKey = old.FormerKey, nil
		if _, err := Write(dir, []Layout{old}, rowsOf(nil, student("s1", 3, 5), student("s2", 3, 2), student("s1", 5, 7)), now); err != nil {
			t.Fatal(err)
		}
		// What an earlier handin remembered: no key.
		st := loadState(filepath.Join(dir, StateFile))
		st.Values[students.Name].Key = nil
		if err := st.save(filepath.Join(dir, StateFile)); err != nil {
			t.Fatal(err)
		}
		f := open(t, filepath.Join(dir, File))
		for cell, comment := range map[string]string{"C2": "group 3: did the CI", "C4": "group 5: on leave"} {
			if err := f.SetCellStr(students.Name, cell, comment); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.Save(); err != nil {
			t.Fatal(err)
		}

		layout := students
		if !former {
			layout.FormerKey = nil
		}
		w, err := Write(dir, []Layout{layout}, rowsOf(nil, student("s1", 3, 6), student("s1", 5, 7), student("s2", 3, 2)), now)
		if err != nil {
			t.Fatal(err)
		}
		if former != (w.Kept == 0) {
			t.Errorf("former key %v: %d values kept apart", former, w.Kept)
		}
		rows, err := open(t, filepath.Join(dir, File)).GetRows(students.Name)
		if err != nil {
			t.Fatal(err)
		}
		want := [][]string{{"Student", "Group", "Comment", "Commits"},
			{"s1", "3", "group 3: did the CI", "6"}, {"s1", "5", "group 5: on leave", "7"}, {"s2", "3", "", "2"}}
		for i, row := range want {
			if i >= len(rows) || len(rows[i]) < 3 || rows[i][0] != row[0] || rows[i][1] != row[1] || rows[i][2] != row[2] {
				t.Errorf("former key %v: rows %q, want %q", former, rows, want)
				break
			}
		}
	}
}
