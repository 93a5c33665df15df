package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// claimBody is a Done elsewhere form with a certificate under name.
func claimBody(t *testing.T, course, name string, cert []byte, extra map[string]string) (*bytes.Buffer, string) {
	fields := map[string]string{"kind": "claim", "course": course, "done": "2026-11-01", "where": "Kent Police"}
	for k, v := range extra {
		fields[k] = v
	}
	r, ctype := multipartBody(t, "certificate", fields, map[string]string{name: string(cert)})
	return r.(*bytes.Buffer), ctype
}

func testdataCert(t *testing.T, name string) []byte {
	b, err := os.ReadFile(filepath.Join("..", "training", "testdata", "certificates", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRequestClaimThroughThePages: a certificate is judged by its bytes
// and bounded; an approved claim (HR only) records the completion with
// the certificate as its evidence; the certificate downloads only as an
// attachment, to those who may decide; the subject access export holds
// the request and the certificate; every step is audited.
func TestRequestClaimThroughThePages(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	tic := training.DefaultCourses()[1].ID
	link := training.SignOfficerLinkAt(testSecret, "A1", testNow, testNow.Add(24*time.Hour))
	post := func(body *bytes.Buffer, ctype string) *http.Response {
		return e.do(req{method: "POST", path: "/me/" + link + "/requests", body: body, ctype: ctype}).Result()
	}
	mine := func() []training.Request {
		rs, err := e.st.Requests(ctx, training.RequestQuery{OfficerID: "A1"})
		if err != nil {
			t.Fatal(err)
		}
		return rs
	}

	// An HTML file named .pdf, an SVG named .png, and 5 MB + 1 byte of PDF: refused by their field.
	big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{'x'}, training.MaxCertificateBytes+1-9)...)
	for name, cert := range map[string][]byte{"certificate.pdf": testdataCert(t, "html-named.pdf"), "photo.png": testdataCert(t, "svg-named.png"), "big.pdf": big} {
		res := post(claimBody(t, tic, name, cert, nil))
		body := readAll(res)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="certificate-claim-`+tic+`-error"`) {
			t.Errorf("%s: status %d; the page does not show the problem by the certificate field", name, res.StatusCode)
		}
	}
	// A body larger than a certificate can make it: 413 before it is read.
	res := post(claimBody(t, tic, "huge.pdf", bytes.Repeat([]byte{'x'}, web.CertificateBodyBytes), nil))
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a 5 MB + 64 KB body: status %d, want 413", res.StatusCode)
	}
	if rs := mine(); len(rs) != 0 {
		t.Fatalf("refused claims were stored: %+v", rs)
	}

	// A PDF named .png is a PDF; a field naming someone else changes nothing.
	pdf := testdataCert(t, "pdf-renamed.png")
	res = post(claimBody(t, tic, "scan.png", pdf, map[string]string{"officer_id": "B1", "officer": "B1"}))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("claim: status %d: %s", res.StatusCode, readAll(res))
	}
	rs := mine()
	if len(rs) != 1 || rs[0].Certificate == nil || rs[0].Certificate.Type != "application/pdf" || rs[0].Certificate.Name != "scan.pdf" {
		t.Fatalf("stored: %+v", rs)
	}
	if others, _ := e.st.Requests(ctx, training.RequestQuery{OfficerID: "B1"}); len(others) != 0 {
		t.Fatalf("A1's link made a request for B1: %+v", others)
	}
	id := rs[0].ID
	// A second one about the same course while it is open: refused.
	res = post(claimBody(t, tic, "scan.pdf", pdf, nil))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a second open claim: status %d, want 422", res.StatusCode)
	}

	// The certificate: deciders only, as an attachment with its sniffed type.
	if r := e.do(req{method: "GET", path: "/requests/" + id + "/certificate", as: "mgr-a"}); r.Code != http.StatusNotFound {
		t.Errorf("a manager downloads a claim's certificate: %d", r.Code)
	}
	dl := e.do(req{method: "GET", path: "/requests/" + id + "/certificate", as: "hr"})
	h := dl.Header()
	if dl.Code != 200 || !bytes.Equal(dl.Body.Bytes(), pdf) || h.Get("Content-Type") != "application/pdf" || h.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(h.Get("Content-Disposition"), `attachment; filename="scan.pdf"`) {
		t.Errorf("download: %d %v", dl.Code, h)
	}

	// A manager may not approve a claim; HR may.
	if r := e.do(req{method: "POST", path: "/api/v1/requests/" + id + "/decision", as: "mgr-a", body: jsonBody(map[string]string{"decision": "approve"}), ctype: "application/json"}); r.Code != http.StatusForbidden {
		t.Errorf("a manager approves a claim: %d", r.Code)
	}
	if r := e.do(req{method: "POST", path: "/api/v1/requests/" + id + "/decision", as: "hr", body: jsonBody(map[string]string{"decision": "approve"}), ctype: "application/json"}); r.Code != 200 {
		t.Fatalf("HR approves: %d %s", r.Code, r.Body)
	}
	if r := e.do(req{method: "POST", path: "/api/v1/requests/" + id + "/decision", as: "admin", body: jsonBody(map[string]string{"decision": "decline", "reason": "late"}), ctype: "application/json"}); r.Code != http.StatusConflict {
		t.Errorf("deciding twice: %d", r.Code)
	}
	rec, err := e.st.Officer(ctx, "A1")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range rec.Completions {
		if c.CourseID == tic && c.Date == (training.DateFrom(2026, 11, 1)) && c.Source.ImportID == "request-"+id && strings.Contains(c.Source.File, "scan.pdf") {
			found = true
		}
	}
	if !found {
		t.Errorf("no completion with the certificate as its evidence: %+v", rec.Completions)
	}
	// The officer's page says it is done.
	if body := e.do(req{method: "GET", path: "/me/" + link}).Body.String(); !strings.Contains(body, "Approved by hr") {
		t.Errorf("the officer's page does not show the decision")
	}

	// The subject access export holds the request and the certificate.
	sa := e.do(req{method: "GET", path: "/api/v1/officers/A1/subject-access", as: "admin"})
	var got training.SubjectAccess
	if err := web.JSONUnmarshal(sa.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Requests) != 1 || got.Requests[0].ID != id || len(got.Certificates) != 1 || !bytes.Equal(got.Certificates[0].Data, pdf) ||
		!strings.Contains(sa.Body.String(), base64.StdEncoding.EncodeToString(pdf)) {
		t.Errorf("subject access without the request or its certificate: %s", clip(sa.Body.String()))
	}
	// Every step is in the audit trail, about A1.
	page, err := e.st.Audit(ctx, training.AuditQuery{TargetKind: training.TargetOfficer, TargetID: "A1", Action: training.AuditRequest})
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, ev := range page.Events {
		steps = append(steps, ev.Actor+" "+ev.Outcome+" "+ev.Detail)
	}
	all := strings.Join(steps, "\n")
	for _, want := range [][2]string{{"officer-link ok", "request " + id + " asked"}, {"hr ok", "certificate downloaded"},
		{"hr ok", "request " + id + " approved"}, {"mgr-a denied", "decision refused"}, {"mgr-a denied", "certificate refused"}} {
		if !strings.Contains(all, want[0]+" "+want[1]) && !strings.Contains(all, want[0]+" request "+id+" "+strings.TrimPrefix(want[1], "request "+id+" ")) {
			t.Errorf("the audit trail has no %q:\n%s", want, all)
		}
	}
	// The emails: the new claim to HR, the decision to the officer.
	msgs, err := e.st.Messages(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	var subjects []string
	for _, m := range msgs {
		subjects = append(subjects, m.To+": "+m.Subject)
	}
	if !strings.Contains(strings.Join(subjects, "\n"), "alice@police.test: Your request about") {
		t.Errorf("no decision email to the officer: %q", subjects)
	}
}

func readAll(res *http.Response) string {
	var b bytes.Buffer
	b.ReadFrom(res.Body)
	return b.String()
}

// A request nobody decided lapses after 30 days: the officer's page says
// so and offers the form again; the Requests page no longer counts it.
func TestRequestLapsesOnThePages(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	cse := training.DefaultCourses()[0].ID
	old := training.Request{ID: "old", Kind: training.RequestExtension, OfficerID: "A2", CourseID: cse, Until: training.DateOf(testNow),
		Reason: "Court", Due: training.NewDate(2026, 3, 31), Deciders: []string{"mgr-line"}, State: training.RequestOpen,
		Created: testNow.AddDate(0, 0, -training.RequestLapseDays)}
	if err := e.st.CreateRequest(ctx, old); err != nil {
		t.Fatal(err)
	}
	link := training.SignOfficerLinkAt(testSecret, "A2", testNow, testNow.Add(24*time.Hour))
	body := e.do(req{method: "GET", path: "/me/" + link}).Body.String()
	if !strings.Contains(body, "Lapsed on 24/11/2026 without a decision") || !strings.Contains(body, `id="until-extension-`+cse+`"`) {
		t.Errorf("the officer's page does not say the request lapsed, or does not offer the form again")
	}
	if nav := e.do(req{method: "GET", path: "/requests", as: "mgr-line"}).Body.String(); strings.Contains(nav, "Requests (1 open)") || !strings.Contains(nav, "Nothing is waiting") {
		t.Errorf("a lapsed request is still counted or listed as waiting")
	}
	if r := e.do(req{method: "POST", path: "/api/v1/requests/old/decision", as: "hr", body: jsonBody(map[string]string{"decision": "approve"}), ctype: "application/json"}); r.Code != http.StatusConflict {
		t.Errorf("deciding a lapsed request: %d", r.Code)
	}
}
