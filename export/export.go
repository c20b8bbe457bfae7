// Package export turns graded results into what instructors open and grade
// from: a self-contained HTML page per group, an index of all groups, a
// gradebook workbook and results.json. It reads the workspace's results and
// snapshots, never git or the network. What each of the gradebook's sheets
// holds is export's; writing it and carrying the instructor's work over is
// package export/gradebook's.
package export

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"log/slog"
	"maps"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"handin/export/gradebook"
	"handin/grade"
	"handin/grade/rubric"
	"handin/internal/atomicfile"
	"handin/internal/budget"
	"handin/internal/lazyregexp"
	"handin/parse"
	"handin/workspace"
)

// Output file names inside Options.Out (the gradebook's others are
// package gradebook's: its state, backups and pending workbook).
const (
	IndexFile     = "index.html"
	GradebookFile = gradebook.File
	ResultsFile   = "results.json"
	PagesDir      = "groups"
)

// ErrNothingGraded: the workspace holds no result to export.
var ErrNothingGraded = errors.New("no graded group")

// Options says what to export and where.
type Options struct {
	Out string // output folder
	// Only regenerates just these groups' pages and their rows in the index,
	// gradebook and results.json; every other group keeps what the previous
	// export wrote (its page is not touched).
	Only   []int
	Now    func() time.Time // clock for backup names and the index; time.Now when nil
	Logger *slog.Logger     // per-group remarks (an unreadable snapshot); nil: no logs
	// GroupTimeout bounds making one group's page: a page not made by then
	// is written without the report, saying so.
	// 0: grade.DefaultGroupTimeout.
	GroupTimeout time.Duration
	// Rubric, when set, gives the gradebook a Score and a Comment per
	// question and a Total per group (see grading.go).
	Rubric *rubric.Rubric
	// Graders, when set, are dealt to the groups new to the gradebook as
	// their Grader, and the index has a view per grader.
	Graders []string
	// Merge are graders' copies of the gradebook whose values this export
	// merges into it (gradebook.Merge); the gradebook must be there.
	Merge []string
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
	// Kept counts the instructor's values this export could not put back
	// on their row in the gradebook and moved to its Kept sheet.
	Kept int `json:"kept,omitempty"`
	// Dealt counts the groups new to the gradebook given a grader.
	Dealt int `json:"dealt,omitempty"`
	// Merged is what came into the gradebook from each copy merged, and
	// the cells two copies set differently (moved to Kept).
	Merged []gradebook.Change `json:"merged,omitempty"`
	// Warnings need the instructor's attention (e.g. the gradebook was
	// written beside an unreadable one); Export does not log them.
	Warnings []string `json:"warnings,omitempty"`
}

// Run writes the pages, index, gradebook and results.json of a graded
// workspace. Every file is written through a temporary file and a rename.
func Run(ctx context.Context, ws *workspace.Workspace, opts Options) (*Summary, error) {
	if opts.Out == "" {
		return nil, errors.New("no output folder given")
	}
	if len(opts.Merge) > 0 && len(opts.Only) > 0 {
		return nil, errors.New("a merge exports every group")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	sum := &Summary{
		Out:     opts.Out,
		Index:   filepath.Join(opts.Out, IndexFile),
		Results: filepath.Join(opts.Out, ResultsFile),
	}
	if err := checkPagesFolder(opts.Out); err != nil {
		return nil, err
	}
	var err error
	if sum.RemovedTemporaries, err = removeInterruptedWrites(opts.Out); err != nil {
		return nil, err
	}
	results, render, err := resultSources(ws, opts, sum)
	if err != nil {
		return nil, err
	}
	invalid, err := invalidRows(ws)
	if err != nil {
		sum.Warnings = append(sum.Warnings, "invalid groups.csv rows not listed: "+err.Error())
	}
	// One pass over every result writes results.json and keeps what the
	// index shows of each; the gradebook then reads results.json back, a
	// group at a time, and what it holds of the grading goes into the
	// index and the pages.
	var index []*grade.GroupResult
	graded := map[int]bool{}
	err = writeResults(sum.Results, results, invalid, func(r *grade.GroupResult) {
		index = append(index, indexResult(r))
		graded[r.Group] = true
	})
	if err != nil {
		return nil, err
	}
	sum.Groups = len(index)
	gaps, err := rosterGaps(ws, graded)
	if err != nil {
		sum.Warnings = append(sum.Warnings, err.Error()+": the index and the gradebook list the graded groups only")
	}
	marks, err := writeGradebook(opts, resultsIn(sum.Results), gaps, sum)
	if err != nil {
		return nil, err
	}
	view := gradebookView{grading: gradingOf(opts), progress: marks}
	if err := writeIndex(sum.Index, index, gaps, view, opts.Now()); err != nil {
		return nil, err
	}
	index = nil
	if err := writePages(ctx, ws, opts, render, view, sum); err != nil {
		return nil, err
	}
	if len(opts.Only) == 0 {
		if sum.RemovedPages, err = removeStalePages(opts.Out, graded); err != nil {
			return nil, err
		}
	}
	return sum, nil
}

// resultSources are every group's result in group order, and the groups
// whose pages this run renders. With Only, the other groups come from the
// previous export's results.json so their rows stay as their pages show
// them. The results can be gone through more than once.
func resultSources(ws *workspace.Workspace, opts Options, sum *Summary) (all iter.Seq2[*grade.GroupResult, error], render []int, err error) {
	if len(opts.Only) == 0 {
		groups, err := ws.GradedGroups()
		if err != nil {
			return nil, nil, err
		}
		if len(groups) == 0 {
			return nil, nil, fmt.Errorf("%w in %s (run 'handin grade' first)", ErrNothingGraded, ws.Root())
		}
		return workspaceResults(ws, groups), groups, nil
	}
	fresh := map[int]*grade.GroupResult{}
	for _, g := range slices.Compact(slices.Sorted(slices.Values(opts.Only))) {
		r, err := grade.LoadResult(ws, g)
		if err != nil {
			return nil, nil, fmt.Errorf("group %d: %w", g, err)
		}
		fresh[g] = r
		render = append(render, g)
	}
	// Reading results.json up to its first group says whether it can be
	// used; it is read whole, a group at a time, when results are written.
	previous := resultsIn(sum.Results)
	var first error // of the first group, or of the file before it
	for _, first = range previous {
		break
	}
	var stale *staleResultsError
	switch {
	case first == nil:
	case errors.Is(first, fs.ErrNotExist), errors.As(first, &stale):
		why := "no previous export in " + opts.Out
		if stale != nil {
			why = stale.Error()
		}
		sum.Warnings = append(sum.Warnings, why+": rows of other groups come from the workspace and their pages are not written")
		groups, err := ws.GradedGroups()
		if err != nil {
			return nil, nil, err
		}
		previous = workspaceResults(ws, groups)
	default:
		return nil, nil, fmt.Errorf("previous export: %w", first)
	}
	return withFresh(previous, fresh), render, nil
}

// workspaceResults reads the results of these groups from the workspace.
func workspaceResults(ws *workspace.Workspace, groups []int) iter.Seq2[*grade.GroupResult, error] {
	return func(yield func(*grade.GroupResult, error) bool) {
		for _, g := range groups {
			r, err := grade.LoadResult(ws, g)
			if !yield(r, err) || err != nil {
				return
			}
		}
	}
}

// withFresh is the previous results with these groups' fresh results in
// their place, or in group order among them.
func withFresh(previous iter.Seq2[*grade.GroupResult, error], fresh map[int]*grade.GroupResult) iter.Seq2[*grade.GroupResult, error] {
	groups := slices.Sorted(maps.Keys(fresh))
	return func(yield func(*grade.GroupResult, error) bool) {
		next := 0 // the first fresh group not given yet
		// flushBefore gives the fresh groups before this one; false when
		// the caller stopped.
		flushBefore := func(group int) bool {
			for ; next < len(groups) && groups[next] < group; next++ {
				if !yield(fresh[groups[next]], nil) {
					return false
				}
			}
			return true
		}
		for r, err := range previous {
			if err != nil {
				yield(nil, err)
				return
			}
			if !flushBefore(r.Group) {
				return
			}
			if f, ok := fresh[r.Group]; ok {
				if next < len(groups) && groups[next] == r.Group {
					next++
				}
				r = f
			}
			if !yield(r, nil) {
				return
			}
		}
		flushBefore(math.MaxInt)
	}
}

// writePages writes the pages of the given groups, a few at a time: each
// group's result is read and its page streamed into its file (figures read
// from the snapshot as they are written), so memory holds one result and
// report per worker, whatever the number of groups or the size of their
// figures.
func writePages(ctx context.Context, ws *workspace.Workspace, opts Options, groups []int, view gradebookView, sum *Summary) error {
	all, err := ws.GradedGroups()
	if err != nil {
		return err
	}
	paths := make([]string, len(groups))
	var mu sync.Mutex // guards sum.Warnings
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, group := range groups {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			paths[i] = filepath.Join(opts.Out, filepath.FromSlash(pagePath(group)))
			prev, next := neighbours(all, group)
			over, err := writePage(ctx, ws, opts, group, paths[i], pageSource{prev: prev, next: next, progress: view.of(group)})
			if over != "" {
				mu.Lock()
				sum.Warnings = append(sum.Warnings, over)
				mu.Unlock()
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	sum.Pages = paths
	return nil
}

// writePage writes a group's page to name, within opts.GroupTimeout: a
// page not made by then (a report built to slow markdown parsers down) is
// written again without the report, and over says so.
func writePage(ctx context.Context, ws *workspace.Workspace, opts Options, group int, name string, src pageSource) (over string, err error) {
	r, err := grade.LoadResult(ws, group)
	if err != nil {
		return "", fmt.Errorf("group %d: %w", group, err)
	}
	limit := cmp.Or(opts.GroupTimeout, grade.DefaultGroupTimeout)
	err = atomicfile.Stream(name, 0o644, func(w io.Writer) error {
		page := budget.NewWriter(w)
		written, err := budget.Run(ctx, limit, func(ctx context.Context) error { return writeGroupPage(ctx, page, ws, opts, r, src) })
		if err != nil {
			page.Abandon() // not done: nothing more of it may reach the file
			return err
		}
		return written
	})
	if !errors.Is(err, budget.ErrOver) {
		return "", err
	}
	opts.Logger.WarnContext(ctx, "export: page over the time a group may take", "group", group, "timeout", limit)
	msg := fmt.Sprintf("This page could not be made within %s, the time a group may take, so the report is not shown: open it in the repository.", limit)
	fresh, err := grade.LoadResult(ws, group) // the abandoned page may still be reading r
	if err != nil {
		return "", fmt.Errorf("group %d: %w", group, err)
	}
	return fmt.Sprintf("group %d: its page took longer than %s: written without the report", group, limit),
		atomicfile.Stream(name, 0o644, func(w io.Writer) error {
			return renderPage(w, fresh, pageSource{note: msg, prev: src.prev, next: src.next, progress: src.progress})
		})
}

// checkPagesFolder refuses an output folder whose pages folder is a
// symbolic link (or no folder at all): the pages would be written, and
// pages and temporary files deleted, wherever it points. Every file an
// export writes is renamed into place, which never follows a link, so the
// pages folder is the one way out of the output folder.
func checkPagesFolder(out string) error {
	pages := filepath.Join(out, PagesDir)
	info, err := os.Lstat(pages)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("pages folder: %w", err)
	case info.Mode()&fs.ModeSymlink != 0:
		target, _ := os.Readlink(pages)
		return fmt.Errorf("%s is a symbolic link (to %s): an export writes only inside %s; replace the link with a folder, or point --out elsewhere", pages, target, out)
	case !info.IsDir():
		return fmt.Errorf("%s is not a folder: an export writes the pages there", pages)
	}
	return nil
}

// removeInterruptedWrites removes the temporary files an export killed
// mid-write left in the output folders (they can hold tens of MB each), so
// that the folder holds only what an export documents. The workspace lock
// keeps a second export out while this one runs.
func removeInterruptedWrites(out string) ([]string, error) {
	var removed []string
	for _, dir := range []string{out, filepath.Join(out, PagesDir)} {
		names, err := atomicfile.RemoveTemps(dir)
		removed = append(removed, names...)
		if err != nil {
			return removed, err
		}
	}
	return removed, nil
}

// pageFile matches the names of group pages in the pages folder.
var pageFile = &lazyregexp.Regexp{Expr: `^[0-9]{3,}\.html$`}

// removeStalePages deletes the pages of groups that have no result any more,
// so the folder holds exactly the pages the index links to. Only files named
// like a group page are touched.
func removeStalePages(out string, graded map[int]bool) ([]string, error) {
	dir := filepath.Join(out, PagesDir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list pages: %w", err)
	}
	current := make(map[string]bool, len(graded))
	for g := range graded {
		current[pageFileName(g)] = true
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

// neighbours are the groups before and after group among all (ascending);
// nil at either end.
func neighbours(all []int, group int) (prev, next *neighbour) {
	i, found := slices.BinarySearch(all, group)
	at := func(j int) *neighbour {
		if j < 0 || j >= len(all) {
			return nil
		}
		return &neighbour{Group: all[j], Page: pageFileName(all[j])}
	}
	if !found {
		return at(i - 1), at(i)
	}
	return at(i - 1), at(i + 1)
}

// writeGroupPage loads a group's snapshot and report and writes its page.
// A missing snapshot or report still gives a page, saying so; a group
// without a deadline commit has neither to show.
func writeGroupPage(ctx context.Context, w io.Writer, ws *workspace.Workspace, opts Options, r *grade.GroupResult, src pageSource) error {
	if !r.Status.Pinned() {
		return renderPage(w, r, src) // no deadline tree: the page says what happened
	}
	var err error
	if src.snap, err = ws.LoadSnapshot(r.Group); err != nil {
		opts.Logger.WarnContext(ctx, "snapshot not available", "group", r.Group, "err", err)
		src.snap, src.note = nil, "The snapshot of this group could not be read, so the report is not shown: "+err.Error()
		return renderPage(w, r, src)
	}
	if r.ReportPath == "" {
		src.note = "No report was found in the repository at the deadline."
		return renderPage(w, r, src)
	}
	src.report, err = readSnapshotFile(src.snap, r.ReportPath, parse.MaxSize)
	var tooLarge *tooLargeError
	switch {
	case errors.As(err, &tooLarge):
		src.note = fmt.Sprintf("The report %s is too large to show (%d MB).", r.ReportPath, tooLarge.Size>>20)
	case err != nil:
		opts.Logger.WarnContext(ctx, "report not readable", "group", r.Group, "path", r.ReportPath, "err", err)
		src.note = fmt.Sprintf("The report %s could not be read from the snapshot.", r.ReportPath)
	}
	return renderPage(w, r, src)
}

// writeResults writes results.json one group at a time, as the source
// gives them: the same indented JSON as json.MarshalIndent of a
// resultsFile, without every result in memory. Each result is also given
// to seen (when not nil).
func writeResults(name string, results iter.Seq2[*grade.GroupResult, error], invalid []invalidRow, seen func(*grade.GroupResult)) error {
	return atomicfile.Stream(name, 0o644, func(w io.Writer) error {
		if _, err := fmt.Fprintf(w, "{\n  \"schema\": %d,\n  \"groups\": [", grade.SchemaVersion); err != nil {
			return err
		}
		sep := "\n    "
		closing := "],\n"
		for r, err := range results {
			if err != nil {
				return err
			}
			data, err := json.MarshalIndent(r, "    ", "  ")
			if err != nil {
				return fmt.Errorf("group %d: %w", r.Group, err)
			}
			if _, err := io.WriteString(w, sep); err != nil {
				return err
			}
			if _, err := w.Write(data); err != nil {
				return err
			}
			if seen != nil {
				seen(r)
			}
			sep, closing = ",\n    ", "\n  ],\n"
		}
		rows, err := json.MarshalIndent(invalid, "  ", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s  \"invalid_rows\": %s\n}\n", closing, rows)
		return err
	})
}

// resultsFile is results.json: every group's result, for scripts (the
// fields are described in docs/results.md).
type resultsFile struct {
	Schema int                  `json:"schema"`
	Groups []*grade.GroupResult `json:"groups"`
	// InvalidRows are the groups.csv rows the last scrape could not use.
	InvalidRows []invalidRow `json:"invalid_rows"`
}

// staleResultsError: a previous results.json written by another schema
// version (or before results.json had one).
type staleResultsError struct {
	name   string
	schema int
}

func (e *staleResultsError) Error() string {
	return fmt.Sprintf("%s has schema %d, this handin writes %d", e.name, e.schema, grade.SchemaVersion)
}

// resultsIn reads the results of an export's results.json one at a time
// (as written: "schema" first, then "groups").
func resultsIn(name string) iter.Seq2[*grade.GroupResult, error] {
	return func(yield func(*grade.GroupResult, error) bool) {
		f, err := os.Open(name)
		if err != nil {
			yield(nil, err)
			return
		}
		defer f.Close()
		dec := json.NewDecoder(bufio.NewReader(f))
		if err := readResultsHeader(dec, name); err != nil {
			yield(nil, err)
			return
		}
		for dec.More() {
			var r grade.GroupResult
			if err := dec.Decode(&r); err != nil {
				yield(nil, fmt.Errorf("read %s: %w", name, err))
				return
			}
			if !yield(&r, nil) {
				return
			}
		}
	}
}

// readResultsHeader reads results.json up to the first group, checking its
// schema.
func readResultsHeader(dec *json.Decoder, name string) error {
	var schema int
	for _, want := range []any{json.Delim('{'), "schema", &schema, "groups", json.Delim('[')} {
		if v, ok := want.(*int); ok {
			if err := dec.Decode(v); err != nil {
				return fmt.Errorf("read %s: %w", name, err)
			}
			continue
		}
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		switch {
		case tok == json.Delim('[') && want == json.Delim('{'): // the unversioned first format
			return &staleResultsError{name: name}
		case tok != want:
			return &staleResultsError{name: name, schema: schema}
		}
	}
	if schema != grade.SchemaVersion {
		return &staleResultsError{name: name, schema: schema}
	}
	return nil
}
