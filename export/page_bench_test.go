package export

import (
	"io"
	"testing"

	"handin/grade"
	"handin/parse/parsetest"
	"handin/workspace"
)

// BenchmarkPageHostile renders the page of one group whose report is a
// hostile shape (issue 19), graded beforehand, at each size.
func BenchmarkPageHostile(b *testing.B) {
	spec, err := grade.LoadSpec(grade.DefaultSpec)
	if err != nil {
		b.Fatal(err)
	}
	for _, shape := range parsetest.Shapes {
		for _, size := range parsetest.Sizes {
			b.Run(shape.Name+"/"+size.Name, func(b *testing.B) {
				report := shape.Report(size.Bytes)
				snap, r := gradedGroup(b, report, parsetest.Tree(shape.TreeFiles), spec)
				b.SetBytes(int64(len(report)))
				for b.Loop() {
					if err := renderPage(io.Discard, r, snap, report, ""); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// gradedGroup stores group 1 with report as its reports/README.md and a
// deadline tree that also holds tree (not copied), and grades it.
func gradedGroup(b *testing.B, report []byte, tree []string, spec *grade.Spec) (*workspace.Snapshot, *grade.GroupResult) {
	dir := b.TempDir()
	g := newGroup(1)
	g.files = map[string][]byte{"reports/README.md": report}
	g.treeOnly = tree
	writeWorkspace(b, dir, g)
	ws, err := workspace.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer ws.Close()
	snap, err := ws.LoadSnapshot(1)
	if err != nil {
		b.Fatal(err)
	}
	return snap, grade.Grade(snap, grade.Options{Spec: spec})
}
