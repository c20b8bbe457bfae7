package lazyregexp

import "testing"

var digits = &Regexp{Expr: `[0-9]+`}

func TestCompiledOnFirstUse(t *testing.T) {
	local := &Regexp{Expr: `a(b)`}
	if local.re != nil {
		t.Fatal("compiled before use")
	}
	if m := local.FindStringSubmatch("xaby"); len(m) != 2 || m[1] != "b" {
		t.Errorf("FindStringSubmatch = %q", m)
	}
	if first := local.Re(); first != local.Re() {
		t.Error("compiled twice")
	}
	if got := digits.ReplaceAllString("a1b22", "#"); got != "a#b#" {
		t.Errorf("ReplaceAllString = %q", got)
	}
}

func TestInvalidExpressionPanicsOnUse(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for an invalid expression")
		}
	}()
	(&Regexp{Expr: `(`}).MatchString("x")
}
