package archive

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func reports(groups ...int) []Report {
	var out []Report
	for _, g := range groups {
		out = append(out, Report{Group: g, Answers: []Answer{{Question: 1, Text: fmt.Sprint("group ", g)}, {Question: 2, Text: "two\nlines"}}})
	}
	return out
}

func TestAddReplacesTheCourseAndListsIt(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "archive")
	if _, err := Add(dir, "mlops", 2025, reports(3, 1, 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := Add(dir, "mlops", 2024, reports(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := Add(dir, "mlops", 2025, reports(4, 5)); err != nil { // again: replaces
		t.Fatal(err)
	}
	courses, err := List(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []Course{{"mlops", 2024, 1, 2, "mlops-2024.jsonl"}, {"mlops", 2025, 2, 4, "mlops-2025.jsonl"}}
	if len(courses) != 2 || courses[0] != want[0] || courses[1] != want[1] {
		t.Errorf("list %+v, want %+v", courses, want)
	}
	var read []string
	err = Read(dir, func(r Report) {
		read = append(read, fmt.Sprint(r.Course, " ", r.Year, " ", r.Group, " ", r.Answers[1].Text))
	})
	if got := strings.Join(read, "|"); err != nil || got != "mlops 2024 1 two\nlines|mlops 2025 4 two\nlines|mlops 2025 5 two\nlines" {
		t.Errorf("read %q, %v", got, err)
	}
}

func TestABadFileIsNamedAndTheOthersRead(t *testing.T) {
	dir := t.TempDir()
	if _, err := Add(dir, "a", 2024, reports(1, 2)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "b-2025.jsonl"), []byte("{\"course\":\"b\",\"year\":2025,\"group\":1,\"question\":1,\"text\":\"x\"}\nnot json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var groups []int
	err := Read(dir, func(r Report) { groups = append(groups, r.Group) })
	if err == nil || !strings.Contains(err.Error(), "b-2025.jsonl:2") {
		t.Errorf("error %v, want one naming b-2025.jsonl line 2", err)
	}
	if len(groups) != 3 {
		t.Errorf("read groups %v, want a's two and b's first", groups)
	}
}

func TestCourseNamesCannotLeaveTheFolder(t *testing.T) {
	for _, name := range []string{"../x", "a/b", "", ".hidden"} {
		if _, err := Add(t.TempDir(), name, 2025, reports(1)); err == nil {
			t.Errorf("course name %q accepted", name)
		}
	}
}
