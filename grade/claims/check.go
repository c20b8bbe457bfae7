package claims

import (
	"fmt"
	"slices"
	"strings"
)

// maxEvidence is how many locations a need reports: enough for an
// instructor to open one, short enough for a table cell.
const maxEvidence = 3

// Check judges every item against the tree: one verdict per item, in order.
// Each file is matched and read at most once, however many rules ask.
func (s *RuleSet) Check(tree Tree, items []Item) []Verdict {
	g := newGroupIndex(s.c, tree)
	judged := map[int]Verdict{} // two items that match one rule share its verdict
	out := make([]Verdict, len(items))
	for k, it := range items {
		i, ok := s.c.items.match(it)
		if !ok {
			out[k] = Verdict{Item: it, Status: CannotTell,
				Reason: fmt.Sprintf("no rule of %s judges this item", s.Name)}
			continue
		}
		v, done := judged[i]
		if !done {
			v = g.judge(&s.c.rules[i])
			judged[i] = v
		}
		v.Item = it
		out[k] = v
	}
	return out
}

// needResult is what the searches of one need found.
type needResult struct {
	found  []Location
	unread []string // files that could have met it but were not kept
}

func (g *groupIndex) judge(r *compiledRule) Verdict {
	v := Verdict{Rule: r.id}
	if len(r.needs) == 0 {
		v.Status, v.Reason = CannotTell, r.cannotTell
		return v
	}
	var unread []string
	for i := range r.needs {
		n := &r.needs[i]
		res := g.search(n)
		switch {
		case len(res.found) > 0:
			for _, l := range res.found {
				// A file that shows two needs (train_model.py) is listed once.
				if !slices.ContainsFunc(v.Evidence, func(e Location) bool { return e.Path == l.Path && e.Line == l.Line }) {
					v.Evidence = append(v.Evidence, l)
				}
			}
		case len(res.unread) > 0:
			unread = append(unread, res.unread...)
		default:
			v.Missing = append(v.Missing, n.what)
		}
	}
	switch {
	case len(v.Missing) > 0 && r.cannotTell != "":
		v.Status, v.Reason, v.Evidence = CannotTell, r.cannotTell, nil
	case len(v.Missing) > 0:
		v.Status, v.Evidence = NoEvidence, nil
	case len(unread) > 0:
		slices.Sort(unread)
		unread = slices.Compact(unread)
		v.Status, v.Evidence, v.Unread = CannotTell, nil, unread
		v.Reason = "the files that could show it were not kept: " + strings.Join(unread, ", ")
	default:
		v.Status = Evidence
	}
	return v
}

// search runs a need's searches, cheapest first, until it has maxEvidence
// locations.
func (g *groupIndex) search(n *compiledNeed) needResult {
	var res needResult
	add := func(l Location) bool {
		if slices.ContainsFunc(res.found, func(f Location) bool { return f.Path == l.Path }) {
			return false // one location per file: the file is already shown
		}
		l.What = n.what
		res.found = append(res.found, l)
		return len(res.found) >= maxEvidence
	}
	if n.paths >= 0 {
		for _, i := range g.selected(n.paths) {
			if add(Location{Path: g.files[i].Path}) {
				return res
			}
		}
	}
	if len(n.deps) > 0 {
		declared := g.declared()
		for _, d := range n.deps {
			for _, l := range declared[d] {
				if !g.excluded(l.Path, n.exclude) && add(l) {
					return res
				}
			}
		}
		if len(res.found) == 0 {
			res.unread = append(res.unread, g.depsUnread...)
		}
	}
	for k := range n.texts {
		t := &n.texts[k]
		for _, i := range g.selected(t.files) {
			line, ok := g.find(t, i)
			if !ok {
				if !g.text(i).kept {
					res.unread = append(res.unread, g.files[i].Path)
				}
				continue
			}
			if add(Location{Path: g.files[i].Path, Line: line}) {
				return res
			}
		}
	}
	return res
}

// excluded reports whether a path matches one of a need's exclude globs.
func (g *groupIndex) excluded(p string, exclude []int) bool {
	return g.c.matchesAny(exclude, strings.ToLower(p))
}
