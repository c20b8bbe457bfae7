package scrape

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"handin/scrape/gittest"
	"handin/workspace"
)

func TestRepresentableDate(t *testing.T) {
	cet := time.FixedZone("", 3600)
	for _, tc := range []struct {
		name  string
		in    time.Time
		want  time.Time
		wrong string
	}{
		{"ordinary", time.Date(2026, 1, 20, 10, 0, 0, 0, cet), time.Date(2026, 1, 20, 10, 0, 0, 0, cet), ""},
		{"epoch", time.Unix(0, 0).UTC(), time.Unix(0, 0).UTC(), ""},
		{"year 10000", time.Unix(253402300800, 0).UTC(), latestCommitDate, "after year 9999"},
		{"year 0", time.Unix(-62167219200, 0).UTC(), earliestCommitDate, "before 1970"},
		{"negative", time.Unix(-1, 0).UTC(), earliestCommitDate, "before 1970"},
		{"zone +2500", time.Unix(1768900000, 0).In(time.FixedZone("", 25*3600)), time.Unix(1768900000, 0).UTC(), "time zone +2500 is not a real offset"},
		{"zone -9959", time.Unix(1768900000, 0).In(time.FixedZone("", -(99*3600 + 59*60))), time.Unix(1768900000, 0).UTC(), "time zone -9959 is not a real offset"},
		{"+2359 is real", time.Unix(1768900000, 0).In(time.FixedZone("", maxZoneOffset)), time.Unix(1768900000, 0).In(time.FixedZone("", maxZoneOffset)), ""},
		{"year 9999 in UTC, 10000 in its zone", latestCommitDate.In(time.FixedZone("", 3600)), latestCommitDate, ""},
	} {
		got, wrong := representableDate(tc.in)
		if !got.Equal(tc.want) || wrong != tc.wrong {
			t.Errorf("%s: representableDate(%v) = %v, %q; want %v, %q", tc.name, tc.in, got, wrong, tc.want, tc.wrong)
		}
		if _, err := json.Marshal(got); err != nil {
			t.Errorf("%s: %v does not marshal: %v", tc.name, got, err)
		}
	}
}

// Dates no clock writes (year 10000, a +2500 time zone, year 0, a negative
// timestamp: all accepted by git fsck --strict or written with hash-object
// --literally) are this group's notes, never an error of the run.
func TestRunKeepsGroupsWithImpossibleDates(t *testing.T) {
	c := newCourse(t)
	dates := map[string]string{
		"year10000.git": "253402300800 +0000",
		"zone2500.git":  "1768900000 +2500",
		"year0.git":     "-62167219200 +0000",
		"negative.git":  "-1 +0000",
	}
	var groups []Group
	for name, date := range dates {
		c.repo(name)
		c.commit(name, "main", reportCommit(alice, at(-72*time.Hour), "report"))
		c.commit(name, "main", gittest.Commit{Message: "odd date", Author: bob, When: at(-48 * time.Hour), RawDate: date,
			Files: map[string][]byte{"src/odd.py": []byte("x = 1\n")}})
		c.commit(name, "main", gittest.Commit{Message: "after it", Author: alice, When: at(-24 * time.Hour),
			Files: map[string][]byte{"src/later.py": []byte("y = 2\n")}})
		groups = append(groups, c.group(len(groups)+1, name))
	}
	opts := testOptions(t, groups...)
	sum := mustRun(t, opts)
	for _, g := range groups {
		name := strings.TrimPrefix(g.URL, c.server.URL+"/")
		if o := outcomeOf(t, sum, g.Number); o.Status != "ok" {
			t.Errorf("%s: status %s (%s), want ok", name, o.Status, o.Error)
			continue
		}
		snap := loadSnap(t, opts.Workspace, g.Number)
		if len(snap.Commits) != 3 {
			t.Errorf("%s: %d commits, want 3", name, len(snap.Commits))
		}
		notes := strings.Join(snap.Notes, "\n")
		if !strings.Contains(notes, dates[name]) {
			t.Errorf("%s: the notes do not quote the raw date %q: %q", name, dates[name], notes)
		}
		for _, cm := range snap.Commits {
			if cm.Message == "odd date" && (cm.DateNote == "" || !strings.Contains(cm.DateNote, dates[name])) {
				t.Errorf("%s: the odd commit's date note is %q", name, cm.DateNote)
			}
			if cm.Message != "odd date" && cm.DateNote != "" {
				t.Errorf("%s: commit %q has a date note %q", name, cm.Message, cm.DateNote)
			}
		}
	}
}

// A snapshot JSON cannot hold (whatever slipped past sanitizeDates) is
// stored as this group's error; the run goes on.
func TestStoreUnencodableSnapshot(t *testing.T) {
	ws, err := workspace.Create(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	r := &runner{ws: ws}
	snap := &workspace.Snapshot{Group: 7, Status: workspace.StatusOK, Deadline: testDeadline,
		Commits: []workspace.Commit{{SHA: "abc", CommitTime: time.Unix(253402300800, 0)}}}
	if err := r.store(snap, ""); err != nil {
		t.Fatalf("store: %v", err)
	}
	saved, err := ws.LoadSnapshot(7)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Status != workspace.StatusInternalError || !strings.Contains(saved.Error, "year outside of range") || len(saved.Commits) != 0 {
		t.Errorf("saved %s %q with %d commits, want an error saying why and no commits", saved.Status, saved.Error, len(saved.Commits))
	}
}
