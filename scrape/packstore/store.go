package packstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// objectCacheSize bounds go-git's decoded-object cache per open repository
// (default 96 MiB each, per worker). scrape's history and tree walks read
// each object about once, so a small cache costs no time.
const objectCacheSize = 8 * cache.MiByte

// Storage is go-git's filesystem storage of a bare repository, its fetched
// packs indexed and its object sizes read by this package (see the package
// doc).
type Storage struct {
	*filesystem.Storage
	ctx     context.Context // indexing a fetched pack ends with it
	dir     string
	mu      sync.Mutex
	idx     map[plumbing.Hash]*idxfile.MemoryIndex // by pack, loaded on first use
	omitted []Omission                             // left out of the packs fetched (indexPack)
}

// The storer interfaces go-git looks for: a fetch writes its pack through
// PackfileWriter only when the storage has it.
var (
	_ storage.Storer        = (*Storage)(nil)
	_ storer.PackfileWriter = (*Storage)(nil)
)

// Open opens (or prepares, for git.Init) the bare repository at dir. ctx
// bounds the indexing of every pack fetched into it: the group's timeout.
func Open(ctx context.Context, dir string) *Storage {
	return &Storage{
		Storage: filesystem.NewStorageWithOptions(osfs.New(dir), cache.NewObjectLRU(objectCacheSize),
			filesystem.Options{LargeObjectThreshold: gitStreamThreshold}),
		ctx: ctx,
		dir: dir,
	}
}

func (s *Storage) packDir() string { return filepath.Join(s.dir, "objects", "pack") }

// PackfileWriter receives the pack of a fetch into a temporary file, and
// indexes it when closed.
func (s *Storage) PackfileWriter() (io.WriteCloser, error) {
	if err := os.MkdirAll(s.packDir(), 0o755); err != nil {
		return nil, fmt.Errorf("receive pack: %w", err)
	}
	f, err := os.CreateTemp(s.packDir(), "tmp_pack_")
	if err != nil {
		return nil, fmt.Errorf("receive pack: %w", err)
	}
	return &packReceiver{storage: s, file: f}, nil
}

// MaxPackSize bounds the pack of one fetch, as written to disk: far above
// any student repository, far below a full disk.
const MaxPackSize = 4 << 30

// errPackTooLarge: a fetch's pack went over MaxPackSize.
var errPackTooLarge = fmt.Errorf("the pack is over %d GiB", MaxPackSize>>30)

// packReceiver writes a fetched pack to a file, then indexes it and moves
// both into objects/pack.
type packReceiver struct {
	storage *Storage
	file    *os.File
	written int64
}

func (p *packReceiver) Write(b []byte) (int, error) {
	if p.written+int64(len(b)) > MaxPackSize {
		return 0, fmt.Errorf("receive pack: %w", errPackTooLarge)
	}
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
	s.omitted = append(s.omitted, pack.omitted...)
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

// Omissions lists the objects of the packs fetched through this storage
// that were left out of their index (see indexPack).
func (s *Storage) Omissions() []Omission {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.omitted)
}

// EncodedObjectSize is an object's size read from its header (a delta's
// from the start of its instructions), never inflating the object.
func (s *Storage) EncodedObjectSize(h plumbing.Hash) (int64, error) {
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
func (s *Storage) find(h plumbing.Hash) (plumbing.Hash, int64, error) {
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
