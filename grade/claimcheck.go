package grade

import (
	"fmt"
	"strings"

	"handin/grade/claims"
	"handin/workspace"
)

// ClaimsResult is the report's checklist judged against the deadline tree:
// one verdict per checklist item, in report order.
type ClaimsResult struct {
	// Rules names the claims rule set that judged ("2026", or the name in
	// an instructor's rules file).
	Rules string `json:"rules"`
	// Verdicts: item (text, module, checked, line in the report), rule,
	// status ("evidence", "no evidence", "cannot tell"), evidence (path,
	// line, what), missing, reason, unread; see claims.Verdict.
	Verdicts []claims.Verdict `json:"verdicts"`
}

// TickedWithoutEvidence counts the ticked items the repository shows no
// evidence of, where the rule is certain (a rule that could not read its
// files, or whose work may leave no file, says "cannot tell" instead).
func (c *ClaimsResult) TickedWithoutEvidence() int {
	if c == nil {
		return 0
	}
	n := 0
	for _, v := range c.Verdicts {
		if tickedWithoutEvidence(v) {
			n++
		}
	}
	return n
}

func tickedWithoutEvidence(v claims.Verdict) bool {
	return v.Item.Checked && v.Status == claims.NoEvidence
}

func untickedWithEvidence(v claims.Verdict) bool {
	return !v.Item.Checked && v.Status == claims.Evidence
}

// LoadClaims returns the claims rules to grade with: nameOrFile (a built-in
// rule set or a rules file) when given, else the built-in set of the spec's
// template year.
func LoadClaims(nameOrFile string, spec *Spec) (*claims.RuleSet, error) {
	if nameOrFile == "" {
		var err error
		if nameOrFile, err = claimsForYear(spec); err != nil {
			return nil, err
		}
	}
	rules, err := claims.Load(nameOrFile)
	if err != nil {
		return nil, fmt.Errorf("claims: %w", err)
	}
	return rules, nil
}

// claimsForYear names the built-in rule set for a spec: the newest one not
// after the spec's year (a spec file for next year gets this year's rules),
// the oldest for a year before them all, the newest for a spec without year.
func claimsForYear(spec *Spec) (string, error) {
	names := claims.List() // oldest first
	if len(names) == 0 {
		return "", fmt.Errorf("claims: no built-in rule set")
	}
	if spec == nil || spec.Year == 0 {
		return names[len(names)-1], nil
	}
	pick := names[0]
	for _, name := range names {
		rules, err := claims.Load(name)
		if err != nil {
			return "", fmt.Errorf("claims: %w", err)
		}
		if rules.Year <= spec.Year {
			pick = name
		}
	}
	return pick, nil
}

// checkClaims judges the checklist of the checked report against the
// snapshot's deadline tree, with the text files the scrape kept.
func (r *GroupResult) checkClaims(s *workspace.Snapshot, rules *claims.RuleSet, log groupLog) {
	if rules == nil || r.Check == nil {
		return
	}
	items := checklistItems(r.Check.Checklist)
	if len(items) == 0 {
		return
	}
	verdicts, err := judgeClaims(rules, snapshotTree(s), items, log)
	if err != nil {
		r.add(KindClaimsNotChecked, 0, "checklist claims not checked: %v", err)
		return
	}
	r.Claims = &ClaimsResult{Rules: rules.Name, Verdicts: verdicts}
	r.Findings = append(r.Findings, claimFindings(verdicts)...)
}

// judgeClaims runs the rules. A panic on some unforeseen file becomes an
// error for this group only, as in checkReport.
func judgeClaims(rules *claims.RuleSet, tree claims.Tree, items []claims.Item, log groupLog) (verdicts []claims.Verdict, err error) {
	defer func() {
		if v := recover(); v != nil {
			log.panicked("claims check", v, "rules", rules.Name)
			verdicts, err = nil, fmt.Errorf("internal error: %v", v)
		}
	}()
	return rules.Check(tree, items), nil
}

func checklistItems(sections []ChecklistSummary) []claims.Item {
	var items []claims.Item
	for _, s := range sections {
		for _, it := range s.Items {
			items = append(items, claims.Item{Text: it.Text, Module: it.Module, Checked: it.Checked, Line: it.Line})
		}
	}
	return items
}

// snapshotTree is the deadline tree as the claims rules see it. Submodules
// are no files of the group's; a symlink is listed (it may stand for a
// Dockerfile) but its size is unknown, as is that of a file the scrape
// could not size. Contents come from the files the scrape kept: any file it
// did not keep (fs.ErrNotExist) or that cannot be read is "not kept", so a
// text rule says it could not tell, never that the file holds no evidence.
func snapshotTree(s *workspace.Snapshot) claims.Tree {
	files := make([]claims.File, 0, len(s.Tree))
	for _, f := range s.Tree {
		switch {
		case f.Mode == workspace.ModeSubmodule:
			continue
		case f.Mode == workspace.ModeSymlink || f.SizeUnknown:
			files = append(files, claims.File{Path: f.Path, Size: -1})
		default:
			files = append(files, claims.File{Path: f.Path, Size: f.Size})
		}
	}
	return claims.Tree{Files: files, Read: keptContent(s)}
}

// claimFindings: a problem for each ticked item without evidence, and a
// piece of information for each unticked item the repository shows. Each
// carries the item's line in the report.
func claimFindings(verdicts []claims.Verdict) []Finding {
	var out []Finding
	for _, v := range verdicts {
		var f Finding
		switch {
		case tickedWithoutEvidence(v):
			f = newFinding(KindTickedWithoutEvidence, 0, "ticked without evidence in the repository: %s: looked for %s%s",
				itemLabel(v.Item), strings.Join(v.Missing, "; "), notCounted(v))
		case untickedWithEvidence(v):
			f = newFinding(KindUntickedWithEvidence, 0, "not ticked, but the repository shows it: %s: %s",
				itemLabel(v.Item), locations(v.Evidence))
		default:
			continue
		}
		f.Line = v.Item.Line
		out = append(out, f)
	}
	return out
}

// notCounted names what was found but is not the group's work (the course
// template's files unchanged, a dependency declared but never imported), so
// the instructor sees why it did not count.
func notCounted(v claims.Verdict) string {
	if len(v.Skipped) == 0 {
		return ""
	}
	return "; " + v.Reason
}

// itemLabel is a checklist item as the report writes it (with its tag).
func itemLabel(it claims.Item) string { return "“" + it.Text + "”" }

// locations are evidence as "path:line" (or the path alone for a file).
func locations(evidence []claims.Location) string {
	out := make([]string, len(evidence))
	for i, l := range evidence {
		out[i] = LocationText(l)
	}
	return strings.Join(out, ", ")
}

// LocationText is a piece of evidence as "path:line", or the path alone
// when the file itself is the evidence.
func LocationText(l claims.Location) string {
	if l.Line > 0 {
		return fmt.Sprintf("%s:%d", l.Path, l.Line)
	}
	return l.Path
}
