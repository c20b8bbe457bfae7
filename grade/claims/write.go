package claims

import (
	"fmt"
	"io"
	"strings"
)

// WriteTOML writes the rule set, base and overrides resolved, in the format
// Load reads: what `claims show` prints and an instructor edits.
func (s *RuleSet) WriteTOML(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "name = %s\n", tomlString(s.Name))
	if s.Year != 0 {
		fmt.Fprintf(&b, "year = %d\n", s.Year)
	}
	if s.Source != "" {
		fmt.Fprintf(&b, "source = %s\n", tomlString(s.Source))
	}
	writeList(&b, "ignore", s.Ignore)
	for _, sk := range s.Skip {
		fmt.Fprintf(&b, "\n[[skip]]\nwhy = %s\n", tomlString(sk.Why))
		writeList(&b, "files", sk.Files)
	}
	if len(s.Dependencies.Files)+len(s.Dependencies.Exclude) > 0 {
		b.WriteString("\n[dependencies]\n")
		writeList(&b, "files", s.Dependencies.Files)
		writeList(&b, "exclude", s.Dependencies.Exclude)
	}
	for _, r := range s.Rules {
		fmt.Fprintf(&b, "\n[[rule]]\nid = %s\n", tomlString(r.ID))
		writeList(&b, "modules", r.Modules)
		writeList(&b, "items", r.Items)
		if r.CannotTell != "" {
			fmt.Fprintf(&b, "cannot_tell = %s\n", tomlString(r.CannotTell))
		}
		if r.Template != "" {
			fmt.Fprintf(&b, "template = %s\n", tomlString(r.Template))
		}
		for _, n := range r.Needs {
			fmt.Fprintf(&b, "[[rule.need]]\nwhat = %s\n", tomlString(n.What))
			writeList(&b, "paths", n.Paths)
			if len(n.Text) > 0 {
				b.WriteString("text = [\n")
				for _, t := range n.Text {
					comments := ""
					if t.Comments {
						comments = ", comments = true"
					}
					fmt.Fprintf(&b, "  { files = %s, regexp = %s%s },\n", tomlList(t.Files), tomlString(t.Regexp), comments)
				}
				b.WriteString("]\n")
			}
			writeList(&b, "deps", n.Deps)
			writeList(&b, "exclude", n.Exclude)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeList(b *strings.Builder, key string, values []string) {
	if len(values) > 0 {
		fmt.Fprintf(b, "%s = %s\n", key, tomlList(values))
	}
}

func tomlList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = tomlString(v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// tomlString quotes s for TOML: a literal string ('...', backslashes kept as
// they are, which keeps regexps readable) when it can be one, else a basic
// string with escapes.
func tomlString(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r == '\'' || r < 0x20 || r == 0x7f }) {
		return "'" + s + "'"
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
