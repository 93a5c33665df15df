package training

import "time"

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
