package feedback

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"handin/grade"
	"handin/grade/identity"
	"handin/workspace"
)

// TestDocsDescribeTheData: docs/feedback.md names every field of Data and
// shows the built-in template as it is.
func TestDocsDescribeTheData(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "feedback.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[Data](), reflect.TypeFor[Question](), reflect.TypeFor[Finding]()} {
		for f := range typ.Fields() {
			if !strings.Contains(string(doc), "`."+f.Name+"`") {
				t.Errorf("docs/feedback.md does not describe %s.%s", typ.Name(), f.Name)
			}
		}
	}
	if !strings.Contains(string(doc), "```\n"+defaultTemplate+"```") {
		t.Error("docs/feedback.md does not show the built-in template as it is")
	}
}

// TestMarksAreReadByHeader: the instructor's columns are found by header
// wherever they are (a header row below a title row, columns moved), a
// Total never computed is left empty, absent columns give empty values.
func TestMarksAreReadByHeader(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Groups")
	rows := map[string][]any{
		"A1": {"Course 02476, grades"},
		"A3": {"Max", "Group", "Page", "Comment", "Grade", "Total"},
		"A4": {10, 1, "group 1", "Good work.", "B", nil},
		"A5": {10, 2, "group 2", nil, 7, 6.5},
		"A6": {nil, "x", "below the table"},
	}
	for cell, values := range rows {
		if err := f.SetSheetRow("Groups", cell, &values); err != nil {
			t.Fatal(err)
		}
	}
	f.SetCellFormula("Groups", "F4", "SUM(Questions!D2:D3)") // never computed: no value
	f.NewSheet("Questions")
	for cell, values := range map[string][]any{
		"A1": {"Group", "Question", "Comment", "Score"},
		"A2": {1, 1, "Clear.", 2},
		"A3": {1, 3, nil, 1.5},
		"A4": {2, 1, nil, nil},
	} {
		if err := f.SetSheetRow("Questions", cell, &values); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "gradebook.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	marks, err := ReadMarks(path)
	if err != nil {
		t.Fatal(err)
	}
	one, two := marks[1], marks[2]
	if one == nil || two == nil || len(marks) != 2 {
		t.Fatalf("marks of groups %v, want 1 and 2", marks)
	}
	if one.Grade != "B" || one.Comment != "Good work." || one.Total != "" || one.Max != "10" {
		t.Errorf("group 1: %+v", one)
	}
	if two.Grade != "7" || two.Total != "6.5" || len(two.Questions) != 0 {
		t.Errorf("group 2: %+v", two)
	}
	if q := one.Questions; len(q) != 2 || q[1] != (Scored{"2", "Clear."}) || q[3] != (Scored{"1.5", ""}) {
		t.Errorf("group 1's questions: %+v", q)
	}

	d := Build(&grade.GroupResult{Group: 1, Students: []identity.StudentStats{{ID: "s100001"}}, Pin: workspace.Pin{SHA: "not a sha"}}, one, DefaultLevels)
	if d.Total != "3.5" || d.Commit != "" || len(d.Questions) != 2 || d.Questions[0].Number != 1 {
		t.Errorf("data of group 1: %+v", d)
	}
}

// TestFindingsOfTheChosenLevels: only the chosen levels, most pressing
// first, their messages escaped; never what comparing groups found, which
// names the other groups, whatever its level.
func TestFindingsOfTheChosenLevels(t *testing.T) {
	r := &grade.GroupResult{Group: 4, Findings: []grade.Finding{
		{Kind: grade.KindPlaceholder, Level: grade.LevelCheck, Question: 5, Message: "placeholder left"},
		{Kind: grade.KindMissingFile, Level: grade.LevelGrade, Question: 7, Message: "figure [a](b).png is not in the repository"},
		{Kind: grade.KindBackdated, Level: grade.LevelAct, Message: "backdated"},
		{Kind: grade.KindSimilarAnswer, Level: grade.LevelCheck, Question: 6, Message: "shares 80 % with group 9's answer"},
		{Kind: grade.KindSharedHistory, Level: grade.LevelGrade, Message: "shares git history with group 9"},
		{Kind: grade.KindStudentTwoRows, Level: grade.LevelCheck, Message: "s100001 also on line 3 (group 9)"},
	}}
	d := Build(r, nil, []grade.Level{grade.LevelCheck, grade.LevelGrade})
	if len(d.Findings) != 2 || d.Findings[0].Kind != grade.KindMissingFile || d.Findings[1].Kind != grade.KindPlaceholder {
		t.Fatalf("findings %+v: want the grade one, then the check one", d.Findings)
	}
	if d.Findings[0].Message != Text("figure [a](b).png is not in the repository") {
		t.Errorf("message not escaped: %q", d.Findings[0].Message)
	}
	tmpl, err := Template("", "")
	if err != nil {
		t.Fatal(err)
	}
	body, err := Render(tmpl, d)
	if err != nil || !strings.HasSuffix(body, "\n\n"+Marker+"\n") || !strings.Contains(body, "- Question 7, figure missing at the deadline: figure \\[a\\]\\(b\\)\\.\u2060png") {
		t.Errorf("body %q, %v", body, err)
	}
	if _, err := Template("mine.tmpl", "{{.Grade}"); err == nil || !strings.Contains(err.Error(), "mine.tmpl") {
		t.Errorf("a broken template: %v", err)
	}
	tmpl, _ = Template("mine.tmpl", "{{.Nothing}}")
	if _, err := Render(tmpl, d); err == nil || !strings.Contains(err.Error(), "group 4") {
		t.Errorf("a template asking for a field Data has not: %v", err)
	}
}
