package grade

import (
	"fmt"

	"handin/workspace"
)

// backdatedMessage says how many commits were backdated and whose sighting
// shows they were pushed after the deadline: the accusation names its
// evidence.
func backdatedMessage(p workspace.Pin) string {
	n := 0
	for _, c := range p.Late {
		if c.Backdated {
			n++
		}
	}
	count := fmt.Sprint(n)
	if p.LateCommits > len(p.Late) {
		count = "at least " + count // the list is bounded
	}
	var proof workspace.EvidenceSource
	for _, e := range p.Evidence {
		if e.Role == workspace.RoleBound || proof == "" {
			proof = e.Source
		}
	}
	graded := "nothing graded"
	if p.SHA != "" {
		graded = "graded " + shortSHA(p.SHA)
	}
	return fmt.Sprintf("backdated: %s commit(s) dated at or before the deadline were pushed after it, as %s shows (%s)",
		count, proof.Name(), graded)
}
