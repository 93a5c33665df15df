package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/muster-police/muster/internal/matrix"
	"github.com/muster-police/muster/training"
)

// TestTeamMatrixOutsideScope: a manager asking for a unit outside theirs
// is refused alike by the page, the export and the API, and none of them
// names anyone there.
func TestTeamMatrixOutsideScope(t *testing.T) {
	e := newTestEnv(t)
	for _, path := range []string{"/matrix?unit=Bravo", "/matrix.xlsx?unit=Bravo", "/api/v1/matrix?unit=Bravo", "/matrix?unit=Bravo+%2F+Team+9&sort=name"} {
		rec := e.do(req{method: "GET", path: path, as: "mgr-a"})
		if rec.Code != http.StatusForbidden || strings.Contains(rec.Body.String(), "Bravoname") {
			t.Errorf("%s as mgr-a: %d %s", path, rec.Code, clip(rec.Body.String()))
		}
		if rec := e.do(req{method: "GET", path: path, as: "hr"}); rec.Code != http.StatusOK {
			t.Errorf("%s as hr: %d %s", path, rec.Code, clip(rec.Body.String()))
		}
	}
	// Their own unit: only their people.
	rec := e.do(req{method: "GET", path: "/matrix", as: "mgr-a"})
	if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, "Alice Aardvark") || strings.Contains(body, "Bravoname") {
		t.Errorf("/matrix as mgr-a: %d %s", rec.Code, clip(body))
	}
}

// TestTeamMatrixAPIAndPage: the API's JSON is the use case's answer; the
// page shows each status in words with its date, links every name to the
// person, follows sort and filter; the xlsx has the same rows and cells.
func TestTeamMatrixAPIAndPage(t *testing.T) {
	e := newTestEnv(t)
	rec := e.do(req{method: "GET", path: "/api/v1/matrix?unit=Alpha&sort=name", as: "token"})
	if rec.Code != 200 {
		t.Fatalf("api: %d %s", rec.Code, rec.Body.String())
	}
	var m matrix.Matrix
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range m.Rows {
		names = append(names, r.Person.Name)
	}
	if got := strings.Join(names, "|"); got != `=HYPERLINK("http://evil.test","x")|Adam Apple|Alice Aardvark|Lena Linemanager` {
		t.Errorf("rows by name: %s", got)
	}
	// Most overdue first: A1 completed CSE, the others have done nothing.
	rec = e.do(req{method: "GET", path: "/api/v1/matrix?unit=Alpha", as: "hr"})
	json.Unmarshal(rec.Body.Bytes(), &m)
	if len(m.Rows) != 4 || m.Rows[3].Person.ID != "A1" || m.Rows[0].DaysOverdue < m.Rows[3].DaysOverdue {
		t.Errorf("default order: %+v", m.Rows)
	}
	a1 := m.Rows[3]
	rec = e.do(req{method: "GET", path: "/api/v1/matrix?unit=Alpha&status=compliant", as: "hr"})
	var only matrix.Matrix
	json.Unmarshal(rec.Body.Bytes(), &only)
	if len(only.Rows) != 1 || only.Rows[0].Person.ID != "A1" || only.People != 4 {
		t.Errorf("status=compliant: %d rows of %d people", len(only.Rows), only.People)
	}

	page := e.do(req{method: "GET", path: "/matrix?unit=Alpha&status=compliant", as: "hr"}).Body.String()
	cell := a1.Cells[0]
	for _, want := range []string{`<a href="/officers/A1?as_of=2026-11-24">Alice Aardvark</a>`, `>Compliant</span>`, cell.DateText(), `href="/matrix.xlsx?`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "Adam Apple") {
		t.Error("the compliant filter shows Adam Apple")
	}
	if !strings.Contains(e.do(req{method: "GET", path: "/?unit=Alpha", as: "hr"}).Body.String(), `href="/matrix?unit=Alpha`) {
		t.Error("the dashboard does not link the unit's matrix")
	}

	x := e.do(req{method: "GET", path: "/matrix.xlsx?unit=Alpha&sort=name", as: "hr"})
	if x.Code != 200 || !strings.Contains(x.Header().Get("Content-Disposition"), "matrix-Alpha-2026-11-24.xlsx") {
		t.Fatalf("xlsx: %d %v", x.Code, x.Header())
	}
	f, err := excelize.OpenReader(bytes.NewReader(x.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Matrix")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[0][1] != "Name" || rows[0][4] != m.Courses[0].Title {
		t.Fatalf("xlsx rows: %q", rows)
	}
	if rows[1][1] != `'=HYPERLINK("http://evil.test","x")` {
		t.Errorf("a name that is a formula is written %q", rows[1][1])
	}
	if want := cell.Words(); rows[3][1] != "Alice Aardvark" || rows[3][4] != want {
		t.Errorf("Alice's row %q, want CSE cell %q", rows[3], want)
	}
	if ev := auditEvents(t, e, training.AuditQuery{Action: training.AuditExport}); len(ev) != 1 || !strings.HasPrefix(ev[0].Detail, "matrix xlsx") {
		t.Errorf("the export is not audited: %+v", ev)
	}
}

// TestTeamMatrixPageFormErrors: an unknown unit or a bad date brings the
// form back with the problem beside the field (422), not an error page;
// the API answers the same problem as JSON.
func TestTeamMatrixPageFormErrors(t *testing.T) {
	e := newTestEnv(t)
	for _, tc := range []struct{ path, field, api string }{
		{"/matrix?unit=Charlie", "unit", "/api/v1/matrix?unit=Charlie"},
		{"/matrix?unit=Alpha&as_of=someday", "as_of", "/api/v1/matrix?unit=Alpha&as_of=someday"},
		{"/matrix?unit=Alpha&sort=rank", "sort", "/api/v1/matrix?unit=Alpha&sort=rank"},
	} {
		rec := e.do(req{method: "GET", path: tc.path, as: "hr"})
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="`+tc.field+`-error"`) || !strings.Contains(body, `<form method="get" action="/matrix"`) || strings.Contains(body, "matrix-table") {
			t.Errorf("%s: %d %s", tc.path, rec.Code, clip(body))
		}
		if rec := e.do(req{method: "GET", path: tc.api, as: "hr"}); rec.Code != http.StatusBadRequest && rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d", tc.api, rec.Code)
		}
	}
}
