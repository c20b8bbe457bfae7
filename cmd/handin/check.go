package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"
	"golang.org/x/sync/errgroup"

	"handin/grade"
	"handin/internal/inputfile"
	"handin/parse"
	"handin/scrape"
)

func checkCommand() *cli.Command {
	return withExitCodes(&cli.Command{
		Name:      "check",
		Usage:     "check report files against a course year's template spec",
		ArgsUsage: "REPORT.md...",
		Description: `Checks each report's questions (word and image counts, exactly as the course's
report.py check counts them), placeholders left, figure links, the group number
(Question 1), the student ids (Question 2), the checklist and template drift.

Words, images and pass are the course checker's, as students see them; where it
reads other text than the answer (a sub-heading inside it, a heading after the
last one, "Answer:" twice), the whole answer's counts are given beside them, and
where it would stop with an error, handin's counts of each whole answer.

Without --spec, a report that follows exactly one year's template (its prompts
state that year's word and image ranges) is checked against that year, and a
note says so; any other report is checked against the newest spec.

Figure files are looked up among the files git tracks in the work tree holding
the report (or in --files): a figure never added is missing for the graders too.

Example:
   handin check reports/README.md
   handin check --spec 2024 --json group*/reports/README.md`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "spec", Value: grade.DefaultSpec, Usage: "built-in spec `NAME` (see 'handin spec list') or a spec FILE",
				DefaultText: "the year whose template the report follows, else " + grade.DefaultSpec},
			&cli.StringFlag{Name: "files", Usage: "`LIST` of repository paths, one a line (e.g. git ls-tree -r --name-only HEAD), for figure checks"},
			&cli.BoolFlag{Name: "json", Usage: "print a JSON array instead of tables"},
		},
		Action: runCheck,
	}, exitCodes{
		exitOK:         "every question passes",
		exitViolations: "some question fails",
		exitUsage:      usageMeaning + ", or a file that cannot be checked (missing, empty, binary, oversized or a folder; the other files are still checked)",
	})
}

// checkedFile is one file's outcome: a result, or why there is none.
type checkedFile struct {
	*grade.CheckResult
	Error string `json:"error,omitempty"`
	// followed is the year whose template the report follows, when it was
	// checked against that year rather than the spec asked for.
	followed string
}

// maxFileList bounds a --files list (git ls-tree of 500,000 files is some
// 25 MB).
const maxFileList = 64 << 20

func runCheck(c *cli.Context) error {
	if c.NArg() == 0 {
		return usageError("check: no report file given (try 'handin check reports/README.md')")
	}
	spec, err := grade.LoadSpec(c.String("spec"))
	if err != nil {
		return usageError("check: %w", err)
	}
	followTemplate := !c.IsSet("spec")
	var listed *grade.RepoFiles
	if list := c.String("files"); list != "" {
		data, err := inputfile.Read(list, maxFileList)
		if err != nil {
			return usageError("check: --files: %w", err)
		}
		listed = grade.NewRepoFiles(strings.Fields(string(data)))
	}
	// Files are independent: check them in parallel, report in argument order.
	files := c.Args().Slice()
	results := make([]checkedFile, len(files))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, file := range files {
		g.Go(func() error {
			results[i] = checkFile(file, spec, followTemplate, listed)
			return nil
		})
	}
	_ = g.Wait() // workers record failures per file and never return one
	io := streamsOf(c)
	code := exitOK
	unchecked := false
	for _, r := range results {
		unchecked = unchecked || (r.Error == "" && !r.FilesChecked)
		if r.followed != "" {
			fmt.Fprintf(io.err, "handin: note: %s follows the %s template: checked against spec %s, not %s (--spec chooses)\n",
				r.File, r.followed, r.followed, spec.Name)
		}
		switch {
		case r.Error != "":
			fmt.Fprintf(io.err, "handin: %s: %v\n", r.File, r.Error)
			code = exitUsage
		case r.InvalidUTF8 > 0:
			// Checked anyway, but the file needs fixing: an input error.
			fmt.Fprintf(io.err, "handin: %s:%d: not valid UTF-8 (checked with invalid bytes replaced)\n", r.File, r.InvalidUTF8)
			code = exitUsage
		case !r.Pass && code == exitOK:
			code = exitViolations
		}
	}
	if c.Bool("json") {
		if err := io.printJSON(results); err != nil {
			return err
		}
	} else {
		for _, r := range results {
			if r.Error == "" {
				printCheck(io.out, r.CheckResult)
			}
		}
	}
	if unchecked {
		fmt.Fprintln(io.err, "handin: note: figure files were not checked (no git work tree around the report): "+
			"run handin check inside the repository's work tree, or pass --files LIST (git ls-tree -r --name-only HEAD > LIST)")
	}
	return withCode(code)
}

// checkFile reads, parses and checks one report against spec, or against
// the year whose template it follows (followTemplate, when exactly one).
// Figures are looked up in listed, or else in the git work tree around the
// file.
func checkFile(file string, spec *grade.Spec, followTemplate bool, listed *grade.RepoFiles) checkedFile {
	failed := func(err error) checkedFile {
		return checkedFile{CheckResult: &grade.CheckResult{File: file, Spec: spec.Name}, Error: err.Error()}
	}
	data, err := readReport(file)
	if err != nil {
		return failed(err)
	}
	r, err := parse.Parse(data)
	if err != nil {
		return failed(err)
	}
	var followed string
	if years := grade.TemplateSpecs(r); followTemplate && len(years) == 1 && years[0] != spec.Name {
		year, err := grade.LoadSpec(years[0])
		if err != nil {
			return failed(err) // a built-in spec: cannot happen
		}
		spec, followed = year, years[0]
	}
	repo := grade.Repository{ReportDir: "reports", Files: listed}
	if root, ok := gitRoot(file); ok {
		abs, _ := filepath.Abs(file)
		rel, _ := filepath.Rel(root, filepath.Dir(abs))
		repo.ReportDir = filepath.ToSlash(rel)
		if repo.Files == nil {
			repo.Files = workTreeFiles(root)
		}
		// links into the repository's own GitHub address are its files;
		// without the remotes they are remote images
		repo.URLs, repo.Branch, _ = scrape.WorkTreeRemotes(root)
	}
	return checkedFile{CheckResult: grade.Check(file, r, spec, repo), followed: followed}
}

// readReport reads a report file without slurping huge or special files.
func readReport(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errors.New("no such file")
		}
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, errors.New("is a directory, not a report file")
	}
	if !info.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	data, err := io.ReadAll(io.LimitReader(f, parse.MaxSize+1))
	if err != nil {
		return nil, err
	}
	return data, nil
}

// gitRoot finds the work tree (a folder with .git) holding file.
func gitRoot(file string) (string, bool) {
	dir, err := filepath.Abs(filepath.Dir(file))
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// workTreeFiles lists the files git tracks in a work tree: a figure that
// was never added is missing for the graders too. When the index cannot be
// read it falls back to the files on disk.
func workTreeFiles(root string) *grade.RepoFiles {
	if paths, err := scrape.TrackedFiles(root); err == nil {
		return grade.NewRepoFiles(paths)
	}
	var paths []string
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable folders just hold no figures
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			paths = append(paths, filepath.ToSlash(rel))
		}
		return nil
	})
	return grade.NewRepoFiles(paths)
}

// printCheck prints one result as a compact aligned table.
func printCheck(w io.Writer, r *grade.CheckResult) {
	group := "?"
	if r.Group != nil {
		group = fmt.Sprint(*r.Group)
	}
	students := strings.Join(r.Students, " ")
	if students == "" {
		students = "none found"
	}
	fmt.Fprintf(w, "%s  (spec %s)  group %s  students %s  passed %d/%d\n", r.File, r.Spec, group, students, r.Passed, len(r.Questions))
	if crash := r.Checker.Crash; crash != nil {
		fmt.Fprintf(w, "  the course checker (%s) would stop with %s: %s; the counts below are handin's, of each whole answer\n",
			r.Checker.Version, crash.Exception, crash.Summary)
		for _, cause := range crash.Causes {
			fmt.Fprintf(w, "    %s\n", cause.Message)
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  Q\twords\trange\timages\trange\tresult\tproblems")
	for _, q := range r.Questions {
		result := "ok"
		if !q.Pass {
			result = "FAIL"
		}
		var notes []string
		for _, p := range q.Problems {
			notes = append(notes, p.Message)
		}
		for _, f := range q.Findings {
			note := "note: " + f.Message // information
			if f.Reason() {
				note = string(f.Level) + ": " + f.Message
			}
			if f.Target != "" && !strings.Contains(f.Message, f.Target) {
				note += " (" + f.Target + ")"
			}
			notes = append(notes, note)
		}
		row := fmt.Sprintf("  %d\t%d\t%s\t%d\t%s\t%s", q.Number, q.Words, rangeText(q.WordRange), q.Images, rangeText(q.ImageRange), result)
		if len(notes) > 0 {
			row += "\t" + strings.Join(notes, "; ")
		}
		fmt.Fprintln(tw, row)
	}
	tw.Flush()
	var sections []string
	for _, s := range r.Checklist {
		sections = append(sections, fmt.Sprintf("%s %d/%d", s.Section, s.Checked, s.Total))
	}
	if len(sections) > 0 {
		fmt.Fprintf(w, "  checklist: %s\n", strings.Join(sections, ", "))
	}
	if !r.Drift.Empty() {
		fmt.Fprintf(w, "  drift: %s\n", driftText(r.Drift))
	}
	if r.InvalidUTF8 > 0 {
		fmt.Fprintf(w, "  note: not UTF-8 from line %d on; invalid bytes were replaced\n", r.InvalidUTF8)
	}
	if len(r.ReadAsText) > 0 {
		fmt.Fprintf(w, "  problem: markup that cannot be parsed in reasonable time was read as plain text on %s\n", parse.DescribePlain(r.ReadAsText))
	}
	fmt.Fprintln(w)
}

func rangeText(r *grade.Range) string {
	if r == nil {
		return "-"
	}
	return fmt.Sprintf("%d-%d", r.Min, r.Max)
}

func driftText(d grade.Drift) string {
	var parts []string
	for _, p := range []struct {
		name string
		nums []int
	}{{"missing", d.Missing}, {"duplicated", d.Duplicated}, {"out of order", d.OutOfOrder}, {"extra", d.Extra}} {
		if len(p.nums) > 0 {
			parts = append(parts, p.name+" "+joinInts(p.nums))
		}
	}
	if d.Mismatch != "" {
		parts = append(parts, d.Mismatch)
	}
	return strings.Join(parts, "; ")
}
