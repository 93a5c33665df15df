package live

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

// TestWithdrawalReachesTheFigures: a register saved and withdrawn through
// Model.Store is in (then out of) this replica's figures when the write
// returns, with no Current in between; another replica tailing the store
// follows the withdrawal from the change log; both end byte-equal to the
// figures before the register.
func TestWithdrawalReachesTheFigures(t *testing.T) {
	st := newStore(t)
	a, b := newModel(st), newModel(st)
	defer a.Close()
	defer b.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); b.Tail(ctx) }()
	defer func() { cancel(); <-done }()
	if err := a.Current(ctx); err != nil {
		t.Fatal(err)
	}
	before := liveJSON(t, a, "")
	reg := training.Register{ID: "reg-1", CourseID: "cse-recognition", Date: training.DateFrom(2026, 11, 20), Place: "Room 4",
		Attendees: []string{"P01", "P02", "P03"}, By: "trainer", At: testNow, Added: 3}
	rev, err := st.Revision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	saved, err := a.Store().ApplyChanges(ctx, training.ChangeSet{BaseRevision: rev, Import: reg.ImportRecord(), Completions: reg.Completions()})
	if err != nil {
		t.Fatal(err)
	}
	during := liveJSON(t, a, "")
	if bytes.Equal(during, before) || !bytes.Equal(during, fresh(t, st, "")) {
		t.Fatalf("after the register a's figures are not the store's:\n%s\nwant\n%s", during, fresh(t, st, ""))
	}
	// b has the register (it reloads: a change set leaves a gap in the log)
	// before it is withdrawn, so that b must follow the withdrawal itself.
	for deadline := time.Now().Add(5 * time.Second); b.Revision() < saved || !bytes.Equal(liveJSON(t, b, ""), during); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("b does not show the register 5 s after it was saved (revision %d of %d)", b.Revision(), saved)
		}
	}
	removed := reg.Completions()
	reg.WithdrawnBy, reg.WithdrawnAt = "trainer", testNow
	rev, err = a.Store().WithdrawImport(ctx, training.Withdrawal{Record: reg.ImportRecord(), Removed: removed})
	if err != nil {
		t.Fatal(err)
	}
	if got := liveJSON(t, a, ""); !bytes.Equal(got, before) {
		t.Errorf("a's figures right after the withdrawal differ from before the register:\n%s\nwant\n%s", got, before)
	}
	for deadline := time.Now().Add(5 * time.Second); b.Revision() < rev; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("b is at revision %d, not %d, 5 s after the withdrawal", b.Revision(), rev)
		}
	}
	if got := liveJSON(t, b, ""); !bytes.Equal(got, before) {
		t.Errorf("b's figures after the withdrawal differ from before the register:\n%s\nwant\n%s", got, before)
	}
}
