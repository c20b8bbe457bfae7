package scrape

import (
	"time"

	"handin/workspace"
)

// lastObservationBy is the latest observation of this URL (asked for, or
// redirected to) and branch made at or before the deadline; ok is false when
// there is none.
func lastObservationBy(obs []workspace.Observation, url, branch string, deadline time.Time) (last workspace.Observation, ok bool) {
	for _, o := range obs {
		if (o.URL != url && o.MovedTo != url) || o.Branch != branch || o.Time.After(deadline) {
			continue
		}
		if !ok || !o.Time.Before(last.Time) {
			last, ok = o, true
		}
	}
	return last, ok
}
