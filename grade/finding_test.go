package grade

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// declaredKinds are the Kind constants declared in finding.go.
func declaredKinds(t *testing.T) []Kind {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), "finding.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []Kind
	for _, decl := range file.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.CONST {
			continue
		}
		for _, spec := range gen.Specs {
			vs := spec.(*ast.ValueSpec)
			if typ, ok := vs.Type.(*ast.Ident); !ok || typ.Name != "Kind" {
				continue
			}
			for _, v := range vs.Values {
				lit, ok := v.(*ast.BasicLit)
				if !ok {
					t.Fatalf("Kind constant %v is not a string literal", vs.Names)
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				kinds = append(kinds, Kind(s))
			}
		}
	}
	return kinds
}

// TestKindsDocumented: docs/findings.md lists every kind once, with its
// default level, and nothing else; KindTable has every kind once.
func TestKindsDocumented(t *testing.T) {
	data, err := os.ReadFile("../docs/findings.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z0-9-]+)` \\| `([a-z]+)` \\| (.*) \\|$")
	documented := map[Kind]Level{}
	for _, m := range row.FindAllStringSubmatch(string(data), -1) {
		k := Kind(m[1])
		if _, dup := documented[k]; dup {
			t.Errorf("%s documented twice", k)
		}
		documented[k] = Level(m[2])
		if info, _ := KindOf(k); m[3] != info.Meaning {
			t.Errorf("%s means in docs/findings.md:\n %s\nin KindTable:\n %s", k, m[3], info.Meaning)
		}
	}
	kinds := declaredKinds(t)
	if len(kinds) < 40 {
		t.Fatalf("only %d kinds read from finding.go", len(kinds))
	}
	for _, k := range kinds {
		level, ok := documented[k]
		switch {
		case !ok:
			t.Errorf("kind %s is not in docs/findings.md", k)
		case level != Levels{}.Of(k):
			t.Errorf("kind %s: documented at %s, is %s", k, level, Levels{}.Of(k))
		}
		if n := len(slices.DeleteFunc(slices.Clone(KindTable), func(e KindInfo) bool { return e.Kind != k })); n != 1 {
			t.Errorf("kind %s is in KindTable %d times", k, n)
		}
		delete(documented, k)
	}
	if len(KindTable) != len(kinds) {
		t.Errorf("KindTable has %d kinds, finding.go declares %d", len(KindTable), len(kinds))
	}
	for k := range documented {
		t.Errorf("docs/findings.md lists %s, which is no kind", k)
	}
	if !strings.Contains(string(data), "handin authors") {
		t.Error("docs/findings.md does not say how to map identities")
	}
}
