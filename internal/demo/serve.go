package demo

import (
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"time"

	"handin/internal/atomicfile"
	"handin/scrape"
	"handin/scrape/gittest"
	"handin/workspace"
)

// CheckGit says what the demo needs when the git binary is missing: the
// repositories are served through git http-backend.
func CheckGit() error {
	if err := gittest.GitAvailable(); err != nil {
		return fmt.Errorf("handin demo needs git to serve its repositories (git http-backend): %w", err)
	}
	return nil
}

// Serve serves the course's repositories over loopback smart HTTP and
// writes GroupsFile with their URLs. Close the server when done.
func Serve(c *Course) (*gittest.Server, error) {
	if err := CheckGit(); err != nil {
		return nil, err
	}
	srv, err := gittest.NewServer(c.ReposDir)
	if err != nil {
		return nil, fmt.Errorf("demo: serve: %w", err)
	}
	if err := writeGroupsFile(c, srv); err != nil {
		srv.Close()
		return nil, err
	}
	return srv, nil
}

// writeGroupsFile writes groups.csv in the course's format: group number,
// five student columns, repository URL.
func writeGroupsFile(c *Course, srv *gittest.Server) error {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write([]string{"group_number", "student_1", "student_2", "student_3", "student_4", "student_5", "repo_url"})
	for _, g := range c.Groups {
		row := []string{fmt.Sprint(g.Number)}
		for i := range 5 {
			id := ""
			if i < len(g.Students) {
				id = g.Students[i]
			}
			row = append(row, id)
		}
		w.Write(append(row, srv.RepoURL(g.Repo)))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("demo: groups file: %w", err)
	}
	if err := atomicfile.Write(c.GroupsFile, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("demo: groups file: %w", err)
	}
	return nil
}

// ObserveBeforeDeadline replays the cron scrape an instructor runs before
// the deadline: it scrapes the backdated groups into ws with the clock set
// two hours before the deadline, so their observation log holds the tip
// pushed by then, and then pushes their backdated commits. The course must
// be served (GroupsFile written).
func (c *Course) ObserveBeforeDeadline(ctx context.Context, ws *workspace.Workspace) error {
	backdated := c.GroupsWith(CaseBackdated)
	if len(backdated) == 0 || len(c.held) == 0 {
		return nil
	}
	groups, err := scrape.ReadGroupsFile(c.GroupsFile, Location())
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	before := c.Deadline.Add(-2 * time.Hour)
	sum, err := scrape.Run(ctx, ws, scrape.Options{
		Groups: groups, Deadline: c.Deadline, Only: backdated,
		RetryDelay: 10 * time.Millisecond, Now: func() time.Time { return before },
	})
	if err != nil {
		return fmt.Errorf("demo: scrape before the deadline: %w", err)
	}
	for _, o := range sum.Outcomes {
		if o.Status != workspace.StatusOK {
			return fmt.Errorf("demo: scrape before the deadline: group %d: %s %s", o.Group, o.Status, o.Error)
		}
	}
	return c.PushBackdated()
}
