package storagetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

var jobTests = []test{
	{"Locks", testLocks},
	{"JobRuns", testJobRuns},
	{"Settings", testSettings},
	{"PruneJobRuns", testPruneJobRuns},
}

func testLocks(t *testing.T, s training.Store) {
	const ttl = 10 * time.Minute
	steps := []struct {
		name    string
		release bool
		lock    string
		owner   string
		now     time.Time
		want    bool
	}{
		{name: "free lock", lock: "reminders", owner: "a", now: at(0), want: true},
		{name: "held by another", lock: "reminders", owner: "b", now: at(5), want: false},
		{name: "other locks are independent", lock: "digests", owner: "b", now: at(5), want: true},
		{name: "same owner extends", lock: "reminders", owner: "a", now: at(8), want: true},
		{name: "not expired at the old expiry", lock: "reminders", owner: "b", now: at(12), want: false},
		{name: "release by a non-owner does nothing", release: true, lock: "reminders", owner: "b"},
		{name: "still held", lock: "reminders", owner: "b", now: at(17), want: false},
		{name: "taken at expiry", lock: "reminders", owner: "b", now: at(18), want: true},
		{name: "now held by the new owner", lock: "reminders", owner: "a", now: at(19), want: false},
		{name: "release by the owner", release: true, lock: "reminders", owner: "b"},
		{name: "free after release", lock: "reminders", owner: "a", now: at(20), want: true},
		{name: "release of an unknown lock", release: true, lock: "nothing", owner: "a"},
	}
	for _, st := range steps {
		if st.release {
			check(t, s.ReleaseLock(ctx(t), st.lock, st.owner))
			continue
		}
		got, err := s.AcquireLock(ctx(t), st.lock, st.owner, ttl, st.now)
		check(t, err)
		equal(t, st.name, got, st.want)
	}
}

func testJobRuns(t *testing.T, s training.Store) {
	run := func(id, job string, started int) training.JobRun {
		return training.JobRun{ID: id, Job: job, Started: at(started), Finished: at(started + 1),
			Counts: map[string]int{"queued": started}}
	}
	runs := []training.JobRun{run("r1", "reminders", 0), run("r2", "digests", 1), run("r3", "reminders", 2), run("r4", "snapshot", 3)}
	for _, r := range runs {
		check(t, s.PutJobRun(ctx(t), r))
	}
	// A run is written when it starts and replaced when it ends.
	r5 := training.JobRun{ID: "r5", Job: "reminders", DryRun: true, Started: at(4)}
	check(t, s.PutJobRun(ctx(t), r5))
	r5.Finished, r5.Errors, r5.Error = at(6), []string{"officer 12: no email"}, "smtp unavailable"
	check(t, s.PutJobRun(ctx(t), r5))
	tests := []struct {
		job   string
		limit int
		want  []training.JobRun
	}{
		{"", 0, []training.JobRun{r5, runs[3], runs[2], runs[1], runs[0]}},
		{"", 2, []training.JobRun{r5, runs[3]}},
		{"reminders", 0, []training.JobRun{r5, runs[2], runs[0]}},
		{"reminders", 2, []training.JobRun{r5, runs[2]}},
		{"digests", -1, []training.JobRun{runs[1]}},
		{"nothing", 0, []training.JobRun{}},
	}
	for _, tc := range tests {
		got, err := s.JobRuns(ctx(t), tc.job, tc.limit)
		check(t, err)
		equal(t, fmt.Sprintf("JobRuns(%q, %d)", tc.job, tc.limit), got, tc.want)
	}
}

func testSettings(t *testing.T, s training.Store) {
	_, err := s.Setting(ctx(t), "template.reminder")
	wantErr(t, "missing setting", err, training.ErrNotFound)
	check(t, s.PutSetting(ctx(t), "template.reminder", "Dear {{.Name}}"))
	check(t, s.PutSetting(ctx(t), "secret", "s3cr3t"))
	check(t, s.PutSetting(ctx(t), "template.reminder", "Hello {{.Name}}"))
	got, err := s.Setting(ctx(t), "template.reminder")
	check(t, err)
	equal(t, "setting", got, "Hello {{.Name}}")
	check(t, s.PutSetting(ctx(t), "template.reminder", ""))
	_, err = s.Setting(ctx(t), "template.reminder")
	wantErr(t, "deleted setting", err, training.ErrNotFound)
	got, err = s.Setting(ctx(t), "secret")
	check(t, err)
	equal(t, "other setting", got, "s3cr3t")
	check(t, s.PutSetting(ctx(t), "never-set", ""))
}

func testPruneJobRuns(t *testing.T, s training.Store) {
	for i := range 5 {
		check(t, s.PutJobRun(ctx(t), training.JobRun{ID: fmt.Sprintf("r%d", i), Job: []string{"sender", "reminders"}[i%2],
			Started: at(i * 10), Finished: at(i*10 + 1)}))
	}
	n, err := s.PruneJobRuns(ctx(t), at(25))
	check(t, err)
	if n != 3 {
		t.Fatalf("pruned %d runs, want 3", n)
	}
	left, err := s.JobRuns(ctx(t), "", 0)
	check(t, err)
	got := []string{}
	for _, r := range left {
		got = append(got, r.ID)
	}
	equal(t, "runs left", got, []string{"r4", "r3"})
	byJob, err := s.JobRuns(ctx(t), "sender", 0)
	check(t, err)
	if len(byJob) != 1 || byJob[0].ID != "r4" {
		t.Fatalf("sender runs left %+v", byJob)
	}
}
