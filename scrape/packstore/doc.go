// Package packstore is the object storage of a workspace clone: go-git's
// filesystem storage with two of its storer methods replaced, so that the
// memory a fetch takes does not grow with what a student committed (a 2 GiB
// file of zeros packs to 2 MB, and go-git inflates every object it indexes
// whole).
//
// Open returns a *Storage, which is a go-git storage.Storer: pass it to
// git.Init or git.Open. Of go-git's storer interfaces it implements itself:
//
//   - storer.PackfileWriter. go-git's fetch (packfile.UpdateObjectStorage)
//     hands the pack it receives to PackfileWriter instead of parsing it.
//     The pack is written to objects/pack as it arrives and indexed when the
//     writer is closed, by this package's indexer: objects are hashed as they
//     stream by, deltas applied in memory only when base and result are
//     small (MaxInMemoryObject), streamed otherwise. For a pack git wrote,
//     the .idx is byte for byte the one `git index-pack` writes.
//   - EncodedObjectSize (storer.EncodedObjectStorer): read from the object's
//     header in its pack, a delta's from the start of its instructions;
//     go-git's inflates a delta's instructions whole to find the size.
//
// Everything else is go-git's filesystem storage unchanged: references,
// config, loose objects, reading objects (those over 256 KiB streamed, as
// LargeObjectThreshold asks; smaller deltas are built in memory from their
// whole base), an 8 MiB cache of decoded objects per clone.
//
// What it leaves out:
//
//   - Objects go-git could not later read without holding a large object
//     whole: a delta whose instructions are far longer than the object they
//     build, a small object built from a base over MaxInMemoryObject, and any
//     delta built on one of those. git never writes such deltas. They stay
//     in the pack file but not in its index, so go-git never sees them, and
//     Omissions lists them.
//   - Thin packs: a delta must find its base in the same pack. go-git asks
//     for thin packs, yet git's upload-pack sends go-git whole objects (a
//     test in this package fetches an edited file over smart HTTP to check);
//     a delta on an object of the clone would fail the fetch.
//   - Pack upkeep: no repack or gc, no .keep, .promisor, bitmap or multi-pack
//     index files; every fetch adds one pack.
package packstore
