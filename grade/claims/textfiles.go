package claims

// TextFiles returns the files of a tree that the rule set's text and
// dependency searches read, in tree order: what a scraper keeps (beside the
// report) so that text rules can judge. Empty files, ignored files and
// vendored environments are left out, as Check leaves them out.
func (s *RuleSet) TextFiles(files []File) []File {
	g := newGroupIndex(s.c, Tree{Files: files})
	read := make([]bool, len(g.files))
	mark := func(selection int) {
		for _, i := range g.selected(selection) {
			read[i] = true
		}
	}
	mark(g.c.depFiles)
	for _, r := range g.c.rules {
		for _, n := range r.needs {
			for _, t := range n.texts {
				mark(t.files)
			}
		}
	}
	var out []File
	for i, f := range g.files {
		if read[i] {
			out = append(out, f)
		}
	}
	return out
}
