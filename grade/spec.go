package grade

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"

	"handin/internal/inputfile"
)

// Spec is a course year's template: the constraints of every question.
type Spec struct {
	Name      string         `json:"name" toml:"name"`
	Year      int            `json:"year" toml:"year"`
	Source    string         `json:"source,omitempty" toml:"source,omitempty"`
	Questions []QuestionSpec `json:"questions" toml:"question"`
}

// QuestionSpec is one question's constraints; nil means unconstrained.
type QuestionSpec struct {
	Number int    `json:"number" toml:"number"`
	Words  *Range `json:"words,omitempty" toml:"words,omitempty"`
	Images *Range `json:"images,omitempty" toml:"images,omitempty"`
}

// DefaultSpec is the newest built-in spec.
const DefaultSpec = "2026"

//go:embed specs/*.toml
var builtinSpecs embed.FS

// specFile is a spec as written in TOML: a spec may name a base spec and
// list only the questions it changes.
type specFile struct {
	Spec
	Base string `toml:"base"`
}

// builtins parses the embedded specs once: grading a course asks for them
// per report (drift suggestions).
var builtins = sync.OnceValue(func() map[string]*Spec {
	specs := map[string]*Spec{}
	entries, _ := fs.ReadDir(builtinSpecs, "specs")
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".toml")
		data, err := fs.ReadFile(builtinSpecs, path.Join("specs", e.Name()))
		if err != nil {
			panic(fmt.Sprintf("built-in spec %s: %v", name, err)) // embedded at build time
		}
		spec, err := parseSpec(data, name, specs)
		if err != nil {
			panic(err) // a broken built-in spec is a build defect, caught by the tests
		}
		specs[name] = spec
	}
	return specs
})

// BuiltinSpecs lists the names of the built-in specs, oldest first.
func BuiltinSpecs() []string {
	names := slices.Collect(maps.Keys(builtins()))
	sort.Strings(names)
	return names
}

// maxSpecFile bounds a spec file read (a year's table is a few KB).
const maxSpecFile = 1 << 20

// LoadSpec returns a built-in spec by name ("2026") or reads a spec file.
// The result is the caller's own copy.
func LoadSpec(nameOrFile string) (*Spec, error) {
	if spec, ok := builtins()[nameOrFile]; ok {
		return spec.clone(), nil
	}
	data, err := inputfile.Read(nameOrFile, maxSpecFile)
	if err != nil {
		return nil, fmt.Errorf("spec %q: not a built-in spec (%s) nor a readable file: %w",
			nameOrFile, strings.Join(BuiltinSpecs(), ", "), err)
	}
	return parseSpec(data, nameOrFile, builtins())
}

func (s *Spec) clone() *Spec {
	c := *s
	c.Questions = slices.Clone(s.Questions)
	return &c
}

// parseSpec decodes a spec file. A base spec must be one of bases (the
// built-in specs, loaded oldest first), which keeps base chains short and
// free of cycles.
func parseSpec(data []byte, name string, bases map[string]*Spec) (*Spec, error) {
	var f specFile
	meta, err := toml.Decode(string(data), &f)
	if err != nil {
		return nil, fmt.Errorf("spec %s: %w", name, err)
	}
	if unknown := meta.Undecoded(); len(unknown) > 0 {
		return nil, fmt.Errorf("spec %s: unknown key %q", name, unknown[0].String())
	}
	spec := &f.Spec
	if f.Base != "" {
		base, ok := bases[f.Base]
		if !ok {
			return nil, fmt.Errorf("spec %s: base %q is not a built-in spec", name, f.Base)
		}
		spec.Questions = mergeQuestions(base.Questions, spec.Questions)
	}
	if err := spec.validate(); err != nil {
		return nil, fmt.Errorf("spec %s: %w", name, err)
	}
	return spec, nil
}

// mergeQuestions returns base with every question of override replacing the
// base question of the same number.
func mergeQuestions(base, override []QuestionSpec) []QuestionSpec {
	out := slices.Clone(base)
	for _, o := range override {
		i := slices.IndexFunc(out, func(q QuestionSpec) bool { return q.Number == o.Number })
		if i >= 0 {
			out[i] = o
		} else {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(a, b QuestionSpec) int { return a.Number - b.Number })
	return out
}

func (s *Spec) validate() error {
	if len(s.Questions) == 0 {
		return errors.New("no questions")
	}
	seen := map[int]bool{}
	for _, q := range s.Questions {
		if q.Number < 1 {
			return fmt.Errorf("question number %d: must be positive", q.Number)
		}
		if seen[q.Number] {
			return fmt.Errorf("question %d listed twice", q.Number)
		}
		seen[q.Number] = true
		for _, r := range []*Range{q.Words, q.Images} {
			if r != nil && (r.Min < 0 || r.Min > r.Max) {
				return fmt.Errorf("question %d: bad range %d-%d", q.Number, r.Min, r.Max)
			}
		}
	}
	return nil
}

// Question returns the spec of question n.
func (s *Spec) Question(n int) (QuestionSpec, bool) {
	for _, q := range s.Questions {
		if q.Number == n {
			return q, true
		}
	}
	return QuestionSpec{}, false
}

// same reports whether two questions have the same number and constraints.
func (q QuestionSpec) same(other QuestionSpec) bool {
	return q.Number == other.Number && sameRange(q.Words, other.Words) && sameRange(q.Images, other.Images)
}

func sameRange(a, b *Range) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// WriteTOML writes the spec in the format LoadSpec reads.
func (s *Spec) WriteTOML(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "name = %q\n", s.Name)
	if s.Year != 0 {
		fmt.Fprintf(&b, "year = %d\n", s.Year)
	}
	if s.Source != "" {
		fmt.Fprintf(&b, "source = %q\n", s.Source)
	}
	for _, q := range s.Questions {
		fmt.Fprintf(&b, "\n[[question]]\nnumber = %d\n", q.Number)
		if q.Words != nil {
			fmt.Fprintf(&b, "words = { min = %d, max = %d }\n", q.Words.Min, q.Words.Max)
		}
		if q.Images != nil {
			fmt.Fprintf(&b, "images = { min = %d, max = %d }\n", q.Images.Min, q.Images.Max)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
