package storagetest

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

var auditTests = []test{
	{"AuditAppendAndQuery", testAuditQuery},
	{"AuditPaging", testAuditPaging},
	{"AuditRefusesDuplicatesAndInvalid", testAuditInvalid},
	{"AuditPrune", testAuditPrune},
	{"AnonymiseOfficers", testAnonymise},
	{"AnonymiseRefusesUsedPseudonym", testAnonymiseConflict},
}

func auditEvent(id string, minutes int, actor string, action training.AuditAction, officerID string) training.AuditEvent {
	e := training.AuditEvent{ID: id, At: at(minutes).In(time.FixedZone("BST", 3600)), Actor: actor, Action: action,
		Outcome: training.AuditOK, RequestID: "req-" + id}
	if officerID != "" {
		e.TargetKind, e.TargetID = training.TargetOfficer, officerID
	}
	return e
}

func auditIDs(es []training.AuditEvent) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

// appendSample stores events out of time order; e2 and e3 share an instant.
func appendSample(t *testing.T, s training.Store) {
	for _, e := range []training.AuditEvent{
		auditEvent("e4", 30, "hr", training.AuditOfficerViewed, "12345"),
		auditEvent("e1", 0, "admin", training.AuditSignIn, ""),
		auditEvent("e3", 10, "hr", training.AuditUpload, ""),
		auditEvent("e2", 10, "admin", training.AuditOfficerViewed, "12345"),
		auditEvent("e5", 40, "system", training.AuditJobRun, ""),
	} {
		check(t, s.AppendAudit(ctx(t), e))
	}
}

func testAuditQuery(t *testing.T, s training.Store) {
	page, err := s.Audit(ctx(t), training.AuditQuery{})
	check(t, err)
	equal(t, "empty trail", page, training.AuditPage{Events: []training.AuditEvent{}})
	appendSample(t, s)
	cases := []struct {
		name string
		q    training.AuditQuery
		want []string
	}{
		{"all, newest first, same instant by ID descending", training.AuditQuery{}, []string{"e5", "e4", "e3", "e2", "e1"}},
		{"by actor", training.AuditQuery{Actor: "hr"}, []string{"e4", "e3"}},
		{"by action", training.AuditQuery{Action: training.AuditOfficerViewed}, []string{"e4", "e2"}},
		{"by officer", training.AuditQuery{TargetKind: training.TargetOfficer, TargetID: "12345"}, []string{"e4", "e2"}},
		{"by officer and actor", training.AuditQuery{TargetKind: training.TargetOfficer, TargetID: "12345", Actor: "admin"}, []string{"e2"}},
		{"by officer before a time", training.AuditQuery{TargetKind: training.TargetOfficer, TargetID: "12345", To: at(30)}, []string{"e2"}},
		{"by officer from a time", training.AuditQuery{TargetKind: training.TargetOfficer, TargetID: "12345", From: at(11)}, []string{"e4"}},
		{"by officer of another kind", training.AuditQuery{TargetKind: training.TargetUser, TargetID: "12345"}, []string{}},
		{"by other officer", training.AuditQuery{TargetID: "999"}, []string{}},
		{"from inclusive, to exclusive", training.AuditQuery{From: at(10), To: at(30)}, []string{"e3", "e2"}},
		{"limit", training.AuditQuery{Limit: 2}, []string{"e5", "e4"}},
	}
	for _, c := range cases {
		page, err := s.Audit(ctx(t), c.q)
		check(t, err)
		equal(t, c.name, auditIDs(page.Events), c.want)
	}
	page, err = s.Audit(ctx(t), training.AuditQuery{Action: training.AuditOfficerViewed, Limit: 1})
	check(t, err)
	want := auditEvent("e4", 30, "hr", training.AuditOfficerViewed, "12345")
	want.At = want.At.UTC()
	equal(t, "stored event, in UTC", page.Events, []training.AuditEvent{want})
}

func testAuditPaging(t *testing.T, s training.Store) {
	appendSample(t, s)
	officer := training.AuditQuery{TargetKind: training.TargetOfficer, TargetID: "12345"}
	for _, q := range []training.AuditQuery{{Limit: 2}, {Limit: 1, To: at(40)}, {Limit: 3, Actor: "admin"},
		{Limit: 1, TargetKind: officer.TargetKind, TargetID: officer.TargetID},
		{Limit: 1, TargetKind: officer.TargetKind, TargetID: officer.TargetID, To: at(30)}} {
		all, err := s.Audit(ctx(t), training.AuditQuery{Actor: q.Actor, To: q.To, TargetKind: q.TargetKind, TargetID: q.TargetID})
		check(t, err)
		var got []string
		for pages := 0; ; pages++ {
			if pages > 10 {
				t.Fatal("paging does not end")
			}
			page, err := s.Audit(ctx(t), q)
			check(t, err)
			if len(page.Events) > q.Limit {
				t.Fatalf("page of %d events, limit %d", len(page.Events), q.Limit)
			}
			got = append(got, auditIDs(page.Events)...)
			if page.Next == "" {
				break
			}
			q.Cursor = page.Next
		}
		equal(t, "pages joined", got, auditIDs(all.Events))
	}
}

func testAuditInvalid(t *testing.T, s training.Store) {
	e := auditEvent("e1", 0, "admin", training.AuditSignIn, "")
	check(t, s.AppendAudit(ctx(t), e))
	wantErr(t, "same event twice", s.AppendAudit(ctx(t), e), training.ErrConflict)
	bad := auditEvent("e2", 0, "admin", "delete_everything", "")
	wantErr(t, "unknown action", s.AppendAudit(ctx(t), bad), training.ErrInvalid)
	bad = auditEvent("e3", 0, "", training.AuditSignIn, "")
	wantErr(t, "no actor", s.AppendAudit(ctx(t), bad), training.ErrInvalid)
	page, err := s.Audit(ctx(t), training.AuditQuery{})
	check(t, err)
	equal(t, "stored", auditIDs(page.Events), []string{"e1"})
}

func testAuditPrune(t *testing.T, s training.Store) {
	appendSample(t, s)
	n, err := s.PruneAudit(ctx(t), at(10))
	check(t, err)
	equal(t, "pruned before at(10)", n, 1)
	n, err = s.PruneAudit(ctx(t), at(30).Add(time.Nanosecond))
	check(t, err)
	equal(t, "pruned up to at(30) inclusive", n, 3)
	page, err := s.Audit(ctx(t), training.AuditQuery{})
	check(t, err)
	equal(t, "left", auditIDs(page.Events), []string{"e5"})
	page, err = s.Audit(ctx(t), training.AuditQuery{TargetKind: training.TargetOfficer, TargetID: "12345"})
	check(t, err)
	equal(t, "pruned events are gone from the officer's index too", auditIDs(page.Events), []string{})
	n, err = s.PruneAudit(ctx(t), at(0))
	check(t, err)
	equal(t, "nothing more", n, 0)
}

// figures is the force-wide report at a date, as JSON (counts only).
func figures(t *testing.T, s training.Store, asOf string) string {
	t.Helper()
	ds, err := s.Dataset(ctx(t))
	check(t, err)
	r, err := training.BuildReport(ds, date(asOf), training.ReportOptions{})
	check(t, err)
	b, err := json.Marshal(r)
	check(t, err)
	return string(b)
}

func testAnonymise(t *testing.T, s training.Store) {
	cs := sample(0, "imp-1")
	// The leaver has a history: completions and a (sensitive) exemption.
	cs.Completions = append(cs.Completions, completion("3", cse, "2025-02-03"), completion("3", tic, "2025-04-05"))
	cs.Exemptions = append(cs.Exemptions, training.Exemption{OfficerID: "3", CourseID: cse, From: date("2025-06-01"),
		Reason: "medical: back injury", Source: src("imp-1", 6)})
	rev, err := s.ApplyChanges(ctx(t), cs)
	check(t, err)
	before := map[string]string{}
	for _, d := range []string{"2025-03-01", "2025-09-01", "2026-06-01"} {
		before[d] = figures(t, s, d)
	}
	orig, err := s.Officer(ctx(t), "3")
	check(t, err)

	n, err := s.AnonymiseOfficers(ctx(t), map[string]string{"3": "ANON-0001", "404": "ANON-0002"})
	check(t, err)
	equal(t, "counts", n, training.AnonymiseCounts{Officers: 1, Completions: 2, Exemptions: 1})
	rev2, err := s.Revision(ctx(t))
	check(t, err)
	equal(t, "revision bumped once", rev2, rev+1)
	for d, want := range before {
		equal(t, "figures at "+d, figures(t, s, d), want)
	}
	_, err = s.Officer(ctx(t), "3")
	wantErr(t, "old ID", err, training.ErrNotFound)
	got, err := s.Officer(ctx(t), "ANON-0001")
	check(t, err)
	equal(t, "anonymised record", got, training.Anonymise(orig, "ANON-0001"))

	// Nothing anywhere in the roster still names the person.
	ds, err := s.Dataset(ctx(t))
	check(t, err)
	b, err := json.Marshal(ds)
	check(t, err)
	for _, gone := range []string{orig.Officer.Name, orig.Officer.Email, orig.Officer.DisplayID, "back injury", `"3"`} {
		if strings.Contains(string(b), gone) {
			t.Errorf("dataset still holds %q after anonymisation", gone)
		}
	}
	for _, m := range []any{ds.Officers, ds.Completions, ds.Exemptions} {
		if strings.Contains(show(m), "map[3:") || strings.Contains(show(m), " 3:") {
			t.Errorf("a roster map is still keyed by the old ID: %s", show(m))
		}
	}
	// Others are untouched.
	one, err := s.Officer(ctx(t), "1")
	check(t, err)
	equal(t, "other officer", one.Officer, cs.Officers[0])

	n, err = s.AnonymiseOfficers(ctx(t), map[string]string{"404": "ANON-0003"})
	check(t, err)
	equal(t, "nobody to anonymise", n, training.AnonymiseCounts{})
	rev3, err := s.Revision(ctx(t))
	check(t, err)
	equal(t, "revision unchanged when nothing changed", rev3, rev2)
}

func testAnonymiseConflict(t *testing.T, s training.Store) {
	_, err := s.ApplyChanges(ctx(t), sample(0, "imp-1"))
	check(t, err)
	_, err = s.AnonymiseOfficers(ctx(t), map[string]string{"3": "ANON-1"})
	check(t, err)
	_, err = s.AnonymiseOfficers(ctx(t), map[string]string{"2": "ANON-1"})
	wantErr(t, "pseudonym in use", err, training.ErrConflict)
	_, err = s.AnonymiseOfficers(ctx(t), map[string]string{"2": "not-a-pseudonym"})
	wantErr(t, "bad pseudonym", err, training.ErrInvalid)
	two, err := s.Officer(ctx(t), "2")
	check(t, err)
	equal(t, "officer 2 untouched", two.Officer.Name, "Officer 2")
}
