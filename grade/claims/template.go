package claims

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// templateFile is one rendering of a file the course's project template
// creates (see template.tsv).
type templateFile struct {
	elems   []string // its path, lowercased; "*" is the project's package folder
	lines   int
	dropped []int  // 1-based lines with a value the student chose
	hash    string // of the other lines
}

// templateTable holds the template's files by lowercased name.
type templateTable map[string][]templateFile

//go:embed template.tsv
var templateTSV string

// templateFiles are the built-in table's.
var templateFiles = sync.OnceValue(func() templateTable {
	files, err := parseTemplateFiles(templateTSV)
	if err != nil {
		panic(err) // a broken built-in table is a build defect, caught by the tests
	}
	return files
})

func parseTemplateFiles(tsv string) (templateTable, error) {
	out := templateTable{}
	sc := bufio.NewScanner(strings.NewReader(tsv))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 4 {
			return nil, fmt.Errorf("template.tsv:%d: %d columns, want 4", n, len(cols))
		}
		f := templateFile{elems: strings.Split(strings.ToLower(cols[0]), "/"), hash: cols[3]}
		var err error
		if f.lines, err = strconv.Atoi(cols[1]); err != nil {
			return nil, fmt.Errorf("template.tsv:%d: lines: %w", n, err)
		}
		if cols[2] != "" {
			for _, d := range strings.Split(cols[2], ",") {
				k, err := strconv.Atoi(d)
				if err != nil || k < 1 || k > f.lines {
					return nil, fmt.Errorf("template.tsv:%d: dropped line %q", n, d)
				}
				f.dropped = append(f.dropped, k)
			}
		}
		name := f.elems[len(f.elems)-1]
		out[name] = append(out[name], f)
	}
	return out, sc.Err()
}

// holds reports whether a file (its lowercased path and contents) is one
// the course's project template creates, unchanged but for the values a
// student chooses when creating the project. A project may lie in a folder
// of the repository: the template's path must end the file's.
func (tt templateTable) holds(lowerPath string, content []byte) bool {
	elems := strings.Split(lowerPath, "/")
	candidates := tt[elems[len(elems)-1]]
	if len(candidates) == 0 {
		return false
	}
	var lines [][]byte // split once a candidate's path fits
	for _, f := range candidates {
		if !pathEndsWith(elems, f.elems) {
			continue
		}
		if lines == nil {
			lines = bytes.Split(bytes.ReplaceAll(content, []byte("\r"), nil), []byte("\n"))
		}
		if len(lines) == f.lines && templateHash(lines, f.dropped) == f.hash {
			return true
		}
	}
	return false
}

func pathEndsWith(elems, suffix []string) bool {
	if len(suffix) > len(elems) {
		return false
	}
	tail := elems[len(elems)-len(suffix):]
	for i, e := range suffix {
		if e != "*" && e != tail[i] {
			return false
		}
	}
	return true
}

// templateHash hashes the lines not dropped as template.tsv does.
func templateHash(lines [][]byte, dropped []int) string {
	h := sha256.New()
	first := true
	for i, l := range lines {
		if len(dropped) > 0 && dropped[0] == i+1 {
			dropped = dropped[1:]
			continue
		}
		if !first {
			h.Write([]byte("\n"))
		}
		first = false
		h.Write(l)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
