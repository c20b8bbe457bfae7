package scrape

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing/transport"

	"handin/workspace"
)

// Dependency files are kept whole up to a larger size than other text: a
// real group's pinned requirements.txt was 265 KB.
func TestDependencyFilesHaveALargerTextLimit(t *testing.T) {
	for p, want := range map[string]int64{
		"requirements.txt":          maxDependencyFileSize,
		"api/requirements_dev.txt":  maxDependencyFileSize,
		"requirements/base.txt":     maxTextFileSize, // named by its folder: rare, and the text limit holds
		"project/pyproject.toml":    maxDependencyFileSize,
		"setup.py":                  maxDependencyFileSize,
		"environment-gpu.yml":       maxDependencyFileSize,
		"Pipfile":                   maxDependencyFileSize,
		"src/train.py":              maxTextFileSize,
		"notes.txt":                 maxTextFileSize,
		"configs/requirements.yaml": maxTextFileSize,
		"notebooks/EDA.ipynb":       maxNotebookSize,
	} {
		if got := textLimit(p); got != want {
			t.Errorf("textLimit(%q) = %d, want %d", p, got, want)
		}
	}
}

func TestCopySelection(t *testing.T) {
	for p, want := range map[string]int{
		"reports/README.md":                 priorityReport,
		"reports/notes.txt":                 priorityReportFolder,
		"reports/figures/a.JPEG":            priorityReportFolder,
		"docs/readme.MD":                    priorityReadme,
		"myreports/README.md":               priorityReadme, // a README anywhere
		"figures/loss.webp":                 priorityImage,
		"src/train.py":                      priorityText,
		"README.txt":                        priorityText,
		"myreports/notes.txt":               priorityText,
		"Dockerfile":                        priorityText,
		"dockerfiles/Dockerfile.api":        priorityText,
		"docker/train.dockerfile":           priorityText,
		"Makefile":                          priorityText,
		".github/workflows/tests.yml":       priorityText,
		".github/workflows/no-extension":    priorityText,
		".dvc/config":                       priorityText,
		"project/.dvc/config":               priorityText, // a project one folder down
		"project/.dvc/cache/x":              notCopied,
		"frontend/src/App.ts":               priorityText,
		"Pipfile":                           priorityText,
		"justfile":                          priorityText,
		".gitattributes":                    priorityText,
		"data.dvc":                          priorityText,
		"uv.lock":                           priorityText,
		"pyproject.toml":                    priorityText,
		"data/images.png.gz":                notCopied,
		"models/model.pt":                   notCopied,
		"notebooks/eda.ipynb":               priorityNotebook,
		"reports/analysis.ipynb":            priorityNotebook,
		".venv/share/jupyter/demo.ipynb":    notCopied,
		".venv/lib/python3.12/site.py":      notCopied, // vendored
		"env/lib/site-packages/pkg/x.py":    notCopied,
		"frontend/node_modules/a/pkg.json":  notCopied,
		"frontend/node_modules/a/logo.png":  priorityImage, // figures are wherever the report links them
		"reports/report.pdf":                notCopied,
		"reports/figures/README.md":         priorityReportFolder,
		".dvc/cache/files/md5/ab/cdef01234": notCopied,
	} {
		if got := copyPriority(p); got != want {
			t.Errorf("copyPriority(%q) = %d, want %d", p, got, want)
		}
	}
	for name, want := range map[string]bool{
		"README.md":   true,
		"Übung 1.png": true,
		"..":          false,
		".":           false,
		"":            false,
		".git":        false,
		".GIT":        false,
		"Icon\r":      false,
		"a\nb.png":    false,
		"tab\tname":   false,
		"del\x7f":     false,
		`a\b.png`:     false,
		"nul\x00.png": false,
		"\xff.png":    false,
	} {
		if got := safeEntryName(name); got != want {
			t.Errorf("safeEntryName(%q) = %v, want %v", name, got, want)
		}
	}
}

// A figure is named however a README links it, in any letter case; a name
// that ends another name in the text counts as named too (subs.png names
// s.png): a few bytes more, never a linked figure missed.
func TestNamedFigures(t *testing.T) {
	images := map[string]bool{}
	for _, name := range []string{"loss.png", "arch v2.png", "a&b.jpg", "fig_1.png", "photo.jpeg", "raw.webp", "unused.png", "s.png", "diagram.svg"} {
		images[name] = false
	}
	markNames(images, linkText([]byte(`# Report
![Loss](figures/Loss.PNG) ![x](<docs/arch v2.png>)
<img src="figures/a&amp;b.jpg"> ![y](figures/fig\_1.png)
![z](https://github.com/o/r/blob/main/photo.jpeg?raw=true) ![w](raw%2Ewebp)
[diagram](diagram.svg) subs.png`)))
	for name, named := range images {
		if want := name != "unused.png"; named != want {
			t.Errorf("%q named: %v, want %v", name, named, want)
		}
	}
}

func TestRemoteFailureStatus(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("fetch: %w", err) }
	for _, tc := range []struct {
		err       error
		token     bool
		want      workspace.Status
		transient bool
	}{
		{wrap(transport.ErrRepositoryNotFound), false, workspace.StatusNotFound, false},
		{wrap(transport.ErrAuthenticationRequired), false, workspace.StatusNotFound, false},
		{wrap(transport.ErrAuthenticationRequired), true, workspace.StatusAuthFailed, false},
		{wrap(transport.ErrAuthorizationFailed), true, workspace.StatusAuthFailed, false},
		{wrap(transport.ErrEmptyRemoteRepository), false, workspace.StatusEmptyRepo, false},
		{wrap(errBranchNotFound), false, workspace.StatusNotFound, false},
		{wrap(io.ErrUnexpectedEOF), false, workspace.StatusNetworkError, true},
		{wrap(syscall.ECONNRESET), false, workspace.StatusNetworkError, true},
		{&net.DNSError{Err: "no such host", Name: "gihtub.com", IsNotFound: true}, false, workspace.StatusNetworkError, false},
		{wrap(&net.DNSError{Err: "server misbehaving", Name: "github.com", IsTemporary: true}), false, workspace.StatusNetworkError, true},
		{wrap(context.DeadlineExceeded), false, workspace.StatusTimeout, false},
		{errors.New("corrupt pack"), false, workspace.StatusInternalError, false},
		// A remote's default branch named too long to keep, and a file of the
		// clone that cannot be written (an errno looks like a net.Error).
		{wrap(checkBranchName(strings.Repeat("b", 300))), false, workspace.StatusInternalError, false},
		{wrap(&fs.PathError{Op: "lstat", Path: "refs/heads/b", Err: syscall.ENAMETOOLONG}), false, workspace.StatusInternalError, false},
		{wrap(fmt.Errorf("%w (Content-Encoding: \"gzip\")", errEncodedAnswer)), false, workspace.StatusInternalError, false},
	} {
		if got := remoteFailure(tc.err, tc.token); got != tc.want {
			t.Errorf("remoteFailure(%v, token %v) = %s, want %s", tc.err, tc.token, got, tc.want)
		}
		if got := transient(tc.err); got != tc.transient {
			t.Errorf("transient(%v) = %v, want %v", tc.err, got, tc.transient)
		}
	}
}

// The token goes to the hosts named, over https; over plain http only to
// a host named with "http://".
func TestTokenAuthHosts(t *testing.T) {
	hosts := []string{"github.com", "HTTP://127.0.0.1:8080", "https://git.example.org"}
	for u, want := range map[string]bool{
		"https://github.com/o/r.git":      true,
		"https://GitHub.com/o/r.git":      true,
		"http://github.com/o/r.git":       false,
		"https://evil.example/o/r.git":    false,
		"https://github.com.evil/o/r":     false,
		"http://127.0.0.1:8080/g1.git":    true,
		"https://127.0.0.1:8080/g1.git":   true,
		"http://127.0.0.1:9999/g1.git":    false,
		"https://git.example.org/g1.git":  true,
		"http://git.example.org/g1.git":   false,
		"ssh://github.com/o/r.git":        false,
		"https://x@evil.example/github":   false,
		"https://http//github.com/o/r.go": false,
	} {
		if got := tokenAuth(u, "tok", hosts) != nil; got != want {
			t.Errorf("token sent to %s = %v, want %v", u, got, want)
		}
	}
	if tokenAuth("https://github.com/o/r", "", hosts) != nil {
		t.Error("empty token sent")
	}
}

func TestLogSightings(t *testing.T) {
	u, b := "https://h/r.git", "main"
	obs := []workspace.Observation{
		{Time: at(-2 * time.Hour), URL: u, Branch: b, TipSHA: "a"},
		{Time: at(-time.Hour), URL: u, Branch: "dev", TipSHA: "other-branch"},
		{Time: at(-30 * time.Minute), URL: "https://h/old.git", Branch: b, TipSHA: "other-url"},
		{Time: at(time.Second), URL: u, Branch: b, TipSHA: ""},
	}
	tips := func(sightings []workspace.Evidence) (out []string) {
		for _, s := range sightings {
			if s.Source != workspace.SourceEvidenceLog {
				t.Errorf("sighting from %s", s.Source)
			}
			out = append(out, s.TipSHA)
		}
		return out
	}
	if got := tips(logSightings(obs, u, b)); !slices.Equal(got, []string{"a", ""}) {
		t.Errorf("sightings of %s %s: %q", u, b, got)
	}
	// groups.csv now names where the old URL redirected to.
	obs[2].MovedTo = u
	if got := tips(logSightings(obs, u, b)); !slices.Equal(got, []string{"a", "other-url", ""}) {
		t.Errorf("sightings with the redirect: %q, want the observation of the URL that redirected here too", got)
	}
}
