package claims

import (
	"bytes"
	"strings"

	"handin/internal/lazyregexp"
)

// packageName is a distribution name as pip accepts it.
var packageName = &lazyregexp.Regexp{Expr: `^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$`}

// normalizePackage compares names the way pip does (PEP 503): letter case
// and runs of - _ . do not matter (PyYAML = pyyaml, pytorch_lightning =
// pytorch-lightning).
func normalizePackage(name string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(name) {
		if r == '-' || r == '_' || r == '.' {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('-')
		}
		sep = false
		b.WriteRune(r)
	}
	return b.String()
}

// Requirement shapes found in dependency files, one line at a time: a line
// that starts with a requirement (requirements.txt, environment.yml lists,
// Pipfile and poetry keys), and a quoted string that is a whole requirement
// (pyproject dependency arrays, setup.py install_requires). A quoted name
// starts with a letter, so an environment marker's '3.9' is not one.
var (
	leadingRequirement = &lazyregexp.Regexp{Expr: `^[ \t]*(?:-[ \t]+)?["']?([A-Za-z0-9][A-Za-z0-9._-]*)[ \t]*(?:\[[^\]]*\])?[ \t]*(?:$|[<>=!~;@,"' \t])`}
	quotedRequirement  = &lazyregexp.Regexp{Expr: `["']([A-Za-z][A-Za-z0-9._-]*)[ \t]*(?:\[[^\]"']*\])?[ \t]*(?:(?:[<>=!~]=?|===|@|;)[^"']*)?["']`}
)

// declaredPackages calls found with each normalised package name a
// dependency file declares and its 1-based line. Comments are skipped.
func declaredPackages(content []byte, found func(name string, line int)) {
	for i, line := range bytes.Split(content, []byte("\n")) {
		if j := bytes.IndexByte(line, '#'); j >= 0 {
			line = line[:j]
		}
		if m := leadingRequirement.FindSubmatch(line); m != nil {
			found(normalizePackage(string(m[1])), i+1)
		}
		for _, m := range quotedRequirement.FindAllSubmatch(line, -1) {
			found(normalizePackage(string(m[1])), i+1)
		}
	}
}
