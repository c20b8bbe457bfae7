package grade

import "handin/parse"

// RepoFiles is the set of file paths of a repository (the deadline tree, or a
// corpus *.files.txt), for checking that figures exist.
type RepoFiles struct {
	exact map[string]bool
	lower map[string]string // lower-cased path -> real path
}

// NewRepoFiles indexes repository paths (slash-separated, from the repo root).
func NewRepoFiles(paths []string) *RepoFiles {
	f := &RepoFiles{exact: map[string]bool{}, lower: map[string]string{}}
	for _, p := range paths {
		f.exact[p] = true
		f.lower[lowerASCII(p)] = p
	}
	return f
}

// Check checks a parsed report against a spec. reportDir is the report's
// folder inside the repository ("reports"), used to resolve figure paths;
// files may be nil when the repository's file list is unknown.
func Check(file string, r *parse.Report, spec *Spec, reportDir string, files *RepoFiles) *CheckResult {
	panic("TODO")
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
