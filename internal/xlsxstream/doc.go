// Package xlsxstream is the only code that reads a workbook's zip and XML
// directly or splices rows into a sheet: Open and Scan read a sheet a row
// at a time without loading it; a Spool renders a sheet's rows to a
// temporary file as they come and Splice puts them into the saved
// workbook, so that writing or reading a sheet of any size holds one row
// in memory. Everything else goes through excelize.
//
// Both lean on what excelize (the version go.mod pins) happens to do, not
// only on what it documents. Each such behaviour has a test of its own in
// excelize_test.go named after it, so that an excelize upgrade that
// changes one fails the test that says which.
package xlsxstream
