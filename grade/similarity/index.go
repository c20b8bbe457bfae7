package similarity

import (
	"cmp"
	"slices"
)

// posting says that a report's answer to a question holds a shingle: the
// shingle by its id (an index into comparison.first), the report by its
// index (the course's first, then the archive's kept ones).
type posting struct {
	shingle, report, question int32
}

// comparison is the state of one Compare.
type comparison struct {
	opts     Options
	boiler   map[uint64]bool // the boilerplate's shingles
	reports  []Report        // the course's, then the archive's candidates
	course   int             // how many of reports are the course's
	archived []int           // each candidate's index in the archive's order

	ids            map[uint64]int32 // a course shingle's id
	present        shingleFilter    // the course's shingles, to pass most of the archive's by without a lookup
	hashes         []uint64         // by id
	postings       []posting        // the course's, sorted by shingle, report, question
	first          []int32          // by id: its first posting; one more for the end
	archiveReports []int32          // by id: the archive reports holding it
	hits           []posting        // the archive candidates' postings
	read           int              // archive reports read
	words          []word           // buffers addArchive reuses
	shingles       []uint64

	common map[uint64]bool // shingles in more than opts.Common reports
	pairs  map[pairKey]int32
}

// pairKey is two reports (a < b) and a question (0: the whole reports).
type pairKey struct {
	a, b, question int32
}

func newComparison(course []Report, boilerplate []string, opts Options) *comparison {
	c := &comparison{opts: opts, boiler: map[uint64]bool{}, reports: course, course: len(course),
		ids: map[uint64]int32{}, present: newShingleFilter(), common: map[uint64]bool{}, pairs: map[pairKey]int32{}}
	for _, text := range boilerplate {
		for _, h := range shingles(words(text), opts.Shingle) {
			c.boiler[h] = true
		}
	}
	type entry struct {
		hash             uint64
		report, question int32
	}
	var entries []entry
	for i, r := range course {
		for _, a := range r.Answers {
			for _, h := range shingles(words(a.Text), opts.Shingle) {
				if !c.boiler[h] {
					entries = append(entries, entry{h, int32(i), int32(a.Question)})
				}
			}
		}
	}
	slices.SortFunc(entries, func(x, y entry) int {
		return cmp.Or(cmp.Compare(x.hash, y.hash), cmp.Compare(x.report, y.report), cmp.Compare(x.question, y.question))
	})
	entries = slices.Compact(entries)
	c.postings = make([]posting, len(entries))
	for i, e := range entries {
		id, ok := c.ids[e.hash]
		if !ok {
			c.present.add(e.hash)
			id = int32(len(c.hashes))
			c.ids[e.hash] = id
			c.hashes = append(c.hashes, e.hash)
			c.first = append(c.first, int32(i))
		}
		c.postings[i] = posting{id, e.report, e.question}
	}
	c.first = append(c.first, int32(len(entries)))
	c.archiveReports = make([]int32, len(c.hashes))
	return c
}

// minShared is the fewest shared shingles that can cover opts.Words words.
func (c *comparison) minShared() int {
	return (c.opts.Words + c.opts.Shingle - 1) / c.opts.Shingle
}

// addArchive reads one archived report: it counts the reports holding each
// course shingle, and keeps the report as a candidate only when it shares
// enough shingles with the course to make a match.
func (c *comparison) addArchive(r Report) {
	index := c.read
	c.read++
	var hits []posting
	for _, a := range r.Answers {
		c.words = appendWords(c.words[:0], a.Text)
		c.shingles = appendShingles(c.shingles[:0], c.words, c.opts.Shingle)
		for _, h := range c.shingles {
			if !c.present.mayHold(h) {
				continue
			}
			if id, ok := c.ids[h]; ok {
				hits = append(hits, posting{id, int32(len(c.reports)), int32(a.Question)})
			}
		}
	}
	slices.SortFunc(hits, comparePostings)
	hits = slices.Compact(hits)
	distinct := 0
	for i, p := range hits {
		if i == 0 || hits[i-1].shingle != p.shingle {
			c.archiveReports[p.shingle]++
			distinct++
		}
	}
	if distinct < c.minShared() {
		return
	}
	c.reports = append(c.reports, r)
	c.archived = append(c.archived, index)
	c.hits = append(c.hits, hits...)
}

func comparePostings(x, y posting) int {
	return cmp.Or(cmp.Compare(x.shingle, y.shingle), cmp.Compare(x.report, y.report), cmp.Compare(x.question, y.question))
}

// countPairs counts, for every two reports, the evidence shingles they
// share in the same question and anywhere, and notes the common ones.
func (c *comparison) countPairs() {
	slices.SortFunc(c.hits, comparePostings)
	var all []posting
	var reports []int32
	h := 0
	for id := range c.hashes {
		all = append(all[:0], c.postings[c.first[id]:c.first[id+1]]...)
		for ; h < len(c.hits) && c.hits[h].shingle == int32(id); h++ {
			all = append(all, c.hits[h])
		}
		reports = reports[:0]
		for i, p := range all {
			if i == 0 || all[i-1].report != p.report {
				reports = append(reports, p.report)
			}
		}
		courseReports := len(reports) - countArchive(reports, c.course)
		if courseReports+int(c.archiveReports[id]) > c.opts.Common {
			c.common[c.hashes[id]] = true
			continue
		}
		for i, a := range reports[:courseReports] {
			for _, b := range reports[i+1:] {
				c.pairs[pairKey{a, b, 0}]++
			}
		}
		for i, x := range all {
			if int(x.report) >= c.course {
				break
			}
			for _, y := range all[i+1:] {
				if y.report != x.report && y.question == x.question {
					c.pairs[pairKey{x.report, y.report, x.question}]++
				}
			}
		}
	}
	c.hits = nil
}

// countArchive counts the archive's reports among reports (sorted).
func countArchive(reports []int32, course int) int {
	i, _ := slices.BinarySearch(reports, int32(course))
	return len(reports) - i
}

// shingleFilter is a set of shingles that may answer yes for one it does
// not hold (a bit per hash prefix, 2 MiB): most shingles of the archive are
// in no course report, and testing a bit costs a tenth of a hash table's
// lookup.
type shingleFilter []uint64

const filterBits = 24

func newShingleFilter() shingleFilter { return make(shingleFilter, 1<<filterBits/64) }

func (f shingleFilter) add(h uint64) {
	i := h >> (64 - filterBits)
	f[i/64] |= 1 << (i % 64)
}

func (f shingleFilter) mayHold(h uint64) bool {
	i := h >> (64 - filterBits)
	return f[i/64]&(1<<(i%64)) != 0
}
