package scrape

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"handin/scrape/gittest"
	"handin/workspace"
)

// A history git packs with deltas (small files edited often, a 10 MiB file
// edited once: a delta over maxInMemoryObject, applied as it streams) and a
// 96 MiB file of zeros: every object of the clone reads back with its hash.
func TestIndexPackReadsEveryObject(t *testing.T) {
	c := newCourse(t)
	c.repo("history.git")
	noise := make([]byte, 10<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range noise {
		noise[i] = byte(rng.Uint32())
	}
	text := bytes.Repeat([]byte("the model trains on the data and reports its loss\n"), 2000)
	first := reportCommit(alice, at(-96*time.Hour), "report")
	first.Files["data/noise.bin"] = noise
	first.Zeros = map[string]int64{"data/zeros.bin": 96 << 20}
	c.commit("history.git", "main", first)
	for i := range 12 {
		edited := bytes.Clone(text)
		copy(edited[i*100:], fmt.Sprintf("edit %d", i))
		files := map[string][]byte{"src/train.py": edited, "reports/README.md": append([]byte(reportText), edited[:500]...)}
		if i == 5 {
			changed := bytes.Clone(noise)
			copy(changed[1<<20:], "a small change in the middle")
			files["data/noise.bin"] = changed
		}
		c.commit("history.git", "main", gittest.Commit{Message: fmt.Sprintf("edit %d", i), Author: bob, When: at(time.Duration(i-90) * time.Hour), Files: files})
	}
	opts := testOptions(t, c.group(1, "history.git"))
	if o := outcomeOf(t, mustRun(t, opts), 1); o.Status != workspace.StatusOK {
		t.Fatalf("status %s (%s)", o.Status, o.Error)
	}
	snap := loadSnap(t, opts.Workspace, 1)
	for _, f := range snap.Tree {
		if f.Path == "data/zeros.bin" && f.Size != 96<<20 {
			t.Errorf("zeros.bin has size %d", f.Size)
		}
	}

	clone := filepath.Join(opts.Workspace, "repos", "001.git")
	storage := openStorage(context.Background(), clone)
	repo, err := git.Open(storage, nil)
	if err != nil {
		t.Fatal(err)
	}
	objects, err := repo.Storer.IterEncodedObjects(plumbing.AnyObject)
	if err != nil {
		t.Fatal(err)
	}
	count, deltas := 0, 0
	err = objects.ForEach(func(o plumbing.EncodedObject) error {
		count++
		r, err := o.Reader()
		if err != nil {
			return err
		}
		defer r.Close()
		hasher := plumbing.NewHasher(o.Type(), o.Size())
		if _, err := io.Copy(hasher, r); err != nil {
			return fmt.Errorf("read %s: %w", o.Hash(), err)
		}
		if got := hasher.Sum(); got != o.Hash() {
			t.Errorf("object %s reads back as %s", o.Hash(), got)
		}
		size, err := storage.EncodedObjectSize(o.Hash())
		if err != nil || size != o.Size() {
			t.Errorf("size of %s: %d, %v; want %d", o.Hash(), size, err, o.Size())
		}
		if pack, offset, err := storage.find(o.Hash()); err == nil {
			if h, err := readPackHeader(openPack(t, clone, pack), offset); err == nil && h.typ.IsDelta() {
				deltas++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// 13 commits, their trees (root, reports, src, data), 28 blobs.
	if count < 13*3+26 || deltas == 0 {
		t.Errorf("%d objects, %d of them deltas: the pack was not what git sends", count, deltas)
	}
}

func openPack(t *testing.T, clone string, pack plumbing.Hash) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join(clone, "objects", "pack", "pack-"+pack.String()+".pack"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// Deltas git never writes are left out of the index, with what builds on
// them: a 10-byte object copied out of a 9 MiB one (go-git would read the
// whole base to build it) and instructions far longer than their object.
func TestIndexPackLeavesOutDeltasGitNeverWrites(t *testing.T) {
	var p packBuilder
	base := p.whole(plumbing.BlobObject, make([]byte, 9<<20))
	small := p.ofsDelta(base, 9<<20, 10, copyOp(0, 10))
	p.ofsDelta(small, 10, 10, copyOp(0, 10)) // built on the one left out
	p.whole(plumbing.BlobObject, []byte("an ordinary file\n"))
	padded := append(insertOps(bytes.Repeat([]byte("x"), 100)), bytes.Repeat(copyOp(0, 1), 6000)...)
	small2 := p.whole(plumbing.BlobObject, []byte("a base of some bytes\n"))
	p.ofsDelta(small2, 21, 6100, padded) // 18 KB of instructions for 6 KB

	res, err := indexPack(context.Background(), p.file(t))
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.index.Count(); n != 3 || len(res.dropped) != 3 {
		t.Errorf("indexed %d objects, left out %q; want 3 and 3", n, res.dropped)
	}
	if _, err := res.index.FindOffset(plumbing.ComputeHash(plumbing.BlobObject, []byte("an ordinary file\n"))); err != nil {
		t.Errorf("the ordinary file is not indexed: %v", err)
	}
}

// packBuilder writes a version 2 pack by hand, for objects git would not
// write.
type packBuilder struct {
	buf     bytes.Buffer
	count   uint32
	offsets []int64
}

func (p *packBuilder) header(typ plumbing.ObjectType, size int64) {
	b := byte(typ)<<4 | byte(size&15)
	size >>= 4
	for size > 0 {
		p.buf.WriteByte(b | 0x80)
		b = byte(size & 0x7f)
		size >>= 7
	}
	p.buf.WriteByte(b)
}

func (p *packBuilder) deflate(data []byte) {
	zw := zlib.NewWriter(&p.buf)
	zw.Write(data)
	zw.Close()
}

func (p *packBuilder) start() int {
	if p.buf.Len() == 0 {
		p.buf.WriteString("PACK\x00\x00\x00\x02\x00\x00\x00\x00")
	}
	p.count++
	p.offsets = append(p.offsets, int64(p.buf.Len()))
	return len(p.offsets) - 1
}

func (p *packBuilder) whole(typ plumbing.ObjectType, data []byte) int {
	i := p.start()
	p.header(typ, int64(len(data)))
	p.deflate(data)
	return i
}

// ofsDelta writes a delta on object base building target bytes with ops.
func (p *packBuilder) ofsDelta(base int, baseSize, target int64, ops []byte) int {
	i := p.start()
	instructions := append(append(leb128(baseSize), leb128(target)...), ops...)
	p.header(plumbing.OFSDeltaObject, int64(len(instructions)))
	back := p.offsets[i] - p.offsets[base]
	enc := []byte{byte(back & 0x7f)}
	for back >>= 7; back > 0; back >>= 7 {
		back--
		enc = append([]byte{0x80 | byte(back&0x7f)}, enc...)
	}
	p.buf.Write(enc)
	p.deflate(instructions)
	return i
}

func (p *packBuilder) file(t *testing.T) *os.File {
	t.Helper()
	data := p.buf.Bytes()
	binary.BigEndian.PutUint32(data[8:12], p.count)
	sum := sha1.Sum(data)
	f, err := os.Create(filepath.Join(t.TempDir(), "test.pack"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if _, err := f.Write(append(data, sum[:]...)); err != nil {
		t.Fatal(err)
	}
	return f
}

func leb128(n int64) []byte {
	var out []byte
	for {
		b := byte(n & 0x7f)
		if n >>= 7; n > 0 {
			out = append(out, b|0x80)
			continue
		}
		return append(out, b)
	}
}

// copyOp copies size bytes (1..255) from offset (0..255) of the base.
func copyOp(offset, size byte) []byte { return []byte{0x80 | 0x01 | 0x10, offset, size} }

// insertOps inserts data literally.
func insertOps(data []byte) []byte {
	var out []byte
	for len(data) > 0 {
		n := min(len(data), 127)
		out = append(append(out, byte(n)), data[:n]...)
		data = data[n:]
	}
	return out
}
