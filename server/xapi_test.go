package server

import (
	"context"
	"encoding/base64"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/server/api"
	"github.com/muster-police/muster/storage/redis/redistest"
	"github.com/muster-police/muster/training"
)

// xapiStmt is a statement by account name (officer ID) about an activity.
func xapiStmt(id, name, verb, activity, activityName, ts string) string {
	return `{"id":"` + id + `","actor":{"objectType":"Agent","account":{"homePage":"https://lms.test","name":"` + name + `"}},
 "verb":{"id":"` + verb + `","display":{"en-GB":"did"}},
 "object":{"objectType":"Activity","id":"` + activity + `","definition":{"name":{"en-GB":"` + activityName + `"}}},
 "timestamp":"` + ts + `"}`
}

const (
	completedVerb = "http://adlnet.gov/expapi/verbs/completed"
	s1            = "11111111-1111-4111-8111-111111111111"
)

func (e *testEnv) xapi(method, path, body string, header map[string]string) (int, string) {
	e.t.Helper()
	h := map[string]string{"X-Experience-API-Version": "1.0.3",
		"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("hr:"+e.bearer["token"]))}
	for k, v := range header {
		h[k] = v
	}
	r := req{method: method, path: path, header: h}
	if body != "" {
		r.body, r.ctype = strings.NewReader(body), "application/json"
	}
	rec := e.do(r)
	if rec.Header().Get("X-Experience-API-Version") == "" {
		e.t.Errorf("%s %s: no X-Experience-API-Version in the response", method, path)
	}
	return rec.Code, rec.Body.String()
}

func (e *testEnv) cseStatus(id string) (training.Status, training.Date) {
	e.t.Helper()
	d := decode[api.OfficerResponse](e.t, e.do(req{method: "GET", path: "/api/v1/officers/" + id, as: "hr"}))
	for _, c := range d.Courses {
		if c.CourseID == "cse-recognition" {
			var when training.Date
			if c.Completion != nil {
				when = c.Completion.Date
			}
			return c.Status, when
		}
	}
	e.t.Fatalf("no CSE course for %s", id)
	return "", training.Date{}
}

// TestXAPIStatements: a completed statement records a completion the
// figures show at once; a repeat changes nothing, the same ID with other
// content is 409, a batch with one bad statement stores nothing and says
// which, and voiding takes the completion back.
func TestXAPIStatements(t *testing.T) {
	e := newTestEnv(t)
	figures := func() int {
		rec := e.do(req{method: "GET", path: "/api/v1/compliance?course=cse-recognition", as: "hr"})
		return decode[training.Report](t, rec).Courses[0].Compliant
	}
	before := figures()
	st := xapiStmt(s1, "A2", completedVerb, "https://lms.test/course/7", "CSE awareness", "2026-06-30T23:30:00Z")
	code, body := e.xapi("POST", "/xapi/statements", st, nil)
	if code != 200 || body != `["`+s1+`"]`+"\n" {
		t.Fatalf("post: %d %s", code, body)
	}
	if status, d := e.cseStatus("A2"); status != training.StatusCompliant || d != (training.DateFrom(2026, 7, 1)) {
		t.Fatalf("A2 after the statement: %s %s (the timestamp is 1 July in London)", status, d)
	}
	if got := figures(); got != before+1 {
		t.Fatalf("compliant %d -> %d", before, got)
	}
	if code, _ := e.xapi("POST", "/xapi/statements", st, nil); code != 200 {
		t.Fatalf("repeat: %d", code)
	}
	other := strings.Replace(st, completedVerb, "http://adlnet.gov/expapi/verbs/passed", 1)
	if code, body := e.xapi("PUT", "/xapi/statements?statementId="+s1, other, nil); code != 409 || !strings.Contains(body, s1) {
		t.Fatalf("same id, other content: %d %s", code, body)
	}

	s2, s3 := "22222222-2222-4222-8222-222222222222", "33333333-3333-4333-8333-333333333333"
	batch := "[" + xapiStmt(s2, "B3", completedVerb, "https://lms.test/course/7", "CSE", "2026-11-01T10:00:00Z") + "," +
		strings.Replace(xapiStmt(s3, "B3", completedVerb, "https://lms.test/course/7", "CSE", "2026-11-01T10:00:00Z"), `"homePage"`, `"homepage"`, 1) + "]"
	if code, body := e.xapi("POST", "/xapi/statements", batch, nil); code != 400 || !strings.Contains(body, "Statement 2: actor.account") || !strings.Contains(body, "homepage") {
		t.Fatalf("bad batch: %d %s", code, body)
	}
	if code, _ := e.xapi("GET", "/xapi/statements?statementId="+s2, "", nil); code != 404 {
		t.Fatalf("a statement of the refused batch was stored: %d", code)
	}

	void := `{"id":"44444444-4444-4444-8444-444444444444","actor":{"mbox":"mailto:lms@lms.test"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},"object":{"objectType":"StatementRef","id":"` + s1 + `"}}`
	if code, body := e.xapi("POST", "/xapi/statements", void, nil); code != 200 {
		t.Fatalf("void: %d %s", code, body)
	}
	if status, _ := e.cseStatus("A2"); status == training.StatusCompliant {
		t.Fatal("A2 still compliant after the statement was voided")
	}
	if got := figures(); got != before {
		t.Fatalf("compliant after voiding %d, want %d", got, before)
	}
	if code, _ := e.xapi("GET", "/xapi/statements?statementId="+s1, "", nil); code != 404 {
		t.Fatalf("a voided statement by statementId: %d", code)
	}
	if code, body := e.xapi("GET", "/xapi/statements?voidedStatementId="+s1, "", nil); code != 200 || !strings.Contains(body, `"stored"`) {
		t.Fatalf("a voided statement by voidedStatementId: %d %s", code, body)
	}

	// A void that comes before its statement: the statement records nothing.
	early := "99999999-9999-4999-8999-999999999999"
	voidFirst := strings.Replace(void, s1, early, 1)
	voidFirst = strings.Replace(voidFirst, "44444444-4444-4444-8444-444444444444", "44444444-4444-4444-8444-444444444445", 1)
	if code, body := e.xapi("POST", "/xapi/statements", voidFirst, nil); code != 200 {
		t.Fatalf("early void: %d %s", code, body)
	}
	if code, body := e.xapi("POST", "/xapi/statements", strings.Replace(st, s1, early, 1), nil); code != 200 {
		t.Fatalf("statement after its void: %d %s", code, body)
	}
	if status, _ := e.cseStatus("A2"); status == training.StatusCompliant {
		t.Fatal("a statement voided before it arrived still counts")
	}

	// The version header is required; Basic needs the token's user.
	if code, body := e.xapi("POST", "/xapi/statements", st, map[string]string{"X-Experience-API-Version": ""}); code != 400 || !strings.Contains(body, "X-Experience-API-Version") {
		t.Fatalf("no version: %d %s", code, body)
	}
	wrong := "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:"+e.bearer["token"]))
	if code, _ := e.xapi("POST", "/xapi/statements", st, map[string]string{"Authorization": wrong}); code != 401 {
		t.Fatalf("basic with another user: %d", code)
	}
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("hr:"+e.bearer["token"]))
	if rec := e.do(req{method: "GET", path: "/api/v1/compliance", header: map[string]string{"Authorization": basic}}); rec.Code != 401 {
		t.Fatalf("Basic outside /xapi/: %d", rec.Code)
	}
	if code, body := e.xapi("GET", "/xapi/about", "", map[string]string{"Authorization": "", "X-Experience-API-Version": ""}); code != 200 || !strings.Contains(body, "1.0.3") {
		t.Fatalf("about: %d %s", code, body)
	}

	recs, err := e.st.Imports(context.Background(), 0)
	found := false
	for _, r := range recs {
		found = found || strings.HasPrefix(r.ID, "xapi-") && r.By == "lms (token of hr)" && r.Summary.Completions == 1
	}
	if err != nil || !found {
		t.Fatalf("no xapi- history entry for the client: %+v %v", recs, err)
	}
}

// TestXAPIWaitingAndRematch: statements that match no course or person
// are kept and listed for HR, and count once HR maps the activity; an
// officer ID not on the roster is an orphan completion; mbox matches by
// e-mail; cmi5's waived records a completion.
func TestXAPIWaitingAndRematch(t *testing.T) {
	e := newTestEnv(t)
	unknownCourse := xapiStmt("55555555-5555-4555-8555-555555555555", "B3", completedVerb, "https://lms.test/course/99", "Module 99", "2026-11-02T10:00:00Z")
	orphan := xapiStmt("66666666-6666-4666-8666-666666666666", "Z9", completedVerb, "https://lms.test/course/7", "CSE", "2026-11-02T10:00:00Z")
	byMail := `{"id":"77777777-7777-4777-8777-777777777777","actor":{"mbox":"mailto:Bella@police.test"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},
	 "object":{"id":"https://lms.test/course/7","definition":{"name":{"en":"CSE"}}},"result":{"completion":true},"timestamp":"2026-11-03T10:00:00Z"}`
	waived := `{"id":"88888888-8888-4888-8888-888888888888","actor":{"account":{"homePage":"https://lms.test","name":"A1"}},"verb":{"id":"https://w3id.org/xapi/adl/verbs/waived"},
	 "object":{"id":"https://lms.test/course/7","definition":{"name":{"en":"CSE"}}},"result":{"success":true,"completion":true,"extensions":{"https://w3id.org/xapi/cmi5/result/extensions/reason":"Tested Out"}},"timestamp":"2026-11-04T10:00:00Z"}`
	code, body := e.xapi("POST", "/xapi/statements", "["+unknownCourse+","+orphan+","+byMail+","+waived+"]", nil)
	if code != 200 {
		t.Fatalf("post: %d %s", code, body)
	}
	if _, d := e.cseStatus("B1"); d != (training.DateFrom(2026, 11, 3)) {
		t.Fatalf("mbox statement: B1's CSE date %s", d)
	}
	if _, d := e.cseStatus("A1"); d != (training.DateFrom(2026, 11, 4)) {
		t.Fatalf("waived statement: A1's CSE date %s", d)
	}
	waiting := decode[[]api.WaitingStatement](t, e.do(req{method: "GET", path: "/api/v1/xapi/waiting", as: "hr"}))
	if len(waiting) != 2 || waiting[0].Status != "unmatched" || !strings.Contains(waiting[0].Problem, "course/99") || waiting[1].Status != "orphan" {
		t.Fatalf("waiting: %+v", waiting)
	}

	courses, err := e.st.Courses(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cse := courses[0]
	cse.ActivityIDs = []string{"https://lms.test/course/99"}
	if rec := e.do(req{method: "PUT", path: "/api/v1/courses/" + cse.ID, as: "hr", body: jsonBody(cse), ctype: "application/json"}); rec.Code != 200 {
		t.Fatalf("course: %d %s", rec.Code, rec.Body)
	}
	// The course edit looked at the waiting statements again.
	if status, d := e.cseStatus("B3"); status != training.StatusCompliant || d != (training.DateFrom(2026, 11, 2)) {
		t.Fatalf("B3 after the activity was mapped: %s %s", status, d)
	}
	waiting = decode[[]api.WaitingStatement](t, e.do(req{method: "GET", path: "/api/v1/xapi/waiting", as: "hr"}))
	if len(waiting) != 1 || waiting[0].Account != "Z9" {
		t.Fatalf("waiting after the course edit: %+v", waiting)
	}
	// A statement by e-mail of someone not on the roster waits; the import
	// that adds them makes it count.
	nina := `{"id":"12121212-1212-4212-8212-121212121212","actor":{"mbox":"mailto:nina@police.test"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},
	 "object":{"id":"https://lms.test/course/99"},"timestamp":"2026-11-05T10:00:00Z"}`
	if code, body := e.xapi("POST", "/xapi/statements", nina, nil); code != 200 {
		t.Fatalf("nina: %d %s", code, body)
	}
	if rec := upload(e, "hr", map[string]string{"confirm": "true"}, "new.csv", newJoinerCSV); rec.Code != 201 && rec.Code != 200 {
		t.Fatalf("import: %d %s", rec.Code, rec.Body)
	}
	if status, d := e.cseStatus("A9"); status != training.StatusCompliant || d != (training.DateFrom(2026, 11, 5)) {
		t.Fatalf("A9 after the import that added her: %s %s", status, d)
	}

	// Z9's completion is stored (an orphan); once Z9 is on the roster,
	// HR's rematch (or the next import) takes it off the list.
	rev, err := e.st.Revision(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	z := testOfficers()[0]
	z.ID, z.DisplayID = "Z9", "Z9"
	if _, err := e.st.ApplyChanges(context.Background(), training.ChangeSet{BaseRevision: rev, Officers: []training.Officer{z},
		Import: training.ImportRecord{ID: "z9", Kind: training.ImportPartial, By: "test", At: testNow, Outcome: training.OutcomeApplied}}); err != nil {
		t.Fatal(err)
	}
	if status, d := e.cseStatus("Z9"); status != training.StatusCompliant || d != (training.DateFrom(2026, 11, 2)) {
		t.Fatalf("Z9 once on the roster: %s %s", status, d)
	}
	rec := e.do(req{method: "POST", path: "/api/v1/xapi/rematch", as: "hr"})
	if rec.Code != 200 || decode[map[string]int](t, rec)["matched"] != 1 {
		t.Fatalf("rematch: %d %s", rec.Code, rec.Body)
	}
	if waiting = decode[[]api.WaitingStatement](t, e.do(req{method: "GET", path: "/api/v1/xapi/waiting", as: "hr"})); len(waiting) != 0 {
		t.Fatalf("waiting after rematch: %+v", waiting)
	}
}

// TestXAPIMoodleCourseCompleted feeds the statement Moodle's
// logstore_xapi plugin sends for a course completion (its own test
// fixture): the account (homePage = the Moodle site, name = user ID)
// and the course's IRI give a completion dated when it arrived (the
// fixture has no timestamp), which counts once the officer is on the roster.
func TestXAPIMoodleCourseCompleted(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.XAPIHomePage = "http://www.example.org/" })
	fixture, err := os.ReadFile("testdata/xapi/moodle_course_completed.json")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	courses, err := e.st.Courses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cse := courses[0]
	cse.ActivityIDs = []string{"http://www.example.org/course/view.php?id=2"}
	if err := e.st.PutCourses(ctx, []training.Course{cse}); err != nil {
		t.Fatal(err)
	}
	if code, body := e.xapi("POST", "/xapi/statements", string(fixture), nil); code != 200 {
		t.Fatalf("moodle fixture: %d %s", code, body)
	}
	rev, err := e.st.Revision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	o := testOfficers()[0]
	o.ID, o.DisplayID, o.Name = "1", "1", "Moodle User"
	if _, err := e.st.ApplyChanges(ctx, training.ChangeSet{BaseRevision: rev, Officers: []training.Officer{o},
		Import: training.ImportRecord{ID: "moodle-user", Kind: training.ImportPartial, By: "test", At: testNow, Outcome: training.OutcomeApplied}}); err != nil {
		t.Fatal(err)
	}
	if status, d := e.cseStatus("1"); status != training.StatusCompliant || d != training.DateOf(testNow) {
		t.Fatalf("Moodle user 1: %s %s", status, d)
	}
}

// TestXAPIReplicasFollow: two servers on one real redis-server; a
// statement posted through A, and then its voiding, reach B's figures
// through the change feed, and both match a fresh build.
func TestXAPIReplicasFollow(t *testing.T) {
	st := openRedis(t, "redis://"+redistest.Start(t, "--save", "", "--appendonly", "no").Addr())
	a := newTestEnvOn(t, st)
	b := replica(t, a, 0)
	before := complianceJSON(t, b, "") // loads B's model
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); b.s.Live.Tail(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	waitB := func(what string) {
		t.Helper()
		rev, err := st.Revision(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		for b.s.Live.Revision() < rev {
			if time.Since(start) > 5*time.Second {
				t.Fatalf("%s: B is at revision %d, not %d, 5 s later", what, b.s.Live.Revision(), rev)
			}
			time.Sleep(time.Millisecond)
		}
		if got, want := complianceJSON(t, b, ""), builtJSON(t, st, ""); got != want {
			t.Fatalf("%s: B's figures differ from a fresh build:\n got  %s\n want %s", what, got, want)
		}
	}
	st1 := xapiStmt(s1, "B3", completedVerb, "https://lms.test/course/7", "CSE", "2026-11-20T10:00:00Z")
	if code, body := a.xapi("POST", "/xapi/statements", st1, nil); code != 200 {
		t.Fatalf("post on A: %d %s", code, body)
	}
	waitB("the statement")
	if complianceJSON(t, b, "") == before {
		t.Fatal("B's figures did not move")
	}
	void := `{"actor":{"mbox":"mailto:lms@lms.test"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},"object":{"objectType":"StatementRef","id":"` + s1 + `"}}`
	if code, body := a.xapi("POST", "/xapi/statements", void, nil); code != 200 {
		t.Fatalf("void on A: %d %s", code, body)
	}
	waitB("the voiding")
	if got := complianceJSON(t, b, ""); got != before {
		t.Fatalf("B after voiding:\n got  %s\n want %s", got, before)
	}
}
