package scrape

import (
	"handin/workspace"
)

// logSightings are the evidence log's observations of this URL (asked for,
// or redirected to: observations made before the instructor updated
// groups.csv to where the repository moved still count) and branch, as
// sightings for pinCommit.
func logSightings(obs []workspace.Observation, url, branch string) []workspace.Evidence {
	var out []workspace.Evidence
	for _, o := range obs {
		if (o.URL != url && o.MovedTo != url) || o.Branch != branch {
			continue
		}
		out = append(out, workspace.Evidence{Source: workspace.SourceEvidenceLog, Time: o.Time, TipSHA: o.TipSHA})
	}
	return out
}
