package export

import (
	"bytes"
	"fmt"
	"html/template"
	"time"

	"handin/grade"
	"handin/internal/atomicfile"
)

// indexData is what templates/index.html shows.
type indexData struct {
	CSP      string
	CSS      template.CSS
	Exported time.Time
	Rows     []row
	Invalid  []invalidRow // groups.csv rows without a group of their own
}

// writeIndex writes the table of all groups, pre-sorted by group (the
// Content-Security-Policy forbids scripts, so there is no client-side sort).
func writeIndex(name string, results []*grade.GroupResult, invalid []invalidRow, now time.Time) error {
	d := indexData{CSP: contentSecurityPolicy, CSS: styleSheet(), Exported: now, Invalid: invalid}
	for _, r := range results {
		d.Rows = append(d.Rows, newRow(r))
	}
	var buf bytes.Buffer
	if err := templates().ExecuteTemplate(&buf, "index.html", d); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return atomicfile.Write(name, buf.Bytes(), 0o644)
}
