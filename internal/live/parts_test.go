package live

import (
	"bytes"
	"testing"

	"github.com/muster-police/muster/training"
)

// TestPartsReachTheFigures: a change applied in parts through Model.Store
// (a new officer in one part, completions in others) is in this replica's
// figures when the write returns, as a whole change set is.
func TestPartsReachTheFigures(t *testing.T) {
	st := newStore(t)
	m := newModel(st)
	defer m.Close()
	ctx := t.Context()
	if err := m.Current(ctx); err != nil {
		t.Fatal(err)
	}
	before := liveJSON(t, m, "")
	rev, err := st.Revision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	src := training.Source{ImportID: "imp-parts", File: "roster.xlsx", At: testNow}
	parts := []training.ChangeSet{
		{Officers: []training.Officer{{ID: "N1", DisplayID: "N1", Name: "New Officer", Unit: "Alpha / Team 1",
			StartDate: training.DateFrom(2026, 1, 5), FirstSeen: training.DateFrom(2026, 11, 1), Source: src}}},
		{Completions: []training.Completion{{OfficerID: "P01", CourseID: "cse-recognition", Date: training.DateFrom(2026, 10, 1), Source: src}}},
		{Completions: []training.Completion{{OfficerID: "N1", CourseID: "cse-recognition", Date: training.DateFrom(2026, 10, 2), Source: src}}},
	}
	head := training.ChangeSet{BaseRevision: rev, Import: training.ImportRecord{ID: "imp-parts", Kind: training.ImportPartial,
		By: "test", At: testNow, Outcome: training.OutcomeApplied}}
	_, err = m.Store().ApplyChangeParts(ctx, head, func(put func(training.ChangeSet) error) error {
		for _, p := range parts {
			if err := put(p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	after := liveJSON(t, m, "")
	if bytes.Equal(after, before) || !bytes.Equal(after, fresh(t, st, "")) {
		t.Fatalf("after the parts the model's figures are not the store's:\n%s\nwant\n%s", after, fresh(t, st, ""))
	}
}
