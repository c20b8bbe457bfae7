// Package lazyregexp is a regular expression compiled on first use. Written
// as a package-level composite literal it costs nothing at start-up, so a
// command that never needs it (handin check never exports) never pays for
// compiling it. Go's own tools use the same idea (cmd/go's lazyregexp).
package lazyregexp

import (
	"regexp"
	"sync"
)

// Regexp is a regexp.Regexp compiled from Expr on first use; declare it as
// a package-level pointer to a composite literal:
//
//	var studentID = &lazyregexp.Regexp{Expr: `(?i)\bs\d{6}\b`}
type Regexp struct {
	Expr string
	once sync.Once
	re   *regexp.Regexp
}

// Re is the compiled expression. An invalid Expr panics on first use, as
// regexp.MustCompile would at start-up; the tests of every user catch it.
func (r *Regexp) Re() *regexp.Regexp {
	r.once.Do(func() { r.re = regexp.MustCompile(r.Expr) })
	return r.re
}

// The methods handin uses, so that call sites read as with a regexp.Regexp.

func (r *Regexp) Match(b []byte) bool                        { return r.Re().Match(b) }
func (r *Regexp) MatchString(s string) bool                  { return r.Re().MatchString(s) }
func (r *Regexp) Split(s string, n int) []string             { return r.Re().Split(s, n) }
func (r *Regexp) FindString(s string) string                 { return r.Re().FindString(s) }
func (r *Regexp) FindStringSubmatch(s string) []string       { return r.Re().FindStringSubmatch(s) }
func (r *Regexp) FindAllString(s string, n int) []string     { return r.Re().FindAllString(s, n) }
func (r *Regexp) ReplaceAllString(src, repl string) string   { return r.Re().ReplaceAllString(src, repl) }
func (r *Regexp) FindSubmatch(b []byte) [][]byte             { return r.Re().FindSubmatch(b) }
func (r *Regexp) FindAllSubmatch(b []byte, n int) [][][]byte { return r.Re().FindAllSubmatch(b, n) }
func (r *Regexp) FindAllStringIndex(s string, n int) [][]int { return r.Re().FindAllStringIndex(s, n) }
func (r *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return r.Re().FindAllStringSubmatchIndex(s, n)
}
