// Command benchserve builds a synthetic course of git repositories and
// serves them over loopback smart HTTP (scrape/gittest) until interrupted:
// the fixture of scripts/bench-scrape.sh.
//
// One repository is big: a long history of small edits plus incompressible
// binary files adding up to -big-mb. The others are typical student repos.
// Repositories are written with `git fast-import` (fast, like a real push).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"handin/scrape/gittest"
)

func main() {
	root := flag.String("root", "", "folder for the served repositories (created)")
	repos := flag.Int("repos", 40, "number of repositories (groups)")
	bigMB := flag.Int("big-mb", 200, "size in MB of the binary files of the big repository (group 1)")
	bigCommits := flag.Int("big-commits", 3000, "commits of the big repository")
	bigFileKB := flag.Int("big-file-kb", 512, "size in KB of each binary file of the big repository")
	csvPath := flag.String("csv", "", "write the groups.csv here")
	urlsPath := flag.String("urls", "", "write the clone URLs here, one a line")
	flag.Parse()
	if *root == "" || *csvPath == "" || *urlsPath == "" {
		log.Fatal("usage: benchserve -root DIR -csv FILE -urls FILE [-repos N] [-big-mb MB] [-big-commits N] [-big-file-kb KB]")
	}
	if err := os.MkdirAll(*root, 0o755); err != nil {
		log.Fatal(err)
	}
	start := time.Now()
	for i := 1; i <= *repos; i++ {
		dir := filepath.Join(*root, fmt.Sprintf("g%03d.git", i))
		if _, err := os.Stat(filepath.Join(dir, "HEAD")); err == nil {
			continue // built by an earlier run
		}
		spec := repoSpec{commits: 40, binaryMB: 1, binaryKB: 512, seed: uint64(i)}
		if i == 1 {
			spec = repoSpec{commits: *bigCommits, binaryMB: *bigMB, binaryKB: *bigFileKB, seed: 1}
		}
		if err := build(dir, spec); err != nil {
			log.Fatalf("build %s: %v", dir, err)
		}
	}
	log.Printf("built %d repositories in %s", *repos, time.Since(start).Round(time.Millisecond))

	server, err := gittest.NewServer(*root)
	if err != nil {
		log.Fatal(err)
	}
	defer server.Close()
	csv := []string{"group_number,student_1,student_2,student_3,student_4,student_5,repo_url"}
	var urls []string
	for i := 1; i <= *repos; i++ {
		u := server.RepoURL(fmt.Sprintf("g%03d.git", i))
		csv = append(csv, fmt.Sprintf("%d,s%06d,,,,,%s", i, 200000+i, u))
		urls = append(urls, u)
	}
	if err := os.WriteFile(*csvPath, []byte(strings.Join(csv, "\n")+"\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	// The URL list is written last: its appearance tells the script we serve.
	if err := os.WriteFile(*urlsPath, []byte(strings.Join(urls, "\n")+"\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("serving %s", server.URL)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
}

// repoSpec shapes one synthetic repository.
type repoSpec struct {
	commits  int
	binaryMB int // incompressible files, spread over the history
	binaryKB int // size of each
	seed     uint64
}

// build writes the repository with git fast-import: every commit edits a
// growing source file (long delta chains), updates the report, and every
// few commits adds a random binary file (model weights, data) until
// binaryMB is reached.
func build(dir string, spec repoSpec) error {
	if out, err := exec.Command("git", "init", "-q", "--bare", "-b", "main", dir).CombinedOutput(); err != nil {
		return fmt.Errorf("git init: %v: %s", err, out)
	}
	cmd := exec.Command("git", "fast-import", "--quiet")
	cmd.Env = append(os.Environ(), "GIT_DIR="+dir)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	w := bufio.NewWriterSize(stdin, 1<<20)
	rng := rand.New(rand.NewChaCha8([32]byte{byte(spec.seed), byte(spec.seed >> 8)}))
	binaryFile := spec.binaryKB << 10
	binaries := spec.binaryMB << 20 / binaryFile
	every := max(1, spec.commits/max(1, binaries))
	when := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	var source strings.Builder
	for c := 0; c < spec.commits; c++ {
		when = when.Add(17 * time.Minute / time.Duration(max(1, spec.commits/1000)))
		fmt.Fprintf(&source, "def step_%d(x):\n    return x * %d + %d\n\n", c, rng.IntN(1000), rng.IntN(1000))
		fmt.Fprintf(w, "commit refs/heads/main\ncommitter Student %d <s%d@example.com> %d +0100\n", c%4, c%4, when.Unix())
		data(w, fmt.Sprintf("commit %d", c))
		inline(w, "src/model.py", []byte(source.String()))
		inline(w, "reports/README.md", []byte(fmt.Sprintf("# Report\n\n### Question 1\n> **Group?**\n\nAnswer after %d commits.\n", c+1)))
		if binaries > 0 && c%every == 0 {
			blob := make([]byte, binaryFile)
			for i := 0; i+8 <= len(blob); i += 8 {
				v := rng.Uint64()
				for k := range 8 {
					blob[i+k] = byte(v >> (8 * k))
				}
			}
			inline(w, fmt.Sprintf("models/weights-%05d.bin", c), blob)
			binaries--
		}
		if c == 0 {
			inline(w, "reports/figures/overview.png", []byte("\x89PNG synthetic figure"))
		}
		fmt.Fprintln(w)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := stdin.Close(); err != nil {
		return err
	}
	return cmd.Wait()
}

func data(w io.Writer, s string) { fmt.Fprintf(w, "data %d\n%s\n", len(s), s) }

func inline(w io.Writer, path string, content []byte) {
	fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n", path, len(content))
	w.Write(content)
	fmt.Fprintln(w)
}
