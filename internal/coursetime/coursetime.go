// Package coursetime holds the course's time rules shared by every stage:
// the course's time zone and how a deadline is written.
package coursetime

import (
	"errors"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // the course time zone must load on machines without tzdata
)

// DefaultZone is the course's time zone (DTU, Lyngby).
const DefaultZone = "Europe/Copenhagen"

// LoadZone loads an IANA time zone by name; "" is DefaultZone.
func LoadZone(name string) (*time.Location, error) {
	if name == "" {
		name = DefaultZone
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", name, err)
	}
	return loc, nil
}

// localLayouts are the deadline forms accepted without a UTC offset; they are
// read in the course's time zone.
var localLayouts = []string{
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
}

// deadlineForms names the accepted forms in error messages.
const deadlineForms = "write 2026-01-23T23:59:59+01:00, or a time in the course's time zone such as 2026-01-23 23:59"

// ParseDeadline reads a deadline: RFC 3339 with an offset
// ("2026-01-23T23:59:59+01:00"), or a date and time without one
// ("2026-01-23T23:59:59", "2026-01-23 23:59") read in loc (nil: such a
// deadline is refused). A bare date is refused: whether it means the start
// or the end of the day is exactly the ambiguity a deadline must not have.
func ParseDeadline(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("deadline: empty")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range localLayouts {
		if _, err := time.Parse(layout, s); err != nil {
			continue
		}
		if loc == nil {
			return time.Time{}, fmt.Errorf("deadline %q has no UTC offset: add one (e.g. +01:00) or give a time zone", s)
		}
		return time.ParseInLocation(layout, s, loc)
	}
	if _, err := time.Parse(time.DateOnly, s); err == nil {
		return time.Time{}, fmt.Errorf("deadline %q has no time of day: write e.g. %sT23:59:59", s, s)
	}
	return time.Time{}, fmt.Errorf("deadline %q: %s", s, deadlineForms)
}
