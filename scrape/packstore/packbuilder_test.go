package packstore_test

import (
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"

	"github.com/go-git/go-git/v5/plumbing"
)

// packBuilder writes a version 2 pack by hand, for objects git would not
// write.
type packBuilder struct {
	buf     bytes.Buffer
	count   uint32
	offsets []int64 // where each object starts
	lengths []int64 // what each object's header announces
}

func (p *packBuilder) header(typ plumbing.ObjectType, size int64) {
	p.lengths[len(p.lengths)-1] = size
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
	p.lengths = append(p.lengths, 0)
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

// pack is the pack written so far, with its object count and checksum.
func (p *packBuilder) pack() []byte {
	data := bytes.Clone(p.buf.Bytes())
	binary.BigEndian.PutUint32(data[8:12], p.count)
	sum := sha1.Sum(data)
	return append(data, sum[:]...)
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
