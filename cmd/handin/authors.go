package main

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/urfave/cli/v2"

	"handin/grade/identity"
	"handin/internal/atomicfile"
	"handin/internal/inputfile"
)

func authorsCommand() *cli.Command {
	return withExitCodes(&cli.Command{
		Name:  "authors",
		Usage: "list in authors.csv every commit identity not mapped to a student yet",
		Description: `Reads the scraped histories of the workspace and writes the authors file
(--authors, or authors in handin.toml), or extends it: for every group, each
commit identity that no rule and no line of the file maps to a roster student,
with its name, address and commit count and the identities it was merged with.
Where the identity points at one roster student (an id with a typo, a GitHub
login or address that spells a roster name, a name that is part of one,
initials), that student's id is written on its line, the most certain first,
and the comment above says why: keep the line to accept the suggestion. Fill
in the other student ids (a spreadsheet opens the file), then run 'handin
grade' again. Names, addresses and GitHub logins in groups.csv or the
students file (see 'handin scrape --help') map most identities by themselves.

Every line already in the file is kept as it is, mapped or not, and an identity
the file lists is not added again: run it after every scrape.

Example:
   handin authors --workspace ws --authors authors.csv
   handin authors --group 7`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "workspace", Usage: "workspace `DIR` (as written by handin scrape)", Required: true},
			&cli.StringFlag{Name: "authors", Usage: "authors.csv `FILE` to write or extend", Required: true},
			&cli.IntSliceFlag{Name: "group", Usage: "list only group `N` (repeatable)"},
		},
		Action: runAuthors,
	}, exitCodes{
		exitOK:     "written, or nothing to add",
		exitUsage:  usageMeaning + ", or an authors file handin cannot read (left as it is)",
		exitIO:     ioMeaning + " (a snapshot that cannot be read: the other groups are still listed)",
		exitLocked: lockedMeaning,
	})
}

func runAuthors(c *cli.Context) error {
	io := streamsOf(c)
	file := c.String("authors")
	existing, err := inputfile.Read(file, identity.MaxAuthorsFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return ioError("authors: %w", err)
	}
	mapped, err := identity.ParseAuthorsCSV(existing, file)
	if err != nil {
		return usageError("authors: %w (the file is left as it is)", err)
	}
	ws, err := openWorkspace(c.String("workspace"), false)
	if err != nil {
		return err
	}
	defer closeWorkspace(ws, io)
	snaps, errs := ws.Snapshots(c.IntSlice("group"))
	if len(snaps) == 0 && len(errs) == 0 {
		return usageError("authors: no snapshots in %s (run 'handin scrape' first)", ws.Root())
	}
	groups := make([]identity.AuthorsGroup, len(snaps))
	for i, s := range snaps {
		groups[i] = identity.AuthorsGroup{Group: s.Group, Identities: identity.ListUnmapped(identity.HistoryOf(s, mapped))}
	}
	out, added, err := identity.ExtendAuthorsCSV(existing, groups)
	if err != nil {
		return usageError("authors: %s: %w (the file is left as it is)", file, err)
	}
	if len(added) > 0 {
		if err := atomicfile.Write(file, out, 0o644); err != nil {
			return ioError("authors: %w", err)
		}
	}
	printAuthors(io, file, added, groups)
	for _, err := range errs {
		fmt.Fprintln(io.err, "handin: authors:", err)
	}
	if len(errs) > 0 {
		return withCode(exitIO)
	}
	return nil
}

// printAuthors says what was added to the file, group by group.
func printAuthors(io streams, file string, added, all []identity.AuthorsGroup) {
	identities, suggested := 0, 0
	for _, g := range added {
		n := 0
		for _, u := range g.Identities {
			if u.Suggested != "" {
				n++
			}
		}
		identities, suggested = identities+len(g.Identities), suggested+n
		fmt.Fprintf(io.out, "group %d: %s to map (%d with a suggested student id)\n", g.Group, identitiesText(len(g.Identities)), n)
	}
	unmapped := 0
	for _, g := range all {
		unmapped += len(g.Identities)
	}
	if identities == 0 {
		fmt.Fprintf(io.out, "%s: nothing to add (%s unmapped, every one listed already)\n", printable(file), identitiesText(unmapped))
		return
	}
	fmt.Fprintf(io.out, "%s: %s of %s added (%d with a suggested student id); every line already there kept\n",
		printable(file), identitiesText(identities), plural(len(added), "group"), suggested)
	if suggested > 0 {
		fmt.Fprintln(io.out, "a suggested student id is written on its line, the most certain first: keep the line to accept it, change or clear the id otherwise")
	}
}

// identitiesText is "1 identity", "2 identities".
func identitiesText(n int) string {
	if n == 1 {
		return "1 identity"
	}
	return fmt.Sprintf("%d identities", n)
}
