package visible

import (
	"bytes"
	"strings"
	"testing"
)

// Characters that reorder or hide text are shown as escapes; everything
// else, invalid UTF-8 included, stays as it is, however the writes cut it.
func TestHiddenCharactersAreShown(t *testing.T) {
	in := "Eve\u202elin\u200b.png, \u2066x\u2069 \ufeffæøå \xff\xfe ok"
	want := `Eve\u202elin\u200b.png, \u2066x\u2069 \ufeffæøå ` + "\xff\xfe ok"
	if got := String(in); got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	for size := 1; size <= len(in); size++ {
		var b bytes.Buffer
		w := Writer(&b)
		for rest := in; rest != ""; rest = rest[min(size, len(rest)):] {
			if _, err := w.Write([]byte(rest[:min(size, len(rest))])); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if b.String() != want {
			t.Errorf("written %d bytes at a time: %q, want %q", size, b.String(), want)
		}
	}
	if plain := strings.Repeat("plain text, ", 1000); String(plain) != plain {
		t.Error("text without hidden characters changed")
	}
}
