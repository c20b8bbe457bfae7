//go:build linux

package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"handin/scrape/gittest"
)

// The repositories of the hostile course (TestHostileCourse): each is valid
// git that GitHub accepts, unless served by the hostile server.

var (
	hostileWho      = gittest.Signature{Name: "Student", Email: "student@example.com"}
	hostileHandedIn = courseDeadline.Add(-48 * time.Hour)
	hostileLate     = courseDeadline.Add(time.Hour)
)

// hostileReport is a report whose Question 1 names the group.
func hostileReport(group int) map[string][]byte {
	return map[string][]byte{
		"reports/README.md": fmt.Appendf(nil, "# Report\n\n### Question 1\n\nAnswer: %d\n\n![loss](figures/huge.png)\n\n### Question 2\n\nAnswer: a later answer\n", group),
		"src/train.py":      []byte("print('train')\n"),
	}
}

// commits builds a repository of these commits, in order, on main.
func commits(list func(group int) []gittest.Commit) func(*gittest.Repo, int) error {
	return func(r *gittest.Repo, g int) error {
		for _, c := range list(g) {
			if _, err := r.Commit("main", c); err != nil {
				return err
			}
		}
		return nil
	}
}

// withOddDate: a commit whose dates git never writes, between two others.
func withOddDate(date string) func(*gittest.Repo, int) error {
	return commits(func(g int) []gittest.Commit {
		return []gittest.Commit{
			{Message: "report", Author: hostileWho, When: hostileHandedIn, Files: hostileReport(g)},
			{Message: "odd date", Author: hostileWho, When: hostileHandedIn, RawDate: date, Files: map[string][]byte{"src/odd.py": []byte("x = 1\n")}},
			{Message: "after it", Author: hostileWho, When: hostileHandedIn.Add(time.Hour), Files: map[string][]byte{"src/later.py": []byte("y = 2\n")}},
		}
	})
}

// onTime is the report, committed two days before the deadline.
func onTime(r *gittest.Repo, g int) (string, error) {
	return r.Commit("main", gittest.Commit{Message: "report", Author: hostileWho, When: hostileHandedIn, Files: hostileReport(g)})
}

// lateFanOut: after the report, a late commit whose tree names one folder
// under each of 16 names, 8 levels deep: 16^8 (4 billion) paths in a few
// objects.
func lateFanOut(r *gittest.Repo, g int) error {
	if _, err := onTime(r, g); err != nil {
		return err
	}
	h, err := r.FanOut(16, 8)
	if err != nil {
		return err
	}
	_, err = r.Commit("main", gittest.Commit{Message: "add the data", Author: hostileWho, When: hostileLate,
		RawEntries: []object.TreeEntry{{Name: "data", Mode: filemode.Dir, Hash: plumbing.NewHash(h)}}})
	return err
}

// hugeAuthors: 200 commits whose author names or addresses are 950 KB each
// (commits just under 1 MiB), one of them late.
func hugeAuthors(r *gittest.Repo, g int) error {
	if _, err := onTime(r, g); err != nil {
		return err
	}
	for i := range 200 {
		who := gittest.Signature{Name: strings.Repeat("N", 950_000), Email: "big@example.com"}
		if i%2 == 1 {
			who = gittest.Signature{Name: "Big", Email: strings.Repeat("e", 950_000) + "@example.com"}
		}
		when := hostileHandedIn.Add(time.Duration(i+1) * time.Minute)
		if i == 199 {
			when = hostileLate
		}
		if _, err := r.Commit("main", gittest.Commit{Message: fmt.Sprintf("work %d", i), Author: who, Committer: hostileWho, When: when,
			Files: map[string][]byte{"src/work.py": fmt.Appendf(nil, "i = %d\n", i)}}); err != nil {
			return err
		}
	}
	return nil
}

// manyParents: 100 merges of 20,000 parents each (every other one a root
// commit of its own), after the report.
func manyParents(r *gittest.Repo, g int) error {
	tip, err := onTime(r, g)
	if err != nil {
		return err
	}
	c, err := r.CommitObject(tip)
	if err != nil {
		return err
	}
	sig := func(i int) object.Signature {
		return object.Signature{Name: hostileWho.Name, Email: hostileWho.Email, When: hostileHandedIn.Add(time.Duration(i) * time.Second)}
	}
	roots := make([]plumbing.Hash, 19_999)
	for i := range roots {
		sha, err := r.Store(&object.Commit{Author: sig(i), Committer: sig(i), Message: fmt.Sprintf("root %d", i), TreeHash: c.TreeHash})
		if err != nil {
			return err
		}
		roots[i] = plumbing.NewHash(sha)
	}
	head := c.Hash
	for i := range 100 {
		when := sig(20_000 + i)
		sha, err := r.Store(&object.Commit{Author: when, Committer: when, Message: fmt.Sprintf("merge %d", i), TreeHash: c.TreeHash,
			ParentHashes: append([]plumbing.Hash{head}, roots...)})
		if err != nil {
			return err
		}
		head = plumbing.NewHash(sha)
	}
	return r.SetBranch("main", head.String())
}

// longFolderName: a folder named with 4,000,000 bytes holding 1,000 files.
func longFolderName(r *gittest.Repo, g int) error {
	if _, err := onTime(r, g); err != nil {
		return err
	}
	blob, err := r.StoreBlob([]byte("x\n"))
	if err != nil {
		return err
	}
	var folder object.Tree
	for i := range 1000 {
		folder.Entries = append(folder.Entries, object.TreeEntry{Name: fmt.Sprintf("f%04d.py", i), Mode: filemode.Regular, Hash: plumbing.NewHash(blob)})
	}
	h, err := r.Store(&folder)
	if err != nil {
		return err
	}
	_, err = r.Commit("main", gittest.Commit{Message: "a long name", Author: hostileWho, When: hostileHandedIn.Add(time.Hour),
		RawEntries: []object.TreeEntry{{Name: strings.Repeat("n", 4_000_000), Mode: filemode.Dir, Hash: plumbing.NewHash(h)}}})
	return err
}

// deltaChainPack is a pack git never sends: 1,000 commits of about 900 KB,
// each a delta on the one before (git's upload-pack breaks chains past 50).
// It returns the tip and the pack.
func deltaChainPack(g int) (tip string, pack []byte) {
	var p gittest.Pack
	blob := hostileReport(g)["reports/README.md"]
	blobHash := plumbing.ComputeHash(plumbing.BlobObject, blob)
	p.Object(plumbing.BlobObject, blob)
	reports := treeBytes(object.TreeEntry{Name: "README.md", Mode: filemode.Regular, Hash: blobHash})
	p.Object(plumbing.TreeObject, reports)
	root := treeBytes(object.TreeEntry{Name: "reports", Mode: filemode.Dir, Hash: plumbing.ComputeHash(plumbing.TreeObject, reports)})
	rootHash := plumbing.ComputeHash(plumbing.TreeObject, root)
	p.Object(plumbing.TreeObject, root)
	message := strings.Repeat("a long message line\n", 45_000) // 900 KB
	var prevHeader string
	prev, prevIndex := "", 0
	for i := range 1000 {
		when := hostileHandedIn.Add(time.Duration(i) * time.Second).Unix()
		header := fmt.Sprintf("tree %s\n", rootHash)
		if prev != "" {
			header += fmt.Sprintf("parent %s\n", prev)
		}
		header += fmt.Sprintf("author Student <student@example.com> %d +0100\ncommitter Student <student@example.com> %d +0100\n\n", when, when)
		content := []byte(header + message)
		var index int
		if prev == "" {
			index = p.Object(plumbing.CommitObject, content)
		} else {
			instructions := append(gittest.InsertOps([]byte(header)), gittest.CopyRange(int64(len(prevHeader)), int64(len(message)))...)
			index = p.Delta(prevIndex, int64(len(prevHeader)+len(message)), int64(len(content)), instructions)
		}
		prev, prevIndex, prevHeader = plumbing.ComputeHash(plumbing.CommitObject, content).String(), index, header
	}
	return prev, p.Bytes()
}

// treeBytes is a tree object's content.
func treeBytes(entries ...object.TreeEntry) []byte {
	obj := &plumbing.MemoryObject{}
	if err := (&object.Tree{Entries: entries}).Encode(obj); err != nil {
		panic(err)
	}
	rd, _ := obj.Reader()
	data, _ := io.ReadAll(rd)
	return data
}

// Text that reverses or hides what follows it when displayed.
const (
	rightToLeftOverride = "\u202e"
	zeroWidthSpace      = "\u200b"
)

// displayTricks: an author, a path and a late commit's subject and path
// with right-to-left overrides and zero-width spaces, and an address that
// is a formula where a spreadsheet's list separator is ';'.
func displayTricks(r *gittest.Repo, g int) error {
	files := hostileReport(g)
	files["src/"+rightToLeftOverride+"yp.exe"] = []byte("pass\n")
	who := gittest.Signature{Name: "Eve" + rightToLeftOverride + "lin" + zeroWidthSpace, Email: "a;=2+2@evil.example"}
	if _, err := r.Commit("main", gittest.Commit{Message: "report", Author: who, When: hostileHandedIn, Files: files}); err != nil {
		return err
	}
	_, err := r.Commit("main", gittest.Commit{Message: "fix " + rightToLeftOverride + "gnp.exe" + zeroWidthSpace, Author: who, When: hostileLate,
		Files: map[string][]byte{"src/" + rightToLeftOverride + "gnp.exe": []byte("pass\n")}})
	return err
}

// longDefaultBranch: the report on a default branch named with 300 bytes
// (git keeps it in packed-refs; no file system takes it as a file name).
func longDefaultBranch(r *gittest.Repo, g int) error {
	sha, err := onTime(r, g)
	if err != nil {
		return err
	}
	branch := "refs/heads/" + strings.Repeat("b", 300)
	packed, err := os.OpenFile(filepath.Join(r.Dir, "packed-refs"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(packed, "%s %s\n", sha, branch); err != nil {
		packed.Close()
		return err
	}
	if err := packed.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(r.Dir, "HEAD"), []byte("ref: "+branch+"\n"), 0o644); err != nil {
		return err
	}
	return os.Remove(filepath.Join(r.Dir, "refs", "heads", "main")) // the long one is the only branch
}

// slowReport: a report of 100,000 unclosed links ("[a]("), which markdown
// parsers take quadratic time over.
func slowReport(r *gittest.Repo, g int) error {
	files := hostileReport(g)
	files["reports/README.md"] = fmt.Appendf(nil, "# Report\n\n### Question 1\n\nAnswer: %d\n\n### Question 2\n\nAnswer: %s\n", g, strings.Repeat("[a](", 100_000))
	_, err := r.Commit("main", gittest.Commit{Message: "report", Author: hostileWho, When: hostileHandedIn, Files: files})
	return err
}

// writeGradebookBomb writes a gradebook of about 2 MB whose shared strings
// inflate to 2 GiB.
func writeGradebookBomb(t *testing.T, name string) {
	t.Helper()
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for part, content := range map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
		"_rels/.rels":                `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Groups" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml":   `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`,
	} {
		w, err := zw.Create(part)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, content)
	}
	w, err := zw.Create("xl/sharedStrings.xml")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>`)
	chunk := bytes.Repeat([]byte("A"), 1<<20)
	for range 2 << 10 {
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	io.WriteString(w, `</t></si></sst>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if info, err := f.Stat(); err == nil {
		t.Logf("gradebook bomb: %s, %.1f MB", filepath.Base(name), float64(info.Size())/1e6)
	}
}
