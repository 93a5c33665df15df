package server

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/muster-police/muster/server/api"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// liveEqualsBuilt checks that the live compliance JSON of every unit is
// byte for byte a fresh BuildReport of what the store holds.
func liveEqualsBuilt(t *testing.T, e *testEnv, step string) {
	t.Helper()
	var full training.Report
	if err := json.Unmarshal([]byte(builtJSON(t, e.st, "")), &full); err != nil {
		t.Fatal(err)
	}
	full.Walk(func(node *training.ReportNode) {
		if got, want := complianceJSON(t, e, node.Unit), builtJSON(t, e.st, node.Unit); got != want {
			t.Errorf("after %s, unit %q:\n live  %s\n built %s", step, node.Unit, got, want)
		}
	})
}

// TestLiveFiguresFollowAudiences: the live figures follow a change of a
// course's audience through the API (previewed, refused without
// confirm=true, then applied) and an import that moves people into and out
// of it; a person the import moves in gets R = the day of the import, and
// one outside the audience reads not_required on the officer API.
func TestLiveFiguresFollowAudiences(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "samples", "1_roster_full.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.ImportFile(ctx, "hr", bytes.NewReader(data), int64(len(data)), "1_roster_full.xlsx", web.ImportOptions{Full: true, Confirmed: true}); err != nil {
		t.Fatal(err)
	}
	complianceJSON(t, e, "") // the model is loaded
	cse := training.DefaultCourses()[0]
	cse.Audience = training.Audience{Include: []training.AudienceRule{{Unit: training.Words{"Frontline Policing"}}}}

	rec := e.do(req{method: "POST", path: "/api/v1/courses/preview", as: "hr", ctype: "application/json", body: jsonBody([]training.Course{cse})})
	var pv api.CoursePlanJSON
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &pv) != nil || len(pv.Changes) != 1 || !pv.NeedsConfirmation || pv.Changes[0].Leaving == 0 {
		t.Fatalf("preview: %d %s", rec.Code, rec.Body)
	}
	if rec := e.do(req{method: "PUT", path: "/api/v1/courses/cse-recognition", as: "hr", ctype: "application/json", body: jsonBody(cse)}); rec.Code != 409 || !strings.Contains(rec.Body.String(), "confirm") {
		t.Fatalf("unconfirmed change: %d %s", rec.Code, rec.Body)
	}
	if rec := e.do(req{method: "PUT", path: "/api/v1/courses/cse-recognition?confirm=true", as: "hr", ctype: "application/json", body: jsonBody(cse)}); rec.Code != 200 {
		t.Fatalf("confirmed change: %d %s", rec.Code, rec.Body)
	}
	liveEqualsBuilt(t, e, "the audience change")

	// Pick one person inside and one outside, and swap their units.
	ds, err := e.st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var in, out training.Officer
	for _, o := range ds.Officers {
		switch {
		case !o.Active():
		case in.ID == "" && training.InUnit(o.Unit, "Frontline Policing"):
			in = o
		case out.ID == "" && !training.InUnit(o.Unit, "Frontline Policing"):
			out = o
		}
	}
	csv := "Warrant No,Unit\n" + out.DisplayID + "," + in.Unit + "\n" + in.DisplayID + "," + out.Unit + "\n"
	if _, err := e.s.ImportFile(ctx, "hr", strings.NewReader(csv), int64(len(csv)), "moves.csv", web.ImportOptions{Confirmed: true}); err != nil {
		t.Fatal(err)
	}
	liveEqualsBuilt(t, e, "the import that moves people")

	got := func(id string) training.OfficerStatus {
		t.Helper()
		rec := e.do(req{method: "GET", path: "/api/v1/officers/" + id, as: "hr"})
		var st training.OfficerStatus
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &st) != nil {
			t.Fatalf("officer %s: %d %s", id, rec.Code, rec.Body)
		}
		return st
	}
	movedIn := got(out.ID)
	if r := movedIn.Officer.RequiredSince["cse-recognition"]; r != training.DateOf(testNow) {
		t.Errorf("moved in: R = %v, want the day of the import %s", movedIn.Officer.RequiredSince, training.DateOf(testNow))
	}
	movedOut := got(in.ID)
	for _, cs := range movedOut.Courses {
		if cs.CourseID == "cse-recognition" && cs.Status != training.StatusNotRequired {
			t.Errorf("moved out: CSE status %s, want not_required", cs.Status)
		}
	}
}
