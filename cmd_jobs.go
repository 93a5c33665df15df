package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/training"
)

// mailDir is where mail goes without SMTP settings: .eml files the web UI
// lists as "mail that would have been sent".
func (c *Config) mailDir() string { return filepath.Join(c.DataDir, "mail") }

// dropFrom is the sender the .eml files show: MUSTER_SMTP_FROM when set
// (what the relay would send), else an address at the service's own host
// name (MUSTER_BASE_URL), and only without one muster@localhost.
func (c *Config) dropFrom() string {
	if c.SMTP.From != "" {
		return c.SMTP.From
	}
	if u, err := url.Parse(c.baseURL()); err == nil {
		if h := u.Hostname(); h != "" && h != "localhost" && net.ParseIP(h) == nil && strings.Contains(h, ".") {
			return "Muster <muster@" + h + ">"
		}
	}
	return mail.DefaultDropFrom
}

// newMailer is SMTP when a host is set, else the .eml drop.
func newMailer(cfg *Config) (mail.Sender, error) {
	if cfg.SMTP.Host == "" {
		d := mail.NewDrop(cfg.mailDir())
		d.ReplyTo = cfg.SMTP.ReplyTo
		d.From = cfg.dropFrom()
		return d, nil
	}
	return mail.NewSMTP(mail.SMTPConfig{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, TLS: cfg.SMTP.TLS, User: cfg.SMTP.User,
		Password: cfg.SMTP.Password.reveal(), From: cfg.SMTP.From, ReplyTo: cfg.SMTP.ReplyTo, Rate: cfg.SMTP.Rate})
}

// newScheduler builds the jobs (reminders, digests, snapshot, sender).
func newScheduler(cfg *Config, st training.Store, log *slog.Logger, clock func() time.Time, secret []byte) (*jobs.Scheduler, error) {
	mailer, err := newMailer(cfg)
	if err != nil {
		return nil, err
	}
	return jobs.New(jobs.Config{
		Store: st, Logger: log, Clock: clock, BaseURL: cfg.baseURL(), Secret: training.LinkKey(secret, cfg.linkScope()), Mailer: mailer,
		ReplyTo: cfg.SMTP.ReplyTo,
		Policy:  jobs.DefaultPolicy(),
		Schedules: jobs.Schedules{Reminders: cfg.ScheduleReminders, Digests: cfg.ScheduleDigests, Snapshot: cfg.ScheduleSnapshot,
			Prune: cfg.SchedulePrune, Retention: cfg.ScheduleRetention},
		Retention: jobs.Retention{MailBodies: keepDays(cfg.KeepMailBodiesDays), Mail: keepDays(cfg.KeepMailDays),
			JobRuns: keepDays(cfg.KeepJobRunsDays)},
		// Only one process can hold the embedded store's file.
		SoleProcess:   cfg.RedisURL == "",
		Limits:        cfg.sendLimits(),
		DataRetention: new(cfg.retention()),
	})
}

// keepDays turns a retention in days into the jobs' form, where a
// negative duration keeps for ever (0 days in the configuration).
func keepDays(days int) time.Duration {
	if days == 0 {
		return -1
	}
	return time.Duration(days) * 24 * time.Hour
}

// newJobs is the scheduler serve runs.
// With --demo, reminders and digests do not run on their own (the demo
// force's addresses are made up, and a first run would write thousands of
// emails): they run when someone presses "Run now".
func newJobs(a *App) (jobRunner, error) {
	cfg := a.Config
	if a.Demo {
		cfg.ScheduleReminders, cfg.ScheduleDigests = "off", "off"
	}
	return newScheduler(&cfg, a.store, a.Logger, a.Clock, a.secret)
}

// storeSecret returns MUSTER_SECRET, else the random secret kept in the
// store (created on first use and shared by every replica).
func storeSecret(ctx context.Context, cfg *Config, st training.Store) ([]byte, error) {
	if cfg.Secret != "" {
		return []byte(cfg.Secret.reveal()), nil
	}
	s, err := st.Setting(ctx, "secret")
	if err != nil && !errors.Is(err, training.ErrNotFound) {
		return nil, err
	}
	if s != "" {
		return []byte(s), nil
	}
	s = randomHex(32)
	if err := st.PutSetting(ctx, "secret", s); err != nil {
		return nil, err
	}
	// Another replica may have raced us: use whatever is stored now.
	if s2, err := st.Setting(ctx, "secret"); err == nil && s2 != "" {
		s = s2
	}
	return []byte(s), nil
}
