// Package slowtest lets a slow test step aside in 'go test -short', the
// fast inner loop; 'go test ./...' (and CI) runs it.
package slowtest

import "testing"

// Skip skips the test in -short mode, saying what makes it slow.
func Skip(t testing.TB, slow string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("SKIPPED in -short mode (%s): 'go test ./...' runs it", slow)
	}
}
