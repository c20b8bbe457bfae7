package scrape

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// objectCacheSize bounds go-git's decoded-object cache per open repository
// (default 96 MiB each, per worker). The history and tree walks here read
// each object about once, so a small cache costs no time.
const objectCacheSize = 8 * cache.MiByte

// cloneStorage is the object storage of a workspace clone: go-git's
// filesystem storage, except that a fetched pack is indexed by indexPack
// (go-git's indexer inflates every object whole) and object sizes are read
// from object headers (go-git inflates a delta's instructions whole to
// find its size). Objects above gitStreamThreshold are streamed when read.
type cloneStorage struct {
	*filesystem.Storage
	ctx  context.Context // the group's: indexing ends with its timeout
	dir  string
	mu   sync.Mutex
	idx  map[plumbing.Hash]*idxfile.MemoryIndex // by pack, loaded on first use
	left []string                               // objects left out of the packs fetched (indexPack)
}

// openStorage opens (or prepares) the bare repository at dir.
func openStorage(ctx context.Context, dir string) *cloneStorage {
	return &cloneStorage{
		Storage: filesystem.NewStorageWithOptions(osfs.New(dir), cache.NewObjectLRU(objectCacheSize),
			filesystem.Options{LargeObjectThreshold: gitStreamThreshold}),
		ctx: ctx,
		dir: dir,
	}
}

func (s *cloneStorage) packDir() string { return filepath.Join(s.dir, "objects", "pack") }

// PackfileWriter receives the pack of a fetch into a temporary file, and
// indexes it when closed.
func (s *cloneStorage) PackfileWriter() (io.WriteCloser, error) {
	if err := os.MkdirAll(s.packDir(), 0o755); err != nil {
		return nil, fmt.Errorf("receive pack: %w", err)
	}
	f, err := os.CreateTemp(s.packDir(), "tmp_pack_")
	if err != nil {
		return nil, fmt.Errorf("receive pack: %w", err)
	}
	return &packReceiver{storage: s, file: f}, nil
}

// packReceiver writes a fetched pack to a file, then indexes it and moves
// both into objects/pack.
type packReceiver struct {
	storage *cloneStorage
	file    *os.File
	written int64
}

func (p *packReceiver) Write(b []byte) (int, error) {
	n, err := p.file.Write(b)
	p.written += int64(n)
	if err != nil {
		return n, fmt.Errorf("receive pack: %w", err)
	}
	return n, nil
}

// Close indexes the pack received (nothing when the fetch failed or sent
// none) and makes it part of the clone.
func (p *packReceiver) Close() error {
	s := p.storage
	defer os.Remove(p.file.Name()) // no-op once renamed
	defer p.file.Close()
	if p.written == 0 || s.ctx.Err() != nil {
		return s.ctx.Err()
	}
	pack, err := indexPack(s.ctx, p.file)
	if err != nil {
		return err
	}
	base := filepath.Join(s.packDir(), "pack-"+pack.checksum.String())
	if err := writeIndex(base+".idx", pack.index); err != nil {
		return err
	}
	if err := os.Rename(p.file.Name(), base+".pack"); err != nil {
		return fmt.Errorf("receive pack: %w", err)
	}
	s.mu.Lock()
	s.left = append(s.left, pack.dropped...)
	s.idx = nil
	s.mu.Unlock()
	s.Reindex()
	return nil
}

func writeIndex(name string, idx *idxfile.MemoryIndex) error {
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("write pack index: %w", err)
	}
	if _, err := idxfile.NewEncoder(f).Encode(idx); err != nil {
		f.Close()
		return fmt.Errorf("write pack index: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write pack index: %w", err)
	}
	return nil
}

// leftOut lists the objects the packs fetched through this storage left
// out (see indexPack).
func (s *cloneStorage) leftOut() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.left
}

// EncodedObjectSize is an object's size read from its header (a delta's
// from the start of its instructions), never inflating the object.
func (s *cloneStorage) EncodedObjectSize(h plumbing.Hash) (int64, error) {
	pack, offset, err := s.find(h)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return s.Storage.EncodedObjectSize(h) // a loose object: its header is read
	}
	if err != nil {
		return 0, err
	}
	f, err := os.Open(filepath.Join(s.packDir(), "pack-"+pack.String()+".pack"))
	if err != nil {
		return 0, fmt.Errorf("size of %s: %w", h, err)
	}
	defer f.Close()
	oh, err := readPackHeader(f, offset)
	if err != nil || !oh.typ.IsDelta() {
		return oh.length, err
	}
	r, err := inflate(f, oh)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	_, target, err := deltaSizes(r)
	return target, err
}

// find is the pack holding h and its offset there.
func (s *cloneStorage) find(h plumbing.Hash) (plumbing.Hash, int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idx == nil {
		packs, err := s.ObjectPacks()
		if err != nil {
			return plumbing.ZeroHash, 0, fmt.Errorf("list packs: %w", err)
		}
		s.idx = make(map[plumbing.Hash]*idxfile.MemoryIndex, len(packs))
		for _, p := range packs {
			if s.idx[p], err = readIndex(filepath.Join(s.packDir(), "pack-"+p.String()+".idx")); err != nil {
				return plumbing.ZeroHash, 0, err
			}
		}
	}
	for pack, idx := range s.idx {
		if offset, err := idx.FindOffset(h); err == nil {
			return pack, offset, nil
		}
	}
	return plumbing.ZeroHash, 0, plumbing.ErrObjectNotFound
}

func readIndex(name string) (*idxfile.MemoryIndex, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("read pack index: %w", err)
	}
	defer f.Close()
	idx := idxfile.NewMemoryIndex()
	if err := idxfile.NewDecoder(f).Decode(idx); err != nil {
		return nil, fmt.Errorf("read pack index %s: %w", name, err)
	}
	return idx, nil
}

// leftOutNote is the snapshot's note on objects indexPack left out.
func leftOutNote(left []string) []string {
	if len(left) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("%d objects of the fetched pack were left out, as git never writes them: %s", len(left), quotedList(left))}
}
