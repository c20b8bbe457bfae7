package scrape

import (
	"strings"
	"testing"
)

func TestNormalizeURL(t *testing.T) {
	const clone, web = "https://github.com/dtu-mlops/group-7.git", "https://github.com/dtu-mlops/group-7"
	for _, tc := range []struct{ raw, clone, web string }{
		{"https://github.com/dtu-mlops/group-7", clone, web},
		{"https://github.com/dtu-mlops/group-7.git", clone, web},
		{"https://github.com/dtu-mlops/group-7/", clone, web},
		{"https://github.com/dtu-mlops/group-7.git/", clone, web},
		{"https://github.com/dtu-mlops/group-7/tree/main", clone, web},
		{"https://github.com/dtu-mlops/group-7/tree/feature/x", clone, web},
		{"https://github.com/dtu-mlops/group-7/blob/main/README.md", clone, web},
		{"https://github.com/dtu-mlops/group-7?tab=readme-ov-file#setup", clone, web},
		{"http://www.GitHub.com/dtu-mlops/group-7", clone, web},
		{"https://github.com:443/dtu-mlops/group-7", clone, web},
		{"https://user:ghp_token@github.com/dtu-mlops/group-7", clone, web},
		{"github.com/dtu-mlops/group-7", clone, web},
		{"git@github.com:dtu-mlops/group-7.git", clone, web},
		{"git@github.com:/dtu-mlops/group-7.git", clone, web},
		{"ssh://git@github.com/dtu-mlops/group-7", clone, web},
		{"ssh://git@github.com:22/dtu-mlops/group-7.git", clone, web},
		{"  \thttps://github.com/dtu-mlops/group-7 \r\n", clone, web},
		{"HTTPS://github.com/dtu-mlops/group-7", clone, web},
		{"http://127.0.0.1:41234/g07.git", "http://127.0.0.1:41234/g07.git", "http://127.0.0.1:41234/g07"},
		{"http://127.0.0.1:41234/g07.git/", "http://127.0.0.1:41234/g07.git", "http://127.0.0.1:41234/g07"},
		{"http://127.0.0.1:41234/nested/path/g07", "http://127.0.0.1:41234/nested/path/g07", "http://127.0.0.1:41234/nested/path/g07"},
		{"https://gitlab.com/o/r/-/tree/main", "https://gitlab.com/o/r/-/tree/main", "https://gitlab.com/o/r/-/tree/main"},
		{"git@gitlab.com:o/r.git", "https://gitlab.com/o/r.git", "https://gitlab.com/o/r"},
		{"ssh://git@gitlab.example.org:2222/o/r.git", "https://gitlab.example.org/o/r.git", "https://gitlab.example.org/o/r"},
	} {
		gotClone, gotWeb, err := NormalizeURL(tc.raw)
		if err != nil || gotClone != tc.clone || gotWeb != tc.web {
			t.Errorf("NormalizeURL(%q) = %q, %q, %v; want %q, %q", tc.raw, gotClone, gotWeb, err, tc.clone, tc.web)
		}
	}
}

// Every way students write one repository gives it one key, so that two
// rows of groups.csv naming it are found; other repositories keep theirs.
func TestRepositoryKeyOfOneRepository(t *testing.T) {
	for want, forms := range map[string][]string{
		"github.com/dtu-mlops/group-7": {"https://github.com/dtu-mlops/group-7", "https://github.com/DTU-MLOps/Group-7.git",
			"http://www.github.com/dtu-mlops/group-7/", "git@github.com:dtu-mlops/group-7.git", "ssh://git@github.com/dtu-mlops/GROUP-7",
			"github.com/dtu-mlops/group-7/tree/main"},
		"127.0.0.1:41234/g07":           {"http://127.0.0.1:41234/g07", "https://127.0.0.1:41234/G07.git/", "http://127.0.0.1:41234/g07/"},
		"gitlab.com/o/r":                {"git@gitlab.com:o/r.git", "https://GitLab.com/o/r"},
		"github.com/dtu-mlops/group-70": {"https://github.com/dtu-mlops/group-70"},
	} {
		for _, raw := range forms {
			clone, _, err := NormalizeURL(raw)
			if got := repositoryKey(clone); err != nil || got != want {
				t.Errorf("repositoryKey of %q = %q (%v), want %q", raw, got, err, want)
			}
		}
	}
}

func TestNormalizeURLRejects(t *testing.T) {
	for _, tc := range []struct{ raw, wantErr string }{
		{"", "empty"},
		{"   ", "empty"},
		{"file:///home/me/repo.git", "local filesystem"},
		{"FILE:///etc", "local filesystem"},
		{"/home/me/repo.git", "local paths are not allowed"},
		{"./repo", "local paths are not allowed"},
		{"../repo.git", "local paths are not allowed"},
		{"repo", "local paths are not allowed"},
		{`C:\Users\me\repo`, "backslash"},
		{"ftp://example.com/repo.git", `unsupported scheme "ftp"`},
		{"git://github.com/o/r.git", `unsupported scheme "git"`},
		{"https://github.com/dtu-mlops", "needs an owner and a repository"},
		{"https://github.com/", "needs an owner and a repository"},
		{"https://github.com/o/..", "not a GitHub owner or repository name"},
		{"https://github.com/o/%3Cscript%3E", "not a GitHub owner or repository name"},
		{"https://github.com/o/r x", "whitespace"},
		{"http://127.0.0.1:41234/", "no repository path"},
		{"https:///o/r", "no host"},
		{"https://user:ghp_secret@example.com", "no repository path"},
		{"ghp_secret@github.com/o/r", "not an http(s) URL"},
		{"user:ghp_secret@github.com/o/r", "not an http(s) URL"},
		{"user:ghp_secret@host:x/@", "not an http(s) URL"},
	} {
		clone, web, err := NormalizeURL(tc.raw)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("NormalizeURL(%q) = %q, %q, %v; want error containing %q", tc.raw, clone, web, err, tc.wantErr)
			continue
		}
		if strings.Contains(err.Error(), "ghp_secret") {
			t.Errorf("error leaks the credentials: %v", err)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://github.com/o/r":                            "https://github.com/o/r",
		"https://x-access-token:ghp_abc@github.com/o/r":     "https://github.com/o/r",
		"https://ghp_abc@github.com/o/r.git":                "https://github.com/o/r.git",
		"http://u:p@ss@127.0.0.1:8080/x.git":                "http://127.0.0.1:8080/x.git",
		"ssh://git@github.com/o/r":                          "ssh://github.com/o/r",
		`Get "https://u:tok@github.com/o/r/info/refs": EOF`: `Get "https://github.com/o/r/info/refs": EOF`,
		"a https://u:t@h1/x and HTTP://v:s@h2/y":            "a https://h1/x and HTTP://h2/y",
		"see https://github.com/o/r or mail a@b.dk":         "see https://github.com/o/r or mail a@b.dk",
		"https://h/x?email=a@b.dk":                          "https://h/x?email=a@b.dk",
		"git@github.com:o/r.git":                            "git@github.com:o/r.git",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
