package jobs_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
	goredis "github.com/redis/go-redis/v9"
)

// A year of daily runs for a force where nobody ever completes a course
// (the worst case: every officer is reminded every week, for ever). With
// the default retention the store reaches a steady state: after a year
// it holds no more messages than 90 days of reminders, no ledger key
// older than its stage plus the grace, no job run older than 90 days,
// and no .eml file older than 30 days; the file stays under a stated
// bound per officer.
func TestYearOfDailyRunsStaysBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("a year of runs")
	}
	const officers = 20
	// The simulation measures size, not durability: on a tmpfs (where
	// fsync costs nothing) a year of runs takes seconds instead of a
	// minute on a busy disk.
	dir := t.TempDir()
	if shm, err := os.MkdirTemp("/dev/shm", "muster-year-"); err == nil {
		dir = shm
		t.Cleanup(func() { os.RemoveAll(shm) })
	}
	path := filepath.Join(dir, "muster.db")
	st, err := bolt.Open(path, bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	seedMany(t, st, officers)
	drop := mail.NewDrop(filepath.Join(dir, "mail"))
	sent := simulateYear(t, st, drop)
	ctx := context.Background()
	stats, err := st.OutboxStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	kept := stats.ByState[training.MessageSent] + stats.ByState[training.MessageFailed] + stats.ByState[training.MessageQueued]
	// Weekly reminders for each of two courses (their due dates differ,
	// so they go as two messages) for 90 days: at most 2×14 per officer.
	if limit := officers * 2 * 14; kept > limit {
		t.Errorf("after a year %d messages kept, want at most %d (90 days of weekly reminders)", kept, limit)
	}
	if sent < officers*45 {
		t.Errorf("only %d sent in a year; the simulation is not the worst case", sent)
	}
	files, _ := os.ReadDir(drop.Dir())
	if limit := officers * 2 * 6; len(files) > limit { // 30 days of weekly reminders, two courses
		t.Errorf("%d .eml files kept, want at most %d", len(files), limit)
	}
	runs, err := st.JobRuns(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if limit := 91 * 3; len(runs) > limit { // sender, prune every day, reminders on weekdays, for 90 days
		t.Errorf("%d job runs kept, want at most %d", len(runs), limit)
	}
	// Ledger: every reminder key of the last ~6 weeks (the current stage,
	// and the stages overtaken within the 35-day grace), per course.
	var keys []string
	for i := range officers {
		for _, course := range []string{"cse-recognition", "trauma-informed-communication"} {
			for n := 1; n <= 60; n++ {
				keys = append(keys, jobs.ReminderKey(officerID(i), course, "overdue-"+itoa(n), dueOf(course)))
			}
		}
	}
	has, err := st.LedgerHasKeys(ctx, keys)
	if err != nil {
		t.Fatal(err)
	}
	if limit := officers * 2 * 7; len(has) > limit {
		t.Errorf("%d ledger keys kept, want at most %d", len(has), limit)
	}
	file, free, err := st.Size()
	if err != nil {
		t.Fatal(err)
	}
	used := file - free
	t.Logf("after a year: %d sent, %d messages kept, %d ledger keys, %d runs, %d .eml files; store file %d KiB, %d KiB in use (%.1f KiB per officer)",
		sent, kept, len(has), len(runs), len(files), file/1024, used/1024, float64(used)/1024/officers)
	// The bound: 96 KiB in use per officer at steady state, worst case
	// (pages included: bbolt's B+tree pages are about half full).
	if limit := int64(officers) * 96 * 1024; used > limit {
		t.Errorf("store uses %d bytes, want at most %d", used, limit)
	}
}

func officerID(i int) string { return strconv.Itoa(5000 + i) }

func itoa(n int) string { return strconv.Itoa(n) }

// dueOf is the first due date of seedMany's officers (started 2026-09-02).
func dueOf(course string) training.Date {
	for _, c := range testCourses() {
		if c.ID == course {
			return date("2026-09-02").AddDays(c.DueWithinDays)
		}
	}
	panic(course)
}

// simulateYear runs a year of daily jobs from 2026-09-01 (reminders on
// weekdays, the sender and the prune job every day) and returns how many
// messages were sent. New .eml files get the simulated day as their time.
func simulateYear(t *testing.T, st training.Store, drop *mail.Drop) int {
	t.Helper()
	start := date("2026-09-01")
	c := newClock(at(start))
	s := newScheduler(t, st, drop, c, "one")
	sent := 0
	seen := map[string]bool{}
	for day := range 365 {
		d := start.AddDays(day)
		c.Set(at(d))
		if wd := d.Time().Weekday(); wd != time.Saturday && wd != time.Sunday {
			mustRun(t, s, jobs.JobReminders, false, d)
		}
		r := mustRun(t, s, jobs.JobSender, false, d)
		sent += r.Counts["sent"]
		entries, _ := os.ReadDir(drop.Dir())
		for _, e := range entries {
			if !seen[e.Name()] {
				seen[e.Name()] = true
				_ = os.Chtimes(filepath.Join(drop.Dir(), e.Name()), c.Now(), c.Now())
			}
		}
		mustRun(t, s, jobs.JobPrune, false, d)
	}
	return sent
}

// The same year on a real Redis: the outbox's keys stay within a bound
// per officer (MEMORY USAGE of every {prefix:mail} key, logged).
func TestYearOfDailyRunsStaysBoundedRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("a year of runs")
	}
	const officers = 20
	url := startRedis(t)
	st := openRedis(t, url, "year")
	seedMany(t, st, officers)
	sent := simulateYear(t, st, mail.NewDrop(t.TempDir()))
	opt, err := goredis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rdb := goredis.NewClient(opt)
	defer rdb.Close()
	ctx := context.Background()
	var bytes int64
	keys := 0
	iter := rdb.Scan(ctx, 0, "{year:mail}*", 100).Iterator()
	for iter.Next(ctx) {
		n, err := rdb.MemoryUsage(ctx, iter.Val()).Result()
		if err != nil {
			t.Fatal(err)
		}
		bytes += n
		keys++
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	stats, err := st.OutboxStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("after a year on Redis: %d sent, outbox %v, %d mail keys using %d KiB (%.1f KiB per officer)",
		sent, stats.ByState, keys, bytes/1024, float64(bytes)/1024/officers)
	if kept := stats.ByState[training.MessageSent] + stats.ByState[training.MessageFailed]; kept > officers*2*14 {
		t.Errorf("%d messages kept, want at most %d", kept, officers*2*14)
	}
	if limit := int64(officers) * 96 * 1024; bytes > limit {
		t.Errorf("outbox keys use %d bytes, want at most %d", bytes, limit)
	}
}

// A ledger key goes only once a later stage of its due date has been
// reached for longer than the grace (or its digest week is long past).
func TestLedgerDone(t *testing.T) {
	p := jobs.DefaultPolicy() // 30 and 7 days before, due, every 7 days overdue
	grace := 35 * 24 * time.Hour
	due := date("2026-12-01")
	tests := []struct {
		key   string
		today string
		done  bool
	}{
		{jobs.ReminderKey("1", "cse", "before-30", due), "2026-11-20", false},  // before-7 reached 6 days ago
		{jobs.ReminderKey("1", "cse", "before-30", due), "2026-12-28", false},  // before-7 (11-24) reached 34 days ago
		{jobs.ReminderKey("1", "cse", "before-30", due), "2026-12-30", true},   // ... 36 days ago
		{jobs.ReminderKey("1|x", "cse", "overdue-1", due), "2027-01-20", true}, // an ID with a "|"
		{jobs.ReminderKey("1", "cse", "overdue-9", due), "2027-02-05", false},  // still the latest stage (day 02-02)
		{jobs.ReminderKey("1", "cse", "overdue-9", due), "2027-03-14", false},  // overdue-10 (02-09) reached 33 days ago
		{jobs.ReminderKey("1", "cse", "overdue-9", due), "2027-03-20", true},
		{jobs.ReminderKey("1", "cse", "before-7", due), "2099-01-01", true},
		{jobs.DigestKey("line", "m@x", "2026-W48"), "2026-12-30", false},
		{jobs.DigestKey("line", "m@x", "2026-W48"), "2027-01-20", true},
		{"remind|1|cse|before-7|not-a-date", "2099-01-01", false},
		{"something-else", "2099-01-01", false},
	}
	for _, tt := range tests {
		if got := jobs.LedgerDone(p, tt.key, date(tt.today), grace); got != tt.done {
			t.Errorf("%s on %s: done %v, want %v", tt.key, tt.today, got, tt.done)
		}
	}
}
