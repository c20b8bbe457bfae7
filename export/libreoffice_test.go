package export

import (
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestGradebookOpensInLibreOffice converts the gradebook to CSV with a real
// spreadsheet program: the file must open, and student text that looks like
// a formula must come out as the text itself, not as a computed value.
func TestGradebookOpensInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("SKIPPED: soffice not found; install libreoffice-calc (apt-get install -y --no-install-recommends libreoffice-calc) to check the gradebook opens in a real spreadsheet program")
	}
	ws, out := t.TempDir(), t.TempDir()
	g := newGroup(4)
	g.result.Findings = problems("=1+1", `=HYPERLINK("https://evil.example","x")`)
	writeWorkspace(t, ws, g, newGroup(8))
	export(t, ws, out)
	editGradebook(t, filepath.Join(out, GradebookFile), map[int][3]string{8: {"11", "fine", "NS"}}, nil)

	csvDir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore",
		"-env:UserInstallation=file://"+filepath.ToSlash(t.TempDir()),
		"--convert-to", "csv", "--outdir", csvDir, filepath.Join(out, GradebookFile))
	if output, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, output)
	}
	f, err := os.Open(filepath.Join(csvDir, "gradebook.csv"))
	if err != nil {
		t.Fatalf("soffice wrote no CSV: %v", err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v", err)
	}
	if len(records) != 3 || !slices.Equal(records[0][:2], []string{"Group", "Status"}) {
		t.Fatalf("Groups sheet as CSV: %q", records)
	}
	header := records[0]
	col := func(name string) int { return slices.Index(header, name) }
	if got := records[1][col("Problems")]; got != "=1+1\n"+`=HYPERLINK("https://evil.example","x")` {
		t.Errorf("group 4 Problems in LibreOffice = %q: student text was evaluated", got)
	}
	if got := records[2][col("Grade")] + "|" + records[2][col("Comment")]; got != "11|fine" {
		t.Errorf("group 8 Grade|Comment in LibreOffice = %q", got)
	}
	if !strings.HasPrefix(records[1][col("Deadline commit time")], "2026-01-23 22:59") {
		t.Errorf("deadline time in LibreOffice = %q", records[1][col("Deadline commit time")])
	}
}
