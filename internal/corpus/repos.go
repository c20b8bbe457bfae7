package corpus

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A repository of the corpus (repos/OWNER__NAME/) holds what git says about
// it, without file contents: commits.tsv and tree.tsv. These read them as
// they are; each test turns them into the types it tests.

// Commit is one line of commits.tsv (every commit reachable from HEAD,
// newest first).
type Commit struct {
	SHA                           string
	Parents                       []string
	AuthorName, AuthorEmail       string
	AuthorTime                    time.Time
	CommitterName, CommitterEmail string
	CommitTime                    time.Time
	Subject                       string
}

// Commits reads repos/NAME/commits.tsv of the corpus at dir.
func Commits(t testing.TB, dir, name string) []Commit {
	t.Helper()
	var out []Commit
	readTSV(t, dir, name, "commits.tsv", true, func(line string) {
		cols := strings.Split(line, "\t")
		if len(cols) < 9 {
			t.Fatalf("%s commits.tsv: short line %q", name, line)
		}
		authored, err1 := time.Parse(time.RFC3339, cols[4])
		committed, err2 := time.Parse(time.RFC3339, cols[7])
		if err1 != nil || err2 != nil {
			t.Fatalf("%s commits.tsv: dates of %s: %v %v", name, cols[0], err1, err2)
		}
		out = append(out, Commit{SHA: cols[0], Parents: strings.Fields(cols[1]), AuthorName: cols[2], AuthorEmail: cols[3],
			AuthorTime: authored, CommitterName: cols[5], CommitterEmail: cols[6], CommitTime: committed, Subject: cols[8]})
	})
	return out
}

// TreeEntry is one line of tree.tsv (`git ls-tree -r -l` at the deadline
// commit).
type TreeEntry struct {
	Mode string // git's: 100644, 100755, 120000, 160000
	Type string // blob or commit (a submodule)
	Size int64  // -1 when unknown (a submodule, a blob the copy lacked)
	Path string
}

// Tree reads repos/NAME/tree.tsv of the corpus at dir.
func Tree(t testing.TB, dir, name string) []TreeEntry {
	t.Helper()
	var out []TreeEntry
	readTSV(t, dir, name, "tree.tsv", false, func(line string) {
		meta, path, ok := strings.Cut(line, "\t")
		fields := strings.Fields(meta)
		if !ok || len(fields) != 4 {
			t.Fatalf("%s tree.tsv: bad line %q", name, line)
		}
		size, err := strconv.ParseInt(fields[3], 10, 64)
		if err != nil { // "-" for submodules, "BAD" for a blob the copy lacked
			size = -1
		}
		out = append(out, TreeEntry{Mode: fields[0], Type: fields[1], Size: size, Path: path})
	})
	return out
}

func readTSV(t testing.TB, dir, name, file string, header bool, line func(string)) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "repos", name, file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for first := true; sc.Scan(); first = false {
		if !(header && first) {
			line(sc.Text())
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}
