package demo

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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

// Replayed cron scrapes: one shortly before the deadline, one right after.
const (
	scrapeBeforeDeadline = -10 * time.Minute
	scrapeAfterDeadline  = time.Minute
)

// ReplayDeadline replays what an instructor's cron sees around the
// deadline, into ws, for the groups with held pushes and those whose
// repositories stop answering: a scrape ten minutes before the deadline;
// the last-minute groups push (three minutes before it); a scrape one
// minute after the deadline; then the backdated groups push their commit
// dated before the deadline, and the repositories that stop answering are
// no longer served. The course must be served (GroupsFile written). It
// returns the groups replayed.
func (c *Course) ReplayDeadline(ctx context.Context, ws *workspace.Workspace) ([]int, error) {
	var replayed []int
	for _, h := range c.held {
		replayed = append(replayed, h.group)
	}
	for _, g := range c.vanishing {
		replayed = append(replayed, g.Number)
	}
	if len(replayed) == 0 {
		return nil, nil
	}
	slices.Sort(replayed)
	groups, err := scrape.ReadGroupsFile(c.GroupsFile, Location())
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if err := c.scrapeAt(ctx, ws, groups, replayed, c.Deadline.Add(scrapeBeforeDeadline)); err != nil {
		return nil, err
	}
	if err := c.pushHeld(false); err != nil { // the last-minute pushes
		return nil, err
	}
	if err := c.scrapeAt(ctx, ws, groups, replayed, c.Deadline.Add(scrapeAfterDeadline)); err != nil {
		return nil, err
	}
	if err := c.pushHeld(true); err != nil { // the backdated pushes
		return nil, err
	}
	for _, g := range c.vanishing { // the server answers 404 from now on
		dir := filepath.Join(c.ReposDir, g.Repo)
		if err := os.Rename(dir, dir+".gone"); err != nil {
			return nil, fmt.Errorf("demo: group %d stops answering: %w", g.Number, err)
		}
	}
	c.held, c.vanishing = nil, nil
	return replayed, nil
}

// scrapeAt scrapes the groups only into ws with the clock set to now.
func (c *Course) scrapeAt(ctx context.Context, ws *workspace.Workspace, groups []scrape.Group, only []int, now time.Time) error {
	sum, err := scrape.Run(ctx, ws, scrape.Options{
		Groups: groups, Deadline: c.Deadline, Only: only,
		RetryDelay: 10 * time.Millisecond, Now: func() time.Time { return now },
	})
	if err != nil {
		return fmt.Errorf("demo: scrape at %s: %w", now.Format(time.RFC3339), err)
	}
	for _, o := range sum.Outcomes {
		if o.Status != workspace.StatusOK {
			return fmt.Errorf("demo: scrape at %s: group %d: %s %s", now.Format(time.RFC3339), o.Group, o.Status, o.Error)
		}
	}
	return nil
}
