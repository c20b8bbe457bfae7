package scrape

import (
	"testing"
	"time"

	"handin/scrape/gittest"
	"handin/workspace"
)

// deadlineAhead is how far ahead of the test's start the deadline lies:
// room for one commit, one scrape and another commit over loopback.
const deadlineAhead = 1500 * time.Millisecond

// TestDeadlineInRealTime plays the deadline as it happens, on the real
// clock: cron scrapes before the deadline and after it, an honest push in
// between, and a push dated before the deadline made after the scrape that
// followed it.
func TestDeadlineInRealTime(t *testing.T) {
	c := newCourse(t)
	c.repo("live.git")
	deadline := time.Now().Add(deadlineAhead)
	opts := testOptions(t, c.group(1, "live.git"))
	opts.Deadline, opts.Now = deadline, time.Now

	c.commit("live.git", "main", reportCommit(alice, time.Now(), "A"))
	mustRun(t, opts) // a cron scrape before the deadline sees A
	honest := c.commit("live.git", "main", gittest.Commit{Message: "B: last-minute fix", Author: bob, When: time.Now(),
		Files: map[string][]byte{"reports/README.md": []byte(reportText + "finished")}})
	if !time.Now().Before(deadline) {
		t.Fatalf("the scrape before the deadline took longer than %s: this machine cannot play the scenario", deadlineAhead)
	}

	time.Sleep(time.Until(deadline) + 100*time.Millisecond)
	after := outcomeOf(t, mustRun(t, opts), 1) // the first scrape after the deadline sees B
	if after.Pin.SHA != honest || after.Pin.LateCommits != 0 || after.Pin.Backdated || after.Pin.By != workspace.PinnedByCommitterDate {
		t.Fatalf("after the deadline: pinned %s by %s, %d late, backdated %v; want B (%s), pushed before the deadline, neither late nor backdated",
			after.Pin.SHA, after.Pin.By, after.Pin.LateCommits, after.Pin.Backdated, honest)
	}
	if ev := after.Pin.Evidence; len(ev) != 2 || ev[0].Role != workspace.RoleOnTime || !ev[0].Time.Before(deadline) ||
		ev[1].Role != workspace.RoleBound || !ev[1].Time.After(deadline) || ev[1].TipSHA != honest {
		t.Errorf("evidence %+v: want the scrape before the deadline and the one after it", ev)
	}

	// Then a commit dated before the deadline, pushed after that scrape.
	backdated := c.commit("live.git", "main", gittest.Commit{Message: "C: dated before the deadline", Author: carol,
		When: deadline.Add(-2 * time.Second), Files: map[string][]byte{"reports/figures/extra.png": []byte("\x89PNG")}})
	final := outcomeOf(t, mustRun(t, opts), 1)
	if final.Pin.SHA != honest || final.Pin.LateCommits != 1 || !final.Pin.Backdated || final.Pin.DateBasedSHA != backdated {
		t.Fatalf("last scrape: pinned %s, %d late, backdated %v, date-based %s; want B still, C (%s) late and backdated",
			final.Pin.SHA, final.Pin.LateCommits, final.Pin.Backdated, final.Pin.DateBasedSHA, backdated)
	}
	if late := final.Pin.Late[0]; late.SHA != backdated || !late.Backdated || !late.SeenAt.After(after.Pin.Evidence[1].Time) {
		t.Errorf("late commit %+v: want C, backdated, first seen by the last scrape", late)
	}
}
