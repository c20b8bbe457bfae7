package scrape

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"handin/workspace"
)

func TestReadGroupsWithNamesAddressesAndLogins(t *testing.T) {
	groups := readGroupsString(t, "group_number,student_1,student_1_name,student_1_github,student_2,student_2_email,repo_url\n"+
		"1,s200001,  Anna   Berg ,https://github.com/aberg,s200002,bo@example.org,https://github.com/o/g1\n"+
		"2,s200003,,,s200004,,https://github.com/o/g2\n"+
		"3,s200005,Cy,not a login,s200006,no-at-sign,https://github.com/o/g3\n"+
		"4,,Dee,,,,https://github.com/o/g4\n")
	want := []workspace.Student{{ID: "s200001", Name: "Anna Berg", GitHub: "aberg"}, {ID: "s200002", Email: "bo@example.org"}}
	if g := groups[0]; g.Err != nil || !reflect.DeepEqual(g.Roster, want) || !reflect.DeepEqual(g.Students, []string{"s200001", "s200002"}) {
		t.Errorf("row 1: %+v, %v; want the roster %+v", g.Roster, g.Err, want)
	}
	if g := groups[1]; g.Err != nil || g.Roster != nil {
		t.Errorf("row 2 says nothing but ids: %+v, %v", g.Roster, g.Err)
	}
	if err := groups[2].Err; err == nil || !strings.Contains(err.Error(), `"not a login" is not a GitHub login`) ||
		!strings.Contains(err.Error(), "groups.csv:4") {
		t.Errorf("row 3: %v", err)
	}
	if err := groups[3].Err; err == nil || !strings.Contains(err.Error(), `name "Dee" given without its student id`) {
		t.Errorf("row 4 (a name without an id): %v", err)
	}

	_, err := ReadGroups(strings.NewReader("group_number,student_1,student_2_name,repo_url\n"), "groups.csv", courseZone(t))
	if err == nil || !strings.Contains(err.Error(), `column "student_2_name" has no column student_2`) {
		t.Errorf("a name column without its student: %v", err)
	}
}

func TestReadStudentsFile(t *testing.T) {
	write := func(content string) string {
		name := filepath.Join(t.TempDir(), "students.csv")
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}
	// As a class list exports it from a spreadsheet in a Danish locale.
	got, err := ReadStudentsFile(write("\ufeffStudent number;First name;Last name;E-mail;GitHub username;Study line\r\n" +
		"s200001;Anna Maria;Berg;s200001@dtu.dk;@aberg;MSc\r\n" +
		";;;;;\r\n" +
		"S200002;Bo;Ek;;;BSc\r\n"))
	want := []workspace.Student{{ID: "s200001", Name: "Anna Maria Berg", Email: "s200001@dtu.dk", GitHub: "aberg"}, {ID: "S200002", Name: "Bo Ek"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("class list: %+v, %v; want %+v", got, err, want)
	}
	for content, says := range map[string]string{
		"name,email\nAnna,a@x.org\n":                   "header must name a column id",
		"id,name\ns200001,Anna\ns200001,Anna B\n":      "student s200001 is listed on line 2 already",
		"id,name\n,Anna\n":                             "students.csv:2: no student id",
		"id,github\ns200001,https://gitlab.com/anna\n": "is not a GitHub login",
		"id,github\ns200001,dependabot[bot]\n":         "is not a GitHub login",
		"":                                             "empty file",
		"id,name\ns200001,\"Anna\n":                    "read students",
	} {
		if _, err := ReadStudentsFile(write(content)); err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%q: %v, want an error saying %q", content, err, says)
		}
	}
}

// TestRosterFromRowAndFile: the row's columns first, the file for what they
// leave empty; students of other groups are not this group's.
func TestRosterFromRowAndFile(t *testing.T) {
	g := Group{Students: []string{"s200001", "s200002", "s200003"}, Roster: []workspace.Student{{ID: "s200001", Name: "Anna Berg"}}}
	file := []workspace.Student{
		{ID: "S200001", Name: "Anna Maria Berg", GitHub: "aberg"},
		{ID: "s200002", Email: "bo@example.org"},
		{ID: "s999999", Name: "Someone Else"},
	}
	want := []workspace.Student{{ID: "s200001", Name: "Anna Berg", GitHub: "aberg"}, {ID: "s200002", Email: "bo@example.org"}}
	if got := withStudents(g, file); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
