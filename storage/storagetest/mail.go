package storagetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

var mailTests = []test{
	{"Enqueue", testEnqueue},
	{"EnqueueRace", testEnqueueRace},
	{"DueMessages", testDueMessages},
	{"MessagesDueBetween", testMessagesDueBetween},
	{"UpdateMessage", testUpdateMessage},
	{"Messages", testMessages},
	{"OutboxStatsAndRequeue", testOutboxStats},
	{"PruneMail", testPruneMail},
}

func message(id string, created int, keys ...string) training.Message {
	return training.Message{ID: id, MessageID: "<" + id + "@muster.example>", LedgerKeys: keys,
		Kind: "reminder", To: id + "@police.example", Subject: "Training due", Text: "text " + id,
		HTML: "<p>" + id + "</p>", State: training.MessageQueued, Created: at(created), NextAttempt: at(created)}
}

func ids(ms []training.Message) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

func testEnqueue(t *testing.T, s training.Store) {
	noState := message("m4", 3)
	noState.State = ""
	first := []training.Message{
		message("m1", 0, "remind|1|cse|overdue|2026-03-31", "remind|1|tic|overdue|2026-06-30"),
		message("m2", 1, "remind|2|cse|overdue|2026-03-31"),
		message("m3", 2, "remind|2|cse|overdue|2026-03-31"), // same key as m2 in one batch
		noState,
	}
	got, err := s.Enqueue(ctx(t), first)
	check(t, err)
	m4 := noState
	m4.State = training.MessageQueued
	equal(t, "enqueued", got, []training.Message{first[0], first[1], m4})
	stored, err := s.Message(ctx(t), "m4")
	check(t, err)
	equal(t, "message without state", stored, m4)

	second := []training.Message{
		message("m5", 4, "remind|3|cse|overdue|2026-03-31", "remind|1|tic|overdue|2026-06-30"), // one key sent before
		message("m6", 5, "remind|3|tic|overdue|2026-06-30"),
		message("m7", 6), // no ledger keys: always enqueued
	}
	got, err = s.Enqueue(ctx(t), second)
	check(t, err)
	equal(t, "second batch", ids(got), []string{"m6", "m7"})
	_, err = s.Message(ctx(t), "m5")
	wantErr(t, "skipped message", err, training.ErrNotFound)

	got, err = s.Enqueue(ctx(t), nil)
	check(t, err)
	equal(t, "empty batch", len(got), 0)

	for key, want := range map[string]bool{
		"remind|1|cse|overdue|2026-03-31": true,
		"remind|3|tic|overdue|2026-06-30": true,
		"remind|3|cse|overdue|2026-03-31": false, // its message was skipped
		"remind|9|cse|overdue|2026-03-31": false,
	} {
		has, err := s.LedgerHas(ctx(t), key)
		check(t, err)
		equal(t, "LedgerHas("+key+")", has, want)
	}
	has, err := s.LedgerHasKeys(ctx(t), []string{"remind|1|cse|overdue|2026-03-31", "remind|3|tic|overdue|2026-06-30",
		"remind|3|cse|overdue|2026-03-31", "remind|9|cse|overdue|2026-03-31", "remind|1|cse|overdue|2026-03-31"})
	check(t, err)
	equal(t, "LedgerHasKeys", has, map[string]bool{"remind|1|cse|overdue|2026-03-31": true, "remind|3|tic|overdue|2026-06-30": true})
	has, err = s.LedgerHasKeys(ctx(t), nil)
	check(t, err)
	equal(t, "LedgerHasKeys(nil)", has, map[string]bool{})
	all, err := s.Messages(ctx(t), "", 0)
	check(t, err)
	equal(t, "outbox", ids(all), []string{"m7", "m6", "m4", "m2", "m1"})
}

func testEnqueueRace(t *testing.T, s training.Store) {
	const n = 8
	var wg sync.WaitGroup
	won := make(chan []training.Message, n)
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			m := message(fmt.Sprintf("race-%d", i), i, "digest|line|900|2026-W48", "digest|line|900|2026-11-24")
			got, err := s.Enqueue(ctx(t), []training.Message{m})
			errs <- err
			won <- got
		})
	}
	wg.Wait()
	close(won)
	close(errs)
	for err := range errs {
		check(t, err)
	}
	total := 0
	for got := range won {
		total += len(got)
	}
	equal(t, "messages enqueued by 8 racing replicas", total, 1)
	all, err := s.Messages(ctx(t), "", 0)
	check(t, err)
	equal(t, "outbox size", len(all), 1)
}

func testDueMessages(t *testing.T, s training.Store) {
	msgs := []training.Message{
		message("a", 0), message("b", 1), message("c", 2), message("d", 3), message("sent", 0), message("far", 4),
	}
	msgs[0].NextAttempt = at(30) // retry later: due after b, c
	msgs[3].NextAttempt = at(120)
	msgs[5].NextAttempt = time.Date(2400, 1, 1, 0, 0, 0, 0, time.UTC) // beyond UnixNano's range
	msgs[4].State, msgs[4].Sent = training.MessageSent, at(1)
	_, err := s.Enqueue(ctx(t), msgs)
	check(t, err)
	tests := []struct {
		now   time.Time
		limit int
		want  []string
	}{
		{at(-1), 0, []string{}},
		{at(1), 0, []string{"b"}},
		{at(30), 0, []string{"b", "c", "a"}},
		{at(30), 2, []string{"b", "c"}},
		{at(500), 0, []string{"b", "c", "a", "d"}},
		{at(500), -1, []string{"b", "c", "a", "d"}},
		{time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC), 0, []string{"b", "c", "a", "d", "far"}},
	}
	for _, tc := range tests {
		got, err := s.DueMessages(ctx(t), tc.now, tc.limit)
		check(t, err)
		equal(t, fmt.Sprintf("DueMessages(%v, %d)", tc.now.Sub(t0), tc.limit), ids(got), tc.want)
	}
	got, err := s.DueMessages(ctx(t), at(30), 1)
	check(t, err)
	equal(t, "due message", got, []training.Message{msgs[1]})
}

func testMessagesDueBetween(t *testing.T, s training.Store) {
	msgs := []training.Message{
		message("a", 0), message("b", 1), message("c", 2), message("d", 3), message("sent", 2), message("far", 4),
	}
	msgs[0].NextAttempt = at(30)
	msgs[2].NextAttempt = at(2).Add(time.Nanosecond) // after at(2) by less than a microsecond
	msgs[3].NextAttempt = at(120)
	msgs[4].State, msgs[4].Sent = training.MessageSent, at(1)
	msgs[5].NextAttempt = time.Date(2400, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := s.Enqueue(ctx(t), msgs)
	check(t, err)
	tests := []struct {
		from, until time.Time
		want        []string
	}{
		{at(-10), at(-1), []string{}},
		{at(-1), at(1), []string{"b"}},
		{at(1), at(30), []string{"c", "a"}}, // not b, due at from itself
		{at(2), at(120), []string{"c", "a", "d"}},
		{at(2).Add(time.Nanosecond), at(500), []string{"a", "d"}},
		{at(30), at(119), []string{}},
		{at(100), time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC), []string{"d", "far"}},
	}
	for _, tc := range tests {
		got, err := s.MessagesDueBetween(ctx(t), tc.from, tc.until)
		check(t, err)
		equal(t, fmt.Sprintf("MessagesDueBetween(%v, %v)", tc.from.Sub(t0), tc.until.Sub(t0)), ids(got), tc.want)
	}
	got, err := s.MessagesDueBetween(ctx(t), at(100), at(120))
	check(t, err)
	equal(t, "message due between", got, []training.Message{msgs[3]})
}

func testUpdateMessage(t *testing.T, s training.Store) {
	_, err := s.Enqueue(ctx(t), []training.Message{message("a", 0, "k1"), message("b", 1)})
	check(t, err)
	check(t, s.UpdateMessage(ctx(t), "a", func(m *training.Message) error {
		m.Attempts++
		m.LastError = "421 try later"
		m.NextAttempt = at(60)
		return nil
	}))
	due, err := s.DueMessages(ctx(t), at(10), 0)
	check(t, err)
	equal(t, "due after a retry was scheduled", ids(due), []string{"b"})
	check(t, s.UpdateMessage(ctx(t), "b", func(m *training.Message) error {
		m.State, m.Sent, m.Attempts = training.MessageSent, at(2), 1
		return nil
	}))
	err = s.UpdateMessage(ctx(t), "a", func(m *training.Message) error {
		m.State = training.MessageFailed
		return errStop
	})
	wantErr(t, "UpdateMessage with a failing fn", err, errStop)
	due, err = s.DueMessages(ctx(t), at(60), 0)
	check(t, err)
	equal(t, "due later", ids(due), []string{"a"})
	a, err := s.Message(ctx(t), "a")
	check(t, err)
	want := message("a", 0, "k1")
	want.Attempts, want.LastError, want.NextAttempt = 1, "421 try later", at(60)
	equal(t, "message a", a, want)
	sent, err := s.Messages(ctx(t), training.MessageSent, 0)
	check(t, err)
	equal(t, "sent", ids(sent), []string{"b"})
	err = s.UpdateMessage(ctx(t), "zzz", func(*training.Message) error { return nil })
	wantErr(t, "UpdateMessage(missing)", err, training.ErrNotFound)
	_, err = s.Message(ctx(t), "zzz")
	wantErr(t, "Message(missing)", err, training.ErrNotFound)
}

func testMessages(t *testing.T, s training.Store) {
	var msgs []training.Message
	for i := range 6 {
		m := message(fmt.Sprintf("m%d", i), i)
		switch i % 3 {
		case 1:
			m.State = training.MessageSent
		case 2:
			m.State, m.LastError = training.MessageFailed, "550 no such user"
		}
		msgs = append(msgs, m)
	}
	_, err := s.Enqueue(ctx(t), msgs)
	check(t, err)
	// A failed message retried and sent moves between states.
	check(t, s.UpdateMessage(ctx(t), "m2", func(m *training.Message) error {
		m.State = training.MessageSent
		return nil
	}))
	tests := []struct {
		state training.MessageState
		limit int
		want  []string
	}{
		{"", 0, []string{"m5", "m4", "m3", "m2", "m1", "m0"}},
		{"", 2, []string{"m5", "m4"}},
		{training.MessageQueued, 0, []string{"m3", "m0"}},
		{training.MessageSent, 0, []string{"m4", "m2", "m1"}},
		{training.MessageSent, 1, []string{"m4"}},
		{training.MessageFailed, 0, []string{"m5"}},
		{"bogus", 0, []string{}},
	}
	for _, tc := range tests {
		got, err := s.Messages(ctx(t), tc.state, tc.limit)
		check(t, err)
		equal(t, fmt.Sprintf("Messages(%q, %d)", tc.state, tc.limit), ids(got), tc.want)
	}
}

func testOutboxStats(t *testing.T, s training.Store) {
	st, err := s.OutboxStats(ctx(t))
	check(t, err)
	equal(t, "empty outbox", st, training.OutboxStats{ByState: map[training.MessageState]int{
		training.MessageQueued: 0, training.MessageSent: 0, training.MessageFailed: 0}})
	_, err = s.Enqueue(ctx(t), []training.Message{message("a", 1, "k1"), message("b", 2, "k2"), message("c", 3, "k3"), message("d", 4, "k4")})
	check(t, err)
	check(t, s.UpdateMessage(ctx(t), "a", func(m *training.Message) error { m.State, m.Sent = training.MessageSent, at(5); return nil }))
	check(t, s.UpdateMessage(ctx(t), "b", func(m *training.Message) error { m.State, m.Attempts = training.MessageFailed, 3; return nil }))
	st, err = s.OutboxStats(ctx(t))
	check(t, err)
	equal(t, "by state", st.ByState, map[training.MessageState]int{training.MessageQueued: 2, training.MessageSent: 1, training.MessageFailed: 1})
	if !st.OldestQueued.Equal(at(3)) {
		t.Fatalf("oldest queued %v, want %v", st.OldestQueued, at(3))
	}
	// A failed message re-queued goes out again under the same ledger
	// keys: enqueuing its reminder again is still refused.
	if err := s.UpdateMessage(ctx(t), "c", func(m *training.Message) error { return m.Requeue(at(6)) }); err == nil {
		t.Fatal("re-queuing a queued message succeeded")
	}
	check(t, s.UpdateMessage(ctx(t), "b", func(m *training.Message) error { return m.Requeue(at(6)) }))
	due, err := s.DueMessages(ctx(t), at(6), 0)
	check(t, err)
	equal(t, "due after re-queue", ids(due), []string{"c", "d", "b"})
	got, err := s.Enqueue(ctx(t), []training.Message{message("b2", 7, "k2")})
	check(t, err)
	equal(t, "enqueue of a re-queued key", ids(got), []string{})
}

func testPruneMail(t *testing.T, s training.Store) {
	var msgs []training.Message
	for i := range 10 {
		msgs = append(msgs, message(fmt.Sprintf("p%02d", i), i*100, fmt.Sprintf("remind|%d|cse|before-7|2026-03-31", i)))
	}
	_, err := s.Enqueue(ctx(t), msgs)
	check(t, err)
	for i := range 8 { // p01, p08, p09 stay queued; p07 fails
		if i == 1 {
			continue
		}
		state := training.MessageSent
		if i == 7 {
			state = training.MessageFailed
		}
		check(t, s.UpdateMessage(ctx(t), fmt.Sprintf("p%02d", i), func(m *training.Message) error {
			m.State, m.Sent = state, at(i*100+10)
			return nil
		}))
	}
	// Bodies of messages sent before minute 410 go; messages created
	// before 250 go; ledger keys of even officers are "done".
	out, err := s.PruneMail(ctx(t), training.MailPrune{BodiesBefore: at(410), MessagesBefore: at(250),
		LedgerDone: func(k string) bool {
			var n int
			fmt.Sscanf(k, "remind|%d|", &n)
			return n%2 == 0
		}})
	check(t, err)
	// Deleted: p00, p02 (p01 is queued). Stripped: p03 (p04 was sent at
	// 410, not before). Ledger: p00, p02, p04, p06 (p08 is queued).
	equal(t, "pruned", out, training.MailPruned{Bodies: 1, Messages: 2, LedgerKeys: 4})
	all, err := s.Messages(ctx(t), "", 0)
	check(t, err)
	equal(t, "left", ids(all), []string{"p09", "p08", "p07", "p06", "p05", "p04", "p03", "p01"})
	p3, err := s.Message(ctx(t), "p03")
	check(t, err)
	if p3.Text != "" || p3.HTML != "" || p3.Subject == "" || p3.To == "" {
		t.Fatalf("p03 after pruning bodies: %+v", p3)
	}
	p4, err := s.Message(ctx(t), "p04")
	check(t, err)
	if p4.Text == "" {
		t.Fatal("p04 lost its body too early")
	}
	has, err := s.LedgerHasKeys(ctx(t), []string{"remind|0|cse|before-7|2026-03-31", "remind|1|cse|before-7|2026-03-31",
		"remind|6|cse|before-7|2026-03-31", "remind|8|cse|before-7|2026-03-31"})
	check(t, err)
	equal(t, "ledger left", has, map[string]bool{"remind|1|cse|before-7|2026-03-31": true, "remind|8|cse|before-7|2026-03-31": true})
	st, err := s.OutboxStats(ctx(t))
	check(t, err)
	equal(t, "stats after prune", st.ByState, map[training.MessageState]int{training.MessageQueued: 3, training.MessageSent: 4, training.MessageFailed: 1})
	again, err := s.PruneMail(ctx(t), training.MailPrune{BodiesBefore: at(410), MessagesBefore: at(250)})
	check(t, err)
	equal(t, "pruning again", again, training.MailPruned{})
}
