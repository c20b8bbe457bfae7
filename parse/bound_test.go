package parse

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"handin/internal/corpus"
	"handin/parse/parsetest"
)

// between puts text between two questions of a report.
func between(text string) string {
	return "### Question 1\n\nAnswer:\n\n" + text + "\n\n### Question 2\n\nAnswer:\n\nafter\n"
}

// TestHostileMarkupReadAsText: the markup goldmark cannot parse in linear
// time is read as text, and the report around it is read as usual: each
// question in its place, with its answer exactly as written.
func TestHostileMarkupReadAsText(t *testing.T) {
	why := map[string]string{
		"link-open":     "too dense",
		"dash-list":     "nested past column",
		"ordered-list":  "nested past column",
		"quote":         "nested past column",
		"indent-list":   "nested past column",
		"link-refs":     "link reference definitions",
		"parts-refs":    "link reference definitions",
		"emphasis":      "too dense",
		"link-titles":   "too dense",
		"bracket-lines": "too dense",
	}
	for _, shape := range parsetest.Shapes {
		t.Run(shape.Name, func(t *testing.T) {
			text := string(shape.Report(256 << 10))
			r := mustParse(t, between(text))
			var whys []string
			for _, p := range r.Plain {
				whys = append(whys, p.Why)
				if p.Line < 1 || p.EndLine < p.Line || p.EndLine > strings.Count(r.Text, "\n")+1 {
					t.Errorf("plain part %+v outside the text", p)
				}
			}
			if want := why[shape.Name]; !strings.Contains(strings.Join(whys, "; "), want) || (want == "") != (len(r.Plain) == 0) {
				t.Errorf("plain parts say %q, want %q", whys, want)
			}
			n := len(r.Questions)
			if n < 2 || r.Questions[0].Number != 1 || r.Questions[n-1].Number != 2 || r.Questions[n-1].Answer != "after" {
				t.Fatalf("%d questions, the last %+v", n, r.Questions[n-1])
			}
			if !strings.Contains(text, "### Question") && r.Questions[0].Answer != strings.TrimSpace(text) {
				t.Errorf("Question 1's answer is not the text as written")
			}
		})
	}
}

// TestMarkupOfPeopleNotReadAsText: what people write is parsed whole, even
// where it comes near a bound.
func TestMarkupOfPeopleNotReadAsText(t *testing.T) {
	var nested, refs strings.Builder
	for depth := range 10 {
		nested.WriteString(strings.Repeat("  ", depth) + "- item\n")
	}
	for i := range maxLinkReferences {
		refs.WriteString("[ref" + strings.Repeat("x", i) + "]: https://example.com\n")
	}
	checklist := strings.Repeat("* [x] a task (M1)\n", 300)
	reports := map[string]string{
		"a thematic break past the bound": between(strings.Repeat("- ", 100)),
		"lists ten deep":                  between(nested.String()),
		"link references at the bound":    between(refs.String()),
		"a long checklist":                checklist + between("done"),
		"a long paragraph":                between(strings.Repeat("A [link](https://example.com), `code`, *emphasis* and a file_name.py. ", 1000)),
		"a long table":                    between("| file | what |\n|---|---|\n" + strings.Repeat("| `src/train_model.py` | **trains** the _model_ |\n", 1500)),
	}
	files, _ := filepath.Glob(filepath.Join(corpus.Dir(t), "reports", "*.md"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		reports[filepath.Base(f)] = string(data)
	}
	for name, src := range reports {
		if r := mustParse(t, src); len(r.Plain) != 0 {
			t.Errorf("%s: read as text: %+v", name, r.Plain)
		}
	}
	if r := mustParse(t, checklist+between("done")); len(r.Checklist) != 1 || len(r.Checklist[0].Items) != 300 {
		t.Errorf("checklist = %+v", r.Checklist)
	}
}

// TestMarkdownEscapesTextRead: Markdown gives the text as written where it
// was parsed as markdown, and escapes the punctuation read as text.
func TestMarkdownEscapesTextRead(t *testing.T) {
	deep := strings.Repeat("> ", 40) + "*quoted*"
	r := mustParse(t, between(deep))
	if len(r.Plain) != 1 || r.Plain[0].Line != 5 || r.Plain[0].EndLine != 5 {
		t.Fatalf("plain = %+v", r.Plain)
	}
	start := strings.Index(r.Text, deep)
	want := strings.Repeat("> ", 33) + `\> ` + strings.Repeat("> ", 6) + "*quoted*"
	if got := string(r.Markdown(start, start+len(deep))); got != want {
		t.Errorf("Markdown = %q, want %q", got, want)
	}
	if got := string(r.Markdown(0, start)); got != r.Text[:start] {
		t.Errorf("Markdown before the plain part = %q", got)
	}
	if got := string(r.Markdown(start+66, start+68)); got != `\> ` {
		t.Errorf("Markdown inside the plain part = %q", got)
	}
}
