package feedback

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"handin/internal/slowtest"
)

// TestTotalAsLibreOfficeComputedIt: a Total that is a formula over the
// Questions sheet is read as the value LibreOffice computed and saved with
// it, not as the sum handin would make.
func TestTotalAsLibreOfficeComputedIt(t *testing.T) {
	slowtest.Skip(t, "LibreOffice saves a gradebook")
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("SKIPPED: soffice not found; install libreoffice-calc to read a gradebook LibreOffice saved")
	}
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Groups")
	f.SetSheetRow("Groups", "A1", &[]any{"Group", "Grade", "Total", "Max"})
	f.SetSheetRow("Groups", "A2", &[]any{1, "B", nil, 10})
	// Doubled, so that the computed value is not the sum of the scores.
	f.SetCellFormula("Groups", "C2", "2*SUM(Questions!C2:C3)")
	f.NewSheet("Questions")
	f.SetSheetRow("Questions", "A1", &[]any{"Group", "Question", "Score"})
	f.SetSheetRow("Questions", "A2", &[]any{1, 1, 2})
	f.SetSheetRow("Questions", "A3", &[]any{1, 2, 1.5})
	dir := t.TempDir()
	in := filepath.Join(t.TempDir(), "gradebook.xlsx")
	if err := f.SaveAs(in); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out := filepath.Join(dir, "out")
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
		"--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", out, in)
	if output, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, output)
	}
	marks, err := ReadMarks(filepath.Join(out, "gradebook.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if m := marks[1]; m == nil || m.Total != "7" || m.Grade != "B" || m.Max != "10" {
		t.Fatalf("group 1 as LibreOffice saved it: %+v, want Total 7", m)
	}
}
