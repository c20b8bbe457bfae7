package gradebook

// Dealing the values of an instructor column (graders) to the rows new to
// the gradebook, balanced and stable: a row handin wrote before keeps its
// cell as it is.

import "strings"

// dealer deals one column's values as the rows come.
type dealer struct {
	values []string
	held   []int             // rows holding each value, by its index in values
	column *instructorColumn // the column dealt into
	// fresh: the workbook had no such column, which this write adds, so
	// every row is dealt to, not only the new ones.
	fresh bool
	dealt int
}

// newDealer starts dealing d into its column among cols, counting the
// values the column holds already (a value not among d's counts for
// none). No column of that header: nothing is dealt.
func newDealer(d Deal, cols []outColumn) *dealer {
	dl := &dealer{values: d.Values, held: make([]int, len(d.Values))}
	for _, c := range cols {
		if c.own != nil && strings.EqualFold(c.Header, d.Header) {
			dl.column, dl.fresh = c.own, c.added
			break
		}
	}
	if dl.column == nil {
		return dl
	}
	for _, cell := range dl.column.cells {
		if i := dl.index(cell.cell.Value); i >= 0 {
			dl.held[i]++
		}
	}
	return dl
}

// index is the position of a cell's value among the values dealt, -1 for
// none (case and surrounding spaces aside).
func (dl *dealer) index(value string) int {
	for i, v := range dl.values {
		if strings.EqualFold(strings.TrimSpace(value), v) {
			return i
		}
	}
	return -1
}

// deal gives the row of key the value held by the fewest rows, when its
// cell is empty and the row is new: handin did not write it before
// (written), or not with this column.
func (dl *dealer) deal(key string, written bool) {
	if dl.column == nil || len(dl.values) == 0 || key == "" || written && !dl.fresh {
		return
	}
	if _, ok := dl.column.cells[key]; ok {
		return
	}
	least := 0
	for i, n := range dl.held {
		if n < dl.held[least] {
			least = i
		}
	}
	dl.held[least]++
	dl.dealt++
	dl.column.cells[key] = placedCell{cell: keptCell{Value: dl.values[least]}}
}
