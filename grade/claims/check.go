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
	found   []Location
	unread  []string // files that could have met it but were not kept
	skipped []Skip   // files that would have met it but are not the group's work
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
		res := g.search(n, r.template == templateCounts)
		for _, sk := range res.skipped {
			if !slices.Contains(v.Skipped, sk) {
				v.Skipped = append(v.Skipped, sk)
			}
		}
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
	case len(v.Missing) > 0 && r.template == templateCannotTell && slices.ContainsFunc(v.Skipped, fromTemplateSkip):
		v.Status, v.Evidence = CannotTell, nil
		v.Reason = "the course template's file is there unchanged: whether the group uses it, the tree cannot tell"
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
	if v.Status == Evidence {
		v.Skipped = nil // what did not count changes nothing
	} else if len(v.Skipped) > 0 {
		v.Reason = strings.TrimPrefix(v.Reason+"; not counted: "+skipList(v.Skipped), "; ")
	}
	return v
}

// Values of Rule.Template.
const (
	templateCounts     = "counts"
	templateCannotTell = "cannot tell"
)

func fromTemplateSkip(sk Skip) bool { return sk.Why == templateUnchanged }

// maxSkipped is how many files that did not count a need names.
const maxSkipped = 3

// search runs a need's searches, cheapest first, until it has maxEvidence
// locations. A file that is not the group's work is named as skipped
// instead; a declared dependency shows nothing by itself, and is named
// when nothing in the code uses it.
func (g *groupIndex) search(n *compiledNeed, templateCounts bool) needResult {
	var res needResult
	add := func(l Location, i int) bool {
		if slices.ContainsFunc(res.found, func(f Location) bool { return f.Path == l.Path }) {
			return false // one location per file: the file is already shown
		}
		if why := g.whyNotOwn(i, templateCounts); why != "" {
			res.skip(Skip{Path: l.Path, Line: l.Line, Why: why})
			return false
		}
		l.What = n.what
		res.found = append(res.found, l)
		return len(res.found) >= maxEvidence
	}
	if n.paths >= 0 {
		for _, i := range g.selected(n.paths) {
			if add(Location{Path: g.files[i].Path}, i) {
				return res
			}
		}
	}
	for k := range n.texts {
		t := &n.texts[k]
		for _, i := range g.selected(t.files) {
			line, ok := g.find(t, i)
			if !ok {
				switch f := g.text(i); {
				case !f.kept:
					res.unread = append(res.unread, g.files[i].Path)
				case f.unreadable != "":
					res.skip(Skip{Path: g.files[i].Path, Why: f.unreadable})
				}
				continue
			}
			if add(Location{Path: g.files[i].Path, Line: line}, i) {
				return res
			}
		}
	}
	if len(res.found) == 0 && len(n.deps) > 0 {
		declared := g.declared()
		for _, d := range n.deps {
			for _, l := range declared[d] {
				if !g.excluded(l.Path, n.exclude) {
					res.skip(Skip{Path: l.Path, Line: l.Line, Why: d + " declared, never imported or used"})
				}
			}
		}
	}
	return res
}

// skip names a file that did not count, up to maxSkipped, each once.
func (r *needResult) skip(sk Skip) {
	if len(r.skipped) < maxSkipped && !slices.Contains(r.skipped, sk) {
		r.skipped = append(r.skipped, sk)
	}
}

// skipList names the files that did not count and why, for a verdict's
// reason.
func skipList(skipped []Skip) string {
	parts := make([]string, len(skipped))
	for i, sk := range skipped {
		where := sk.Path
		if sk.Line > 0 {
			where = fmt.Sprintf("%s:%d", sk.Path, sk.Line)
		}
		parts[i] = where + " (" + sk.Why + ")"
	}
	return strings.Join(parts, "; ")
}

// excluded reports whether a path matches one of a need's exclude globs.
func (g *groupIndex) excluded(p string, exclude []int) bool {
	return g.c.matchesAny(exclude, strings.ToLower(p))
}
