package scrape

import (
	"fmt"
	"strings"
	"time"

	"handin/workspace"
)

// A commit's dates are whatever its object says, and a crafted commit can
// say anything git's parser accepts: year 10000, a "+2500" time zone, a
// negative timestamp. snapshot.json and result.json (RFC 3339) and every later
// stage hold only years 0000-9999 and offsets under a day, so such a date
// is replaced by the nearest one they can hold, and the commit says so.
var (
	// earliestCommitDate: git writes timestamps as unsigned seconds since
	// 1970, so an earlier date was written by hand.
	earliestCommitDate = time.Unix(0, 0).UTC()
	latestCommitDate   = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
)

// maxZoneOffset is the largest time zone offset RFC 3339 can write (+23:59).
const maxZoneOffset = 24*60*60 - 60

// representableDate returns t, or the nearest date every output can hold
// when t is not one, with what was wrong ("" when nothing was). The instant
// is kept whenever it is in range; only a time zone no clock has is dropped.
func representableDate(t time.Time) (time.Time, string) {
	var wrong []string
	if _, offset := t.Zone(); offset > maxZoneOffset || offset < -maxZoneOffset {
		wrong = append(wrong, fmt.Sprintf("time zone %s is not a real offset", t.Format("-0700")))
		t = t.UTC()
	}
	switch {
	case t.After(latestCommitDate):
		wrong = append(wrong, "after year 9999")
		t = latestCommitDate
	case t.Before(earliestCommitDate):
		wrong = append(wrong, "before 1970")
		t = earliestCommitDate
	case t.Year() > 9999 || t.Year() < 1970: // in range in UTC, not in its own zone
		t = t.UTC()
	}
	return t, strings.Join(wrong, ", ")
}

// rawDate is a signature date as the commit object writes it.
func rawDate(t time.Time) string { return fmt.Sprintf("%d %s", t.Unix(), t.Format("-0700")) }

// sanitizeDates makes a commit's dates representable (see
// representableDate) and records in DateNote what the object really says.
func sanitizeDates(c *workspace.Commit) {
	var notes []string
	for _, d := range []struct {
		name string
		t    *time.Time
	}{{"author", &c.AuthorTime}, {"committer", &c.CommitTime}} {
		shown, wrong := representableDate(*d.t)
		if wrong == "" {
			continue
		}
		notes = append(notes, fmt.Sprintf("%s date %q (%s) shown as %s", d.name, rawDate(*d.t), wrong, shown.Format(time.RFC3339)))
		*d.t = shown
	}
	c.DateNote = strings.Join(notes, "; ")
}

// maxDateNotes bounds the snapshot notes about unreadable dates: a history
// forged commit by commit needs a few examples, not one line each.
const maxDateNotes = 5

// dateNotes are the snapshot's notes about commits whose dates could not
// be kept as written.
func dateNotes(commits []workspace.Commit) []string {
	var notes []string
	odd := 0
	for _, c := range commits {
		if c.DateNote == "" {
			continue
		}
		odd++
		if odd <= maxDateNotes {
			notes = append(notes, fmt.Sprintf("commit %s: %s", short(c.SHA), c.DateNote))
		}
	}
	if odd > maxDateNotes {
		notes = append(notes, fmt.Sprintf("%d more commits with dates no clock writes", odd-maxDateNotes))
	}
	return notes
}
