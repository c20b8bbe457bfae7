package packstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"

	"handin/internal/slowtest"
	"handin/scrape/gittest"
	"handin/scrape/packstore"
)

// What the store writes is checked against C git: every .idx must be the
// one `git index-pack` writes for the same pack, and the clone must pass
// `git verify-pack` and `git fsck`.

var alice = gittest.Signature{Name: "Alice", Email: "alice@example.com"}

// A history git packs with deltas (small files edited often, a 10 MiB file
// edited once: a delta over MaxInMemoryObject, applied as it streams) and a
// 32 MiB file of zeros (streamed through the hash), fetched over smart HTTP
// as scrape fetches it.
func TestFetchedPackIsTheOneGitIndexes(t *testing.T) {
	slowtest.Skip(t, "a fetch of a 32 MiB and a 10 MiB file, every object checked against C git")
	served := serve(t)
	src := newRepo(t, served, "history.git")
	noise := randomBytes(10 << 20)
	changed := bytes.Clone(noise)
	copy(changed[1<<20:], "a small change in the middle")
	bigBlobs := []string{blobName(noise), blobName(changed)}
	text := bytes.Repeat([]byte("the model trains on the data and reports its loss\n"), 2000)
	commit(t, src, gittest.Commit{Message: "data", Author: alice, When: when(0),
		Files: map[string][]byte{"data/noise.bin": noise, "src/train.py": text},
		Zeros: map[string]int64{"data/zeros.bin": 32 << 20}})
	for i := range 12 {
		edited := bytes.Clone(text)
		copy(edited[i*100:], fmt.Sprintf("edit %d", i))
		files := map[string][]byte{"src/train.py": edited, "reports/README.md": edited[:500]}
		if i == 5 {
			files["data/noise.bin"] = changed
		}
		commit(t, src, gittest.Commit{Message: fmt.Sprintf("edit %d", i), Author: alice, When: when(i + 1), Files: files})
	}

	store, dir := clone(t, served.RepoURL("history.git"))
	sameIndexAsGit(t, onlyPack(t, dir))
	if d := deltas(t, dir); !slices.ContainsFunc(d, func(name string) bool { return slices.Contains(bigBlobs, name) }) {
		t.Errorf("neither 10 MiB file is a delta (git wrote %d): the pack is not what the test is for", len(d))
	}
	readsEveryObjectAsGit(t, store, dir)
	if o := store.Omissions(); len(o) != 0 {
		t.Errorf("a pack git wrote had objects left out: %+v", o)
	}
}

// go-git asks for thin packs, whose deltas may build on objects the clone
// already holds; the store cannot index those (see the package doc). git's
// upload-pack sends go-git whole objects: a fetch of one edited file, a
// thin delta when C git fetches it, brings a pack that stands alone.
func TestFetchOfAnEditedFileIsNotThin(t *testing.T) {
	served := serve(t)
	src := newRepo(t, served, "edited.git")
	text := randomText(100 << 10)
	commit(t, src, gittest.Commit{Message: "first", Author: alice, When: when(0), Files: map[string][]byte{"src/train.py": text}})
	store, dir := clone(t, served.RepoURL("edited.git"))
	byGit := filepath.Join(t.TempDir(), "by-git.git")
	runGit(t, served.root, nil, "clone", "--bare", "--quiet", served.RepoURL("edited.git"), byGit)
	edited := append([]byte("# a comment at the top\n"), text...)
	tip := commit(t, src, gittest.Commit{Message: "edit", Author: alice, When: when(1), Files: map[string][]byte{"src/train.py": edited}})

	// C git keeps the pack it fetches as it came, the base of its thin
	// delta appended.
	runGit(t, byGit, nil, "-c", "fetch.unpackLimit=1", "fetch", "--quiet", "origin", "+refs/heads/*:refs/heads/*")
	if !slices.Contains(deltas(t, byGit), blobName(edited)) {
		t.Fatal("C git fetched the edit without a delta: the edit is not what the test is for")
	}

	repo, err := git.Open(store, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := repo.Fetch(&git.FetchOptions{RefSpecs: []config.RefSpec{"+refs/heads/*:refs/heads/*"}}); err != nil {
		t.Fatalf("fetch of the edit: %v", err)
	}
	if ref, err := repo.Reference(plumbing.NewBranchReferenceName(gittest.DefaultBranch), true); err != nil || ref.Hash().String() != tip {
		t.Fatalf("main after the fetch: %v, %v; want %s", ref, err, tip)
	}
	packs := packsIn(t, dir)
	if len(packs) != 2 {
		t.Fatalf("%d packs after a clone and a fetch, want 2", len(packs))
	}
	for _, p := range packs {
		sameIndexAsGit(t, p)
		verifyPack(t, p)
	}
	fsck(t, dir)
	readsEveryObjectAsGit(t, store, dir)
}

// Packs git writes with either kind of delta (naming its base by offset,
// as a fetch asks for, or by hash) are indexed as git indexes them.
func TestPackWrittenByGitIsIndexedAsGitDoes(t *testing.T) {
	served := serve(t)
	src := newRepo(t, served, "versions.git")
	text := randomText(20 << 10)
	for i := range 8 {
		copy(text[i*1000:], fmt.Sprintf("version %d", i))
		commit(t, src, gittest.Commit{Message: fmt.Sprintf("v%d", i), Author: alice, When: when(i), Files: map[string][]byte{"notes.txt": bytes.Clone(text)}})
	}
	for _, baseBy := range []string{"--delta-base-offset", "--no-delta-base-offset"} {
		t.Run(baseBy, func(t *testing.T) {
			packed := runGit(t, filepath.Join(served.root, "versions.git"), strings.NewReader("refs/heads/main\n"),
				"pack-objects", "--revs", "--stdout", baseBy)
			store, dir := emptyRepo(t)
			if err := writePack(store, packed); err != nil {
				t.Fatal(err)
			}
			pack := onlyPack(t, dir)
			sameIndexAsGit(t, pack)
			verifyPack(t, pack)
			if len(deltas(t, dir)) == 0 {
				t.Error("git wrote no delta: the pack was not what the test is for")
			}
		})
	}
}

// Deltas git never writes are left out of the index, with what builds on
// them: a 10-byte object copied out of a 9 MiB one (go-git would read the
// whole base to build it) and instructions far longer than their object.
// What is indexed is what git indexes of the same pack.
func TestIndexLeavesOutDeltasGitNeverWrites(t *testing.T) {
	var p gittest.Pack
	base := p.Object(plumbing.BlobObject, make([]byte, 9<<20))
	small := p.Delta(base, 9<<20, 10, gittest.CopyOp(0, 10))
	onSmall := p.Delta(small, 10, 10, gittest.CopyOp(0, 10)) // built on the one left out
	p.Object(plumbing.BlobObject, []byte("an ordinary file\n"))
	padded := append(gittest.InsertOps(bytes.Repeat([]byte("x"), 100)), bytes.Repeat(gittest.CopyOp(0, 1), 6000)...)
	small2 := p.Object(plumbing.BlobObject, []byte("a base of some bytes\n"))
	long := p.Delta(small2, 21, 6100, padded) // 18 KB of instructions for 6 KB

	store, dir := emptyRepo(t)
	if err := writePack(store, p.Bytes()); err != nil {
		t.Fatal(err)
	}
	want := []packstore.Omission{
		{Offset: p.Offset(small), Reason: packstore.LargeBase, Size: 10, Cost: 9 << 20},
		{Offset: p.Offset(onSmall), Reason: packstore.OnOmitted, Size: 10},
		{Offset: p.Offset(long), Reason: packstore.LongDelta, Size: 6100, Cost: p.Length(long)},
	}
	if got := store.Omissions(); !slices.Equal(got, want) {
		t.Errorf("left out %+v\nwant %+v", got, want)
	}

	pack := onlyPack(t, dir)
	ours := showIndex(t, strings.TrimSuffix(pack, ".pack")+".idx")
	theirs := showIndex(t, gitIndex(t, pack))
	for _, o := range want {
		delete(theirs, o.Offset)
	}
	if len(ours) != 3 || !maps.Equal(ours, theirs) {
		t.Errorf("indexed %v\ngit indexes, less what was left out, %v", ours, theirs)
	}
}

// A delta chain longer than git sends is refused where go-git would read
// the object through the whole chain each time (over 256 KiB): a file at
// its end is left out, as a large one is; a commit or a folder fails the
// fetch, the history or the tree would have a hole. Shorter chains, and
// long chains of small objects go-git builds in memory, are indexed.
func TestIndexBoundsDeltaChains(t *testing.T) {
	const large = 300 << 10
	var p gittest.Pack
	fine := p.Chain(plumbing.BlobObject, large, packstore.MaxStreamedDeltaDepth)
	deep := p.Chain(plumbing.BlobObject, large, packstore.MaxStreamedDeltaDepth+1)
	p.Chain(plumbing.BlobObject, 1000, 500)
	store, _ := emptyRepo(t)
	if err := writePack(store, p.Bytes()); err != nil {
		t.Fatal(err)
	}
	want := []packstore.Omission{{Offset: p.Offset(deep), Reason: packstore.DeepDelta, Size: large, Cost: packstore.MaxStreamedDeltaDepth + 1}}
	if got := store.Omissions(); !slices.Equal(got, want) {
		t.Errorf("left out %+v, want %+v (not the delta at %d)", got, want, p.Offset(fine))
	}

	var commits gittest.Pack
	commits.Chain(plumbing.CommitObject, large, packstore.MaxStreamedDeltaDepth+1)
	store, dir := emptyRepo(t)
	if err := writePack(store, commits.Bytes()); err == nil || !strings.Contains(err.Error(), "chain of 51 deltas") {
		t.Errorf("a commit at the end of a chain of 51 deltas: %v, want the pack refused", err)
	}
	if left := packsIn(t, dir); len(left) != 0 {
		t.Errorf("a refused pack was kept: %v", left)
	}
}

// A fetch that ends (the group's timeout) leaves no pack behind.
func TestCancelledIndexingLeavesNoPack(t *testing.T) {
	var p gittest.Pack
	p.Object(plumbing.BlobObject, []byte("a file\n"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	if err := writePack(packstore.Open(ctx, dir), p.Bytes()); !errors.Is(err, context.Canceled) {
		t.Errorf("indexing after the context ended: %v", err)
	}
	if left, _ := os.ReadDir(filepath.Join(dir, "objects", "pack")); len(left) != 0 {
		t.Errorf("left in objects/pack: %v", left)
	}
}

// course is a folder of bare repositories served over smart HTTP.
type course struct {
	*gittest.Server
	root string
}

func serve(t *testing.T) course {
	t.Helper()
	if err := gittest.GitAvailable(); err != nil {
		t.Skipf("SKIPPING the pack store's checks against C git: %v", err)
	}
	root := t.TempDir()
	s, err := gittest.NewServer(root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return course{Server: s, root: root}
}

func newRepo(t *testing.T, c course, name string) *gittest.Repo {
	t.Helper()
	r, err := gittest.NewRepo(filepath.Join(c.root, name))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func commit(t *testing.T, r *gittest.Repo, c gittest.Commit) string {
	t.Helper()
	sha, err := r.Commit(gittest.DefaultBranch, c)
	if err != nil {
		t.Fatal(err)
	}
	return sha
}

func when(hour int) time.Time {
	return time.Date(2026, 1, 20, 12, 0, 0, 0, time.UTC).Add(time.Duration(hour) * time.Hour)
}

func randomBytes(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func blobName(content []byte) string {
	return plumbing.ComputeHash(plumbing.BlobObject, content).String()
}

// randomText is n bytes of lines git cannot compress much, so that it
// deltas them.
func randomText(n int) []byte {
	rng := rand.New(rand.NewPCG(3, 4))
	b := make([]byte, n)
	for i := range b {
		b[i] = "abcdefghijklmnopqrstuvwxyz \n"[rng.IntN(28)]
	}
	return b
}

// clone clones url into a bare repository on the store, as scrape does.
func clone(t *testing.T, url string) (*packstore.Storage, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "clone.git")
	store := packstore.Open(context.Background(), dir)
	if _, err := git.Clone(store, nil, &git.CloneOptions{URL: url, Tags: git.NoTags}); err != nil {
		t.Fatalf("clone %s: %v", url, err)
	}
	return store, dir
}

// emptyRepo is a new bare repository on the store.
func emptyRepo(t *testing.T) (*packstore.Storage, string) {
	t.Helper()
	dir := t.TempDir()
	store := packstore.Open(context.Background(), dir)
	if _, err := git.Init(store, nil); err != nil {
		t.Fatal(err)
	}
	return store, dir
}

// writePack hands pack to the store as go-git's fetch does.
func writePack(store *packstore.Storage, pack []byte) error {
	w, err := store.PackfileWriter()
	if err != nil {
		return err
	}
	if _, err := w.Write(pack); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

func packsIn(t *testing.T, dir string) []string {
	t.Helper()
	packs, err := filepath.Glob(filepath.Join(dir, "objects", "pack", "pack-*.pack"))
	if err != nil {
		t.Fatal(err)
	}
	return packs
}

// onlyPack is the one pack in the repository at dir.
func onlyPack(t *testing.T, dir string) string {
	t.Helper()
	packs := packsIn(t, dir)
	if len(packs) != 1 {
		t.Fatalf("%d packs in %s, want 1", len(packs), dir)
	}
	return packs[0]
}

// runGit runs C git in dir, without the machine's configuration, and
// returns its standard output; a failure fails the test.
func runGit(t *testing.T, dir string, stdin io.Reader, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Stdin = dir, stdin
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return out
}

// gitIndex is the index `git index-pack` writes for pack, in a folder of
// the test's.
func gitIndex(t *testing.T, pack string) string {
	t.Helper()
	idx := filepath.Join(t.TempDir(), "git.idx")
	runGit(t, filepath.Dir(pack), nil, "index-pack", "-o", idx, pack)
	return idx
}

// sameIndexAsGit checks that the store's index of pack is, byte for byte,
// the one git writes.
func sameIndexAsGit(t *testing.T, pack string) {
	t.Helper()
	ours, err := os.ReadFile(strings.TrimSuffix(pack, ".pack") + ".idx")
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := os.ReadFile(gitIndex(t, pack))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ours, theirs) {
		t.Errorf("%s: the index differs from git's (%d bytes, git's %d)", filepath.Base(pack), len(ours), len(theirs))
	}
}

// verifyPack runs `git verify-pack` on pack's index.
func verifyPack(t *testing.T, pack string) {
	t.Helper()
	runGit(t, filepath.Dir(pack), nil, "verify-pack", strings.TrimSuffix(pack, ".pack")+".idx")
}

// deltas lists the objects of the repository at dir that its packs hold as
// deltas, as git reads them.
func deltas(t *testing.T, dir string) []string {
	t.Helper()
	out := runGit(t, dir, nil, "cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(deltabase)")
	var names []string
	for line := range strings.Lines(string(out)) {
		name, base, _ := strings.Cut(strings.TrimSpace(line), " ")
		if plumbing.NewHash(base) != plumbing.ZeroHash {
			names = append(names, name)
		}
	}
	return names
}

func fsck(t *testing.T, dir string) {
	t.Helper()
	if out := runGit(t, dir, nil, "fsck", "--full", "--strict", "--no-dangling"); len(out) != 0 {
		t.Errorf("git fsck: %s", out)
	}
}

// readsEveryObjectAsGit checks every object git lists in the clone: go-git
// reads it back through the store with its hash, and the store's size is
// git's.
func readsEveryObjectAsGit(t *testing.T, store *packstore.Storage, dir string) {
	t.Helper()
	out := runGit(t, dir, nil, "cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objectsize)")
	count := 0
	for line := range strings.Lines(string(out)) {
		name, sizeText, _ := strings.Cut(strings.TrimSpace(line), " ")
		h := plumbing.NewHash(name)
		want, _ := strconv.ParseInt(sizeText, 10, 64)
		count++
		if size, err := store.EncodedObjectSize(h); err != nil || size != want {
			t.Errorf("size of %s: %d, %v; git says %d", name, size, err, want)
		}
		o, err := store.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			t.Errorf("read %s: %v", name, err)
			continue
		}
		if got := hashOf(t, o); got != h {
			t.Errorf("object %s reads back as %s", name, got)
		}
	}
	if count == 0 {
		t.Error("git lists no object in the clone")
	}
}

func hashOf(t *testing.T, o plumbing.EncodedObject) plumbing.Hash {
	t.Helper()
	r, err := o.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	hasher := plumbing.NewHasher(o.Type(), o.Size())
	if _, err := io.Copy(hasher, r); err != nil {
		t.Fatalf("read %s: %v", o.Hash(), err)
	}
	return hasher.Sum()
}

// showIndex is an index as `git show-index` lists it: object name and
// CRC by offset.
func showIndex(t *testing.T, idx string) map[int64]string {
	t.Helper()
	f, err := os.Open(idx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entries := map[int64]string{}
	for line := range strings.Lines(string(runGit(t, t.TempDir(), f, "show-index"))) {
		offset, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
		n, err := strconv.ParseInt(offset, 10, 64)
		if err != nil {
			t.Fatalf("git show-index: %q", line)
		}
		entries[n] = rest
	}
	return entries
}
