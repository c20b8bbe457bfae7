package identity

import (
	"reflect"
	"testing"
)

func TestFoldName(t *testing.T) {
	for in, want := range map[string]string{
		"Anna Berg": "annaberg", "AnnaBerg": "annaberg", "Jiří Novák": "jirinovak", "jiri.novak": "jirinovak",
		"Rebekka Jóhannsdóttir": "rebekkajohannsdottir", "Thomas Schiøler": "thomasschioler", "bruijnis-b": "bruijnisb",
		"Straße": "strasse", "Łukasz": "lukasz", "  ": "", "An\xffn": "ann",
	} {
		if got := foldName(in); got != want {
			t.Errorf("foldName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := foldNameVariants("Morten Helsø"); !reflect.DeepEqual(got, []string{"helsomorten", "mortenhelso", "mortenhelsoe"}) {
		t.Errorf("variants of Morten Helsø: %q", got)
	}
	if got := foldNameVariants("Ting-Hui Cheng鄭婷卉"); !reflect.DeepEqual(got, []string{"cheng鄭婷卉huiting", "tinghuicheng", "tinghuicheng鄭婷卉"}) {
		t.Errorf("variants of a name in two scripts: %q", got)
	}
}

func TestGenericNames(t *testing.T) {
	for name, want := range map[string]bool{
		"unknown": true, "root": true, "Ubuntu": true, `U-LAPTOP\nick`: true, `DESKTOP-4F2K9\user`: true,
		"DESKTOP-4F2K9": true, "Esteban-PC": true, "MacBook-Pro-2.local": true, "ip-172-31-5-1": true, "Your Name": true,
		"Jo": true, "Nick": false, "Anna Berg": false, "bruijnis.b": false,
	} {
		if got := genericName(name); got != want {
			t.Errorf("genericName(%q) = %v, want %v", name, got, want)
		}
	}
}

// mergedPerson is the outcome for one merged person: its identities ("name
// <email>") in the order Identities lists them (the one with the most
// commits first, ties by address), and the rule of each.
type mergedPerson struct {
	ids   []string
	rules []string
}

func peopleOf(c Contributors) []mergedPerson {
	var out []mergedPerson
	add := func(ids []Identity) {
		var p mergedPerson
		for _, id := range ids {
			p.ids = append(p.ids, id.Name+" <"+id.Email+">")
			p.rules = append(p.rules, id.Rule)
		}
		out = append(out, p)
	}
	for _, st := range c.Students {
		if len(st.Identities) > 0 {
			add(st.Identities)
		}
	}
	for _, a := range c.Unmatched {
		add(a.Identities)
	}
	return out
}

// TestMergeRules: each merge rule on the shapes real students commit under,
// and the names that must never merge by name alone.
func TestMergeRules(t *testing.T) {
	tests := []struct {
		name    string
		commits []who
		roster  []string
		want    []mergedPerson
	}{
		{
			name:    "case, spaces and punctuation",
			commits: []who{{"Anna Berg", "anna@berg.dk"}, {"AnnaBerg", "1+annaberg@users.noreply.github.com"}},
			want:    []mergedPerson{{[]string{"AnnaBerg <1+annaberg@users.noreply.github.com>", "Anna Berg <anna@berg.dk>"}, []string{"", mergeName}}},
		},
		{
			name:    "accents",
			commits: []who{{"Jiří Novák", "jiri@x.cz"}, {"Jiri Novak", "jn@y.com"}, {"Jiri Novak", "jn@y.com"}},
			want:    []mergedPerson{{[]string{"Jiri Novak <jn@y.com>", "Jiří Novák <jiri@x.cz>"}, []string{"", mergeName}}},
		},
		{
			name:    "address user part with the words the other way round",
			commits: []who{{"bergann", "berg.anna@gmail.com"}, {"Anna Berg", "s111111@student.dtu.dk"}},
			roster:  []string{"s111111"},
			want:    []mergedPerson{{[]string{"bergann <berg.anna@gmail.com>", "Anna Berg <s111111@student.dtu.dk>"}, []string{"", mergeLogin}}},
		},
		{
			name:    "a name in parentheses is a login",
			commits: []who{{"Nick (S123456)", "nick@proton.me"}, {"Nicolai Holm (Nick)", "holm@gmail.com"}},
			roster:  []string{"s123456"},
			want:    []mergedPerson{{[]string{"Nicolai Holm (Nick) <holm@gmail.com>", "Nick (S123456) <nick@proton.me>"}, []string{"", mergeLogin}}},
		},
		{
			name:    "a login and a full name separated by a slash",
			commits: []who{{"magolimbo / Gabriele Turetta", "gt@x.it"}, {"Gabriele Turetta", "7+gturetta@users.noreply.github.com"}},
			want:    []mergedPerson{{[]string{"Gabriele Turetta <7+gturetta@users.noreply.github.com>", "magolimbo / Gabriele Turetta <gt@x.it>"}, []string{"", mergeLogin}}},
		},
		{
			name:    "a login with digits appended",
			commits: []who{{"ntina", "ntinafre@gmail.com"}, {"Konstantina Freri", "74+ntina10@users.noreply.github.com"}},
			want:    []mergedPerson{{[]string{"Konstantina Freri <74+ntina10@users.noreply.github.com>", "ntina <ntinafre@gmail.com>"}, []string{"", mergeLogin}}},
		},
		{
			name:    "transliterated letters",
			commits: []who{{"Morten Helsø", "morten@x.dk"}, {"mortenhelsoe", "9+mortenhelsoe@users.noreply.github.com"}},
			want:    []mergedPerson{{[]string{"mortenhelsoe <9+mortenhelsoe@users.noreply.github.com>", "Morten Helsø <morten@x.dk>"}, []string{"", mergeName}}},
		},
		{
			name:    "a student id not on the roster",
			commits: []who{{"Anna (s999999)", "anna@x.dk"}, {"ab", "s999999@student.dtu.dk"}},
			roster:  []string{"s111111"},
			want:    []mergedPerson{{[]string{"Anna (s999999) <anna@x.dk>", "ab <s999999@student.dtu.dk>"}, []string{"", mergeStudentID}}},
		},
		{
			name: "laptop user names and generic names never merge by name",
			commits: []who{{`U-LAPTOP\nick`, "nick@U-LAPTOP"}, {"Nick", "nick@gmail.com"}, {"unknown", "a@x.dk"}, {"unknown", "b@y.dk"},
				{"DESKTOP-4F2K9", "c@z.dk"}},
			want: []mergedPerson{{[]string{"unknown <a@x.dk>"}, []string{""}}, {[]string{"unknown <b@y.dk>"}, []string{""}},
				{[]string{"DESKTOP-4F2K9 <c@z.dk>"}, []string{""}}, {[]string{"Nick <nick@gmail.com>"}, []string{""}},
				{[]string{"U-LAPTOP\\nick <nick@u-laptop>"}, []string{""}}},
		},
		{
			name:    "a laptop's made-up address is not a login",
			commits: []who{{"Esteban Aguayo", "esteban@esteban-pc"}, {"esteban", "1+esteban@users.noreply.github.com"}},
			want: []mergedPerson{{[]string{"esteban <1+esteban@users.noreply.github.com>"}, []string{""}},
				{[]string{"Esteban Aguayo <esteban@esteban-pc>"}, []string{""}}},
		},
		{
			name:    "two roster students with one folded name stay apart",
			commits: []who{{"Anna Berg", "s111111@dtu.dk"}, {"AnnaBerg", "s222222@dtu.dk"}, {"anna.berg", "anna@berg.dk"}},
			roster:  []string{"s111111", "s222222"},
			want: []mergedPerson{{[]string{"anna.berg <anna@berg.dk>", "Anna Berg <s111111@dtu.dk>"}, []string{"", mergeName}},
				{[]string{"AnnaBerg <s222222@dtu.dk>"}, []string{""}}},
		},
		{
			name:    "roster students found by separate rules are one person",
			commits: []who{{"Lucas", "s203768@dtu.dk"}, {"DeepEasterbunny", "s203768@student.dtu.dk"}},
			roster:  []string{"s203768"},
			want:    []mergedPerson{{[]string{"Lucas <s203768@dtu.dk>", "DeepEasterbunny <s203768@student.dtu.dk>"}, []string{"", mergeStudentID}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := peopleOf(Merge(of(history(tt.commits...), tt.roster, nil)))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("people\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
