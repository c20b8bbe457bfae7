package main

import (
	"bufio"
	"bytes"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestHelpExitCodesAreTheREADMEs: every command's --help lists the exit
// codes README.md's table gives it, with the same meanings, and the table
// has a row for every command and no other.
func TestHelpExitCodesAreTheREADMEs(t *testing.T) {
	table := readmeExitCodes(t, filepath.Join("..", "..", "README.md"))
	for _, cmd := range newApp(streams{out: io.Discard, err: io.Discard}).Commands {
		want, ok := table[cmd.Name]
		if !ok {
			t.Errorf("README's table of exit codes has no row for %s", cmd.Name)
			continue
		}
		delete(table, cmd.Name)
		var out, errOut bytes.Buffer
		if code := run([]string{"handin", cmd.Name, "--help"}, streams{out: &out, err: &errOut}); code != exitOK {
			t.Fatalf("handin %s --help: exit %d: %s", cmd.Name, code, errOut.String())
		}
		if got := helpExitCodes(out.String()); !maps.Equal(got, want) {
			t.Errorf("handin %s --help lists the exit codes\n%v\nREADME.md:\n%v", cmd.Name, got, want)
		}
	}
	for name := range table {
		t.Errorf("README's table of exit codes has a row for %s, which is no command", name)
	}
}

// readmeExitCodes reads the table under README.md's "Exit codes" heading:
// a header row of codes, then a row per command (or commands: `export`,
// `page`) with what each code means, empty where the command has no such
// code. Markdown's backticks are not part of the meaning.
func readmeExitCodes(t *testing.T, readme string) map[string]exitCodes {
	t.Helper()
	f, err := os.Open(readme)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cells := func(line string) []string {
		parts := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		for i, p := range parts {
			parts[i] = strings.TrimSpace(strings.ReplaceAll(p, "`", ""))
		}
		return parts
	}
	var codes []int // the header's, column by column after the first
	table := map[string]exitCodes{}
	section := false
	for sc := bufio.NewScanner(f); sc.Scan(); {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			section = line == "## Exit codes"
		case !section || !strings.HasPrefix(line, "|") || strings.HasPrefix(line, "|---"):
		case codes == nil:
			for _, c := range cells(line)[1:] {
				n, err := strconv.Atoi(c)
				if err != nil {
					t.Fatalf("README's table of exit codes: header cell %q is no exit code", c)
				}
				codes = append(codes, n)
			}
		default:
			row := cells(line)
			if len(row) != len(codes)+1 {
				t.Fatalf("README's table of exit codes: %d cells in %q, want %d", len(row), line, len(codes)+1)
			}
			meanings := exitCodes{}
			for i, meaning := range row[1:] {
				if meaning != "" {
					meanings[codes[i]] = meaning
				}
			}
			for _, name := range strings.Split(row[0], ", ") {
				table[name] = meanings
			}
		}
	}
	if len(table) == 0 {
		t.Fatal("README.md has no table under its \"Exit codes\" heading")
	}
	return table
}

// exitCodeLine is one line of the "Exit codes:" list of a --help.
var exitCodeLine = regexp.MustCompile(`^\s+(\d+)\s+(.+)$`)

// helpExitCodes reads the "Exit codes:" list of a --help.
func helpExitCodes(help string) exitCodes {
	_, list, _ := strings.Cut(help, "Exit codes:\n")
	codes := exitCodes{}
	for _, line := range strings.Split(list, "\n") {
		m := exitCodeLine.FindStringSubmatch(line)
		if m == nil {
			break
		}
		n, _ := strconv.Atoi(m[1])
		codes[n] = m[2]
	}
	return codes
}
