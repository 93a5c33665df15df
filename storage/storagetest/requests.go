package storagetest

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

var requestTests = []test{
	{"RequestRoundTrip", testRequestRoundTrip},
	{"RequestOneOpenPerCourse", testRequestOneOpen},
	{"RequestOneOpenConcurrent", testRequestOneOpenConcurrent},
	{"RequestListAndUpdate", testRequestListUpdate},
	{"RequestCertificateBound", testRequestCertificateBound},
	{"OfficerExtensionRoundTrip", testOfficerExtension},
	{"RequestCancelledContext", testRequestCancelled},
	{"DeleteRequestsOf", testDeleteRequestsOf},
}

// testDeleteRequestsOf: the retention job's deletion takes every request
// of the named officers (open or decided, with certificates, out of the
// open index, so that a new one may be made) and nobody else's.
func testDeleteRequestsOf(t *testing.T, s training.Store) {
	open := extensionRequest("a1", "1", cse, t0)
	claim := training.Request{ID: "a2", Kind: training.RequestClaim, OfficerID: "1", CourseID: tic,
		Done: date("2026-10-01"), Where: "Kent Police", Deciders: []string{},
		Certificate: &training.Certificate{Name: "cert.pdf", Type: "application/pdf", Data: []byte("%PDF-1.4 x")},
		Created:     at(1), State: training.RequestOpen}
	other := extensionRequest("b1", "2", cse, t0)
	for _, r := range []training.Request{open, claim, other} {
		check(t, s.CreateRequest(ctx(t), r))
	}
	check(t, s.UpdateRequest(ctx(t), "a2", func(r *training.Request) error {
		r.State, r.DecidedBy, r.Decided = training.RequestDeclined, "hr", at(2)
		return nil
	}))
	n, err := s.DeleteRequestsOf(ctx(t), []string{"1", "nobody"})
	check(t, err)
	equal(t, "requests deleted", n, 2)
	for _, id := range []string{"a1", "a2"} {
		if _, err := s.Request(ctx(t), id); !errors.Is(err, training.ErrNotFound) {
			t.Errorf("request %s after deleting officer 1's: %v", id, err)
		}
	}
	left, err := s.Requests(ctx(t), training.RequestQuery{})
	check(t, err)
	if len(left) != 1 || left[0].ID != "b1" {
		t.Fatalf("left: %+v, want b1 only", left)
	}
	waiting, err := s.Requests(ctx(t), training.RequestQuery{Open: true, Now: at(3)})
	check(t, err)
	if len(waiting) != 1 || waiting[0].ID != "b1" {
		t.Fatalf("open after the deletion: %+v, want b1 only", waiting)
	}
	// The open index forgot officer 1's course: a new request is taken.
	check(t, s.CreateRequest(ctx(t), extensionRequest("a3", "1", cse, at(3))))
	n, err = s.DeleteRequestsOf(ctx(t), []string{"3"})
	check(t, err)
	equal(t, "requests of someone with none", n, 0)
}

// A call whose caller has gone away fails with context.Canceled and
// changes nothing.
func testRequestCancelled(t *testing.T, s training.Store) {
	c, cancel := context.WithCancel(ctx(t))
	cancel()
	if err := s.CreateRequest(c, extensionRequest("r", "1", cse, t0)); !errors.Is(err, context.Canceled) {
		t.Errorf("CreateRequest: %v", err)
	}
	if _, err := s.Requests(c, training.RequestQuery{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Requests: %v", err)
	}
	if _, err := s.Request(ctx(t), "r"); !errors.Is(err, training.ErrNotFound) {
		t.Errorf("a request was stored through a cancelled context: %v", err)
	}
}

func extensionRequest(id, officer, course string, created time.Time) training.Request {
	return training.Request{ID: id, Kind: training.RequestExtension, OfficerID: officer, CourseID: course,
		Until: date("2027-01-31"), Reason: "Long-term sick until January", Due: date("2026-12-31"),
		Deciders: []string{"sam"}, Created: created, State: training.RequestOpen}
}

func testRequestRoundTrip(t *testing.T, s training.Store) {
	want := extensionRequest("r1", "1", cse, t0)
	check(t, s.CreateRequest(ctx(t), want))
	got, err := s.Request(ctx(t), "r1")
	check(t, err)
	equal(t, "extension request", got, want)

	// A claim with a certificate: bytes as sent (every byte value).
	data := make([]byte, 1<<20)
	for i := range data {
		data[i] = byte(i * 13)
	}
	claim := training.Request{ID: "r2", Kind: training.RequestClaim, OfficerID: "1", CourseID: tic,
		Done: date("2026-10-01"), Where: "Kent Police", Deciders: []string{},
		Certificate: &training.Certificate{Name: "cert.pdf", Type: "application/pdf", Data: data},
		Created:     at(1), State: training.RequestOpen}
	check(t, s.CreateRequest(ctx(t), claim))
	got, err = s.Request(ctx(t), "r2")
	check(t, err)
	if got.Certificate == nil || !bytes.Equal(got.Certificate.Data, data) {
		t.Fatalf("certificate did not come back whole")
	}
	equal(t, "claim", got, claim)
	got.Certificate.Data[0]++
	again, _ := s.Request(ctx(t), "r2")
	equal(t, "certificate after changing the returned copy", again.Certificate.Data[0], data[0])

	// Lists leave the bytes out, keep name and type.
	list, err := s.Requests(ctx(t), training.RequestQuery{})
	check(t, err)
	if len(list) != 2 || list[0].ID != "r2" || list[1].ID != "r1" {
		t.Fatalf("list: %+v, want r2 then r1 (newest first)", list)
	}
	if c := list[0].Certificate; c == nil || c.Name != "cert.pdf" || c.Type != "application/pdf" || len(c.Data) != 0 {
		t.Fatalf("listed certificate: %+v", c)
	}
	_, err = s.Request(ctx(t), "nope")
	wantErr(t, "missing request", err, training.ErrNotFound)
	wantErr(t, "the same ID twice", s.CreateRequest(ctx(t), extensionRequest("r1", "2", cse, t0)), training.ErrConflict)
}

func testRequestOneOpen(t *testing.T, s training.Store) {
	check(t, s.CreateRequest(ctx(t), extensionRequest("a", "1", cse, t0)))
	// The same person and course while it is open: refused.
	wantErr(t, "a second open request", s.CreateRequest(ctx(t), extensionRequest("b", "1", cse, at(60))), training.ErrConflict)
	// Another course, another person: fine.
	check(t, s.CreateRequest(ctx(t), extensionRequest("c", "1", tic, at(60))))
	check(t, s.CreateRequest(ctx(t), extensionRequest("d", "2", cse, at(60))))
	// Once it lapses (30 days), a new one may be sent.
	lapsed := t0.AddDate(0, 0, training.RequestLapseDays)
	wantErr(t, "a second request a minute before the lapse", s.CreateRequest(ctx(t), extensionRequest("e", "1", cse, lapsed.Add(-time.Minute))), training.ErrConflict)
	check(t, s.CreateRequest(ctx(t), extensionRequest("f", "1", cse, lapsed)))
	// Once decided, too.
	check(t, s.UpdateRequest(ctx(t), "d", func(r *training.Request) error {
		return r.Decide(false, "not enough detail", "sam", "Sam Sergeant", at(61))
	}))
	check(t, s.CreateRequest(ctx(t), extensionRequest("g", "2", cse, at(62))))
}

func testRequestOneOpenConcurrent(t *testing.T, s training.Store) {
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.CreateRequest(ctx(t), extensionRequest(string(rune('a'+i)), "1", cse, t0))
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, training.ErrConflict):
			t.Errorf("concurrent create: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d of %d concurrent requests for one person and course were stored, want 1", ok, n)
	}
}

func testRequestListUpdate(t *testing.T, s training.Store) {
	check(t, s.CreateRequest(ctx(t), extensionRequest("a", "1", cse, t0)))
	check(t, s.CreateRequest(ctx(t), extensionRequest("b", "2", cse, at(1))))
	check(t, s.UpdateRequest(ctx(t), "a", func(r *training.Request) error {
		r.OfficerID = "999" // what a request is about cannot change
		return r.Decide(true, "", "sam", "Sam Sergeant", at(5))
	}))
	got, err := s.Request(ctx(t), "a")
	check(t, err)
	if got.State != training.RequestApproved || got.OfficerID != "1" || got.DecidedByName != "Sam Sergeant" || !got.Decided.Equal(at(5)) {
		t.Fatalf("after approval: %+v", got)
	}
	// A failing fn changes nothing.
	boom := errors.New("boom")
	if err := s.UpdateRequest(ctx(t), "b", func(r *training.Request) error { r.State = training.RequestApproved; return boom }); !errors.Is(err, boom) {
		t.Fatalf("fn's error: %v", err)
	}
	wantErr(t, "update of a missing request", s.UpdateRequest(ctx(t), "zz", func(*training.Request) error { return nil }), training.ErrNotFound)

	open, err := s.Requests(ctx(t), training.RequestQuery{Open: true, Now: at(10)})
	check(t, err)
	if len(open) != 1 || open[0].ID != "b" {
		t.Fatalf("open requests: %+v, want b", open)
	}
	mine, err := s.Requests(ctx(t), training.RequestQuery{OfficerID: "1"})
	check(t, err)
	if len(mine) != 1 || mine[0].ID != "a" {
		t.Fatalf("officer 1's requests: %+v", mine)
	}
	// A decision undone (an approval that could not be applied) is open again.
	check(t, s.UpdateRequest(ctx(t), "a", func(r *training.Request) error {
		r.State, r.DecidedBy, r.DecidedByName, r.Decided = training.RequestOpen, "", "", time.Time{}
		return nil
	}))
	open, err = s.Requests(ctx(t), training.RequestQuery{Open: true, Now: at(10)})
	check(t, err)
	if len(open) != 2 || open[0].ID != "b" || open[1].ID != "a" {
		t.Fatalf("open after undoing a decision: %+v, want b then a", open)
	}
	// Each is open until its own lapse, to the instant.
	last, err := s.Requests(ctx(t), training.RequestQuery{Open: true, Now: t0.AddDate(0, 0, 30).Add(-time.Nanosecond)})
	check(t, err)
	if len(last) != 2 {
		t.Fatalf("open a moment before a lapses: %d, want 2", len(last))
	}
	last, err = s.Requests(ctx(t), training.RequestQuery{Open: true, Now: t0.AddDate(0, 0, 30)})
	check(t, err)
	if len(last) != 1 || last[0].ID != "b" {
		t.Fatalf("open when a lapses: %+v, want b", last)
	}
	lapsed, err := s.Requests(ctx(t), training.RequestQuery{Open: true, Now: at(1).AddDate(0, 0, 30)})
	check(t, err)
	if len(lapsed) != 0 {
		t.Fatalf("open after 30 days: %+v, want none (lapsed)", lapsed)
	}
}

func testRequestCertificateBound(t *testing.T, s training.Store) {
	r := extensionRequest("big", "1", cse, t0)
	r.Kind, r.Certificate = training.RequestClaim, &training.Certificate{Name: "x.pdf", Type: "application/pdf", Data: make([]byte, training.MaxCertificateBytes+1)}
	wantErr(t, "a certificate of 5 MB + 1 byte", s.CreateRequest(ctx(t), r), training.ErrInvalid)
	if _, err := s.Request(ctx(t), "big"); !errors.Is(err, training.ErrNotFound) {
		t.Fatalf("the refused request was stored: %v", err)
	}
	r.Certificate.Data = r.Certificate.Data[:training.MaxCertificateBytes]
	check(t, s.CreateRequest(ctx(t), r))
}

// An approved extension is part of the officer's record: it survives
// the store, the Dataset and a later change of the officer.
func testOfficerExtension(t *testing.T, s training.Store) {
	o := officer("1", "A / B")
	o.Extensions = map[string]training.Extension{cse: {Until: date("2027-02-01"), By: "Sam Sergeant", RequestID: "r1", At: at(3)}}
	_, err := s.ApplyChanges(ctx(t), training.ChangeSet{Import: importRec("imp-x", 1), Officers: []training.Officer{o, officer("2", "A / B")}})
	check(t, err)
	ds, err := s.Dataset(ctx(t))
	check(t, err)
	equal(t, "extensions in the Dataset", ds.Officers["1"].Extensions, o.Extensions)
	if len(ds.Officers["2"].Extensions) != 0 {
		t.Fatalf("officer 2 has extensions: %+v", ds.Officers["2"].Extensions)
	}
	rec, err := s.Officer(ctx(t), "1")
	check(t, err)
	equal(t, "extensions in the record", rec.Officer.Extensions, o.Extensions)
}
