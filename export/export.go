// Package export turns graded results into what instructors open and grade
// from: a self-contained HTML page per group, an index of all groups, a
// gradebook workbook and results.json. It is pure: it reads the workspace's
// results and snapshots, never git or the network.
package export

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"time"

	"golang.org/x/sync/errgroup"

	"handin/grade"
	"handin/internal/atomicfile"
	"handin/parse"
	"handin/scrape"
)

// Output file names inside Options.Out.
const (
	IndexFile     = "index.html"
	GradebookFile = "gradebook.xlsx"
	ResultsFile   = "results.json"
	PagesDir      = "groups"
)

// Options says what to export and where.
type Options struct {
	Workspace string // holds groups/NNN/result.json and snapshot.json
	Out       string // output folder
	// Only regenerates just these groups' pages and their rows in the index,
	// gradebook and results.json; every other group keeps what the previous
	// export wrote (its page is not touched).
	Only   []int
	Now    func() time.Time // clock for backup names and the index; time.Now when nil
	Logger *slog.Logger     // slog.Default when nil
}

// Summary says where the files are and what needs attention.
type Summary struct {
	Out             string   `json:"out"`
	Index           string   `json:"index"`
	Gradebook       string   `json:"gradebook"`
	GradebookBackup string   `json:"gradebook_backup,omitempty"`
	Results         string   `json:"results"`
	Pages           []string `json:"pages"` // pages written by this run
	// RemovedPages are pages of groups no longer in the workspace's results
	// (e.g. dropped from the course), deleted by a full export so the pages
	// folder matches the index.
	RemovedPages []string `json:"removed_pages,omitempty"`
	// RemovedTemporaries are temporary files an interrupted export left
	// behind, deleted by this one.
	RemovedTemporaries []string `json:"removed_temporaries,omitempty"`
	Groups             int      `json:"groups"`
	// Warnings need the instructor's attention (e.g. the gradebook was
	// written beside an unreadable one); Export does not log them.
	Warnings []string `json:"warnings,omitempty"`
}

// Export writes the pages, index, gradebook and results.json of a graded
// workspace. Every file is written through a temporary file and a rename.
func Export(ctx context.Context, opts Options) (*Summary, error) {
	if opts.Workspace == "" || opts.Out == "" {
		return nil, errors.New("workspace and output folder are required")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	sum := &Summary{
		Out:     opts.Out,
		Index:   filepath.Join(opts.Out, IndexFile),
		Results: filepath.Join(opts.Out, ResultsFile),
	}
	results, render, err := collectResults(opts, sum)
	if err != nil {
		return nil, err
	}
	if sum.RemovedTemporaries, err = removeStaleTemps(opts.Out); err != nil {
		return nil, err
	}
	sum.Groups = len(results)
	if err := writePages(ctx, opts, render, sum); err != nil {
		return nil, err
	}
	if len(opts.Only) == 0 {
		if sum.RemovedPages, err = removeStalePages(opts.Out, results); err != nil {
			return nil, err
		}
	}
	if err := writeResults(sum.Results, results); err != nil {
		return nil, err
	}
	if err := writeIndex(sum.Index, results, opts.Now()); err != nil {
		return nil, err
	}
	if err := writeGradebook(opts, results, sum); err != nil {
		return nil, err
	}
	return sum, nil
}

// collectResults returns every group's result sorted by group, and the ones
// whose pages this run renders. With Only, the other groups come from the
// previous export's results.json so their rows stay as their pages show them.
func collectResults(opts Options, sum *Summary) (all, render []*grade.GroupResult, err error) {
	if len(opts.Only) == 0 {
		all, err = loadWorkspaceResults(opts.Workspace)
		if err != nil {
			return nil, nil, err
		}
		if len(all) == 0 {
			return nil, nil, fmt.Errorf("no graded group in %s (run 'handin grade' first)", opts.Workspace)
		}
		return all, all, nil
	}
	byGroup := map[int]*grade.GroupResult{}
	previous, err := readResults(sum.Results)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("no previous export in %s: rows of other groups come from the workspace and their pages are not written", opts.Out))
		previous, err = loadWorkspaceResults(opts.Workspace)
		if err != nil {
			return nil, nil, err
		}
	case err != nil:
		return nil, nil, fmt.Errorf("previous export: %w", err)
	}
	for _, r := range previous {
		byGroup[r.Group] = r
	}
	for _, g := range slices.Compact(slices.Sorted(slices.Values(opts.Only))) {
		r, err := grade.LoadResult(opts.Workspace, g)
		if err != nil {
			return nil, nil, fmt.Errorf("group %d: %w", g, err)
		}
		byGroup[g] = r
		render = append(render, r)
	}
	for _, r := range byGroup {
		all = append(all, r)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Group < all[j].Group })
	return all, render, nil
}

// loadWorkspaceResults reads every group's result in the workspace, sorted
// by group; folders without a result (not graded yet) are skipped.
func loadWorkspaceResults(workspace string) ([]*grade.GroupResult, error) {
	dirs, err := os.ReadDir(filepath.Join(workspace, "groups"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read workspace: %w", err)
	}
	var results []*grade.GroupResult
	for _, d := range dirs {
		group, err := strconv.Atoi(d.Name())
		if !d.IsDir() || err != nil {
			continue
		}
		r, err := grade.LoadResult(workspace, group)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		results = append(results, r)
	}
	sort.Slice(results, func(i, j int) bool { return results[i].Group < results[j].Group })
	return results, nil
}

// writePages writes the pages of the given groups, a few at a time: each
// page is streamed into its file (figures read from the snapshot as they are
// written), so memory holds one report per worker, whatever the number of
// groups or the size of their figures.
func writePages(ctx context.Context, opts Options, results []*grade.GroupResult, sum *Summary) error {
	paths := make([]string, len(results))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, r := range results {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			paths[i] = filepath.Join(opts.Out, filepath.FromSlash(pagePath(r.Group)))
			return atomicfile.Stream(paths[i], 0o644, func(w io.Writer) error {
				return writeGroupPage(w, opts, r)
			})
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	sum.Pages = paths
	return nil
}

// staleTempAge is how long a temporary file of ours must have been left
// alone before an export removes it: one still being written by another
// export of the same folder keeps changing.
const staleTempAge = time.Minute

// removeStaleTemps removes the temporary files an export killed mid-write
// left in the output folders (they can hold tens of MB each).
func removeStaleTemps(out string) ([]string, error) {
	var removed []string
	for _, dir := range []string{out, filepath.Join(out, PagesDir)} {
		names, err := atomicfile.RemoveStale(dir, staleTempAge)
		removed = append(removed, names...)
		if err != nil {
			return removed, err
		}
	}
	return removed, nil
}

// pageFile matches the names of group pages in the pages folder.
var pageFile = regexp.MustCompile(`^[0-9]{3,}\.html$`)

// removeStalePages deletes the pages of groups that have no result any more,
// so the folder holds exactly the pages the index links to. Only files named
// like a group page are touched.
func removeStalePages(out string, results []*grade.GroupResult) ([]string, error) {
	dir := filepath.Join(out, PagesDir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list pages: %w", err)
	}
	current := make(map[string]bool, len(results))
	for _, r := range results {
		current[pageFileName(r.Group)] = true
	}
	var removed []string
	for _, e := range entries {
		if current[e.Name()] || !e.Type().IsRegular() || !pageFile.MatchString(e.Name()) {
			continue
		}
		name := filepath.Join(dir, e.Name())
		if err := os.Remove(name); err != nil {
			return removed, fmt.Errorf("remove stale page: %w", err)
		}
		removed = append(removed, name)
	}
	return removed, nil
}

// writeGroupPage loads a group's snapshot and report and writes its page.
// A missing snapshot or report still gives a page, saying so.
func writeGroupPage(w io.Writer, opts Options, r *grade.GroupResult) error {
	snap, err := scrape.LoadSnapshot(opts.Workspace, r.Group)
	if err != nil {
		opts.Logger.Warn("snapshot not available", "group", r.Group, "err", err)
		return renderPage(w, r, nil, nil, "The snapshot of this group could not be read, so the report is not shown: "+err.Error())
	}
	if r.ReportPath == "" {
		return renderPage(w, r, snap, nil, "No report was found in the repository at the deadline.")
	}
	report, err := readSnapshotFile(snap, r.ReportPath, parse.MaxSize)
	var tooLarge *tooLargeError
	if errors.As(err, &tooLarge) {
		return renderPage(w, r, snap, nil, fmt.Sprintf("The report %s is too large to show (%d MB).", r.ReportPath, tooLarge.Size>>20))
	}
	if err != nil {
		opts.Logger.Warn("report not readable", "group", r.Group, "path", r.ReportPath, "err", err)
		return renderPage(w, r, snap, nil, fmt.Sprintf("The report %s could not be read from the snapshot.", r.ReportPath))
	}
	return renderPage(w, r, snap, report, "")
}

// writeResults writes results.json one group at a time: the same indented
// JSON array as json.MarshalIndent, without a second copy of every result
// in memory.
func writeResults(name string, results []*grade.GroupResult) error {
	return atomicfile.Stream(name, 0o644, func(w io.Writer) error {
		if len(results) == 0 {
			_, err := io.WriteString(w, "[]\n")
			return err
		}
		sep := "[\n  "
		for _, r := range results {
			data, err := json.MarshalIndent(r, "  ", "  ")
			if err != nil {
				return fmt.Errorf("group %d: %w", r.Group, err)
			}
			if _, err := io.WriteString(w, sep); err != nil {
				return err
			}
			if _, err := w.Write(data); err != nil {
				return err
			}
			sep = ",\n  "
		}
		_, err := io.WriteString(w, "\n]\n")
		return err
	})
}

// readResults reads a previous export's results.json.
func readResults(name string) ([]*grade.GroupResult, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var results []*grade.GroupResult
	if err := json.Unmarshal(data, &results); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return results, nil
}
