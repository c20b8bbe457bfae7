package identity

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"handin/internal/lazyregexp"
)

// Rules that merge two commit identities into one person, strongest first
// (Identity.Rule).
const (
	mergeEmail     = "same-email"      // the same address
	mergeStudentID = "same-student-id" // the same student id in a name, address or login
	mergeName      = "same-name"       // names equal once case, accents, spaces and punctuation are folded
	// mergeLogin: a login (GitHub noreply address, address user part, a name
	// in parentheses) equals the other identity's login or folded name.
	mergeLogin   = "login"
	mergeStudent = "same-student" // both map to the same roster student
)

// keyKind is the kind of fact a merge key is: each merge rule compares keys
// of some kinds.
type keyKind int

const (
	keyEmail keyKind = iota
	keyStudentID
	keyName  // a folded name (or one part of a name written "A / B")
	keyLogin // a login: noreply, address user part, a name in parentheses
)

// mergeKey is one fact two identities of a person may share.
type mergeKey struct {
	kind  keyKind
	value string // compared
	from  string // what it was read from, for the evidence
}

// placeholderName: a name shared by unrelated people (machine defaults, git's
// examples, placeholders), folded: never a reason to merge two identities.
func placeholderName(s string) bool {
	switch s {
	case "", "root", "ubuntu", "user", "admin", "administrator",
		"unknown", "yourname", "authorname", "name", "owner", "default",
		"runner", "jovyan", "vscode", "codespace", "codespaces", "github",
		"git", "student", "test", "pi", "ec2user", "localuser",
		"windowsuser", "dev", "developer", "pc", "laptop", "desktop",
		"macbook", "macbookpro", "macbookair", "info", "contact", "mail",
		"hello", "noreply", "me":
		return true
	}
	return false
}

// exampleEmail: an address shared by unrelated people (git's examples).
func exampleEmail(s string) bool {
	switch s {
	case "", "you@example.com", "your_email@example.com", "email@example.com":
		return true
	}
	return false
}

// sharedAccount: a shared machine account (root@ a server), folded: any
// of its addresses is shared too.
func sharedAccount(s string) bool {
	switch s {
	case "root", "ubuntu", "user", "admin", "administrator", "runner",
		"jovyan", "vscode", "codespace", "ec2user", "pi", "git",
		"unknown", "noreply", "test":
		return true
	}
	return false
}

// botEmail: the author of commits made by GitHub Actions workflows.
func botEmail(s string) bool {
	switch s {
	case "action@github.com", "actions@github.com", "noreply@github.com":
		return true
	}
	return false
}

var (
	// machineName: a laptop or host name used as an author name
	// (`U-LAPTOP\nick`, DESKTOP-4F2K9, Esteban-PC, MacBook-Pro-2.local).
	machineName = &lazyregexp.Regexp{Expr: `(?i)^(?:\S*\\\S*|(?:desktop|laptop|win)-\w+|\S+-pc|\S+\.(?:local|localdomain|lan|home|internal)|ip(?:-\d+){4}\S*)$`}
	// machineHost: an address git made up from a login and a host name
	// (nick@U-LAPTOP, tinghui@MacBook-Pro-2.localdomain): its user part is
	// a laptop user name, not a login.
	machineHost = &lazyregexp.Regexp{Expr: `(?i)^[^.]+$|\.(?:local|localdomain|lan|home|internal|\(none\))$|(?:^|[.-])(?:desktop|laptop|macbook)|-pc(?:\.|$)`}
	// nameParts splits "magolimbo / Gabriele Turetta" and "Nick (s123456)".
	nameParts = &lazyregexp.Regexp{Expr: `\s*[/|]\s*|\s*[()\[\]]\s*`}
)

// minKeyLength is the shortest folded name or login that merges: "me",
// "js" and the like are too common to tell people apart.
const minKeyLength = 3

// minStrippedLogin is the shortest login left after dropping its trailing
// digits ("ntina10" is "ntina") that still merges.
const minStrippedLogin = 5

// stripMarks removes accents after canonical decomposition ("Čuhel" is
// "Cuhel"). A chain keeps state while it transforms, so every call gets
// its own: groups are graded in parallel.
func stripMarks() transform.Transformer {
	return transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}

// Letters without a decomposition, spelt out; transliterated spells the
// Scandinavian and German letters the way their speakers write them in
// ASCII ("Helsø" is "helsoe", "Küfner" "kuefner").
var (
	plainLetters = sync.OnceValue(func() *strings.Replacer {
		return strings.NewReplacer("ø", "o", "Ø", "o", "æ", "ae", "Æ", "ae", "ß", "ss", "ł", "l", "Ł", "l", "đ", "d", "Đ", "d",
			"ð", "d", "þ", "th", "œ", "oe", "ı", "i")
	})
	transliterate = sync.OnceValue(func() *strings.Replacer {
		return strings.NewReplacer("ø", "oe", "Ø", "oe", "å", "aa", "Å", "aa", "ä", "ae", "Ä", "ae", "ö", "oe", "Ö", "oe", "ü", "ue", "Ü", "ue")
	})
)

// foldName is the form names and logins are compared in: lower case, no
// accents, letters and digits only ("Jiří Novák", "jiri.novak" and
// "JiriNovak" are "jirinovak").
func foldName(s string) string {
	return foldLetters(plainLetters().Replace(s))
}

// foldNameVariants are the folds a name or login is compared in: foldName;
// the transliterated fold; the Latin letters alone of a name also written
// in another script ("Ting-Hui Cheng鄭婷卉"); and its words in sorted order
// ("berg.anna" is "Anna Berg").
func foldNameVariants(s string) []string {
	plain := plainLetters().Replace(s)
	variants := []string{foldLetters(plain), foldLetters(plainLetters().Replace(transliterate().Replace(s)))}
	if latin := foldLatin(plain); latin != variants[0] && latin != "" {
		variants = append(variants, latin)
	}
	if words := strings.FieldsFunc(plain, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }); len(words) > 1 {
		for i, w := range words {
			words[i] = foldLetters(w)
		}
		slices.Sort(words)
		variants = append(variants, strings.Join(words, ""))
	}
	slices.Sort(variants)
	return slices.Compact(variants)
}

// foldLatin is the fold of the Latin letters and digits of s only.
func foldLatin(s string) string {
	return foldLetters(strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return -1
		}
		return r
	}, s))
}

func foldLetters(s string) string {
	s, _, err := transform.String(stripMarks(), strings.ToValidUTF8(s, ""))
	if err != nil {
		return ""
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// genericName: a name that says nothing about who wrote the commit.
func genericName(name string) bool {
	name = strings.TrimSpace(name)
	folded := foldName(name)
	return placeholderName(folded) || len([]rune(folded)) < minKeyLength || machineName.MatchString(name)
}

// genericEmail: an address shared by unrelated people (git's examples,
// root@ a server): never a reason to merge.
func genericEmail(email string) bool {
	user, _, ok := strings.Cut(email, "@")
	return exampleEmail(email) || !ok || sharedAccount(foldName(user))
}

// mergeKeys are the facts that may tie an identity to another of the same
// person. Bots share only their address.
func mergeKeys(id *identity) []mergeKey {
	var keys keyList
	if !genericEmail(id.email) {
		keys.add(keyEmail, id.email, "address "+id.email)
	}
	if id.bot {
		return keys
	}
	if sid := identityStudentID(id); sid != "" {
		keys.add(keyStudentID, sid, "student id "+sid)
	}
	keys.addName("name", id.name)
	keys.addName("GitHub profile name", id.profile) // used like a commit's name
	for _, login := range identityLogins(id) {
		keys.addFolds(keyLogin, login.value, login.from)
		folded := foldName(login.value)
		if stripped := strings.TrimRightFunc(folded, unicode.IsDigit); stripped != folded && len([]rune(stripped)) >= minStrippedLogin {
			keys.add(keyLogin, stripped, login.from+" without its digits")
		}
	}
	return keys
}

// keyList collects an identity's merge keys.
type keyList []mergeKey

// add keeps names and logins long enough to tell people apart.
func (l *keyList) add(kind keyKind, value, from string) {
	if kind == keyEmail || kind == keyStudentID || len([]rune(value)) >= minKeyLength {
		*l = append(*l, mergeKey{kind, value, from})
	}
}

func (l *keyList) addFolds(kind keyKind, s, from string) {
	for _, v := range foldNameVariants(s) {
		l.add(kind, v, from)
	}
}

// addName adds the keys of a name (what says which: "name"): the whole
// name, and for "Nicolai Holm (Nick)" the name outside the parentheses and
// the one inside as a login; for "magolimbo / Gabriele Turetta" each part
// as a login. Generic names and parts add nothing.
func (l *keyList) addName(what, name string) {
	if genericName(name) {
		return
	}
	l.addFolds(keyName, name, what+" "+strconv.Quote(name))
	parts := nameParts.Split(strings.TrimSpace(name), -1)
	if len(parts) < 2 {
		return
	}
	main, aliases := parts[0], parts[1:]
	if strings.ContainsAny(name, "/|") {
		main, aliases = "", parts // no part is the main one
	}
	if main != "" && !genericName(main) {
		l.addFolds(keyName, main, what+" "+strconv.Quote(main))
	}
	for _, a := range aliases {
		if !genericName(a) {
			l.addFolds(keyLogin, a, "name part "+strconv.Quote(a))
		}
	}
}

// identityLogins: the GitHub login (of a noreply address, or of the account
// behind the address), and the user part of an address that is neither a
// noreply address, generic, nor made up by git from a laptop's user and
// host name ("+tag" dropped).
func identityLogins(id *identity) []mergeKey {
	var out []mergeKey
	if id.login != "" {
		out = append(out, mergeKey{kind: keyLogin, value: id.login, from: "GitHub login " + id.login})
	}
	user, host, ok := strings.Cut(id.email, "@")
	user, _, _ = strings.Cut(user, "+")
	if !ok || githubNoreply.MatchString(id.email) || genericEmail(id.email) || genericName(user) || machineHost.MatchString(host) {
		return out
	}
	return append(out, mergeKey{kind: keyLogin, value: user, from: "address user " + user})
}

// identityStudentID is the first student id written in an identity's name,
// address user part or login, on the roster or not.
func identityStudentID(id *identity) string {
	user, _, _ := strings.Cut(id.email, "@")
	for _, s := range []string{user, id.name, id.login} {
		if m := studentIDInText.FindStringSubmatch(s); m != nil {
			return strings.ToLower(m[1])
		}
	}
	return ""
}
