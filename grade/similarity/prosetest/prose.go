// Package prosetest writes made-up prose for the tests and benchmarks of
// answer similarity: sentences of pseudo-words, seeded, so that two seeds
// write texts sharing no run of words, as two groups writing on their own.
package prosetest

import (
	"math/rand/v2"
	"strings"
)

// Prose is n sentences of 8 to 17 pseudo-words (about 12.5 words each).
func Prose(seed uint64, n int) string {
	rng := rand.New(rand.NewPCG(seed, 7))
	var b strings.Builder
	for range n {
		words := 8 + rng.IntN(10)
		for w := range words {
			word := pseudoWord(rng)
			if w == 0 {
				word = strings.ToUpper(word[:1]) + word[1:]
			}
			b.WriteString(word)
			if w < words-1 {
				b.WriteByte(' ')
			}
		}
		b.WriteString(". ")
	}
	return strings.TrimSpace(b.String())
}

func pseudoWord(rng *rand.Rand) string {
	const consonants, vowels = "bcdfghklmnprstvz", "aeiou"
	var b strings.Builder
	for range 1 + rng.IntN(3) {
		b.WriteByte(consonants[rng.IntN(len(consonants))])
		b.WriteByte(vowels[rng.IntN(len(vowels))])
	}
	return b.String()
}

// Sentences splits prose into its sentences.
func Sentences(text string) []string {
	parts := strings.SplitAfter(text, ". ")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}
