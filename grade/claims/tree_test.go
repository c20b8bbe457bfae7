package claims

import (
	"maps"
	"slices"
	"strings"
)

// newTree is a deadline tree of kept files (path -> contents) and files that
// exist but were not kept (too large, binary).
func newTree(kept map[string]string, unkept ...string) Tree {
	var files []File
	for p, text := range kept {
		files = append(files, File{Path: p, Size: int64(len(text))})
	}
	for _, p := range unkept {
		files = append(files, File{Path: p, Size: 1 << 20})
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	contents := maps.Clone(kept)
	return Tree{Files: files, Read: func(p string) ([]byte, bool) {
		text, ok := contents[p]
		return []byte(text), ok
	}}
}
