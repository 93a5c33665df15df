package main

import (
	"context"
	"fmt"
	"io"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/training"
)

// outboxCmd shows the mail relay's state and the outbox, and re-queues
// failed messages: outbox [--state S] | outbox requeue ID... | outbox requeue --failed.
func outboxCmd(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "requeue" {
		return outboxRequeue(ctx, env, args[1:], stdout, stderr)
	}
	fs := flagSet("outbox", "[--state queued|sent|failed] [--limit N] | requeue ID... | requeue --failed")
	state := fs.String("state", "", "only messages in this state: queued, sent or failed")
	limit := fs.Int("limit", 50, "at most this many messages, newest first")
	pos, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return usageError(stderr, "outbox: unexpected argument %q (did you mean `outbox requeue`?)", pos[0])
	}
	switch training.MessageState(*state) {
	case "", training.MessageQueued, training.MessageSent, training.MessageFailed:
	default:
		return usageError(stderr, "outbox: --state %q must be queued, sent or failed", *state)
	}
	relay, err := jobs.RelayStatus(ctx, env.store)
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	stats, err := env.store.OutboxStats(ctx)
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	switch {
	case relay.Checked.IsZero():
		fmt.Fprintln(stdout, "Mail relay: not tried yet.")
	case relay.Down:
		fmt.Fprintf(stdout, "Mail relay: DOWN since %s: %s. Messages stay queued until it answers.\n", relay.Since.Format("2006-01-02 15:04"), relay.Problem)
	default:
		fmt.Fprintf(stdout, "Mail relay: answering (last tried %s).\n", relay.Checked.Format("2006-01-02 15:04"))
	}
	fmt.Fprintf(stdout, "Outbox: %d queued, %d sent, %d failed.\n", stats.ByState[training.MessageQueued],
		stats.ByState[training.MessageSent], stats.ByState[training.MessageFailed])
	msgs, err := env.store.Messages(ctx, training.MessageState(*state), *limit)
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	if len(msgs) == 0 {
		return exitOK
	}
	rows := [][]string{{"ID", "STATE", "TO", "SUBJECT", "ATTEMPTS", "CREATED", "LAST ERROR"}}
	for _, m := range msgs {
		rows = append(rows, []string{m.ID, string(m.State), m.To, orDash(m.Subject), fmt.Sprint(m.Attempts),
			m.Created.Format("2006-01-02 15:04"), orDash(m.LastError)})
	}
	fmt.Fprintln(stdout)
	if err := writeColumns(stdout, rows); err != nil {
		fail(stderr, err)
		return exitFail
	}
	return exitOK
}

// outboxRequeue puts failed messages back in the queue (due now, attempts
// reset); the sender delivers them on its next run.
func outboxRequeue(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("outbox requeue", "ID... | --failed")
	all := fs.Bool("failed", false, "re-queue every failed message")
	ids, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if *all == (len(ids) > 0) {
		return usageError(stderr, "outbox requeue: give message IDs or --failed (not both)")
	}
	if *all {
		failed, err := env.store.Messages(ctx, training.MessageFailed, 0)
		if err != nil {
			fail(stderr, err)
			return exitFail
		}
		for _, m := range failed {
			ids = append(ids, m.ID)
		}
	}
	now := env.now()
	done := 0
	for _, id := range ids {
		err := env.store.UpdateMessage(ctx, id, func(m *training.Message) error { return m.Requeue(now) })
		if err != nil {
			fail(stderr, fmt.Errorf("message %s: %w", id, err))
			return exitFail
		}
		done++
	}
	fmt.Fprintf(stdout, "Re-queued %d message(s); the sender delivers them on its next run (every minute under `muster serve`, or `muster remind`).\n", done)
	return exitOK
}
