package grade

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
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
// severity, and nothing else.
func TestKindsDocumented(t *testing.T) {
	data, err := os.ReadFile("../docs/findings.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z0-9-]+)` \\| (problem|information)")
	documented := map[Kind]Severity{}
	for _, m := range row.FindAllStringSubmatch(string(data), -1) {
		if _, dup := documented[Kind(m[1])]; dup {
			t.Errorf("%s documented twice", m[1])
		}
		documented[Kind(m[1])] = map[string]Severity{"problem": SeverityProblem, "information": SeverityInfo}[m[2]]
	}
	kinds := declaredKinds(t)
	if len(kinds) < 40 {
		t.Fatalf("only %d kinds read from finding.go", len(kinds))
	}
	for _, k := range kinds {
		sev, ok := documented[k]
		switch {
		case !ok:
			t.Errorf("kind %s is not in docs/findings.md", k)
		case sev != k.Severity():
			t.Errorf("kind %s: documented as %s, is %s", k, sev, k.Severity())
		}
		delete(documented, k)
	}
	for k := range documented {
		t.Errorf("docs/findings.md lists %s, which is no kind", k)
	}
	if !strings.Contains(string(data), "handin authors") {
		t.Error("docs/findings.md does not say how to map identities")
	}
}
