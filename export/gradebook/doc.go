// Package gradebook writes the gradebook workbook and carries the
// instructor's work from one export to the next: sheet layouts and rows
// in, a workbook out (Write). What each sheet holds is the caller's
// business; this package keeps whatever the instructor put into the
// workbook, and never loses it.
//
// Its words:
//
//   - handin's sheets: the sheets a Layout describes. Their Lead and Facts
//     columns are handin's columns: Write fills them from the rows and
//     rewrites them every time.
//   - row key: what identifies a row from one workbook to the next, the
//     text of its key columns (Layout.Key: the group; the group and the
//     question; the student and the group). Rows are matched by key, whatever their order.
//   - instructor work: everything of the instructor's in the gradebook:
//     their columns on handin's sheets, comments, hidden columns, their own
//     sheets and the Kept sheet. Read back from the current gradebook, all
//     of it goes into the new one.
//   - instructor column: a column of handin's sheet that is not handin's:
//     the Offered ones a new sheet starts with, any column the instructor
//     adds, a column of handin's they renamed. Carried over with its width,
//     style and hidden state, between Lead and Facts.
//   - kept cell: an instructor's cell as read, carried with its type (a
//     number stays a number, a date a date, text text), its formula and
//     its style.
//   - placed cell: a kept cell with the cell it was read from, filed by
//     row key, waiting for the row of that key in the new workbook.
//   - Kept sheet: where a value goes that has no row any more (its group
//     left, it sat above the header) or that was typed into handin's
//     column, with when, where it was and why. Writes only append to it.
//   - own sheet: a sheet of the instructor's, copied cell by cell with its
//     widths, merged ranges and comments.
//   - written sheet: digests of what handin wrote into its columns of one
//     sheet, to tell a value the instructor typed there from handin's own.
//   - state: StateFile, what handin last wrote: the digest of the
//     workbook's bytes, each sheet's header row, the written sheets.
//   - edited: a gradebook whose bytes are not those handin last wrote.
//   - backup: an edited gradebook kept as gradebook.YYYYMMDD-HHMMSS.xlsx
//     before it is replaced; pruned when every value of the instructor's
//     it holds is in a newer backup or the gradebook.
//   - pending workbook: PendingFile, the new gradebook while File is open
//     in a spreadsheet program (its lock file is there) or unreadable,
//     which are then left untouched.
//   - spool: a sheet's rows waiting on disk until the workbook is saved
//     (internal/xlsxstream), so that memory holds a row, not a sheet.
//   - required column: an instructor column a sheet must have (Score,
//     which a formula of handin's adds up): added when the workbook has
//     none of that header.
//   - formula: a handin column holding a formula (Formula) whose text names
//     columns by header, resolved where the new workbook puts them; read
//     back, a cell still holding a formula is handin's.
//   - dealt column: an instructor column whose values (graders) are handed
//     out to the rows new to the gradebook, the value fewest rows hold
//     first (Layout.Deal).
//   - copy: a grader's copy of the gradebook; Merge brings the values of
//     its instructor columns that differ from the gradebook's into it, and
//     a cell two copies set differently to Kept.
package gradebook
