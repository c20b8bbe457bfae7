package packstore

import (
	"bufio"
	"compress/zlib"
	"errors"
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
)

// The few pieces of the pack format that reading an object's size and
// streaming it need, read from any position of a pack file without
// go-git's sequential scanner (which cannot serve two readers at once).

var errBadPack = errors.New("malformed pack")

// packHeader is the header of the object at some offset of a pack.
type packHeader struct {
	offset     int64
	typ        plumbing.ObjectType
	length     int64 // inflated bytes stored: the object, or a delta's instructions
	dataOffset int64 // where its zlib stream starts
	baseOffset int64 // OFS delta: the base's offset
	baseRef    plumbing.Hash
}

// readPackHeader parses the object header at offset.
func readPackHeader(pack io.ReaderAt, offset int64) (packHeader, error) {
	var buf [64]byte
	n, err := pack.ReadAt(buf[:], offset)
	if n == 0 && err != nil {
		return packHeader{}, fmt.Errorf("object at %d: %w", offset, err)
	}
	b := buf[:n]
	h := packHeader{offset: offset, typ: plumbing.ObjectType((b[0] >> 4) & 7), length: int64(b[0] & 15)}
	i, shift := 1, uint(4)
	for c := b[0]; c&0x80 != 0; i++ {
		if i >= len(b) || shift > 56 {
			return h, fmt.Errorf("object at %d: %w: size", offset, errBadPack)
		}
		c = b[i]
		h.length |= int64(c&0x7f) << shift
		shift += 7
	}
	switch h.typ {
	case plumbing.OFSDeltaObject:
		var back int64
		for j := 0; ; j++ {
			if i >= len(b) || j > 8 {
				return h, fmt.Errorf("object at %d: %w: base offset", offset, errBadPack)
			}
			c := b[i]
			i++
			back = back<<7 | int64(c&0x7f)
			if c&0x80 == 0 {
				break
			}
			back++ // git's offset encoding adds one per continuation byte
		}
		if back <= 0 || back > offset {
			return h, fmt.Errorf("object at %d: %w: base offset %d", offset, errBadPack, back)
		}
		h.baseOffset = offset - back
	case plumbing.REFDeltaObject:
		if i+20 > len(b) {
			return h, fmt.Errorf("object at %d: %w: base name", offset, errBadPack)
		}
		copy(h.baseRef[:], b[i:i+20])
		i += 20
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
	default:
		return h, fmt.Errorf("object at %d: %w: type %d", offset, errBadPack, h.typ)
	}
	h.dataOffset = offset + int64(i)
	return h, nil
}

// inflate streams the data of the object whose header is h (its content,
// or a delta's instructions), at most h.length bytes.
func inflate(pack io.ReaderAt, h packHeader) (io.ReadCloser, error) {
	zr, err := zlib.NewReader(bufio.NewReader(io.NewSectionReader(pack, h.dataOffset, 1<<62)))
	if err != nil {
		return nil, fmt.Errorf("object data at %d: %w", h.dataOffset, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{io.LimitReader(zr, h.length), zr}, nil
}

// deltaSizes reads the two sizes a delta's instructions start with: the
// size of the base it applies to and of the object it builds.
func deltaSizes(instructions io.Reader) (base, target int64, err error) {
	r := bufio.NewReaderSize(instructions, 16)
	for _, size := range []*int64{&base, &target} {
		var shift uint
		for {
			c, err := r.ReadByte()
			if err != nil || shift > 56 {
				return 0, 0, fmt.Errorf("%w: delta sizes", errBadPack)
			}
			*size |= int64(c&0x7f) << shift
			shift += 7
			if c&0x80 == 0 {
				break
			}
		}
	}
	return base, target, nil
}

// deltaHead keeps the first bytes written to it (a delta's sizes) and
// discards the rest.
type deltaHead struct{ head []byte }

func (d *deltaHead) Write(p []byte) (int, error) {
	if room := 20 - len(d.head); room > 0 {
		d.head = append(d.head, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
