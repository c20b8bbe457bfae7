package identity

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"handin/workspace"
)

// Rules that map a commit identity to a roster student by what the roster
// says of them (groups.csv's columns or the students file).
const (
	ruleRosterEmail = "roster-email" // the commit address is the student's
	ruleRosterLogin = "roster-login" // the GitHub account behind the commit is the student's
	ruleRosterName  = "roster-name"  // the commit's name is the student's, folded
	ruleProfileName = "profile-name" // the name on the commit's GitHub profile is the student's, folded
)

// nameForm is one form a name is compared in, and how it was formed (for
// the evidence).
type nameForm struct {
	key, how string
}

// How a name form was formed.
const (
	formWhole    = "folded"
	formAnyOrder = "words in another order"
	formEnds     = "given and family name"
	formInitial  = "initials"
)

// nameForms are the forms a name is compared with roster names in: the
// whole name folded for case, accents and punctuation (Scandinavian and
// German letters either way: "Helsø" is "helso" and "helsoe"), its words in
// any order ("Berg, Anna"), its first and last words alone (the given and
// family names of "Anna Maria Berg"), and a name written with an initial:
// "A. Berg", "Anna B.". A roster name gives both initial forms; a commit's
// name gives one only where it is written with an initial. Generic names
// (placeholders, laptop names) give none.
func nameForms(name string, roster bool) []nameForm {
	if genericName(name) {
		return nil
	}
	var forms []nameForm
	add := func(key, how string) {
		if len([]rune(key)) >= minKeyLength && !slices.ContainsFunc(forms, func(f nameForm) bool { return f.key == key }) {
			forms = append(forms, nameForm{key, how})
		}
	}
	for _, words := range nameWords(name) {
		add(strings.Join(words, ""), formWhole)
		sorted := slices.Sorted(slices.Values(words))
		add(strings.Join(sorted, ""), formAnyOrder)
		if len(words) < 2 {
			continue
		}
		first, last := words[0], words[len(words)-1]
		add(strings.Join(slices.Sorted(slices.Values([]string{first, last})), ""), formEnds)
		for _, pair := range [][2]string{{first, last}, {last, first}} {
			initial, full := pair[0], pair[1]
			if len([]rune(full)) < 2 || (!roster && len([]rune(initial)) != 1) {
				continue
			}
			add("initial:"+string([]rune(initial)[0])+"."+full, formInitial)
		}
	}
	return forms
}

// Minimum length of a name as a login or address user may spell it.
const minLoginForm = 4

// loginForms are the ways a login or an address's user part may spell a
// roster name, folded: the whole name, the given and family names in
// either order, an initial with the other name ("aberg", "annab").
func loginForms(name string) []nameForm {
	var forms []nameForm
	add := func(key, how string) {
		if len([]rune(key)) >= minLoginForm && !slices.ContainsFunc(forms, func(f nameForm) bool { return f.key == key }) {
			forms = append(forms, nameForm{key, how})
		}
	}
	for _, words := range nameWords(name) {
		add(strings.Join(words, ""), "the whole name")
		if len(words) < 2 {
			continue
		}
		first, last := words[0], words[len(words)-1]
		initial := func(w string) string { return string([]rune(w)[0]) }
		add(first+last, "given and family name")
		add(last+first, "family and given name")
		add(initial(first)+last, "initial and family name")
		add(last+initial(first), "family name and initial")
		add(first+initial(last), "given name and initial")
	}
	return forms
}

// nameWords are the words of a name, folded, in each spelling it is
// compared in: as written, transliterated, and its Latin letters alone
// ("Ting-Hui Cheng鄭婷卉"). Hyphens and apostrophes join ("Ting-Hui" is
// one word, as "Tinghui" is).
func nameWords(name string) [][]string {
	joined := strings.NewReplacer("-", "", "'", "", "’", "").Replace(name)
	plain := plainLetters().Replace(joined)
	latin := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return ' '
		}
		return r
	}, plain)
	var out [][]string
	for _, spelling := range []string{plain, plainLetters().Replace(transliterate().Replace(joined)), latin} {
		var words []string
		for _, w := range strings.FieldsFunc(spelling, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if w = foldLetters(w); w != "" {
				words = append(words, w)
			}
		}
		if len(words) > 0 && !slices.ContainsFunc(out, func(o []string) bool { return slices.Equal(o, words) }) {
			out = append(out, words)
		}
	}
	return out
}

// rosterIndex finds a group's roster students by their addresses, logins
// and names. A value two students share (a name, a mistyped address)
// finds neither.
type rosterIndex struct {
	students []workspace.Student
	byEmail  map[string][]int
	byLogin  map[string][]int
	byName   map[string][]int  // by name form
	nameHow  map[string]string // how the roster name gave each form
}

func newRosterIndex(roster []workspace.Student) *rosterIndex {
	x := &rosterIndex{students: roster, byEmail: map[string][]int{}, byLogin: map[string][]int{}, byName: map[string][]int{}, nameHow: map[string]string{}}
	add := func(m map[string][]int, key string, i int) {
		if key != "" && !slices.Contains(m[key], i) {
			m[key] = append(m[key], i)
		}
	}
	for i, st := range roster {
		add(x.byEmail, normalizeEmail(st.Email), i)
		add(x.byLogin, strings.ToLower(st.GitHub), i)
		for _, f := range nameForms(st.Name, true) {
			add(x.byName, f.key, i)
			x.nameHow[f.key] = cmp.Or(x.nameHow[f.key], f.how)
		}
	}
	return x
}

// one is the student a value finds, when it finds exactly one.
func (x *rosterIndex) one(m map[string][]int, key string) (workspace.Student, bool) {
	if ids := m[key]; key != "" && len(ids) == 1 {
		return x.students[ids[0]], true
	}
	return workspace.Student{}, false
}

// match is the roster student the roster says wrote an identity's commits,
// by the strongest rule that finds exactly one: the address, the GitHub
// account, the name, the name on the GitHub profile.
func (x *rosterIndex) match(id *identity) []evidence {
	var found []evidence
	if st, ok := x.one(x.byEmail, id.email); ok {
		found = append(found, evidence{RosterID(st.ID), ruleRosterEmail, id.email})
	}
	if st, ok := x.one(x.byLogin, strings.ToLower(id.login)); ok {
		found = append(found, evidence{RosterID(st.ID), ruleRosterLogin, "GitHub login " + id.login})
	}
	for _, n := range []struct{ name, rule, what string }{{id.name, ruleRosterName, "name"}, {id.profile, ruleProfileName, "GitHub profile name"}} {
		if e, ok := x.matchName(n.name, n.rule, n.what); ok {
			found = append(found, e)
		}
	}
	return found
}

// matchName finds the one roster student whose name a name is, in any of
// its forms; none when its forms find two.
func (x *rosterIndex) matchName(name, rule, what string) (evidence, bool) {
	var hit *evidence
	for _, f := range nameForms(name, false) {
		st, ok := x.one(x.byName, f.key)
		if !ok {
			if len(x.byName[f.key]) > 1 {
				return evidence{}, false // a name two students share
			}
			continue
		}
		how := f.how // the commit's name's form, unless the roster name's says more
		if x.nameHow[f.key] != formWhole {
			how = x.nameHow[f.key]
		}
		e := evidence{RosterID(st.ID), rule, fmt.Sprintf("%s %s = roster name %s (%s)", what, strconv.Quote(name), strconv.Quote(st.Name), how)}
		if hit != nil && hit.id != e.id {
			return evidence{}, false
		}
		if hit == nil {
			hit = &e
		}
	}
	if hit == nil {
		return evidence{}, false
	}
	return *hit, true
}
