package scrape

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// FuzzReadGroups feeds groups.csv any bytes: ReadGroups never panics, and
// every row it returns is either valid (a positive, unrepeated number and a
// clone URL) or says why not, naming the file and its line.
func FuzzReadGroups(f *testing.F) {
	for _, seed := range []string{
		"group_number,student_1,repo_url\n1,s123456,https://github.com/o/r\n",
		"\ufeffgroup_number,student_1,student_2,repo_url,deadline,branch\n7,s1,s2,github.com/o/r.git,2026-01-24T12:00:00,dev\n7,s3,,https://gitlab.com/a/b,,\n",
		"group_number,repo_url\n\"1,https://github.com/o/r\n2,https://github.com/o/s\n",
		"group_number,repo_url\n0,x\n-3,https://github.com/o/r\nabc,https://user:tok@github.com/o/r\n",
		"group_number,repo_url,repo_url\n",
		"\n\n,,,\ngroup_number,repo_url\r\n1,https://github.com/o/r\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		groups, err := ReadGroups(strings.NewReader(string(data)), "groups.csv", time.UTC)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "groups.csv") && !strings.HasPrefix(err.Error(), "read groups.csv") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		seen := map[int]bool{}
		lines := strings.Count(string(data), "\n") + 1
		for _, g := range groups {
			if g.Line < 1 || g.Line > lines {
				t.Errorf("row on line %d of a %d-line file", g.Line, lines)
			}
			if g.Err != nil {
				if prefix := fmt.Sprintf("groups.csv:%d:", g.Line); !strings.HasPrefix(g.Err.Error(), prefix) {
					t.Errorf("error %q does not start with %q", g.Err, prefix)
				}
				continue
			}
			if g.Number <= 0 || seen[g.Number] || !strings.HasPrefix(g.URL, "https://") && !strings.HasPrefix(g.URL, "http://") {
				t.Errorf("valid row %+v: number repeated or not positive, or no http(s) clone URL", g)
			}
			seen[g.Number] = true
			for _, s := range g.Students {
				if s == "" || s != strings.TrimSpace(s) {
					t.Errorf("student id %q", s)
				}
			}
		}
	})
}
