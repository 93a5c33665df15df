package server

import (
	"context"
	"net/url"
	"time"

	"github.com/muster-police/muster/internal/requests"
	"github.com/muster-police/muster/training"
)

// pdfBytes is a minimal PDF: what a certificate's content must look like.
const pdfBytes = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

// seedRequests adds what the request routes of the authorization matrix
// need: a leaver (X1), a request for more time by A2 (line manager L1,
// whose accounts are mgr-line and mgr-two) and a claim with a certificate
// by B1 (routed to HR). It returns their IDs.
func seedRequests(e *testEnv) (extension, claim string) {
	ctx := context.Background()
	rev, err := e.st.Revision(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	leaver := training.Officer{ID: "X1", DisplayID: "X1", Name: "Xavier Leftforce", Unit: "Alpha / Team 1", Leaver: true,
		LeftOn: training.DateOf(testNow), StartDate: training.DateFrom(2020, 1, 6), FirstSeen: training.DateFrom(2025, 1, 1)}
	if _, err := e.st.ApplyChanges(ctx, training.ChangeSet{BaseRevision: rev, Officers: []training.Officer{leaver},
		Import: training.ImportRecord{ID: "seed-leaver", Kind: training.ImportPartial, By: "test", At: testNow, Outcome: training.OutcomeApplied}}); err != nil {
		e.t.Fatal(err)
	}
	courses, err := e.st.Courses(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	a2, err := e.s.Requests.AskMoreTime(ctx, "A2", training.ExtensionAsk{CourseID: courses[0].ID, Until: training.DateOf(testNow).AddDays(20), Reason: "On a posting abroad"}, requestsActorFor(""))
	if err != nil {
		e.t.Fatalf("A2 asks for more time: %v", err)
	}
	b1, err := e.s.Requests.ClaimDone(ctx, "B1", training.ClaimAsk{CourseID: courses[1].ID, Done: training.DateOf(testNow).AddDays(-10), Where: "Kent Police",
		Certificate: &training.Certificate{Name: "kent.pdf", Data: []byte(pdfBytes)}}, requestsActorFor(""))
	if err != nil {
		e.t.Fatalf("B1 claims: %v", err)
	}
	return a2.ID, b1.ID
}

// requestRows are the authorization matrix's rows of the request routes.
func requestRows(e *testEnv) []matrixRow {
	extension, claim := seedRequests(e)
	link := training.SignOfficerLink(testSecret, "A1", testNow.Add(24*time.Hour))
	leaver := training.SignOfficerLink(testSecret, "X1", testNow.Add(24*time.Hour))
	courses := training.DefaultCourses()
	// An ask without a date: the form again with the problem (422), for
	// anyone holding A1's link (a signed-in browser sends its CSRF token
	// too); nothing is stored, so every caller gets the same.
	noDate := formOf(url.Values{"kind": {"extension"}, "course": {courses[1].ID}, "reason": {"Court"}})
	// A decline without a reason: refused after the check of who may
	// decide (those who may: 303 back with the problem; the API: 400).
	decline := formOf(url.Values{"decision": {"decline"}})
	// Managers outside the person's units and reporting line are told the
	// request does not exist; mgr-a sees A2 (Alpha) but was not sent the
	// request, so may not decide it.
	// A trainer records registers and decides no requests.
	outsideA2 := map[string]int{"mgr-a": 403, "mgr-none": 404, "trainer": 403}
	outsideB1 := map[string]int{"mgr-a": 404, "mgr-line": 404, "mgr-none": 404, "trainer": 403}
	trainer := map[string]int{"trainer": 403}
	return []matrixRow{
		{method: "POST", route: "/me/:token/requests", path: "/me/" + link + "/requests", access: public, ok: 422, body: noDate},
		// A leaver's link and a broken one: refused, nothing asked.
		{method: "POST", route: "/me/:token/requests", path: "/me/" + leaver + "/requests", access: public, ok: 403, body: noDate},
		{method: "POST", route: "/me/:token/requests", path: "/me/not-a-link/requests", access: public, ok: 403, body: noDate},

		{method: "GET", route: "/api/v1/requests", access: anyone, ok: 200, special: trainer},
		{method: "POST", route: "/api/v1/requests/:id/decision", path: "/api/v1/requests/" + extension + "/decision", access: anyone, ok: 400,
			body: jsonOf(map[string]string{"decision": "decline"}), special: outsideA2},
		{method: "POST", route: "/api/v1/requests/:id/decision", path: "/api/v1/requests/" + claim + "/decision", access: anyone, ok: 400,
			body: jsonOf(map[string]string{"decision": "decline"}), special: outsideB1},
		{method: "GET", route: "/requests", access: anyone, ok: 200, special: trainer},
		{method: "POST", route: "/requests/:id/decide", path: "/requests/" + extension + "/decide", access: anyone, ok: 303, body: decline, special: outsideA2},
		{method: "GET", route: "/requests/:id/certificate", path: "/requests/" + claim + "/certificate", access: anyone, ok: 200, special: outsideB1},
		{method: "GET", route: "/requests/:id/certificate", path: "/requests/nope/certificate", access: anyone, ok: 404, special: trainer},
	}
}

// requestsActorFor is an actor for tests that call the use case directly.
func requestsActorFor(user string) requests.Actor { return requests.Actor{Username: user} }
