package export

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"strings"
	"sync"

	"handin/grade"
	"handin/internal/lazyregexp"
	"handin/internal/visible"
	"handin/workspace"
)

//go:embed templates
var templateFS embed.FS

// contentSecurityPolicy forbids scripts and every external resource: images
// must be data: URIs, styles only the inline <style> this package writes.
// base-uri and form-action do not fall back to default-src, so they are
// named too.
const contentSecurityPolicy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

var styleSheet = sync.OnceValue(func() template.CSS { return template.CSS(mustRead("templates/style.css")) })

// templates are parsed on first use, so that commands which export nothing
// (handin check) do not pay for them at start-up.
var templates = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").ParseFS(templateFS, "templates/*.html"))
})

func mustRead(name string) string {
	data, err := templateFS.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(data)
}

var hexSHA = &lazyregexp.Regexp{Expr: `^[0-9a-f]{40}$`}

// pageData is what templates/page.html shows.
type pageData struct {
	CSP        string
	CSS        template.CSS
	R          *grade.GroupResult
	Clock      clock // every time on the page is in the course's zone
	RepoLink   string
	CommitLink string
	// Failure is set for a group without a deadline commit: the page then
	// says what happened and what to do, and shows nothing not observed.
	Failure *failure
	// Reasons and Information are the findings by kind and level, most
	// pressing first: the reasons for the state (the header and the
	// findings panel), and what is only information.
	Reasons, Information []kindGroup
	Questions            []questionRow // one row per question that fails or has findings
	Backdated            string        // yes, no or unknown (backdatedWord)
	RepoSize             string
	Checklist            checklistSummary
	Claims               *claimsSection
	Shared               []sharedRow // the groups sharing git history with this one
	Similar              []similarEntry
	Heatmap              *heatmap
	Contributors         []contributor
	ReportNote           string
	Notes                []string // the scrape's notes on the snapshot, a few
	Pin                  pinSection
	Prev, Next           *neighbour // the groups before and after, by number
	Progress             *progress  // the grading, as the gradebook holds it (nil: nothing known)
}

// neighbour is the group before or after a page's, linked from it.
type neighbour struct {
	Group int
	Page  string // relative to the page
}

// pageSource is what a page is rendered from beside the result: the
// snapshot its figures come from (nil when it could not be loaded), the
// report's bytes at the deadline (nil when there is none), a note saying
// why the report is not shown, and the groups before and after.
type pageSource struct {
	snap       *workspace.Snapshot
	report     []byte
	note       string
	prev, next *neighbour
	progress   *progress // the group's grading, as the gradebook holds it
}

// checklistSummary is the checklist in one line: items ticked of all, by
// section.
type checklistSummary struct {
	Checked, Total int
	Sections       []grade.ChecklistSummary
}

func newChecklistSummary(c *grade.CheckResult) checklistSummary {
	var s checklistSummary
	if c == nil {
		return s
	}
	s.Sections = c.Checklist
	for _, sec := range c.Checklist {
		s.Checked += sec.Checked
		s.Total += sec.Total
	}
	return s
}

// maxPageNotes is how many of the scrape's notes the page header lists.
const maxPageNotes = 8

// snapshotNotes are the notes the page header lists: why files were not
// copied or entries skipped, dates no clock writes.
func snapshotNotes(snap *workspace.Snapshot) []string {
	if snap == nil {
		return nil
	}
	notes := snap.Notes[:min(len(snap.Notes), maxPageNotes)]
	if more := len(snap.Notes) - len(notes); more > 0 {
		notes = append(notes[:len(notes):len(notes)], fmt.Sprintf("%d more notes in snapshot.json", more))
	}
	return notes
}

// renderPage writes one group's self-contained page to w, reading its
// figures from the snapshot as it goes.
func renderPage(w io.Writer, r *grade.GroupResult, src pageSource) error {
	snap, report := src.snap, src.report
	d := pageData{
		CSP:          contentSecurityPolicy,
		CSS:          styleSheet(),
		R:            r,
		Clock:        resultClock(r),
		RepoLink:     webLink(r),
		CommitLink:   commitLink(r),
		Failure:      failureOf(r),
		Progress:     src.progress,
		RepoSize:     repoSize(r.Stats),
		Heatmap:      activityHeatmap(r.Stats),
		Contributors: contributors(r),
		ReportNote:   src.note,
		Notes:        snapshotNotes(snap),
		Pin:          newPinSection(r),
		Claims:       newClaimsSection(r),
		Shared:       sharedRows(r),
		Similar:      newSimilarEntries(r),
		Checklist:    newChecklistSummary(r.Check),
		Backdated:    backdatedWord(r),
		Prev:         src.prev,
		Next:         src.next,
	}
	questions := map[int]grade.QuestionResult{}
	if r.Check != nil {
		for _, q := range r.Check.Questions {
			if _, dup := questions[q.Number]; !dup {
				questions[q.Number] = q
			}
		}
	}
	anchors := map[int]bool{}
	var reportHTML []byte
	var figures []figure
	if report != nil {
		rr := &reportRenderer{figures: newFigureSource(snap, r), blobBase: blobBase(r), questions: questions}
		var err error
		if reportHTML, err = rr.render(report); err != nil {
			return fmt.Errorf("group %d: %w", r.Group, err)
		}
		anchors, figures = rr.anchors, rr.inlined
	}
	byKind := groupFindings(r.Findings, anchors)
	d.Reasons = reasonGroups(byKind)
	d.Information = byKind[len(d.Reasons):]
	d.Questions = questionRows(r, anchors)
	// The report (sanitized, with megabytes of figures) is written between
	// the two templates rather than passed through one, which copies it.
	// Everything students wrote is shown as written, but for characters
	// that would hide or reorder it (package visible).
	page := visible.Writer(w)
	if err := templates().ExecuteTemplate(page, "page.html", d); err != nil {
		return fmt.Errorf("group %d page: %w", r.Group, err)
	}
	if err := writeReport(page, reportHTML, figures, snap); err != nil {
		return fmt.Errorf("group %d report: %w", r.Group, err)
	}
	if err := templates().ExecuteTemplate(page, "page-end", d); err != nil {
		return fmt.Errorf("group %d page: %w", r.Group, err)
	}
	return page.Close()
}

// webLink is the repository's browsable URL when it is a plain http(s) URL.
func webLink(r *grade.GroupResult) string {
	for _, candidate := range []string{r.WebURL, r.URL} {
		if u, err := url.Parse(candidate); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil {
			return u.String()
		}
	}
	return ""
}

// commitLink links the deadline commit on GitHub; "" for other hosts.
func commitLink(r *grade.GroupResult) string {
	if repo := githubRepo(r); repo != "" {
		return repo + "/commit/" + r.Pin.SHA
	}
	return ""
}

// blobBase is the prefix of links to files at the deadline commit on GitHub.
func blobBase(r *grade.GroupResult) string {
	if repo := githubRepo(r); repo != "" {
		return repo + "/blob/" + r.Pin.SHA + "/"
	}
	return ""
}

// githubRepo is the repository's home on GitHub (github.com or the
// course's Enterprise server: https://HOST/o/r) when the deadline commit is
// known; "" otherwise.
func githubRepo(r *grade.GroupResult) string {
	if !hexSHA.MatchString(r.Pin.SHA) {
		return ""
	}
	if r.GitHub != "" {
		return r.GitHub
	}
	// a result graded before the scrape named the GitHub home: github.com's
	u, err := url.Parse(r.WebURL)
	if err != nil || u.Scheme != "https" || !strings.EqualFold(u.Host, "github.com") || u.User != nil {
		return ""
	}
	repo := strings.TrimSuffix(strings.TrimSuffix(u.EscapedPath(), "/"), ".git")
	if strings.Count(repo, "/") != 2 { // "/owner/name"
		return ""
	}
	return "https://github.com" + repo
}

// repoSize is the repository's size, and how many files it leaves out
// because the scrape could not size them.
func repoSize(st grade.RepoStats) string {
	if st.RepoSizeUnsized > 0 {
		return fmt.Sprintf("%s and %d files of unknown size", byteSize(st.RepoSize), st.RepoSizeUnsized)
	}
	return byteSize(st.RepoSize)
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
