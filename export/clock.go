package export

import (
	"time"

	"handin/grade"
	"handin/internal/coursetime"
)

// timeLayout shows a time with its UTC offset, so a reader in another zone
// (or the summer/winter change) cannot misread it.
const timeLayout = "2006-01-02 15:04:05 -07:00"

// clock shows times in the course's time zone, the one every time on a page
// and the index is written in.
type clock struct{ zone *time.Location }

// courseClock is the clock of the zone a result was graded in (the default
// course zone for a result that records none, or one this machine does not
// know).
func courseClock(zone string) clock {
	loc, err := coursetime.LoadZone(zone) // "" is the default zone
	if err != nil {
		loc, _ = coursetime.LoadZone(coursetime.DefaultZone) // embedded tzdata: cannot fail
	}
	return clock{zone: loc}
}

func resultClock(r *grade.GroupResult) clock { return courseClock(r.TimeZone) }

// At is t in the course's zone with its offset; "" for an unknown time.
func (c clock) At(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(c.zone).Format(timeLayout)
}

// Zone names the course's time zone.
func (c clock) Zone() string { return c.zone.String() }
