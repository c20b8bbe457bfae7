package identity

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"handin/workspace"
)

type who struct{ name, email string }

func history(authors ...who) []workspace.Commit {
	cs := make([]workspace.Commit, len(authors))
	for i, a := range authors {
		cs[i] = workspace.Commit{AuthorName: a.name, AuthorEmail: a.email}
	}
	return cs
}

// match is one student's expected outcome: commits and rule.
type match struct {
	commits int
	rule    string
}

func TestMergeAuthors(t *testing.T) {
	roster := []string{"s111111", "s222222"}
	tests := []struct {
		name         string
		commits      []workspace.Commit
		authors      map[string]string
		want         map[string]match // by student id; absent students have no commits
		unmatched    int
		contributors int
		hint         string // in the first unmatched author's hint
	}{
		{
			name:    "student email",
			commits: history(who{"Ann", "s111111@student.dtu.dk"}, who{"Bo", "S222222@DTU.DK"}),
			want:    map[string]match{"s111111": {1, ruleEmail}, "s222222": {1, ruleEmail}}, contributors: 2,
		},
		{
			name:    "other dtu.dk host",
			commits: history(who{"Ann", "s111111@win.dtu.dk"}),
			want:    map[string]match{"s111111": {1, ruleEmail}}, contributors: 1,
		},
		{
			name:    "id in the user part of another address",
			commits: history(who{"Ann", "s111111@gmail.com"}),
			want:    map[string]match{"s111111": {1, ruleEmailUser}}, contributors: 1,
		},
		{
			name:    "id in the name",
			commits: history(who{"Ann Andersen (s111111)", "ann@proton.me"}, who{"bo-s222222", "bo@x.org"}),
			want:    map[string]match{"s111111": {1, ruleName}, "s222222": {1, ruleName}}, contributors: 2,
		},
		{
			name:    "id in the GitHub login",
			commits: history(who{"Ann", "4242+anns111111@users.noreply.github.com"}),
			want:    map[string]match{"s111111": {1, ruleLogin}}, contributors: 1,
		},
		{
			name:    "authors.csv by email and by name",
			commits: history(who{"Ann", "ann@proton.me"}, who{"Bo  Berg", "bo@x.org"}),
			authors: map[string]string{"ann@proton.me": "s111111", "bo berg": "s222222"},
			want:    map[string]match{"s111111": {1, ruleAuthorsCSV}, "s222222": {1, ruleAuthorsCSV}}, contributors: 2,
		},
		{
			name:    "authors.csv wins over a weaker rule",
			commits: history(who{"Ann s222222", "ann@proton.me"}),
			authors: map[string]string{"ann@proton.me": "s111111"},
			want:    map[string]match{"s111111": {1, ruleAuthorsCSV}}, contributors: 1,
		},
		{
			name: "same email, several names",
			commits: history(who{"Ann", "s111111@student.dtu.dk"}, who{"ann-laptop", "S111111@student.dtu.dk"},
				who{"Ann A.", "s111111@student.dtu.dk"}),
			want: map[string]match{"s111111": {3, ruleEmail}}, contributors: 1,
		},
		{
			name:    "same name, several emails",
			commits: history(who{"Ann Andersen", "s111111@student.dtu.dk"}, who{"ann  andersen", "ann@home.lan"}),
			want:    map[string]match{"s111111": {2, ruleEmail}}, contributors: 1,
		},
		{
			name: "GitHub login merges with the name used elsewhere",
			commits: history(who{"Ann Andersen", "12345+annand@users.noreply.github.com"},
				who{"annand", "ann@home.lan"}, who{"annand", "s111111@student.dtu.dk"}),
			want: map[string]match{"s111111": {3, ruleEmail}}, contributors: 1,
		},
		{
			name:      "generic names are not merged",
			commits:   history(who{"root", "s111111@student.dtu.dk"}, who{"root", "root@gpu-box"}),
			want:      map[string]match{"s111111": {1, ruleEmail}},
			unmatched: 1, contributors: 2,
		},
		{
			name: "two students sharing a name stay apart",
			commits: history(who{"MacBook User", "s111111@student.dtu.dk"}, who{"MacBook User", "s222222@student.dtu.dk"},
				who{"MacBook User", "x@y.z"}),
			want:         map[string]match{"s111111": {2, ruleEmail}, "s222222": {1, ruleEmail}},
			contributors: 2,
		},
		{
			name:      "id not on the roster",
			commits:   history(who{"Ann", "s999999@student.dtu.dk"}),
			unmatched: 1, contributors: 1, hint: "s999999",
		},
		{
			name: "bots are not people",
			commits: history(who{"dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"}, who{"Ann", "s111111@dtu.dk"},
				who{"GitHub Action", "action@github.com"}),
			want: map[string]match{"s111111": {1, ruleEmail}}, contributors: 1,
		},
		{
			name:      "empty and broken identities",
			commits:   history(who{"", ""}, who{"An\xffn", "\xfe@x"}, who{"", ""}),
			unmatched: 2, contributors: 2,
		},
		{
			name:      "an id inside a longer number is not an id",
			commits:   history(who{"s1111112", "a@b.c"}, who{"9s111111", "d@e.f"}),
			want:      map[string]match{"s111111": {1, ruleName}},
			unmatched: 1, contributors: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Merge(of(tt.commits, roster, tt.authors))
			for _, st := range got.Students {
				want := tt.want[st.ID]
				if st.Commits != want.commits || st.Rule != want.rule {
					t.Errorf("%s: %d commits by rule %q, want %d by %q (authors %q)",
						st.ID, st.Commits, st.Rule, want.commits, want.rule, st.Authors)
				}
				if st.Commits > 0 && got.Contributions[st.ID] != st.Commits {
					t.Errorf("contributions[%s] = %d, want %d", st.ID, got.Contributions[st.ID], st.Commits)
				}
			}
			if len(got.Unmatched) != tt.unmatched {
				t.Errorf("unmatched %+v, want %d", got.Unmatched, tt.unmatched)
			}
			if tt.hint != "" && (len(got.Unmatched) == 0 || !strings.Contains(got.Unmatched[0].Hint, tt.hint)) {
				t.Errorf("unmatched %+v, want a hint about %s", got.Unmatched, tt.hint)
			}
			if got.Count != tt.contributors {
				t.Errorf("contributors %d, want %d", got.Count, tt.contributors)
			}
			total := 0
			for _, n := range got.Contributions {
				total += n
			}
			if total != len(tt.commits) {
				t.Errorf("contributions %v add up to %d, want %d", got.Contributions, total, len(tt.commits))
			}
		})
	}
}

// TestUnmatchedAuthorListsEachNameAndEmailOnce: an unmatched person is
// listed with their distinct names and emails, sorted, all their commits and
// every identity with the merge that joined it.
func TestUnmatchedAuthorListsEachNameAndEmailOnce(t *testing.T) {
	got := Merge(of(history(who{"Zed", "zed@home.lan"}, who{"zed", "zed@home.lan"}, who{"Zed", "z@work.com"},
		who{"Zed", "zed@home.lan"}, who{"", "z@work.com"}), []string{"s111111"}, nil))
	want := []Author{{Names: []string{"Zed", "zed"}, Emails: []string{"z@work.com", "zed@home.lan"}, Commits: 5,
		Identities: []Identity{
			{Name: "Zed", Email: "zed@home.lan", Commits: 2},
			{Name: "zed", Email: "zed@home.lan", Commits: 1, Rule: mergeEmail, Evidence: "address zed@home.lan", Via: "Zed <zed@home.lan>"},
			{Name: "Zed", Email: "z@work.com", Commits: 1, Rule: mergeName, Evidence: `name "Zed"`, Via: "Zed <zed@home.lan>"},
			{Email: "z@work.com", Commits: 1, Rule: mergeEmail, Evidence: "address z@work.com", Via: "Zed <z@work.com>"},
		}}}
	if !reflect.DeepEqual(got.Unmatched, want) {
		t.Errorf("unmatched %+v, want %+v", got.Unmatched, want)
	}
}

// TestMergeAuthorsOrderIndependent: the outcome does not depend on the order
// of the history.
func TestMergeAuthorsOrderIndependent(t *testing.T) {
	cs := history(who{"MacBook User", "s111111@student.dtu.dk"}, who{"MacBook User", "x@y.z"},
		who{"MacBook User", "s222222@student.dtu.dk"}, who{"Zed", "x@y.z"})
	reversed := make([]workspace.Commit, len(cs))
	for i, c := range cs {
		reversed[len(cs)-1-i] = c
	}
	a := Merge(of(cs, []string{"s111111", "s222222"}, nil))
	b := Merge(of(reversed, []string{"s111111", "s222222"}, nil))
	if !reflect.DeepEqual(a, b) {
		t.Errorf("order matters:\n%+v\n%+v", a, b)
	}
}

func TestReadAuthorsCSV(t *testing.T) {
	tests := []struct {
		name    string
		csv     string
		want    map[string]string
		wantErr string
	}{
		{
			name: "header, comments, blank lines",
			csv:  "author,student\n# the laptop\n\nAnn@Proton.me, S111111\n  Bo   Berg ,s222222\n\"Berg, Bo\",s222222\n",
			want: map[string]string{"ann@proton.me": "s111111", "bo berg": "s222222", "berg, bo": "s222222"},
		},
		{
			name: "spreadsheet export: byte-order mark, semicolons",
			csv:  "\ufeffann@proton.me;s111111\r\nBo Berg;s222222\r\n",
			want: map[string]string{"ann@proton.me": "s111111", "bo berg": "s222222"},
		},
		{name: "no header", csv: "ann@proton.me,s111111\n", want: map[string]string{"ann@proton.me": "s111111"}},
		{name: "empty file", csv: "", want: map[string]string{}},
		{name: "same mapping twice", csv: "ann,s111111\nANN,s111111\n", want: map[string]string{"ann": "s111111"}},
		{name: "listed, not mapped yet", csv: "ann@proton.me,\nbo@x.org,s222222\n", want: map[string]string{"bo@x.org": "s222222"}},
		{name: "a spreadsheet's text mark", csv: "'=cmd,s111111\n", want: map[string]string{"=cmd": "s111111"}},
		{name: "one column", csv: "ann@proton.me,s111111\nbo@x.org\n", wantErr: "authors.csv:2: want 2 columns"},
		{name: "three columns", csv: "a,s111111,x\n", wantErr: "authors.csv:1: want 2 columns"},
		{name: "bad id", csv: "ann,s111111\nbo,12345\n", wantErr: `authors.csv:2: student id "12345"`},
		{name: "bad id on the first line is not a header", csv: "ann,s11111\nbo,s222222\n", wantErr: `authors.csv:1: student id "s11111"`},
		{name: "empty author", csv: "ann,s111111\n ,s222222\n", wantErr: "authors.csv:2: empty author"},
		{name: "conflict", csv: "ann,s111111\nbo,s222222\nAnn,s222222\n", wantErr: "authors.csv:3: \"Ann\" is mapped to s111111 on line 1"},
		{name: "broken quoting", csv: "ann,s111111\n\"bo,s222222\n", wantErr: "authors.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "authors.csv")
			if err := os.WriteFile(file, []byte(tt.csv), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := ReadAuthorsCSV(file)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	if _, err := ReadAuthorsCSV(filepath.Join(t.TempDir(), "absent.csv")); err == nil {
		t.Error("a missing authors.csv must be an error")
	}
}

// of is a history of commits by a roster of ids alone.
func of(commits []workspace.Commit, roster []string, authors map[string]string) History {
	h := History{Commits: commits, Authors: authors}
	for _, id := range roster {
		h.Roster = append(h.Roster, workspace.Student{ID: id})
	}
	return h
}
