package export

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"handin/grade"
)

// TestFigureLinkFormsOnPage: a page shows exactly the figures the grade
// finds (one resolver): root-relative paths, percent escapes, <...>
// destinations and URLs into the group's own repository are inlined from
// the deadline commit; a link with raw spaces stays text, as on GitHub; a
// URL of a file added after the deadline is a missing figure on both.
func TestFigureLinkFormsOnPage(t *testing.T) {
	ws, out := t.TempDir(), t.TempDir()
	g := newGroup(1) // its repository is github.com/org1/mlops
	g.files["reports/README.md"] = []byte(`# Report

### Question 1
> Answer:

1

### Question 2
> Answer:

![root](/reports/figures/root.png)
![escaped](figures/W%26B%20loss.png)
![angle](<figures/cloud bill.png>)
![own](https://github.com/org1/mlops/blob/main/reports/figures/own.png)
![own raw](https://raw.githubusercontent.com/Org1/MLOps/main/reports/figures/own%20raw.png)
![later](https://github.com/org1/mlops/blob/main/reports/figures/later.png?raw=true)
![raw spaces](figures/cloud bill.png)
![other](https://github.com/someone/else/blob/main/x.png)
`)
	for i, name := range []string{"root.png", "W&B loss.png", "cloud bill.png", "own.png", "own raw.png"} {
		g.files["reports/figures/"+name] = testPNG(4, 4, int64(10+i))
	}
	writeWorkspace(t, ws, g)

	// grade the group for real: the result the page is written from
	spec, err := grade.LoadSpec("2026")
	if err != nil {
		t.Fatal(err)
	}
	w := openWorkspace(t, ws)
	snap, err := w.LoadSnapshot(1)
	if err != nil {
		t.Fatal(err)
	}
	r := grade.Grade(snap, grade.Options{Spec: spec})
	if err := grade.SaveResult(w, r); err != nil {
		t.Fatal(err)
	}
	w.Close()
	var gradeMissing []string
	for _, f := range r.Check.Questions[1].Findings {
		if f.Kind.MissingFigure() {
			gradeMissing = append(gradeMissing, f.Target)
		}
	}
	slices.Sort(gradeMissing)
	if want := []string{"figures/cloud bill.png", "https://github.com/org1/mlops/blob/main/reports/figures/later.png?raw=true"}; !slices.Equal(gradeMissing, want) {
		t.Errorf("grade: missing figures %q, want %q", gradeMissing, want)
	}

	export(t, ws, out)
	page := parseHTML(t, readFile(t, filepath.Join(out, "groups", "001.html")))
	var shown []string
	for _, img := range findAll(page, byTag("img")) {
		if !strings.HasPrefix(attr(img, "src"), "data:image/png;base64,") {
			t.Errorf("%s: src %.40q is not the inlined file", attr(img, "alt"), attr(img, "src"))
		}
		shown = append(shown, attr(img, "alt"))
	}
	if want := []string{"root", "escaped", "angle", "own", "own raw"}; !slices.Equal(shown, want) {
		t.Errorf("page shows %q, want %q", shown, want)
	}
	text := textContent(page)
	for _, want := range []string{
		"missing figure reports/figures/later.png: not in the repository at the deadline",
		"![raw spaces](figures/cloud bill.png)", // text, as GitHub shows it
		"remote image, not fetched: https://github.com/someone/else/blob/main/x.png",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
