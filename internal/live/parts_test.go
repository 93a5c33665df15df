package live

import (
	"bytes"
	"context"
	"testing"

	"github.com/muster-police/muster/training"
)

// TestPartsReachTheFigures: a change applied in parts through Model.Store
// is in this replica's figures when the write returns, as a whole change
// set is.
func TestPartsReachTheFigures(t *testing.T) {
	st := newStore(t)
	a := newModel(st)
	defer a.Close()
	ctx := context.Background()
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
	comps := reg.Completions()
	_, err = a.Store().ApplyChangeParts(ctx, training.ChangeSet{BaseRevision: rev, Import: reg.ImportRecord()},
		func(put func(training.ChangeSet) error) error {
			for _, c := range comps {
				if err := put(training.ChangeSet{Completions: []training.Completion{c}}); err != nil {
					return err
				}
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	after := liveJSON(t, a, "")
	if bytes.Equal(after, before) || !bytes.Equal(after, fresh(t, st, "")) {
		t.Fatalf("after the parts a's figures are not the store's:\n%s\nwant\n%s", after, fresh(t, st, ""))
	}
}
