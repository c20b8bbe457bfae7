package export

import (
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// docs/results.md describes every field of results.json and result.json:
// scripts read them, so a field added without a word there fails here.
func TestResultsFieldsAreDocumented(t *testing.T) {
	doc := string(readFile(t, filepath.Join("..", "docs", "results.md")))
	var missing []string
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type, string)
	walk = func(typ reflect.Type, path string) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] || typ == reflect.TypeFor[time.Time]() {
			return
		}
		seen[typ] = true
		for f := range typ.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if !strings.Contains(doc, "`"+name+"`") {
				missing = append(missing, path+"."+name)
			}
			walk(f.Type, path+"."+name)
		}
	}
	walk(reflect.TypeFor[resultsFile](), "results")
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("fields not described in docs/results.md: %s", strings.Join(missing, ", "))
	}
}
