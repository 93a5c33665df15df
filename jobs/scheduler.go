// Package jobs runs Muster's scheduled work: reminder emails, weekly
// digests, the daily compliance snapshot, and the outbox sender.
//
// Planning writes messages to the store's outbox; Store.Enqueue records
// each message's ledger keys ("remind|officer|course|stage|due",
// "digest|line|manager|week", "digest|unit|user|week", and on a digest
// one "escalate|line|manager|officer|course|due" or
// "escalate|unit|user|officer|course|due" per escalation it tells,
// escalation.go) and skips a message
// any of whose keys was ever enqueued, atomically across replicas, so each
// reminder stage of each due date is planned once, ever. A new due date
// (after expiry) starts a new cycle of stages. A run sends only the latest
// stage reached (see Policy.StageAt), so a run that follows an outage
// catches up with one email, not all the missed ones.
//
// The sender drains the outbox: claim (hide the message from other
// senders for longer than a send may take), send, record (sender.go). A
// relay-wide failure stops the run and leaves the outbox queued; a 4xx
// for one recipient backs off that message only; a 5xx fails it, and an
// admin can re-queue it. Delivery is at least once: if the process dies
// after the relay accepted a message and before it was recorded, the
// message goes again when its claim lapses, with the same Message-ID.
// That is the only duplicate the design allows. The prune job (prune.go)
// removes what can no longer matter.
//
// A store lock per job (renewed while running, released at the end,
// expiring on its own if the holder crashes) makes one replica run each
// job. At Start, a job whose last successful run is older than its
// previous scheduled time runs at once.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/training"
)

// Job names.
const (
	JobReminders = "reminders"
	JobDigests   = "digests"
	JobSnapshot  = "snapshot"
	JobSender    = "sender"
	JobPrune     = "prune"
)

// Schedules are cron specs (minute hour day-of-month month day-of-week,
// Europe/London). Empty fields take the defaults; "off" disables a job's
// schedule (it can still be run by hand).
type Schedules struct {
	Reminders string `json:"reminders"`
	Digests   string `json:"digests"`
	Snapshot  string `json:"snapshot"`
	Sender    string `json:"sender"`
	Prune     string `json:"prune"`
	Retention string `json:"retention"`
}

// DefaultSchedules: reminders weekday mornings, digests Monday morning,
// the snapshot just after midnight, the sender every minute, pruning at
// a quarter past one.
func DefaultSchedules() Schedules {
	return Schedules{Reminders: "0 8 * * 1-5", Digests: "0 7 * * 1", Snapshot: "30 0 * * *", Sender: "* * * * *", Prune: "15 1 * * *"}
}

// Config wires a Scheduler.
type Config struct {
	Store  training.Store
	Logger *slog.Logger
	// Clock returns now (default time.Now).
	Clock func() time.Time
	// BaseURL is where officers' status links and the dashboard live.
	BaseURL string
	// Secret signs officer status links (training.SignOfficerLink).
	Secret []byte
	// Mailer delivers the outbox (SMTP, or a .eml drop).
	Mailer mail.Sender
	// ReplyTo is the Reply-To address the mailer sets ("" for none):
	// reminders ask for a reply only when there is one.
	ReplyTo   string
	Policy    Policy
	Schedules Schedules
	// Owner names this replica in job locks (default host-pid-random).
	Owner string
	// LockTTL is how long a job lock lasts without renewal (default 2 min);
	// a crashed holder's lock frees itself after it.
	LockTTL time.Duration
	// Retention says how long the prune job keeps mail, ledger keys and runs.
	Retention Retention
	// SoleProcess says that no other process sends from this store (the
	// embedded store: one process holds the file). The first sender run
	// then makes the claims a killed process left due at once, instead of
	// after claimFor: they are due anyway, and only this process sends.
	SoleProcess bool
	// DataRetention is the personal-data retention policy (nil:
	// training.DefaultRetention).
	DataRetention *training.RetentionPolicy
	// Limits are the relay's sending limits and the sender's connections.
	Limits SendLimits
	// Sleep waits d or until ctx ends (default: a timer); the sender
	// waits with it for the minute's allowance. Tests pass one that moves
	// their clock instead.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Scheduler runs the jobs. It implements server.Jobs.
type Scheduler struct {
	cfg    Config
	store  training.Store
	log    *slog.Logger
	clock  func() time.Time
	policy Policy
	specs  map[string]cron.Schedule
	jobs   map[string]func(ctx context.Context, r *runState) error

	mu      sync.Mutex
	roster  Roster // UseRoster; nil: the store's Dataset
	cron    *cron.Cron
	entries map[string]cron.EntryID
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	// stop is closed by Stop: long jobs (the sender) finish the message in
	// hand and return, so that shutting down does not wait for a whole queue.
	stop     chan struct{}
	stopOnce sync.Once

	failMu   sync.Mutex
	failures map[string]int64
	// relayUpAt is when this scheduler last recorded the relay up.
	relayUpAt time.Time
	// claimsReleased is set after the first sender run (SoleProcess).
	claimsReleased bool
}

// stopping reports whether Stop has been called.
func (s *Scheduler) stopping() bool {
	select {
	case <-s.stop:
		return true
	default:
		return false
	}
}

// parser reads standard five-field specs and descriptors (@daily, @every 5m).
var parser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseSchedule parses a cron spec as the scheduler does; its Next is
// computed in the time zone of the time passed to it.
func ParseSchedule(spec string) (cron.Schedule, error) {
	s, err := parser.Parse(spec)
	if err != nil {
		return nil, training.Invalidf("schedule %q: %v", spec, err)
	}
	return s, nil
}

// New checks cfg and builds a Scheduler; Start begins the schedule.
func New(cfg Config) (*Scheduler, error) {
	if cfg.Store == nil {
		return nil, training.Invalidf("jobs: no store")
	}
	if cfg.Mailer == nil {
		return nil, training.Invalidf("jobs: no mailer")
	}
	if len(cfg.Secret) == 0 {
		return nil, training.Invalidf("jobs: no secret to sign officer links")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Owner == "" {
		host, _ := os.Hostname()
		cfg.Owner = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), randomHex(4))
	}
	if cfg.LockTTL <= 0 {
		cfg.LockTTL = 2 * time.Minute
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if err := cfg.Policy.validate(); err != nil {
		return nil, err
	}
	if err := cfg.Limits.Validate(); err != nil {
		return nil, err
	}
	cfg.Limits = cfg.Limits.withDefaults()
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	if cfg.DataRetention != nil {
		if err := cfg.DataRetention.Validate(); err != nil {
			return nil, err
		}
	}
	s := &Scheduler{cfg: cfg, store: cfg.Store, log: cfg.Logger, clock: cfg.Clock, stop: make(chan struct{}), failures: map[string]int64{},
		policy: cfg.Policy.withDefaults(), specs: map[string]cron.Schedule{}}
	s.jobs = map[string]func(context.Context, *runState) error{
		JobReminders: s.runReminders,
		JobDigests:   s.runDigests,
		JobSnapshot:  s.runSnapshot,
		JobSender:    s.runSender,
		JobPrune:     s.runPrune,
		JobRetention: s.runRetention,
	}
	def := DefaultSchedules()
	for name, pair := range map[string][2]string{
		JobReminders: {cfg.Schedules.Reminders, def.Reminders},
		JobDigests:   {cfg.Schedules.Digests, def.Digests},
		JobSnapshot:  {cfg.Schedules.Snapshot, def.Snapshot},
		JobSender:    {cfg.Schedules.Sender, def.Sender},
		JobPrune:     {cfg.Schedules.Prune, def.Prune},
		JobRetention: {cfg.Schedules.Retention, DefaultRetentionSchedule},
	} {
		spec := pair[0]
		if spec == "" {
			spec = pair[1]
		}
		if spec == "off" {
			continue
		}
		sch, err := ParseSchedule(spec)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		s.specs[name] = sch
	}
	return s, nil
}

// Names lists the jobs in the order they are shown.
func (s *Scheduler) Names() []string {
	return []string{JobReminders, JobDigests, JobSnapshot, JobSender, JobPrune, JobRetention}
}

// Start runs the schedule until Stop (or until ctx ends) and catches up,
// in the background, every job whose last successful run is older than
// its previous scheduled time.
func (s *Scheduler) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cron != nil || s.stopping() {
		return training.Conflictf("jobs already started (or stopped: make a new Scheduler)")
	}
	ctx, cancel := context.WithCancel(ctx)
	logger := cronLogger{s.log}
	c := cron.New(cron.WithLocation(training.London), cron.WithParser(parser), cron.WithLogger(logger),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)))
	s.entries = map[string]cron.EntryID{}
	for _, name := range s.Names() {
		sch, ok := s.specs[name]
		if !ok {
			continue
		}
		s.entries[name] = c.Schedule(sch, cron.FuncJob(func() { s.scheduled(ctx, name) }))
	}
	s.cron, s.cancel = c, cancel
	c.Start()
	var catchUp []cron.Job
	for _, name := range s.Names() {
		id, ok := s.entries[name]
		if !ok || name == JobSender || name == JobPrune {
			continue // the sender runs every minute anyway; pruning can wait a day
		}
		missed, err := s.missed(ctx, name, s.specs[name])
		if err != nil {
			s.log.Warn("jobs: cannot tell whether a run was missed", "job", name, "err", err)
			continue
		}
		if missed {
			s.log.Info("jobs: catching up a missed run", "job", name)
			catchUp = append(catchUp, c.Entry(id).WrappedJob) // through Recover and SkipIfStillRunning
		}
	}
	if len(catchUp) > 0 {
		// One after another: each loads the roster, and a first start
		// that runs them all at once holds several copies (at 150,000
		// officers that was most of a 1 GiB peak).
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			for _, job := range catchUp {
				job.Run() // each heeds a stop itself, as a scheduled run does
			}
		}()
	}
	return nil
}

// Stop stops the schedule and waits for running jobs to finish; the
// sender stops after the message in hand (the rest stay queued).
func (s *Scheduler) Stop() {
	s.mu.Lock()
	c, cancel := s.cron, s.cancel
	s.cron = nil
	s.mu.Unlock()
	if c == nil {
		return
	}
	s.stopOnce.Do(func() { close(s.stop) })
	<-c.Stop().Done()
	s.wg.Wait()
	cancel()
}

// missed reports whether the last successful run of a job started before
// the job's previous scheduled time.
func (s *Scheduler) missed(ctx context.Context, name string, sch cron.Schedule) (bool, error) {
	now := s.clock().In(training.London)
	var prev time.Time
	for t := sch.Next(now.Add(-8 * 24 * time.Hour)); !t.After(now); t = sch.Next(t) {
		prev = t
	}
	if prev.IsZero() {
		return false, nil
	}
	runs, err := s.store.JobRuns(ctx, name, 50)
	if err != nil {
		return false, err
	}
	for _, r := range runs {
		if !r.DryRun && r.Error == "" && !r.Finished.IsZero() {
			return r.Started.Before(prev), nil
		}
	}
	return true, nil
}

func (s *Scheduler) scheduled(ctx context.Context, name string) {
	if ctx.Err() != nil {
		return
	}
	run, err := s.run(ctx, name, false, training.DateOf(s.clock()))
	s.auditScheduled(ctx, run, err)
	switch {
	case errors.Is(err, errLocked):
		s.log.Debug("jobs: another replica is running the job", "job", name)
	case err != nil:
		s.log.Error("jobs: run failed", "job", name, "run", run.ID, "err", err)
	}
}

// RunNow runs a job at once (for the web's "run now" and the CLI). A dry
// run plans and counts without writing the outbox or sending. asOf zero
// means today. ErrConflict when the job is running elsewhere.
func (s *Scheduler) RunNow(ctx context.Context, job string, dryRun bool, asOf training.Date) (training.JobRun, error) {
	if _, ok := s.jobs[job]; !ok {
		return training.JobRun{}, training.NotFoundf("there is no job named %q (jobs: %s)", job, strings.Join(s.Names(), ", "))
	}
	if asOf.IsZero() {
		asOf = training.DateOf(s.clock())
	}
	return s.run(ctx, job, dryRun, asOf)
}

// errLocked is returned when another replica holds a job's lock.
var errLocked = training.Conflictf("the job is already running (here or on another replica)")

// runState is what a job fills in while it runs.
type runState struct {
	asOf   training.Date
	dryRun bool
	run    *training.JobRun
	mu     sync.Mutex
	// ordered is how many messages the run has queued so far (order).
	ordered int
}

func (r *runState) count(key string, n int) {
	r.mu.Lock()
	r.run.Counts[key] += n
	r.mu.Unlock()
}

// fail records one item's failure; the batch goes on.
func (r *runState) fail(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.run.Errors) < 100 {
		r.run.Errors = append(r.run.Errors, fmt.Sprintf(format, args...))
	} else if len(r.run.Errors) == 100 {
		r.run.Errors = append(r.run.Errors, "… further errors left out")
	}
	r.run.Counts["errors"]++
}

// run takes the job's lock (not for dry runs, which write nothing but
// their record), keeps it renewed, runs the job and records the run.
func (s *Scheduler) run(ctx context.Context, name string, dryRun bool, asOf training.Date) (training.JobRun, error) {
	start := s.clock()
	jr := training.JobRun{ID: start.UTC().Format("20060102T150405Z") + "-" + name + "-" + randomHex(3),
		Job: name, DryRun: dryRun, Started: start, Counts: map[string]int{}}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if !dryRun {
		lock := "job:" + name
		ok, err := s.store.AcquireLock(ctx, lock, s.cfg.Owner, s.cfg.LockTTL, start)
		if err != nil {
			return jr, fmt.Errorf("job %s: taking the lock: %w", name, err)
		}
		if !ok {
			return jr, errLocked
		}
		stop := s.keepLock(ctx, cancel, lock)
		defer func() {
			stop()
			if err := s.store.ReleaseLock(context.WithoutCancel(ctx), lock, s.cfg.Owner); err != nil {
				s.log.Warn("jobs: releasing lock", "job", name, "err", err)
			}
		}()
	}
	record := context.WithoutCancel(ctx) // the record is written even when stopping
	// The sender runs every minute and mostly finds nothing: its runs are
	// recorded only when they did something (else ~525,000 records a year).
	quiet := name == JobSender
	if !quiet {
		if err := s.store.PutJobRun(record, jr); err != nil {
			return jr, fmt.Errorf("job %s: recording the run: %w", name, err)
		}
	}
	st := &runState{asOf: asOf, dryRun: dryRun, run: &jr}
	err := s.jobs[name](ctx, st)
	st.mu.Lock()
	jr.Finished = s.clock()
	if err != nil {
		jr.Error = err.Error()
	}
	out := jr
	out.Counts = make(map[string]int, len(jr.Counts))
	for k, v := range jr.Counts {
		out.Counts[k] = v
	}
	out.Errors = append([]string(nil), jr.Errors...)
	st.mu.Unlock()
	idle := quiet && len(out.Counts) == 0 && len(out.Errors) == 0 && out.Error == ""
	if idle {
		return out, err
	}
	if perr := s.store.PutJobRun(record, out); perr != nil && err == nil {
		err = fmt.Errorf("job %s: recording the run: %w", name, perr)
	}
	s.log.Info("jobs: run finished", "job", name, "run", out.ID, "dry_run", dryRun,
		"seconds", out.Finished.Sub(out.Started).Seconds(), "counts", out.Counts, "errors", len(out.Errors))
	return out, err
}

// keepLock renews the lock every third of its TTL; if the lock is lost
// (the store says another owner has it) the job's context is cancelled.
func (s *Scheduler) keepLock(ctx context.Context, cancel context.CancelFunc, lock string) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(s.cfg.LockTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				ok, err := s.store.AcquireLock(ctx, lock, s.cfg.Owner, s.cfg.LockTTL, s.clock())
				if err != nil {
					s.log.Warn("jobs: renewing lock", "lock", lock, "err", err)
					continue // try again; the TTL leaves room for two misses
				}
				if !ok {
					s.log.Error("jobs: lost the lock; stopping the run", "lock", lock)
					cancel()
					return
				}
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// PlanReminders returns who a reminder run on asOf (zero: today) would
// email, with what and why, without writing anything: what `muster
// remind`, GET /api/v1/remind and the web page show.
func (s *Scheduler) PlanReminders(ctx context.Context, asOf training.Date) (*Plan, error) {
	if asOf.IsZero() {
		asOf = training.DateOf(s.clock())
	}
	var draft *Plan
	if err := s.rosterForRun().ReadRoster(ctx, func(ds *training.Dataset) error {
		draft = PlanReminders(ds, ds.Courses, asOf, s.policy, nil)
		return nil
	}); err != nil {
		return nil, err
	}
	return s.dropLedgered(ctx, draft)
}

// messageDomain is the right-hand side of planned Message-IDs.
func (s *Scheduler) messageDomain() string {
	if u, err := url.Parse(s.cfg.BaseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "muster.invalid"
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// cronLogger adapts slog to cron's logger (Recover logs panics through it).
type cronLogger struct{ l *slog.Logger }

// Info logs cron's routine messages at debug level.
func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }

// Error logs cron's errors, including recovered panics.
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append([]any{"err", err}, kv...)...)
}

// NextRun returns when job is next scheduled after t, in Europe/London
// (false when the job has no schedule).
func (s *Scheduler) NextRun(job string, after time.Time) (time.Time, bool) {
	sch, ok := s.specs[job]
	if !ok {
		return time.Time{}, false
	}
	return sch.Next(after.In(training.London)), true
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
