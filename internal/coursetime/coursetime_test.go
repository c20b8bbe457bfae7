package coursetime

import (
	"strings"
	"testing"
	"time"
)

func TestParseDeadline(t *testing.T) {
	cph, err := LoadZone(DefaultZone)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in   string
		loc  *time.Location
		want time.Time
	}{
		{"2026-01-23T23:59:59+01:00", nil, time.Date(2026, 1, 23, 22, 59, 59, 0, time.UTC)},
		{"2026-01-23T22:59:59Z", cph, time.Date(2026, 1, 23, 22, 59, 59, 0, time.UTC)},
		{"2026-01-23T23:59:59", cph, time.Date(2026, 1, 23, 23, 59, 59, 0, cph)},
		{" 2026-06-23 23:59 ", cph, time.Date(2026, 6, 23, 21, 59, 0, 0, time.UTC)}, // summer time
	} {
		got, err := ParseDeadline(tc.in, tc.loc)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("ParseDeadline(%q, %v) = %v, %v; want %v", tc.in, tc.loc, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		in      string
		loc     *time.Location
		wantErr string
	}{
		{"2026-01-23T23:59:59", nil, "no UTC offset"},
		{"2026-01-23", cph, "no time of day"},
		{"23/01/2026", cph, "a time in the course's time zone"},
		{"", nil, "empty"},
	} {
		if _, err := ParseDeadline(tc.in, tc.loc); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("ParseDeadline(%q, %v) error %v, want one saying %q", tc.in, tc.loc, err, tc.wantErr)
		}
	}
}

func TestLoadZone(t *testing.T) {
	if loc, err := LoadZone(""); err != nil || loc.String() != DefaultZone {
		t.Errorf("LoadZone(\"\") = %v, %v; want %s", loc, err, DefaultZone)
	}
	if _, err := LoadZone("Mars/Olympus"); err == nil || !strings.Contains(err.Error(), "Mars/Olympus") {
		t.Errorf("LoadZone(Mars/Olympus) error %v, want one naming the zone", err)
	}
}
