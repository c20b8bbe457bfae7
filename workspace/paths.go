package workspace

import (
	"path"
	"strings"
)

// Vendored reports whether a repository path lies in third-party code
// committed by accident (a virtualenv, site-packages, node_modules): not the
// group's own files, neither counted nor copied.
func Vendored(p string) bool {
	for dir := range strings.SplitSeq(path.Dir(p), "/") {
		switch dir {
		case "site-packages", "node_modules", ".venv", "venv":
			return true
		}
	}
	return false
}
