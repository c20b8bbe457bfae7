package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/xuri/excelize/v2"

	"handin/internal/soffice"
)

// xlsxFill is the testscript command "xlsxfill FILE SHEET HEADER VALUE
// KEY=VALUE...": an instructor typing VALUE into the column HEADER on
// every row whose KEY columns hold those values (a number when it reads
// as one), such as every question of a group.
func xlsxFill(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 5 {
		ts.Fatalf("usage: xlsxfill FILE SHEET HEADER VALUE KEY=VALUE...")
	}
	f, err := excelize.OpenFile(ts.MkAbs(args[0]))
	ts.Check(err)
	defer f.Close()
	sheet := args[1]
	rows, err := f.GetRows(sheet)
	ts.Check(err)
	col := slices.Index(rows[0], args[2])
	if col < 0 {
		ts.Fatalf("%s has no %s column: %q", sheet, args[2], rows[0])
	}
	var value any = args[3]
	if n, err := strconv.ParseFloat(args[3], 64); err == nil {
		value = n
	}
	filled := 0
	for i, row := range rows[1:] {
		if !slices.ContainsFunc(args[4:], func(kv string) bool {
			k, v, _ := strings.Cut(kv, "=")
			at := slices.Index(rows[0], k)
			return at < 0 || at >= len(row) || row[at] != v
		}) {
			ref, _ := excelize.CoordinatesToCellName(col+1, i+2)
			ts.Check(f.SetCellValue(sheet, ref, value))
			filled++
		}
	}
	if filled == 0 {
		ts.Fatalf("no row of %s matches %q", sheet, args[4:])
	}
	ts.Check(f.Save())
}

// libreOffice is the testscript command "libreoffice save FILE" (Calc
// opens the workbook and saves it over itself, as an instructor grading
// in LibreOffice does) or "libreoffice csv FILE SHEET" (prints the sheet
// as Calc computes it, tab-separated). Its profile is a temporary folder.
func libreOffice(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || args[0] == "save" && len(args) != 2 || args[0] == "csv" && len(args) != 3 {
		ts.Fatalf("usage: libreoffice save FILE | libreoffice csv FILE SHEET")
	}
	name := ts.MkAbs(args[1])
	out, err := os.MkdirTemp(ts.Getenv("WORK"), "soffice-out-")
	ts.Check(err)
	profile, err := os.MkdirTemp(ts.Getenv("WORK"), "soffice-profile-")
	ts.Check(err)
	defer os.RemoveAll(out)
	defer os.RemoveAll(profile)
	filter := soffice.ToXLSX
	if args[0] == "csv" {
		filter = soffice.ToCSV
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if output, err := soffice.Convert(ctx, "soffice", name, filter, out, profile); err != nil {
		ts.Fatalf("soffice: %v\n%s", err, output)
	}
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	if args[0] == "save" {
		data, err := os.ReadFile(filepath.Join(out, base+".xlsx"))
		ts.Check(err)
		ts.Check(os.WriteFile(name, data, 0o644))
		return
	}
	data, err := os.ReadFile(filepath.Join(out, base+"-"+args[2]+".csv"))
	ts.Check(err)
	r := csv.NewReader(strings.NewReader(string(data)))
	r.FieldsPerRecord = -1
	records, err := r.ReadAll()
	ts.Check(err)
	for _, rec := range records {
		fmt.Fprintln(ts.Stdout(), strings.Join(rec, "\t"))
	}
}
