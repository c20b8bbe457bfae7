package gittest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

var (
	alice = Signature{"Alice Student", "alice@example.com"}
	bob   = Signature{"Bob Student", "bob@example.com"}
	carol = Signature{"Carol Student", "carol@example.com"}
	cet   = time.FixedZone("CET", 3600)
)

func day(d, hour int) time.Time { return time.Date(2026, time.January, d, hour, 0, 0, 0, cet) }

// course is a served repository with the SHAs the test expects.
type course struct {
	server *Server
	repo   *Repo
	// firstParent is the main branch's first-parent chain, newest first.
	firstParent []string
	base, feat  string
}

// newCourse builds g01.git: backdated commits by three authors, a feature
// branch merged into main, a symlink pointing outside the repository, a
// deletion, and a commit whose committer time differs from its author time.
func newCourse(t *testing.T) *course {
	t.Helper()
	if err := GitAvailable(); err != nil {
		t.Skip(err)
	}
	root := t.TempDir()
	repo, err := NewRepo(filepath.Join(root, "g01.git"))
	if err != nil {
		t.Fatal(err)
	}
	c := &course{repo: repo}
	commit := func(branch string, cm Commit) string {
		t.Helper()
		sha, err := repo.Commit(branch, cm)
		if err != nil {
			t.Fatal(err)
		}
		return sha
	}
	c.base = commit("main", Commit{Message: "initial", Author: alice, When: day(2, 10), Files: map[string][]byte{
		"README.md":         []byte("# group 1\n"),
		"reports/README.md": []byte("# Exam report\n"),
		"src/old.py":        []byte("print('old')\n"),
		"notes.txt":         []byte("todo\n"),
	}})
	mainWork := commit("main", Commit{Message: "report draft", Author: bob, When: day(5, 12), Files: map[string][]byte{
		"reports/README.md": []byte("# Exam report\n\nDraft.\n"),
		"README.md":         []byte("# group 1 (main)\n"),
		"src":               nil, // deletes the folder
	}})
	if err := repo.SetBranch("feature", c.base); err != nil { // fork feature off the first commit
		t.Fatal(err)
	}
	c.feat = commit("feature", Commit{Message: "add model", Author: carol, When: day(6, 9), Files: map[string][]byte{
		"src/model.py": []byte("class Model: pass\n"),
		"README.md":    []byte("# group 1 (feature)\n"),
		"notes.txt":    nil,
	}})
	merge, err := repo.Merge("main", "feature", Commit{Message: "merge feature", Author: alice, When: day(7, 15),
		Symlinks: map[string]string{"reports/figures/leak.png": "../../../../etc/passwd"}})
	if err != nil {
		t.Fatal(err)
	}
	late := commit("main", Commit{Message: "late fix", Author: bob, Committer: alice,
		When: day(8, 9), CommitWhen: day(24, 1), Files: map[string][]byte{"reports/README.md": []byte("# Exam report\n\nFinal.\n")}})
	c.firstParent = []string{late, merge, mainWork, c.base}

	if c.server, err = NewServer(root); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.server.Close)
	return c
}

// gitCmd runs the git binary isolated from the host's configuration and
// never prompting for credentials.
func gitCmd(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_ASKPASS=", "SSH_ASKPASS=")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func mustGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := gitCmd(t, dir, args...)
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(out)
}

func TestRepoObjectsPassFsck(t *testing.T) {
	c := newCourse(t)
	mustGit(t, c.repo.Dir, "fsck", "--strict", "--no-dangling")
	if head := mustGit(t, c.repo.Dir, "symbolic-ref", "HEAD"); head != "refs/heads/main" {
		t.Errorf("HEAD = %s, want refs/heads/main", head)
	}
}

func TestCloneWithGitBinary(t *testing.T) {
	c := newCourse(t)
	dir := filepath.Join(t.TempDir(), "clone")
	mustGit(t, "", "clone", "--quiet", c.server.RepoURL("g01.git"), dir)

	if got := strings.Fields(mustGit(t, dir, "log", "--first-parent", "--format=%H")); !reflect.DeepEqual(got, c.firstParent) {
		t.Errorf("first-parent log = %v, want %v", got, c.firstParent)
	}
	if parents := mustGit(t, dir, "log", "-1", "--format=%P", c.firstParent[1]); parents != c.firstParent[2]+" "+c.feat {
		t.Errorf("merge parents = %q, want main then feature", parents)
	}
	wantLog := strings.Join([]string{
		"Bob Student|alice@example.com|2026-01-08T09:00:00+01:00|2026-01-24T01:00:00+01:00",
		"Alice Student|alice@example.com|2026-01-07T15:00:00+01:00|2026-01-07T15:00:00+01:00",
		"Bob Student|bob@example.com|2026-01-05T12:00:00+01:00|2026-01-05T12:00:00+01:00",
		"Alice Student|alice@example.com|2026-01-02T10:00:00+01:00|2026-01-02T10:00:00+01:00",
	}, "\n")
	if got := mustGit(t, dir, "log", "--first-parent", "--format=%an|%ce|%aI|%cI"); got != wantLog {
		t.Errorf("log =\n%s\nwant\n%s", got, wantLog)
	}
	if authors := mustGit(t, dir, "shortlog", "-sne", "HEAD"); strings.Count(authors, "\n") != 2 || !strings.Contains(authors, "carol@example.com") {
		t.Errorf("want three authors, got\n%s", authors)
	}
	assertFile(t, filepath.Join(dir, "README.md"), "# group 1 (feature)\n") // both changed it: from wins
	assertFile(t, filepath.Join(dir, "reports/README.md"), "# Exam report\n\nFinal.\n")
	assertFile(t, filepath.Join(dir, "src/model.py"), "class Model: pass\n")
	if _, err := os.Lstat(filepath.Join(dir, "src/old.py")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("src/old.py deleted on main must stay deleted after the merge, got %v", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "notes.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("notes.txt deleted on feature must be deleted by the merge, got %v", err)
	}
	if target, err := os.Readlink(filepath.Join(dir, "reports/figures/leak.png")); err != nil || target != "../../../../etc/passwd" {
		t.Errorf("symlink = %q, %v", target, err)
	}
}

func TestCloneWithGoGit(t *testing.T) {
	c := newCourse(t)
	repo, err := git.PlainClone(t.TempDir(), true, &git.CloneOptions{URL: c.server.RepoURL("g01.git")})
	if err != nil {
		t.Fatal(err)
	}
	head, err := repo.Head()
	if err != nil {
		t.Fatal(err)
	}
	if head.Name() != plumbing.Main || head.Hash().String() != c.firstParent[0] {
		t.Errorf("HEAD = %s %s, want main %s", head.Name(), head.Hash(), c.firstParent[0])
	}
	var chain []string
	for h := head.Hash(); ; {
		commit, err := repo.CommitObject(h)
		if err != nil {
			t.Fatal(err)
		}
		chain = append(chain, commit.Hash.String())
		if commit.NumParents() == 0 {
			break
		}
		h = commit.ParentHashes[0]
	}
	if !reflect.DeepEqual(chain, c.firstParent) {
		t.Errorf("first-parent chain = %v, want %v", chain, c.firstParent)
	}
	tip, err := repo.CommitObject(head.Hash())
	if err != nil {
		t.Fatal(err)
	}
	if !tip.Author.When.Equal(day(8, 9)) || !tip.Committer.When.Equal(day(24, 1)) || tip.Committer.Name != alice.Name {
		t.Errorf("backdated tip: author %v, committer %s %v", tip.Author.When, tip.Committer.Name, tip.Committer.When)
	}
	tree, err := tip.Tree()
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	if err := tree.Files().ForEach(func(f *object.File) error {
		paths = append(paths, f.Name+" "+f.Mode.String())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"README.md 0100644", "reports/README.md 0100644", "reports/figures/leak.png 0120000", "src/model.py 0100644"}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("tree = %v, want %v", paths, want)
	}
}

func TestCommitRejectsBadInput(t *testing.T) {
	repo, err := NewRepo(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	when := day(1, 12)
	for name, c := range map[string]Commit{
		"zero time":     {Message: "m", Author: alice},
		"climbing path": {Message: "m", Author: alice, When: when, Files: map[string][]byte{"../x": []byte("x")}},
		"absolute path": {Message: "m", Author: alice, When: when, Files: map[string][]byte{"/x": []byte("x")}},
		"path twice":    {Message: "m", Author: alice, When: when, Files: map[string][]byte{"a": []byte("x")}, Symlinks: map[string]string{"a": "b"}},
		"file and dir":  {Message: "m", Author: alice, When: when, Files: map[string][]byte{"a": []byte("x"), "a/b": []byte("y")}},
		"bad submodule": {Message: "m", Author: alice, When: when, Submodules: map[string]string{"lib": "nope"}},
	} {
		if sha, err := repo.Commit("main", c); err == nil {
			t.Errorf("%s: commit %s accepted", name, sha)
		}
	}
	if _, err := repo.Commit("bad..branch", Commit{Author: alice, When: when}); err == nil {
		t.Error("invalid branch name accepted")
	}
	if _, err := repo.Tip("main"); !errors.Is(err, plumbing.ErrReferenceNotFound) {
		t.Errorf("rejected commits must not create main: %v", err)
	}
}

func assertFile(t *testing.T, path, want string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil || string(got) != want {
		t.Errorf("%s = %q, %v; want %q", path, got, err, want)
	}
}

func TestServerFaults(t *testing.T) {
	c := newCourse(t)
	s := c.server
	url := s.RepoURL("g01.git")

	t.Run("not found", func(t *testing.T) {
		if out, err := gitCmd(t, "", "clone", s.RepoURL("missing.git"), t.TempDir()+"/x"); err == nil || !strings.Contains(out, "not found") {
			t.Errorf("git clone of a missing repo: %v\n%s", err, out)
		}
		if _, err := git.PlainClone(t.TempDir(), true, &git.CloneOptions{URL: s.RepoURL("missing.git")}); !errors.Is(err, transport.ErrRepositoryNotFound) {
			t.Errorf("go-git clone of a missing repo: %v", err)
		}
		if _, err := git.PlainClone(t.TempDir(), true, &git.CloneOptions{URL: s.URL + "/.."}); err == nil {
			t.Error("clone of /.. succeeded")
		}
	})

	t.Run("fail next then succeed", func(t *testing.T) {
		s.FailNext("g01.git", 2, 500)
		before := s.Requests("g01.git")
		for attempt := 1; attempt <= 2; attempt++ {
			out, err := gitCmd(t, "", "clone", "--bare", url, filepath.Join(t.TempDir(), "x"))
			if err == nil || !strings.Contains(out, "500") {
				t.Fatalf("attempt %d: want a 500 failure, got %v\n%s", attempt, err, out)
			}
		}
		if got := s.Requests("g01.git") - before; got != 2 {
			t.Errorf("failed attempts made %d requests, want 2", got)
		}
		dir := filepath.Join(t.TempDir(), "x")
		mustGit(t, "", "clone", "--bare", url, dir)
		if tip := mustGit(t, dir, "rev-parse", "HEAD"); tip != c.firstParent[0] {
			t.Errorf("tip after recovery = %s", tip)
		}
	})

	t.Run("redirect", func(t *testing.T) {
		s.Redirect("old-name.git", "g01.git")
		dir := filepath.Join(t.TempDir(), "x")
		mustGit(t, "", "clone", "--bare", s.RepoURL("old-name.git"), dir)
		if tip := mustGit(t, dir, "rev-parse", "HEAD"); tip != c.firstParent[0] {
			t.Errorf("tip via redirect = %s", tip)
		}
		repo, err := git.PlainClone(t.TempDir(), true, &git.CloneOptions{URL: s.RepoURL("old-name.git")})
		if err != nil {
			t.Fatalf("go-git through a redirect: %v", err)
		}
		if head, err := repo.Head(); err != nil || head.Hash().String() != c.firstParent[0] {
			t.Errorf("go-git tip via redirect = %v, %v", head, err)
		}
		if s.Requests("old-name.git") != 2 {
			t.Errorf("old name got %d requests, want one per client", s.Requests("old-name.git"))
		}
	})

	t.Run("token", func(t *testing.T) {
		const token = "ghp_secret123"
		s.RequireToken("g01.git", token)
		defer s.Reset("g01.git")
		if out, err := gitCmd(t, "", "clone", "--bare", url, filepath.Join(t.TempDir(), "x")); err == nil {
			t.Errorf("clone without token succeeded:\n%s", out)
		}
		withToken := strings.Replace(url, "http://", "http://x-access-token:"+token+"@", 1)
		mustGit(t, "", "clone", "--bare", withToken, filepath.Join(t.TempDir(), "x"))

		if _, err := git.PlainClone(t.TempDir(), true, &git.CloneOptions{URL: url}); !errors.Is(err, transport.ErrAuthenticationRequired) {
			t.Errorf("go-git without token: %v", err)
		}
		wrong := &githttp.BasicAuth{Username: "x", Password: "wrong"}
		if _, err := git.PlainClone(t.TempDir(), true, &git.CloneOptions{URL: url, Auth: wrong}); err == nil {
			t.Error("go-git with a wrong token succeeded")
		}
		right := &githttp.BasicAuth{Username: "x", Password: token}
		if _, err := git.PlainClone(t.TempDir(), true, &git.CloneOptions{URL: url, Auth: right}); err != nil {
			t.Errorf("go-git with the token: %v", err)
		}
	})

	t.Run("hang", func(t *testing.T) {
		s.Hang("g01.git")
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := git.PlainCloneContext(ctx, t.TempDir(), true, &git.CloneOptions{URL: url})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("clone of a hung repo: %v, want deadline exceeded", err)
		}
		if waited := time.Since(start); waited > 5*time.Second {
			t.Errorf("client timeout took %v", waited)
		}
	})
}

// serveEmpty serves one empty repository, empty.git; the caller closes s.
func serveEmpty(t *testing.T) *Server {
	t.Helper()
	if err := GitAvailable(); err != nil {
		t.Skip(err)
	}
	root := t.TempDir()
	if _, err := NewRepo(filepath.Join(root, "empty.git")); err != nil {
		t.Fatal(err)
	}
	s, err := NewServer(root)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCloseReleasesHungRequests(t *testing.T) {
	s := serveEmpty(t)
	s.Hang("empty.git")
	done := make(chan error, 1)
	go func() {
		_, err := git.PlainClone(t.TempDir(), true, &git.CloneOptions{URL: s.RepoURL("empty.git")})
		done <- err
	}()
	for s.Requests("empty.git") == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close blocked on a hung request")
	}
	select {
	case err := <-done:
		if err == nil {
			t.Error("clone of a hung repo succeeded")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("client still blocked after Close")
	}
	s.Close() // idempotent
}

func TestServeEmptyRepo(t *testing.T) {
	s := serveEmpty(t)
	defer s.Close()
	_, err := git.PlainClone(t.TempDir(), true, &git.CloneOptions{URL: s.RepoURL("empty.git")})
	if !errors.Is(err, transport.ErrEmptyRemoteRepository) {
		t.Errorf("clone of an empty repo: %v, want ErrEmptyRemoteRepository", err)
	}
}
