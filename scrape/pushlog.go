package scrape

import (
	"context"
	"slices"
	"strings"
	"time"

	"handin/internal/github"
	"handin/internal/lazyregexp"
	"handin/workspace"
)

// pushActivities are the activity types that move a branch.
var pushActivities = []string{"push", "force_push", "branch_creation", "branch_deletion", "pr_merge", "merge_queue_merge"}

// objectName is a SHA-1 or SHA-256 object name as the API writes it.
var objectName = &lazyregexp.Regexp{Expr: `^([0-9a-f]{40}|[0-9a-f]{64})$`}

// readPushLog reads GitHub's push log of branch (GET
// /repos/{owner}/{repo}/activity), oldest first, back to the last push at
// or before the deadline. complete says whether it reaches that far (or to
// the branch's creation): then the branch as it stood at the deadline is
// known.
func readPushLog(ctx context.Context, client *github.Client, repo github.Repo, branch string, deadline time.Time) (entries []github.Activity, complete bool, err error) {
	end, err := client.PushLog(ctx, repo, branch, func(page []github.Activity) bool {
		entries = append(entries, page...)
		// newest first: a page that reaches back past the deadline is enough
		complete = len(page) > 0 && !page[len(page)-1].Time.After(deadline)
		return !complete
	})
	if err != nil {
		return nil, false, err
	}
	if end && !complete {
		// The log's end: complete if it goes back to the branch's creation.
		complete = len(entries) > 0 && entries[len(entries)-1].Type == "branch_creation"
	}
	slices.Reverse(entries)
	return entries, complete, nil
}

// pushSightings turns the push log of branch (oldest first) into
// sightings: each push shows the tip it left at its time. When the log is
// complete around the deadline, one more shows the branch as it stood at
// the deadline: what the first push after it replaced, or what the last
// push before it left. Entries of other refs or with malformed names are
// skipped.
func pushSightings(entries []github.Activity, branch string, deadline time.Time, complete bool) []workspace.Evidence {
	var out []workspace.Evidence
	for _, a := range entries {
		if a.Ref != "refs/heads/"+branch || !slices.Contains(pushActivities, a.Type) || a.Time.IsZero() {
			continue
		}
		e := workspace.Evidence{Source: workspace.SourcePushLog, Time: a.Time, TipSHA: objectOrEmpty(a.After),
			Push: a.Type, Before: objectOrEmpty(a.Before)}
		if github.ValidLogin(a.Actor) {
			e.Actor = a.Actor
		}
		out = append(out, e)
	}
	if !complete || len(out) == 0 {
		return out
	}
	atDeadline := workspace.Evidence{Source: workspace.SourcePushLog, Time: deadline, Push: workspace.PushAtDeadline}
	if i := slices.IndexFunc(out, func(e workspace.Evidence) bool { return e.Time.After(deadline) }); i >= 0 {
		atDeadline.TipSHA = out[i].Before
	} else {
		atDeadline.TipSHA = out[len(out)-1].TipSHA
	}
	return append(out, atDeadline)
}

// objectOrEmpty is a well-formed object name, "" for the zero name (no
// branch) and anything malformed.
func objectOrEmpty(name string) string {
	if !objectName.MatchString(name) || strings.Trim(name, "0") == "" {
		return ""
	}
	return name
}

// pushLogSightings reads the group's push log when its repository is on
// GitHub's host and the token is meant for it, within ctx (the group's
// time). Failures never fail the group: they become the note saying why
// there is no push-log evidence.
func (r *runner) pushLogSightings(ctx context.Context, g Group, branch string, deadline time.Time) (sightings []workspace.Evidence, note string) {
	repo, ok := r.gitHubRepo(g.URL)
	if !ok {
		return nil, ""
	}
	ctx, cancel := withMargin(ctx)
	defer cancel()
	entries, complete, err := readPushLog(ctx, r.gitHub, repo, branch, deadline)
	if err != nil {
		return nil, r.scrub(g, "GitHub's push log not read: "+err.Error())
	}
	return pushSightings(entries, branch, deadline, complete), ""
}
