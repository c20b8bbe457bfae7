package scrape

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// localLayouts are the deadline forms accepted without a UTC offset; they are
// read in the time zone given to ParseDeadline.
var localLayouts = []string{
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
}

// ParseDeadline reads a deadline: RFC 3339 with an offset
// ("2026-01-23T23:59:59+01:00"), or a date and time without one
// ("2026-01-23T23:59:59", "2026-01-23 23:59") read in the IANA time zone tz
// (e.g. "Europe/Copenhagen"). A bare date is refused: whether it means the
// start or the end of the day is exactly the ambiguity a deadline must not have.
func ParseDeadline(s, tz string) (time.Time, error) {
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
		if tz == "" {
			return time.Time{}, fmt.Errorf("deadline %q has no UTC offset: add one (e.g. +01:00) or give a time zone", s)
		}
		loc, err := time.LoadLocation(tz)
		if err != nil {
			return time.Time{}, fmt.Errorf("deadline time zone: %w", err)
		}
		return time.ParseInLocation(layout, s, loc)
	}
	if _, err := time.Parse(time.DateOnly, s); err == nil {
		return time.Time{}, fmt.Errorf("deadline %q has no time of day: write e.g. %sT23:59:59", s, s)
	}
	return time.Time{}, fmt.Errorf("deadline %q: want RFC 3339 like 2026-01-23T23:59:59+01:00", s)
}
