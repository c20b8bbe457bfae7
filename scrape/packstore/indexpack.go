package packstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
)

// Why handin indexes fetched packs itself: go-git's indexer inflates every
// object of a pack whole into memory, and a 2 GiB file of zeros packs to
// 2 MB. indexPack streams every object above MaxInMemoryObject through the
// hash instead, so memory does not grow with what a student committed.
const (
	// MaxInMemoryObject is the largest object that may be inflated whole
	// (to apply a delta to it); larger ones are only ever streamed.
	MaxInMemoryObject = 8 << 20
	// gitStreamThreshold is the size above which go-git streams an object
	// when it is read (the storage's LargeObjectThreshold). Below it go-git
	// builds a delta in memory from its whole base.
	gitStreamThreshold = 256 << 10
	// maxPackObjects bounds the objects of one pack: a student repository
	// has tens of thousands.
	maxPackObjects = 1 << 20
	// maxDeltaDepth is git's own limit on delta chains.
	maxDeltaDepth = 4095
	// MaxStreamedDeltaDepth bounds the delta chain of an object go-git
	// streams (over gitStreamThreshold): it reads such an object through
	// every delta of its chain, each time it is read, holding a buffer and
	// an open file per delta. git's default is 50 (pack.depth), and its
	// upload-pack breaks longer chains before it sends them.
	MaxStreamedDeltaDepth = 50
	// deltaBaseCache holds inflated objects a later delta may need.
	deltaBaseCache = 16 * cache.MiByte
)

// packObject is one object of the pack being indexed.
type packObject struct {
	header   packHeader
	typ      plumbing.ObjectType // for a delta, its base's type once resolved
	size     int64               // the object's size (a delta's target size)
	baseSize int64               // a delta's base size
	parent   int                 // a delta's base, -1 while unknown
	depth    int                 // length of its delta chain
	crc      uint32
	hash     plumbing.Hash
	resolved bool
	omitted  Omission // Reason 0 while the object is kept
}

func (o *packObject) delta() bool     { return o.header.typ.IsDelta() }
func (o *packObject) isOmitted() bool { return o.omitted.Reason != 0 }

// An Omission is an object of a fetched pack left out of the pack's index
// (see the package doc): the pack file still holds it, go-git never sees
// it.
type Omission struct {
	Offset int64 // where the object starts in its pack
	Reason Reason
	Size   int64 // the size of the object it builds
	// Cost is what building it takes: a LongDelta's instructions and a
	// LargeBase's base in bytes, a DeepDelta's chain in deltas; 0 for
	// OnOmitted.
	Cost int64
}

// Reason says why an object was left out of its pack's index.
type Reason int

const (
	// LongDelta is a delta whose instructions are far longer than the
	// object they build.
	LongDelta Reason = iota + 1
	// LargeBase is an object go-git would build in memory (up to 256 KiB)
	// from a base over MaxInMemoryObject, which it would hold whole.
	LargeBase
	// OnOmitted is a delta whose base was left out.
	OnOmitted
	// DeepDelta is a file over gitStreamThreshold at the end of a chain of
	// more than MaxStreamedDeltaDepth deltas.
	DeepDelta
)

// packIndexer indexes one pack file.
type packIndexer struct {
	ctx     context.Context
	pack    *os.File
	objects []packObject
	cache   *cache.BufferLRU // inflated small objects, by index
}

// indexedPack is a pack's index and what had to be left out of it.
type indexedPack struct {
	index    *idxfile.MemoryIndex
	checksum plumbing.Hash
	omitted  []Omission
}

// indexPack reads a pack file and builds its index. Objects are hashed as
// they stream by; deltas are applied in memory only when both sides are
// small, streamed otherwise. A delta go-git could not later read without
// holding a large object whole (a small object built from a large base,
// or instructions far longer than what they build: git never writes
// either) is left out, with what depends on it, and listed in omitted.
func indexPack(ctx context.Context, pack *os.File) (*indexedPack, error) {
	ix := &packIndexer{ctx: ctx, pack: pack, cache: cache.NewBufferLRU(deltaBaseCache)}
	checksum, err := ix.scan()
	if err != nil {
		return nil, err
	}
	if err := ix.resolveDeltas(); err != nil {
		return nil, err
	}
	w := new(idxfile.Writer)
	res := &indexedPack{checksum: checksum}
	count := 0
	for i := range ix.objects {
		if !ix.objects[i].isOmitted() {
			count++
		}
	}
	if err := w.OnHeader(uint32(count)); err != nil {
		return nil, err
	}
	for _, o := range ix.objects {
		if o.isOmitted() {
			res.omitted = append(res.omitted, o.omitted)
			continue
		}
		w.Add(o.hash, uint64(o.header.offset), o.crc)
	}
	if err := w.OnFooter(checksum); err != nil {
		return nil, err
	}
	if res.index, err = w.Index(); err != nil {
		return nil, fmt.Errorf("index pack: %w", err)
	}
	return res, nil
}

// scan reads every object header in order, hashes the whole objects as
// they stream by and reads the sizes at the start of each delta.
func (ix *packIndexer) scan() (plumbing.Hash, error) {
	if _, err := ix.pack.Seek(0, io.SeekStart); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read pack: %w", err)
	}
	sc := packfile.NewScanner(ix.pack)
	_, count, err := sc.Header()
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read pack: %w", err)
	}
	if count > maxPackObjects {
		return plumbing.ZeroHash, fmt.Errorf("the pack has %d objects, over the %d handin reads", count, maxPackObjects)
	}
	ix.objects = make([]packObject, 0, min(count, 1<<16))
	byOffset := make(map[int64]int, min(count, 1<<16))
	for i := range int(count) {
		if err := ix.ctx.Err(); err != nil {
			return plumbing.ZeroHash, err
		}
		oh, err := sc.NextObjectHeader()
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("read pack object %d: %w", i, err)
		}
		h, err := readPackHeader(ix.pack, oh.Offset)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		o := packObject{header: h, typ: h.typ, size: h.length, parent: -1}
		if h.typ == plumbing.OFSDeltaObject {
			base, ok := byOffset[h.baseOffset]
			if !ok {
				return plumbing.ZeroHash, fmt.Errorf("object at %d: %w: no object at its base offset", oh.Offset, errBadPack)
			}
			o.parent = base
		}
		if o.delta() {
			head := &deltaHead{}
			if _, o.crc, err = sc.NextObject(ctxWriter{ix.ctx, head}); err != nil {
				return plumbing.ZeroHash, fmt.Errorf("read delta at %d: %w", oh.Offset, err)
			}
			if o.baseSize, o.size, err = deltaSizes(bytes.NewReader(head.head)); err != nil {
				return plumbing.ZeroHash, fmt.Errorf("delta at %d: %w", oh.Offset, err)
			}
		} else {
			hasher := plumbing.NewHasher(h.typ, h.length)
			if _, o.crc, err = sc.NextObject(ctxWriter{ix.ctx, hasher}); err != nil {
				return plumbing.ZeroHash, fmt.Errorf("read object at %d: %w", oh.Offset, err)
			}
			o.hash, o.resolved = hasher.Sum(), true
		}
		byOffset[oh.Offset] = len(ix.objects)
		ix.objects = append(ix.objects, o)
	}
	checksum, err := sc.Checksum()
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read pack checksum: %w", err)
	}
	return checksum, nil
}

// resolveDeltas hashes every delta once its base is known. A REF delta
// names its base by hash, which may itself be a delta resolved later in
// the pack, so the deltas are gone over until none is left to resolve.
func (ix *packIndexer) resolveDeltas() error {
	byHash := make(map[plumbing.Hash]int, len(ix.objects))
	for i, o := range ix.objects {
		if o.resolved {
			byHash[o.hash] = i
		}
	}
	for progress := true; progress; {
		progress = false
		for i := range ix.objects {
			o := &ix.objects[i]
			if o.resolved || o.isOmitted() {
				continue
			}
			if o.parent < 0 {
				base, ok := byHash[o.header.baseRef]
				if !ok {
					continue
				}
				o.parent = base
			}
			base := &ix.objects[o.parent]
			switch {
			case base.isOmitted():
				o.omitted = Omission{Offset: o.header.offset, Reason: OnOmitted, Size: o.size}
			case !base.resolved:
				continue
			default:
				if err := ix.resolve(i); err != nil {
					return err
				}
				if o.resolved {
					byHash[o.hash] = i
				}
			}
			progress = true
		}
	}
	for _, o := range ix.objects {
		if !o.resolved && !o.isOmitted() {
			return fmt.Errorf("delta at %d: %w: its base %s is not in the pack", o.header.offset, errBadPack, o.header.baseRef)
		}
	}
	return nil
}

// resolve hashes delta i, whose base is resolved, or says why it is left
// out.
func (ix *packIndexer) resolve(i int) error {
	o := &ix.objects[i]
	base := &ix.objects[o.parent]
	o.typ, o.depth = base.typ, base.depth+1
	switch {
	case o.depth > maxDeltaDepth:
		return fmt.Errorf("delta at %d: %w: chain of over %d deltas", o.header.offset, errBadPack, maxDeltaDepth)
	case o.baseSize != base.size:
		return fmt.Errorf("delta at %d: %w: base of %d bytes, not %d", o.header.offset, errBadPack, base.size, o.baseSize)
	case o.header.length > 2*o.size+4096:
		o.omitted = Omission{Offset: o.header.offset, Reason: LongDelta, Size: o.size, Cost: o.header.length}
		return nil
	case o.size <= gitStreamThreshold && base.size > MaxInMemoryObject:
		o.omitted = Omission{Offset: o.header.offset, Reason: LargeBase, Size: o.size, Cost: base.size}
		return nil
	case o.size > gitStreamThreshold && o.depth > MaxStreamedDeltaDepth && o.typ == plumbing.BlobObject:
		// A file: the clone can do without it, as without a large one.
		o.omitted = Omission{Offset: o.header.offset, Reason: DeepDelta, Size: o.size, Cost: int64(o.depth)}
		return nil
	case o.size > gitStreamThreshold && o.depth > MaxStreamedDeltaDepth:
		// A commit or a folder: the history or the tree would have a hole.
		return fmt.Errorf("delta at %d: %w: a %s of %d bytes built from a chain of %d deltas, over the %d git sends",
			o.header.offset, errBadPack, o.typ, o.size, o.depth, MaxStreamedDeltaDepth)
	}
	r, err := ix.open(i)
	if err != nil {
		return err
	}
	defer r.Close()
	hasher := plumbing.NewHasher(o.typ, o.size)
	n, err := io.Copy(ctxWriter{ix.ctx, hasher}, r)
	if err == nil && n != o.size {
		err = fmt.Errorf("%w: %d bytes built, %d announced", errBadPack, n, o.size)
	}
	if err != nil {
		return fmt.Errorf("apply delta at %d: %w", o.header.offset, err)
	}
	o.hash, o.resolved = hasher.Sum(), true
	return nil
}

// open streams the content of object i: small objects are built in memory
// (and kept for the deltas built on them), large ones streamed from the
// pack.
func (ix *packIndexer) open(i int) (io.ReadCloser, error) {
	if ix.objects[i].size > MaxInMemoryObject {
		return ix.stream(i)
	}
	data, err := ix.content(i)
	if err != nil {
		return nil, err
	}
	return io.NopCloser(bytes.NewReader(data)), nil
}

// content is the whole content of a small object i.
func (ix *packIndexer) content(i int) ([]byte, error) {
	if data, ok := ix.cache.Get(int64(i)); ok {
		return data, nil
	}
	o := &ix.objects[i]
	var data []byte
	var err error
	if o.delta() && ix.objects[o.parent].size <= MaxInMemoryObject {
		var base, instructions []byte
		if base, err = ix.content(o.parent); err == nil {
			if instructions, err = ix.readAll(o.header, o.header.length); err == nil {
				data, err = packfile.PatchDelta(base, instructions)
			}
		}
	} else {
		var r io.ReadCloser
		if r, err = ix.stream(i); err == nil {
			data, err = readExactly(r, o.size)
			r.Close()
		}
	}
	if err != nil {
		return nil, fmt.Errorf("object at %d: %w", o.header.offset, err)
	}
	ix.cache.Put(int64(i), data)
	return data, nil
}

// stream streams object i without building it in memory: a whole object
// inflated from the pack, or a delta applied to its streamed base.
func (ix *packIndexer) stream(i int) (io.ReadCloser, error) {
	o := &ix.objects[i]
	data, err := inflate(ix.pack, o.header)
	if err != nil || !o.delta() {
		return data, err
	}
	return packfile.ReaderFromDelta(ix.view(o.parent), data)
}

func (ix *packIndexer) readAll(h packHeader, size int64) ([]byte, error) {
	r, err := inflate(ix.pack, h)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return readExactly(r, size)
}

// view is object i as the base of a streamed delta: its size and a fresh
// stream of its content each time one is asked for.
func (ix *packIndexer) view(i int) plumbing.EncodedObject {
	return &baseView{ix: ix, i: i}
}

// baseView is a read-only plumbing.EncodedObject of the pack being indexed.
type baseView struct {
	ix *packIndexer
	i  int
}

func (b *baseView) Type() plumbing.ObjectType      { return b.ix.objects[b.i].typ }
func (b *baseView) Size() int64                    { return b.ix.objects[b.i].size }
func (b *baseView) Hash() plumbing.Hash            { return b.ix.objects[b.i].hash }
func (b *baseView) Reader() (io.ReadCloser, error) { return b.ix.open(b.i) }
func (b *baseView) Writer() (io.WriteCloser, error) {
	return nil, errors.New("a pack object is read-only")
}
func (b *baseView) SetType(plumbing.ObjectType) {}
func (b *baseView) SetSize(int64)               {}

// readExactly reads size bytes from r, no more.
func readExactly(r io.Reader, size int64) ([]byte, error) {
	data := make([]byte, size)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, fmt.Errorf("%w: %w", errBadPack, err)
	}
	return data, nil
}

// ctxWriter fails a copy once the context is done: hashing a large object
// is the one long step of indexing, and the group's timeout must end it.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
