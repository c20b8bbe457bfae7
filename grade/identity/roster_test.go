package identity

import (
	"fmt"
	"strings"
	"testing"

	"handin/workspace"
)

// TestRosterMatchesNamesAddressesAndAccounts: what the roster says of its
// students maps commits under personal addresses, each identity by its
// rule, and a name two students share maps nobody.
func TestRosterMatchesNamesAddressesAndAccounts(t *testing.T) {
	roster := []workspace.Student{
		{ID: "s100001", Name: "Anna Maria Berg", Email: "anna@corp.dk", GitHub: "AnnaBerg"},
		{ID: "s100002", Name: "Bo Ek"},
		{ID: "s100003", Name: "Jiří Novák"},
		{ID: "s100004", Name: "Kim Lee"},
		{ID: "s100005", Name: "Kim  Lee"},
		{ID: "s100006", Name: "Ørsted, Helle"},
	}
	accounts := []workspace.Account{
		{Email: "a.m.b@uni.dk", Login: "annaberg"},
		{Email: "7+bo-ek@users.noreply.github.com", Login: "bo-ek", Name: "Bo Ek"},
	}
	for _, tc := range []struct {
		who                    who
		student, rule, because string
	}{
		{who{"Anna Berg", "anna.berg@gmail.com"}, "s100001", ruleRosterName, `name "Anna Berg" = roster name "Anna Maria Berg" (given and family name)`},
		{who{"x", "Anna@Corp.dk"}, "s100001", ruleRosterEmail, "anna@corp.dk"},
		{who{"work", "a.m.b@uni.dk"}, "s100001", ruleRosterLogin, "GitHub login annaberg"},
		{who{"bo", "7+bo-ek@users.noreply.github.com"}, "s100002", ruleProfileName, `GitHub profile name "Bo Ek" = roster name "Bo Ek" (folded)`},
		{who{"Ek Bo", "bo@x.org"}, "s100002", ruleRosterName, "(words in another order)"},
		{who{"jiri novak", "jn@home.cz"}, "s100003", ruleRosterName, `name "jiri novak" = roster name "Jiří Novák" (folded)`},
		{who{"H. Orsted", "helle@x.org"}, "s100006", ruleRosterName, "(initials)"},
		{who{"Kim Lee", "kim@x.org"}, "", "", ""}, // two students are Kim Lee
		{who{"Anna", "a@x.org"}, "", "", ""},      // part of a name: a suggestion at most
	} {
		c := Merge(History{Commits: history(tc.who), Roster: roster, Accounts: accounts})
		var got []string
		for _, st := range c.Students {
			if st.Commits > 0 {
				got = append(got, st.ID+" "+st.Rule+" "+st.Evidence)
			}
		}
		want := tc.student + " " + tc.rule + " "
		if tc.student == "" && len(got) > 0 || tc.student != "" && (len(got) != 1 || !strings.HasPrefix(got[0], want) || !strings.Contains(got[0], tc.because)) {
			t.Errorf("%s <%s>: mapped %q, want %q%s", tc.who.name, tc.who.email, got, want, tc.because)
		}
	}
}

// TestSuggestionsByCertainty: identities no rule maps get the roster student
// they point at, most certain first, whatever their commit counts.
func TestSuggestionsByCertainty(t *testing.T) {
	h := History{
		Roster: []workspace.Student{
			{ID: "s100001", Name: "Anna Berg"},
			{ID: "s100002", Name: "Bo Ek", GitHub: "bo-ek"},
			{ID: "s100003", Name: "Carla Dahl"},
			{ID: "s100004", Name: "Dan Frost"},
			{ID: "s100005", Name: "Eva Gran", Email: "eva.gran@corp.dk"},
			{ID: "s100006", Name: "Kim Lee"}, {ID: "s100007", Name: "Kim Holm"},
		},
	}
	for i, w := range []who{
		{"cd", "cd@x.org"},                         // initials
		{"Dan", "d@x.org"},                         // part of a name
		{"laptop", "aberg@uni.dk"},                 // an address user that spells a name
		{"b", "12+bo_ek@users.noreply.github.com"}, // a login like the roster's
		{"E", "Eva.Gran@gmail.com"},                // an address user like the roster's
		{"Kim", "kim@x.org"},                       // part of two names
		{"zed", "zed@x.org"}, {"zed", "zed@x.org"}, // nothing
	} {
		for range 8 - i { // the later, the fewer commits
			h.Commits = append(h.Commits, history(w)...)
		}
	}
	var got []string
	for _, u := range ListUnmapped(h) {
		got = append(got, fmt.Sprintf("%s %s %s", u.Email, u.Suggested, u.Basis))
	}
	want := []string{
		"12+bo_ek@users.noreply.github.com s100002 login",
		"aberg@uni.dk s100001 email-user",
		"eva.gran@gmail.com s100005 email-user",
		"d@x.org s100004 name",
		"cd@x.org s100003 initials",
		"kim@x.org  ",
		"zed@x.org  ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, u := range ListUnmapped(h) {
		if u.Suggested != "" && !strings.Contains(u.Reason, `"`) {
			t.Errorf("%s: reason %q does not say what it rests on", u.Email, u.Reason)
		}
	}
}
