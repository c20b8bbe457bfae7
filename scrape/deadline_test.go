package scrape

import (
	"sync"
	"testing"
	"time"

	"handin/scrape/gittest"
	"handin/workspace"
)

// scenarioClock is the time a deadline scenario's pushes and scrapes happen
// at, and how time passes between them.
type scenarioClock interface {
	Now() time.Time
	WaitUntil(t time.Time)
}

// TestDeadlineScenario plays the deadline on a clock the test drives: the
// rule reads time only from Options.Now and commit dates, so every
// assertion holds on a machine of any speed.
func TestDeadlineScenario(t *testing.T) {
	clock := &tickingClock{now: testDeadline.Add(-10 * time.Minute)}
	if !playDeadline(t, testDeadline, clock) {
		t.Fatal("the ticking clock reached the deadline before the last-minute push")
	}
}

// TestDeadlineInRealTime plays the same scenario on the real clock, so that
// the scrapes date their sightings as a cron job's do. The deadline lies
// ahead of the start by a few times what a push and a first scrape took on
// this machine a moment before; when the machine slows down so much that
// the push before the deadline still comes after it, the scenario is played
// again with twice the time.
func TestDeadlineInRealTime(t *testing.T) {
	ahead := 3 * firstScrapeTime(t)
	for range 3 {
		if playDeadline(t, time.Now().Add(ahead), realClock{}) {
			return
		}
		t.Logf("this machine took longer than %s for a push, a scrape and a push: again with twice the time", ahead)
		ahead *= 2
	}
	t.Skipf("SKIPPED: this machine could not push, scrape and push again within %s: the scenario is TestDeadlineScenario's", ahead/2)
}

// firstScrapeTime is how long a push, the first scrape of a group and
// another push take on this machine: what playDeadline does before the
// deadline.
func firstScrapeTime(t *testing.T) time.Duration {
	start := time.Now()
	c := newCourse(t)
	c.repo("warmup.git")
	opts := testOptions(t, c.group(1, "warmup.git"))
	opts.Now = time.Now
	c.commit("warmup.git", "main", reportCommit(alice, time.Now(), "A"))
	mustRun(t, opts)
	c.commit("warmup.git", "main", reportCommit(bob, time.Now(), "B"))
	return time.Since(start)
}

// playDeadline plays the deadline as it happens to a group: cron scrapes
// before the deadline and after it, an honest push in between, and a push
// dated before the deadline made after the scrape that followed it. It
// reports false, having checked nothing, when the push before the deadline
// came after it (a real clock on a machine too slow for the time given).
func playDeadline(t *testing.T, deadline time.Time, clock scenarioClock) bool {
	c := newCourse(t)
	c.repo("live.git")
	opts := testOptions(t, c.group(1, "live.git"))
	opts.Deadline, opts.Now = deadline, clock.Now

	c.commit("live.git", "main", reportCommit(alice, clock.Now(), "A"))
	mustRun(t, opts) // a cron scrape before the deadline sees A
	honest := c.commit("live.git", "main", gittest.Commit{Message: "B: last-minute fix", Author: bob, When: clock.Now(),
		Files: map[string][]byte{"reports/README.md": []byte(reportText + "finished")}})
	if !clock.Now().Before(deadline) {
		return false
	}

	clock.WaitUntil(deadline.Add(100 * time.Millisecond))
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
	return true
}

// realClock is the machine's.
type realClock struct{}

func (realClock) Now() time.Time        { return time.Now() }
func (realClock) WaitUntil(t time.Time) { time.Sleep(time.Until(t)) }

// tickingClock moves a second forward each time it is read, as a clock
// does between the steps of a scenario; WaitUntil jumps ahead.
type tickingClock struct {
	mu  sync.Mutex // scrapes read the clock from their workers
	now time.Time
}

func (c *tickingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Second)
	return c.now
}

func (c *tickingClock) WaitUntil(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
}
