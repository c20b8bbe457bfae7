package similarity

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// word is one normalised word of a text and where it is written: Text's
// bytes [start, stop).
type word struct {
	hash        uint64
	start, stop int
}

// words splits text into words (runs of letters and digits; punctuation,
// markup and white space separate them) and hashes each word folded: lower
// case, accents removed ("Modèle" and "modele" are one word), so that case,
// punctuation and spelling with or without diacritics change nothing.
func words(text string) []word { return appendWords(nil, text) }

// appendWords appends the words of text to out (a buffer to reuse).
func appendWords(out []word, text string) []word {
	start := -1
	for i, r := range text {
		inWord := inWordASCII[r&0x7f]
		if r >= utf8.RuneSelf {
			inWord = unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		}
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			out = append(out, word{hash: foldHash(text[start:i]), start: start, stop: i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, word{hash: foldHash(text[start:]), start: start, stop: len(text)})
	}
	return out
}

// inWordASCII tells the ASCII letters and digits, nearly every character
// of a report, without Unicode's tables.
var inWordASCII = func() (t [128]bool) {
	for c := range 128 {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// foldHash is the FNV-1a hash of the word folded. ASCII words, nearly all
// of them, are folded in place; others go through Unicode decomposition
// (NFKD) with their combining marks dropped.
func foldHash(w string) uint64 {
	h := uint64(fnvOffset)
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		for i := 0; i < len(w); i++ {
			c := w[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			h = (h ^ uint64(c)) * fnvPrime
		}
		return h
	}
	for _, r := range norm.NFKD.String(w) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		var buf [utf8.UTFMax]byte
		for _, c := range buf[:utf8.EncodeRune(buf[:], unicode.ToLower(r))] {
			h = (h ^ uint64(c)) * fnvPrime
		}
	}
	return h
}

// shinglePrime mixes the word hashes of a shingle in order, so that the
// same words in another order are another shingle.
const shinglePrime = 0x100000001b3 * 31

// shingles are the hashes of every run of k consecutive words: shingle i
// covers words [i, i+k). Fewer than k words make no shingle.
func shingles(ws []word, k int) []uint64 { return appendShingles(nil, ws, k) }

// appendShingles appends the shingles of ws to out (a buffer to reuse).
func appendShingles(out []uint64, ws []word, k int) []uint64 {
	for i := 0; i+k <= len(ws); i++ {
		h := uint64(0)
		for _, w := range ws[i : i+k] {
			h = h*shinglePrime + w.hash
		}
		out = append(out, mix(h))
	}
	return out
}

// mix spreads the bits of a shingle hash (the finaliser of SplitMix64), so
// that shingles differing in their last word differ in every bit.
func mix(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	return h ^ h>>31
}
