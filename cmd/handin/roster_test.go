package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"handin/internal/github/githubtest"
	"handin/scrape/gittest"
	"handin/workspace"
)

// TestRosterAndGitHubThroughACourse runs a course on a host that is GitHub's
// as far as handin knows (a GitHub API on loopback serves it): a roster with
// names (a groups.csv column, the students file) maps commits made under
// personal addresses, the name on a noreply account's profile maps its
// commits, handin authors suggests a student for the rest, and the CI status
// of each commit that counts is read: failing (with the checks' names),
// passing, pending, none, a 404 and a rate limit beyond the group's time.
func TestRosterAndGitHubThroughACourse(t *testing.T) {
	const token = "ghs_RosterTestToken0001"
	dir, served, server := loopbackCourse(t)
	api := githubtest.NewServer()
	defer api.Close()

	report := map[string][]byte{"reports/README.md": []byte("### Question 1\n> Answer:\n\n1\n")}
	at := func(h int) time.Time { return courseDeadline.Add(time.Duration(h) * time.Hour) }
	commit := func(repo *gittest.Repo, name, email string, when time.Time) string {
		sha, err := repo.Commit("main", gittest.Commit{Message: "work", Author: gittest.Signature{Name: name, Email: email}, When: when,
			Files: map[string][]byte{"reports/README.md": report["reports/README.md"], "src/" + name + ".py": []byte(email)}})
		if err != nil {
			t.Fatal(err)
		}
		return sha
	}
	pinned := map[int]string{}
	for g := 1; g <= 6; g++ {
		repo, err := gittest.NewRepo(filepath.Join(served, fmt.Sprintf("org/g%d.git", g)))
		if err != nil {
			t.Fatal(err)
		}
		if g == 1 {
			commit(repo, "Anna Berg", "anna.berg@gmail.com", at(-9))
			bo := commit(repo, "bo", "7+bek@users.noreply.github.com", at(-8))
			api.Commit("org/g1", bo, "bek")
			api.User("bek", "Bo Ek")
			commit(repo, "Carla", "carla@home.org", at(-7))
			commit(repo, "cd", "cd@laptop.local", at(-6))
		}
		if g == 2 {
			commit(repo, "Dan F", "Dan@Frost.dk", at(-5))
		}
		pinned[g] = commit(repo, "Student", "student@example.com", at(-2))
	}
	api.Checks("org/g1", pinned[1], []githubtest.CheckRun{
		{Name: "tests (3.11)", Conclusion: "failure", URL: "https://github.example/org/g1/actions/runs/1"},
		{Name: "lint", Conclusion: "success"},
	}, []githubtest.Status{{Context: "codecov/project", State: "failure", TargetURL: "https://codecov.example/1"}})
	api.Checks("org/g2", pinned[2], []githubtest.CheckRun{{Name: "tests", Conclusion: "success"}}, nil)
	api.Checks("org/g3", pinned[3], []githubtest.CheckRun{{Name: "tests", Status: "in_progress"}}, nil)
	api.Checks("org/g4", pinned[4], nil, nil)
	// group 5: the API knows no checks of it (404)
	api.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasPrefix(r.URL.Path, "/repos/org/g6/commits/") {
			return false
		}
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", fmt.Sprint(time.Now().Add(time.Hour).Unix()))
		http.Error(w, `{"message":"API rate limit exceeded"}`, http.StatusForbidden)
		return true
	})

	host, err := url.Parse(server.URL)
	if err != nil {
		t.Fatal(err)
	}
	groups := "group_number,student_1,student_1_name,student_2,student_3,repo_url\n" +
		"1,s100001,Anna Maria Berg,s100002,s100003," + server.RepoURL("org/g1.git") + "\n" +
		"2,s100004,,,," + server.RepoURL("org/g2.git") + "\n"
	for g := 3; g <= 6; g++ {
		groups += fmt.Sprintf("%d,s1000%d0,,,,%s\n", g, g, server.RepoURL(fmt.Sprintf("org/g%d.git", g)))
	}
	writeFile(t, "groups.csv", groups)
	writeFile(t, "students.csv", "id,name,email,github\ns100002,Bo Ek,,bo-ek\ns100003,Carla Dahl,,\ns100004,Dan Frost,dan@frost.dk,\n")
	writeFile(t, "token.txt", token+"\n")
	results := runCourse(t, dir, "--students", "students.csv", "--token-file", "token.txt", "--token-host", "http://"+host.Host,
		"--github-host", host.Host, "--github-api", api.URL)
	rules := map[string]string{}
	ci := map[int]string{}
	for _, r := range results {
		for _, st := range r.Students {
			rules[st.ID] = st.Rule
		}
		if r.CI != nil {
			ci[r.Group] = string(r.CI.State)
			for _, c := range r.CI.Checks {
				ci[r.Group] += " " + c.Name
			}
			ci[r.Group] += " " + r.CI.Reason
		}
	}
	for id, want := range map[string]string{"s100001": "roster-name", "s100002": "profile-name", "s100003": "", "s100004": "roster-email"} {
		if rules[id] != want {
			t.Errorf("%s mapped by %q, want %q", id, rules[id], want)
		}
	}
	for g, want := range map[int]string{
		1: "failing tests (3.11) codecov/project", 2: "passing", 3: "pending", 4: "none",
		5: "unknown GitHub's API: 404", 6: "unknown GitHub's API: rate limited for",
	} {
		if !strings.HasPrefix(ci[g], want) {
			t.Errorf("group %d: CI %q, want %q", g, ci[g], want)
		}
	}

	var out, errOut strings.Builder
	if code := run([]string{"handin", "authors", "--workspace", "ws", "--authors", "authors.csv"}, streams{out: &out, err: &errOut}); code != exitOK {
		t.Fatalf("handin authors: exit %d\n%s", code, errOut.String())
	}
	var lines []string
	for line := range strings.Lines(readIn(t, dir, "authors.csv")) {
		if strings.HasPrefix(line, "# Carla") || strings.HasPrefix(line, "# cd") || strings.Contains(line, ",s1") {
			lines = append(lines, strings.TrimSpace(line))
		}
	}
	want := []string{
		"# Carla <carla@home.org>: 1 commits - suggested s100003 (name 'Carla' is part of the roster name 'Carla Dahl')",
		"carla@home.org,s100003",
		"# cd <cd@laptop.local>: 1 commits - suggested s100003 (name 'cd' is the initials of the roster name 'Carla Dahl')",
		"cd@laptop.local,s100003",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("authors.csv's suggestions\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}

	for _, r := range api.Requests() {
		if r.Authorization != "Bearer "+token {
			t.Errorf("%s %s: Authorization %q", r.Method, r.Path, r.Authorization)
		}
	}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, "token.txt") {
			return err
		}
		if data, err := os.ReadFile(p); err == nil && strings.Contains(string(data), token) {
			t.Errorf("%s holds the token", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var snap workspace.Snapshot
	if err := json.Unmarshal([]byte(readIn(t, dir, "ws/groups/001/snapshot.json")), &snap); err != nil || len(snap.Roster) != 3 {
		t.Errorf("group 1's snapshot roster %+v, %v", snap.Roster, err)
	}
}
