package main

import (
	"strings"
	"testing"

	"handin/scrape"
	"handin/workspace"
)

// The scrape table names backdating (an accusation, on evidence) and
// history out of date order (information) differently.
func TestOutcomeNoteNamesBackdatingApart(t *testing.T) {
	for _, tc := range []struct {
		pin       workspace.Pin
		want, not string
	}{
		{workspace.Pin{Backdated: true}, "backdated: commits dated before the deadline were pushed after it", "out of date order"},
		{workspace.Pin{OutOfOrder: true}, "history out of date order (information)", "backdated"},
		{workspace.Pin{NotOnBranch: true}, "no longer contains the commit that counts", "backdated"},
	} {
		note := outcomeNote(scrape.Outcome{Status: workspace.StatusOK, Pin: tc.pin})
		if !strings.Contains(note, tc.want) || strings.Contains(note, tc.not) {
			t.Errorf("note %q: want %q, not %q", note, tc.want, tc.not)
		}
	}
}
