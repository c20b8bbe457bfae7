package identity

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
)

func TestUnmappedIdentities(t *testing.T) {
	roster := []string{"s111111", "s213162", "s333333"}
	commits := history(
		who{"Ann", "s111111@dtu.dk"},
		who{"EstebanAguayo", "s23162@dtu.dk"}, who{"EstebanAguayo", "s23162@dtu.dk"},
		who{"EstebanAguayo", "7+estebanaguayo@users.noreply.github.com"},
		who{"Zed", "zed@x.org"}, who{"Zed", "zed@x.org"}, who{"Zed", "zed@x.org"}, who{"Zed", "zed@x.org"},
		who{"dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"},
	)
	got := ListUnmapped(of(commits, roster, nil))
	typo := `"s23162" in EstebanAguayo <s23162@dtu.dk> is one typo away from roster id s213162`
	// The person with a suggestion first, though Zed has more commits.
	want := []Unmapped{
		{Key: "s23162@dtu.dk", Name: "EstebanAguayo", Email: "s23162@dtu.dk", Commits: 2, Suggested: "s213162", Reason: typo, Basis: basisStudentID},
		{Key: "7+estebanaguayo@users.noreply.github.com", Name: "EstebanAguayo", Email: "7+estebanaguayo@users.noreply.github.com",
			Commits: 1, Person: "EstebanAguayo <s23162@dtu.dk>", Suggested: "s213162", Reason: typo, Basis: basisStudentID},
		{Key: "zed@x.org", Name: "Zed", Email: "zed@x.org", Commits: 4},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	// Mapping one identity in authors.csv maps the whole person.
	got = ListUnmapped(of(commits, roster, map[string]string{"7+estebanaguayo@users.noreply.github.com": "s213162"}))
	if len(got) != 1 || got[0].Key != "zed@x.org" {
		t.Errorf("after mapping Esteban: %+v", got)
	}
}

// TestUnmappedIdentitiesOnlyIdleStudent: one unmapped person and one roster
// student without commits: suggested, with a warning to check.
func TestUnmappedIdentitiesOnlyIdleStudent(t *testing.T) {
	got := ListUnmapped(of(history(who{"Ann", "s111111@dtu.dk"}, who{"bo-laptop", "bo@home.org"}),
		[]string{"s111111", "s222222"}, nil))
	if len(got) != 1 || got[0].Suggested != "s222222" || !strings.Contains(got[0].Reason, "check before mapping") {
		t.Errorf("got %+v", got)
	}
	// Two unmapped people: nothing to suggest.
	got = ListUnmapped(of(history(who{"Ann", "s111111@dtu.dk"}, who{"bo-laptop", "bo@home.org"}, who{"Cy", "cy@x.org"}),
		[]string{"s111111", "s222222"}, nil))
	if len(got) != 2 || got[0].Suggested != "" || got[1].Suggested != "" {
		t.Errorf("got %+v", got)
	}
}

// TestUnmappedIdentitiesOffRosterID: an id that is not on the roster (and
// not one typo from it) is reported, not suggested.
func TestUnmappedIdentitiesOffRosterID(t *testing.T) {
	got := ListUnmapped(of(history(who{"Ann", "s999999@student.dtu.dk"}), []string{"s111111", "s222222"}, nil))
	if len(got) != 1 || got[0].Suggested != "" || !strings.Contains(got[0].Reason, "s999999") {
		t.Errorf("got %+v", got)
	}
}

func TestOneEditApart(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{{"s23162", "s213162", true}, {"s213162", "s213163", true}, {"s2131622", "s213162", true},
		{"s213162", "s213162", false}, {"s2162", "s213162", false}, {"s123456", "s654321", false}, {"", "a", true}} {
		if got := oneEditApart(c.a, c.b); got != c.want {
			t.Errorf("oneEditApart(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

var authorsGroups = []AuthorsGroup{
	{Group: 3, Identities: []Unmapped{
		{Key: "zed@x.org", Name: "Zed, the laptop", Email: "zed@x.org", Commits: 4},
		{Key: "s23162@dtu.dk", Name: "Esteban", Email: "s23162@dtu.dk", Commits: 2, Suggested: "s213162", Reason: "one typo away"},
	}},
	{Group: 5, Identities: []Unmapped{
		{Key: "=cmd|' /C calc'!A0", Name: "=cmd|' /C calc'!A0", Commits: 1},
		{Key: "zed@x.org", Name: "Zed", Email: "zed@x.org", Commits: 1}, // listed under group 3 already
	}},
	{Group: 7, Identities: []Unmapped{{Key: "ann@proton.me", Name: "Ann", Email: "ann@proton.me", Commits: 9}}},
}

// TestExtendAuthorsCSVNew: a new file gets a header, a section per group
// with new identities, and reads back as mapping nothing yet.
func TestExtendAuthorsCSVNew(t *testing.T) {
	got, added, err := ExtendAuthorsCSV(nil, authorsGroups)
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 3 || len(added[0].Identities) != 2 || len(added[1].Identities) != 1 || added[1].Identities[0].Commits != 1 {
		t.Errorf("added %+v", added)
	}
	want := authorsHeader + `# group 3 (2 unmapped)
# Zed  the laptop <zed@x.org>: 4 commits
zed@x.org,
# Esteban <s23162@dtu.dk>: 2 commits - suggested s213162 (one typo away)
s23162@dtu.dk,s213162
# group 5 (1 unmapped)
# =cmd ' /C calc'!A0 <>: 1 commits
"'=cmd|' /C calc'!A0",
# group 7 (1 unmapped)
# Ann <ann@proton.me>: 9 commits
ann@proton.me,
`
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// Only the suggestion maps, once the instructor keeps its line.
	if m, err := ParseAuthorsCSV(got, "authors.csv"); err != nil || !reflect.DeepEqual(m, map[string]string{"s23162@dtu.dk": "s213162"}) {
		t.Errorf("reads back as %v, %v", m, err)
	}
}

// TestExtendAuthorsCSVKeepsEveryLine: an instructor's file (spreadsheet
// export: BOM, semicolons, CRLF, no final line end) keeps every line byte
// for byte; identities it lists, mapped or not, are not added again; the
// additions use its separator and line ends; running it again adds nothing.
func TestExtendAuthorsCSVKeepsEveryLine(t *testing.T) {
	existing := "\ufeffauthor;student_id\r\n# mine\r\nZed@X.org;s111111\r\nann@proton.me;"
	got, added, err := ExtendAuthorsCSV([]byte(existing), authorsGroups)
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 2 || added[0].Group != 3 || len(added[0].Identities) != 1 || added[1].Group != 5 {
		t.Errorf("added %+v", added)
	}
	if !bytes.HasPrefix(got, []byte(existing+"\r\n")) {
		t.Fatalf("existing lines changed:\n%q", got)
	}
	addedText := string(got[len(existing)+2:])
	wantAdded := "# group 3 (1 unmapped)\r\n# Esteban <s23162@dtu.dk>: 2 commits - suggested s213162 (one typo away)\r\ns23162@dtu.dk;s213162\r\n" +
		"# group 5 (1 unmapped)\r\n# =cmd ' /C calc'!A0 <>: 1 commits\r\n\"'=cmd|' /C calc'!A0\";\r\n"
	if addedText != wantAdded {
		t.Errorf("added\n%q\nwant\n%q", addedText, wantAdded)
	}
	m, err := ParseAuthorsCSV(got, "authors.csv")
	if err != nil || !reflect.DeepEqual(m, map[string]string{"zed@x.org": "s111111", "s23162@dtu.dk": "s213162"}) {
		t.Errorf("reads back as %v, %v", m, err)
	}
	again, added, err := ExtendAuthorsCSV(got, authorsGroups)
	if err != nil || !bytes.Equal(again, got) || len(added) != 0 {
		t.Errorf("a second run changed the file (%v):\n%s", err, again)
	}
}

// TestExtendAuthorsCSVRefusesBrokenFile: a file handin cannot read is not
// extended (the instructor's lines would be buried under new ones).
func TestExtendAuthorsCSVRefusesBrokenFile(t *testing.T) {
	if _, _, err := ExtendAuthorsCSV([]byte("ann,s11111x\n"), authorsGroups); err == nil {
		t.Error("extended a file with a bad student id")
	}
}

// TestAuthorsCSVHasNoFormulaUnderAnySeparator: a student's address or name
// holding a list separator other than the file's (';' opened in Danish
// Excel, a tab, '|') splits into no cell that starts a formula, whichever
// separator the spreadsheet splits at, and reads back as written; a name
// that would read backwards is shown with its escape.
func TestAuthorsCSVHasNoFormulaUnderAnySeparator(t *testing.T) {
	hostile := []Unmapped{
		{Key: "a;=2+2@evil.example", Name: "Eve;=1+1", Email: "a;=2+2@evil.example", Commits: 1},
		{Key: "b\t=1+1@evil.example", Name: "Tab\t+1", Email: "b\t=1+1@evil.example", Commits: 1},
		{Key: "c|=1@evil.example", Name: "Pipe|@SUM(1)", Email: "c|=1@evil.example", Commits: 1},
		{Key: "d,-1@evil.example", Name: `Quote"=1`, Email: "d,-1@evil.example", Commits: 1},
		{Key: "e@evil.example", Name: "Eve\u202elin", Email: "e@evil.example", Commits: 1},
	}
	for _, existing := range []string{"", "author;student_id\n"} {
		got, _, err := ExtendAuthorsCSV([]byte(existing), []AuthorsGroup{{Group: 1, Identities: hostile}})
		if err != nil {
			t.Fatal(err)
		}
		if strings.ContainsRune(string(got), '\u202e') || !strings.Contains(string(got), `Eve\u202elin`) {
			t.Errorf("a right-to-left override is not shown as its escape:\n%s", got)
		}
		for _, sep := range listSeparators {
			r := csv.NewReader(bytes.NewReader(got))
			r.Comma, r.FieldsPerRecord, r.LazyQuotes = sep, -1, true
			records, err := r.ReadAll()
			if err != nil {
				t.Fatalf("read with %q: %v", sep, err)
			}
			for _, rec := range records {
				for _, cell := range rec {
					if strings.IndexAny(strings.TrimSpace(cell), "=+-@") == 0 {
						t.Errorf("opened with %q as the separator, a cell is a formula: %q\n%s", sep, cell, got)
					}
				}
			}
		}
		// The instructor writes an id on every line of an identity.
		var filled strings.Builder
		for line := range strings.Lines(string(got)) {
			if !strings.HasPrefix(line, "#") && strings.Contains(line, "evil.example") {
				line = strings.TrimSuffix(line, "\n") + "s123456\n"
			}
			filled.WriteString(line)
		}
		m, err := ParseAuthorsCSV([]byte(filled.String()), "authors.csv")
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range hostile {
			if m[authorsKey(u.Key)] != "s123456" {
				t.Errorf("%q does not read back as written: %v\n%s", u.Key, m, filled.String())
			}
		}
	}
}
