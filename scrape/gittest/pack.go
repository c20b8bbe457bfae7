package gittest

import (
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Pack is a version 2 pack file written object by object, for what git
// never writes: deltas a client must cope with. Added to a Repo (AddPack),
// its deltas are what git's upload-pack sends as they are.
type Pack struct {
	buf     bytes.Buffer
	offsets []int64 // where each object starts
	lengths []int64 // what each object's header announces
}

// Object adds a whole object and returns its number in the pack.
func (p *Pack) Object(typ plumbing.ObjectType, data []byte) int {
	i := p.start(typ, int64(len(data)))
	p.deflate(data)
	return i
}

// Delta adds a delta on object base (of baseSize bytes) that builds target
// bytes with instructions (CopyOp, InsertOps), naming its base by offset.
// It returns the delta's number in the pack.
func (p *Pack) Delta(base int, baseSize, target int64, instructions []byte) int {
	data := append(append(sizeBytes(baseSize), sizeBytes(target)...), instructions...)
	i := p.start(plumbing.OFSDeltaObject, int64(len(data)))
	back := p.offsets[i] - p.offsets[base]
	enc := []byte{byte(back & 0x7f)}
	for back >>= 7; back > 0; back >>= 7 {
		back--
		enc = append([]byte{0x80 | byte(back&0x7f)}, enc...)
	}
	p.buf.Write(enc)
	p.deflate(data)
	return i
}

// Chain adds an object of size bytes of typ and depth deltas each building
// the next version of it from the one before (its last byte changed), and
// returns the last delta's number in the pack.
func (p *Pack) Chain(typ plumbing.ObjectType, size int64, depth int) int {
	last := p.Object(typ, bytes.Repeat([]byte{'a'}, int(size)))
	for i := range depth {
		last = p.Delta(last, size, size, append(CopyRange(0, size-1), InsertOps([]byte{byte('b' + i%20)})...))
	}
	return last
}

// Offset is where object i starts in the pack.
func (p *Pack) Offset(i int) int64 { return p.offsets[i] }

// Length is what object i's header announces: the object's size, or a
// delta's length with its two sizes.
func (p *Pack) Length(i int) int64 { return p.lengths[i] }

// Bytes is the pack file: header, objects, checksum.
func (p *Pack) Bytes() []byte {
	data := append([]byte("PACK\x00\x00\x00\x02"), binary.BigEndian.AppendUint32(nil, uint32(len(p.offsets)))...)
	data = append(data, p.buf.Bytes()...)
	sum := sha1.Sum(data)
	return append(data, sum[:]...)
}

const packHeaderSize = 12

func (p *Pack) start(typ plumbing.ObjectType, size int64) int {
	p.offsets = append(p.offsets, packHeaderSize+int64(p.buf.Len()))
	p.lengths = append(p.lengths, size)
	b := byte(typ)<<4 | byte(size&15)
	for size >>= 4; size > 0; size >>= 7 {
		p.buf.WriteByte(b | 0x80)
		b = byte(size & 0x7f)
	}
	p.buf.WriteByte(b)
	return len(p.offsets) - 1
}

func (p *Pack) deflate(data []byte) {
	zw := zlib.NewWriter(&p.buf)
	zw.Write(data)
	zw.Close()
}

// sizeBytes is a size as a delta starts with it: seven bits a byte, least
// significant first.
func sizeBytes(n int64) []byte {
	var out []byte
	for ; n >= 0x80; n >>= 7 {
		out = append(out, byte(n&0x7f)|0x80)
	}
	return append(out, byte(n))
}

// CopyOp is the delta instruction copying size bytes (1..255) from offset
// (0..255) of the base.
func CopyOp(offset, size byte) []byte { return []byte{0x80 | 0x01 | 0x10, offset, size} }

// CopyRange are the delta instructions copying size bytes from offset of
// the base, in pieces of at most 65,535 bytes.
func CopyRange(offset, size int64) []byte {
	var out []byte
	for size > 0 {
		n := min(size, 0xffff)
		out = append(out, 0x80|0x0f|0x30,
			byte(offset), byte(offset>>8), byte(offset>>16), byte(offset>>24), byte(n), byte(n>>8))
		offset, size = offset+n, size-n
	}
	return out
}

// InsertOps are the delta instructions inserting data as it is.
func InsertOps(data []byte) []byte {
	var out []byte
	for len(data) > 0 {
		n := min(len(data), 127)
		out = append(append(out, byte(n)), data[:n]...)
		data = data[n:]
	}
	return out
}

// AddPack stores pack in the repository as it is (go-git indexes it): git
// prefers a packed object to a loose one, so an object the repository
// already holds is served as the pack has it.
func (r *Repo) AddPack(pack []byte) error {
	pw, ok := r.repo.Storer.(storer.PackfileWriter)
	if !ok {
		return errors.New("add pack: the storage cannot take a pack")
	}
	if err := packfile.WritePackfileToObjectStorage(pw, bytes.NewReader(pack)); err != nil {
		return fmt.Errorf("add pack: %w", err)
	}
	return nil
}
