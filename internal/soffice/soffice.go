// Package soffice converts workbooks with LibreOffice, headless: the tests
// that open the gradebook in a real spreadsheet program (or save it as an
// instructor grading in LibreOffice Calc does) share it.
package soffice

import (
	"context"
	"os/exec"
	"path/filepath"
)

// Filters of soffice --convert-to.
const (
	ToPDF = "pdf"
	// ToCSV writes every sheet (the last field, -1) as FILE-SHEET.csv,
	// UTF-8, cells as shown (LibreOffice 7.2 and later).
	ToCSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
	// ToXLSX saves the workbook as Calc saves it.
	ToXLSX = "xlsx:Calc MS Excel 2007 XML"
)

// Convert converts the workbook in with the soffice at path into outDir,
// LibreOffice's profile in profileDir (so that the user's is never
// touched). It gives soffice's output, for the error's reader.
func Convert(ctx context.Context, path, in, filter, outDir, profileDir string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, path, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.ToSlash(profileDir),
		"--convert-to", filter, "--outdir", outDir, in)
	return cmd.CombinedOutput()
}
