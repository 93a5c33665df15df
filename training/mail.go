package training

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// MessageState is where a message is in the outbox.
type MessageState string

// Message states.
const (
	MessageQueued MessageState = "queued" // waiting for (another) attempt
	MessageSent   MessageState = "sent"
	MessageFailed MessageState = "failed" // permanent failure, recorded and shown
)

// Message is one email in the outbox.
type Message struct {
	ID string `json:"id"`
	// MessageID is the RFC 5322 Message-ID, fixed at planning so that a
	// resend after a crash carries the same one.
	MessageID string `json:"message_id"`
	// LedgerKeys identify what the message announces, e.g.
	// "remind|OFFICER|COURSE|STAGE|DUE"; each is sent at most once, ever.
	LedgerKeys []string `json:"ledger_keys"`
	// Kind is "reminder", "line-digest" or "unit-digest".
	Kind        string       `json:"kind"`
	To          string       `json:"to"`
	Subject     string       `json:"subject"`
	Text        string       `json:"text"`
	HTML        string       `json:"html"`
	State       MessageState `json:"state"`
	Attempts    int          `json:"attempts"`
	LastError   string       `json:"last_error,omitempty"`
	Created     time.Time    `json:"created"`
	NextAttempt time.Time    `json:"next_attempt"`
	Sent        time.Time    `json:"sent"`
	// RunID is the job run that planned the message.
	RunID string `json:"run_id,omitempty"`
}

// JobRun records one run of a scheduled job.
type JobRun struct {
	ID       string         `json:"id"`
	Job      string         `json:"job"`
	DryRun   bool           `json:"dry_run,omitempty"`
	Started  time.Time      `json:"started"`
	Finished time.Time      `json:"finished"`
	Counts   map[string]int `json:"counts,omitempty"`
	Errors   []string       `json:"errors,omitempty"`
	// Error is set when the run as a whole failed.
	Error string `json:"error,omitempty"`
}

// Requeue puts a message that failed back in the queue, due at now, with
// its attempts reset: the ledger keeps its keys (so planning will not
// enqueue the reminder a second time), and this message carries them.
// ErrConflict when the message is not failed.
func (m *Message) Requeue(now time.Time) error {
	if m.State != MessageFailed {
		return Conflictf("message %s is %s; only failed messages can be re-queued", m.ID, m.State)
	}
	m.State, m.Attempts, m.LastError, m.NextAttempt = MessageQueued, 0, "", now
	return nil
}

// SettingRelay is the setting holding the mail relay's state (a
// RelayStatus as JSON), written by the sender on any replica.
const SettingRelay = "mail.relay"

// RelayStatus is what the sender last learned about the mail relay.
type RelayStatus struct {
	// Down is true from a relay-wide failure until a message goes through.
	Down bool `json:"down"`
	// Since is when the relay went down (or came back).
	Since time.Time `json:"since"`
	// Checked is the last attempt.
	Checked time.Time `json:"checked"`
	// Problem says what failed, without personal data (a class, a step
	// and a reply code).
	Problem string `json:"problem,omitempty"`
	// EmptyBy is when the queue will be empty at the configured sending
	// limits, as the sender last estimated (zero: no limits, or empty).
	EmptyBy time.Time `json:"empty_by,omitzero"`
	// HeldUntil is when the relay's daily allowance, used up, lets the
	// sender go on (zero: not held).
	HeldUntil time.Time `json:"held_until,omitzero"`
}

// ReadRelayStatus reads the relay's state as the sender last recorded it
// (zero when no message was ever tried).
func ReadRelayStatus(ctx context.Context, st interface {
	Setting(ctx context.Context, key string) (string, error)
}) (RelayStatus, error) {
	var r RelayStatus
	v, err := st.Setting(ctx, SettingRelay)
	if errors.Is(err, ErrNotFound) {
		return r, nil
	}
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(v), &r); err != nil {
		return r, fmt.Errorf("mail relay state: %w", err)
	}
	return r, nil
}

// OutboxStats counts the outbox for metrics.
type OutboxStats struct {
	// ByState counts messages in each state.
	ByState map[MessageState]int
	// OldestQueued is the creation time of the oldest queued message
	// (zero when none is queued).
	OldestQueued time.Time
}

// MailPrune says what PruneMail removes.
type MailPrune struct {
	// BodiesBefore: sent messages sent before it lose their subject,
	// text and HTML (zero: keep).
	BodiesBefore time.Time
	// MessagesBefore: sent and failed messages created before it are
	// deleted (zero: keep).
	MessagesBefore time.Time
	// LedgerDone reports whether a ledger key can no longer be planned
	// again; such keys are removed when no queued message holds them
	// (nil: keep every key).
	LedgerDone func(key string) bool
}

// MailPruned counts what PruneMail removed.
type MailPruned struct {
	Bodies, Messages, LedgerKeys int
}
