package scrape

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"handin/internal/coursetime"
)

const groupsHeader = "group_number,student_1,student_2,student_3,student_4,student_5,repo_url\n"

func readGroupsString(t *testing.T, csv string) []Group {
	t.Helper()
	groups, err := ReadGroups(strings.NewReader(csv), "groups.csv", courseZone(t))
	if err != nil {
		t.Fatalf("ReadGroups: %v", err)
	}
	return groups
}

func courseZone(t *testing.T) *time.Location {
	t.Helper()
	loc, err := coursetime.LoadZone(coursetime.DefaultZone)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestReadGroupsValidRows(t *testing.T) {
	csv := "\ufeff" + strings.ReplaceAll(
		"Group_Number , student_1,student_2,student_3,student_4,student_5,Repo_URL,Deadline,branch,notes\n"+
			"\n"+
			`1,s200001,s200002,,,,https://github.com/dtu-mlops/g1,,,"late, but fine"`+"\n"+
			`2, "s200003","s200004",s200005,s200006,s200007,"git@github.com:dtu-mlops/g2.git",2026-01-25T12:00:00+01:00,refs/heads/submission,`+"\n"+
			",,,,,,,,,\n"+
			`3,s200008,,,,,http://127.0.0.1:8080/g3.git/,,dev,"two`+"\n"+`lines"`+"\n"+
			`4,s200009,,,,,  https://github.com/dtu-mlops/g4/blob/main/reports/README.md  ,,,`+"\n",
		"\n", "\r\n")
	groups := readGroupsString(t, csv)
	extension := time.Date(2026, 1, 25, 12, 0, 0, 0, time.FixedZone("", 3600))
	want := []Group{
		{Number: 1, Students: []string{"s200001", "s200002"}, RawURL: "https://github.com/dtu-mlops/g1",
			URL: "https://github.com/dtu-mlops/g1.git", WebURL: "https://github.com/dtu-mlops/g1", Line: 3},
		{Number: 2, Students: []string{"s200003", "s200004", "s200005", "s200006", "s200007"}, RawURL: "git@github.com:dtu-mlops/g2.git",
			URL: "https://github.com/dtu-mlops/g2.git", WebURL: "https://github.com/dtu-mlops/g2", Deadline: &extension, Branch: "submission", Line: 4},
		{Number: 3, Students: []string{"s200008"}, RawURL: "http://127.0.0.1:8080/g3.git/",
			URL: "http://127.0.0.1:8080/g3.git", WebURL: "http://127.0.0.1:8080/g3", Branch: "dev", Line: 6},
		{Number: 4, Students: []string{"s200009"}, RawURL: "https://github.com/dtu-mlops/g4/blob/main/reports/README.md",
			URL: "https://github.com/dtu-mlops/g4.git", WebURL: "https://github.com/dtu-mlops/g4", Line: 8}, // after a two-line field
	}
	if len(groups) != len(want) {
		t.Fatalf("got %d groups, want %d: %+v", len(groups), len(want), groups)
	}
	for i := range want {
		got := groups[i]
		if got.Err != nil {
			t.Errorf("row %d: unexpected error %v", i, got.Err)
		}
		if got.Deadline != nil && want[i].Deadline != nil && got.Deadline.Equal(*want[i].Deadline) {
			got.Deadline = want[i].Deadline
		}
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got, want[i])
		}
	}
}

func TestReadGroupsInvalidRows(t *testing.T) {
	for _, tc := range []struct {
		name, rows string
		number     int
		wantErr    []string // substrings of Err; the first is the file:line prefix
	}{
		{"missing url", "4,s200001,,,,,\n", 4, []string{"groups.csv:2: ", "missing repo_url"}},
		{"blank url", "4,s200001,,,,,   \n", 4, []string{"groups.csv:2: ", "missing repo_url"}},
		{"file url", "4,s200001,,,,,file:///etc/passwd\n", 4, []string{"groups.csv:2: ", "local filesystem"}},
		{"bad url", "4,s200001,,,,,ftp://example.com/r.git\n", 4, []string{"groups.csv:2: ", `unsupported scheme "ftp"`}},
		{"non-integer number", "four,s200001,,,,,https://github.com/o/r\n", 0, []string{"groups.csv:2: ", `group number "four" is not a positive integer`}},
		{"zero number", "0,s200001,,,,,https://github.com/o/r\n", 0, []string{"groups.csv:2: ", `group number "0"`}},
		{"negative number", "-3,s200001,,,,,https://github.com/o/r\n", 0, []string{"groups.csv:2: ", `group number "-3"`}},
		{"missing number", ",s200001,,,,,https://github.com/o/r\n", 0, []string{"groups.csv:2: ", "missing group number"}},
		{"too few fields", "4,s200001,https://github.com/o/r\n", 4, []string{"groups.csv:2: ", "has 3 fields, the header has 7", "missing repo_url"}},
		{"too many fields", "4,s200001,,,,,https://github.com/o/r,extra\n", 4, []string{"groups.csv:2: ", "has 8 fields, the header has 7"}},
		{"bare quote", "4,s2\"00001,,,,,https://github.com/o/r\n", 0, []string{"groups.csv:2: ", "malformed CSV", "bare"}},
		{"several problems", "x,s200001,,,,,ftp://h/r\n", 0, []string{"groups.csv:2: ", "group number", "; ", "ftp"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			groups := readGroupsString(t, groupsHeader+tc.rows+"9,s200009,,,,,https://github.com/o/ok\n")
			if len(groups) != 2 {
				t.Fatalf("got %d groups, want the bad row and the good one: %+v", len(groups), groups)
			}
			bad, good := groups[0], groups[1]
			if bad.Err == nil {
				t.Fatalf("row accepted: %+v", bad)
			}
			msg := bad.Err.Error()
			if !strings.HasPrefix(msg, tc.wantErr[0]) {
				t.Errorf("error %q does not start with %q", msg, tc.wantErr[0])
			}
			for _, want := range tc.wantErr[1:] {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q lacks %q", msg, want)
				}
			}
			if bad.Number != tc.number || bad.Line != 2 {
				t.Errorf("bad row: number %d line %d, want %d line 2", bad.Number, bad.Line, tc.number)
			}
			if good.Err != nil || good.Number != 9 || good.Line != 3 {
				t.Errorf("the row after a bad one: %+v", good)
			}
		})
	}
}

// A quote left open swallows the rows below it; they are read again as rows
// of their own, so only the broken row is invalid.
func TestReadGroupsUnclosedQuote(t *testing.T) {
	groups := readGroupsString(t, groupsHeader+
		"1,\"s200001,,,,,https://github.com/o/a\n"+
		"2,s200002,,,,,https://github.com/o/b\n"+
		"\n"+
		"3,s200003,,,,,\"https://github.com/o/c\n"+
		"4,s200004,,,,,https://github.com/o/d\n")
	var got []string
	for _, g := range groups {
		got = append(got, fmt.Sprintf("%d:%d:%v", g.Line, g.Number, g.Err != nil))
	}
	if want := []string{"2:0:true", "3:2:false", "5:0:true", "6:4:false"}; !slices.Equal(got, want) {
		t.Fatalf("line:number:invalid = %v, want %v", got, want)
	}
	if msg := groups[0].Err.Error(); !strings.HasPrefix(msg, "groups.csv:2: malformed CSV") || !strings.Contains(msg, "not closed") {
		t.Errorf("error %q", msg)
	}
}

func TestReadGroupsDeadlineAndBranch(t *testing.T) {
	header := "group_number,student_1,repo_url,deadline,branch\n"
	for _, tc := range []struct{ row, wantErr string }{
		{"5,s200001,https://github.com/o/r,2026-01-23,\n", `deadline "2026-01-23" has no time of day`},
		{"5,s200001,https://github.com/o/r,23/01/2026 23:59,\n", "a time in the course's time zone"},
		{"5,s200001,https://github.com/o/r,,bad..name\n", `branch "bad..name" is not a valid branch name`},
		{"5,s200001,https://github.com/o/r,,-x\n", `branch "-x"`},
		{"5,s200001,https://github.com/o/r,,a/" + strings.Repeat("b", 256) + "\n", "the branch name is too long to keep: a part of 256 bytes"},
		{"5,s200001,https://github.com/o/r,," + strings.Repeat("b/", 600) + "c\n", "the branch name is too long to keep: 1201 bytes"},
	} {
		groups := readGroupsString(t, header+tc.row)
		if len(groups) != 1 || groups[0].Err == nil || !strings.Contains(groups[0].Err.Error(), "groups.csv:2: ") ||
			!strings.Contains(groups[0].Err.Error(), tc.wantErr) {
			t.Errorf("row %q: got %+v, want error %q on line 2", tc.row, groups, tc.wantErr)
		}
	}
}

// A deadline column takes what --deadline takes: a local time is read in
// the course's time zone.
func TestReadGroupsLocalDeadline(t *testing.T) {
	groups := readGroupsString(t, "group_number,student_1,repo_url,deadline\n5,s200001,https://github.com/o/r,2026-01-26 23:59\n")
	want := time.Date(2026, 1, 26, 23, 59, 0, 0, courseZone(t))
	if len(groups) != 1 || groups[0].Err != nil || groups[0].Deadline == nil || !groups[0].Deadline.Equal(want) {
		t.Fatalf("got %+v, want group 5 with deadline %v", groups, want)
	}
}

func TestReadGroupsDuplicateNumber(t *testing.T) {
	groups := readGroupsString(t, groupsHeader+
		"7,s200001,,,,,https://github.com/o/a\n"+
		"8,s200002,,,,,https://github.com/o/b\n"+
		"\n"+
		"7,s200003,,,,,https://github.com/o/c\n")
	if len(groups) != 3 {
		t.Fatalf("got %d groups: %+v", len(groups), groups)
	}
	if groups[0].Err != nil || groups[1].Err != nil {
		t.Errorf("first rows must stay valid: %v, %v", groups[0].Err, groups[1].Err)
	}
	dup := groups[2]
	if dup.Err == nil || dup.Err.Error() != "groups.csv:5: duplicate group number 7 (first on line 2)" || dup.Number != 7 {
		t.Errorf("duplicate: %+v", dup)
	}
}

func TestReadGroupsUnusableFile(t *testing.T) {
	for _, tc := range []struct{ name, csv, wantErr string }{
		{"empty", "", "groups.csv: empty file"},
		{"only blank lines", "\n\r\n,,,\n", "groups.csv: empty file"},
		{"bom only", "\ufeff", "groups.csv: empty file"},
		{"no header", "1,s200001,,,,,https://github.com/o/r\n", "groups.csv:1: header must name the columns group_number and repo_url"},
		{"no url column", "group_number,student_1\n1,s200001\n", "groups.csv:1: header must name"},
		{"duplicate column", "group_number,repo_url,Repo_URL\n", `groups.csv:1: column "repo_url" appears twice`},
		{"broken header", "\n\ngroup_number,\"repo_url\n", "groups.csv"},
	} {
		groups, err := ReadGroups(strings.NewReader(tc.csv), "groups.csv", nil)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("%s: got %+v, %v; want error %q", tc.name, groups, err, tc.wantErr)
		}
	}
	if groups, err := ReadGroups(strings.NewReader(groupsHeader), "groups.csv", nil); err != nil || len(groups) != 0 {
		t.Errorf("header only: %+v, %v", groups, err)
	}
}

func TestReadGroupsFileRepoExample(t *testing.T) {
	groups, err := ReadGroupsFile(filepath.Join("..", "groups.csv"), courseZone(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) < 5 {
		t.Errorf("example has %d groups, want at least 5", len(groups))
	}
	extensions := 0
	for _, g := range groups {
		if g.Err != nil {
			t.Errorf("example row invalid: %v", g.Err)
		}
		if g.Deadline != nil {
			extensions++
		}
	}
	if extensions == 0 {
		t.Error("example shows no deadline extension")
	}
	if _, err := ReadGroupsFile(filepath.Join(t.TempDir(), "missing.csv"), nil); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("missing file: %v", err)
	}
}
