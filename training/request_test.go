package training

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var reqNow = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

func TestNewExtensionRequest(t *testing.T) {
	c := Course{ID: "c", Title: "C", Deadline: d("2026-12-01"), DueWithinDays: 90, DueSoonDays: 30}
	o := Officer{ID: "1", StartDate: d("2020-01-01"), FirstSeen: d("2020-01-01")}
	st := Evaluate(o, c, nil, nil, DateOf(reqNow)) // due soon, due 01/12/2026
	reason := "Long-term sick"
	tests := []struct {
		name  string
		c     Course
		st    CourseStatus
		ask   ExtensionAsk
		field string
	}{
		{"60 days after the due date", c, st, ExtensionAsk{Until: d("2027-01-30"), Reason: reason}, ""},
		{"61 days", c, st, ExtensionAsk{Until: d("2027-01-31"), Reason: reason}, "until"},
		{"the course's own bound", Course{ID: "c", Title: "C", MaxExtensionDays: 10}, st, ExtensionAsk{Until: d("2026-12-12"), Reason: reason}, "until"},
		{"within the course's own bound", Course{ID: "c", Title: "C", MaxExtensionDays: 10}, st, ExtensionAsk{Until: d("2026-12-11"), Reason: reason}, ""},
		{"on the due date", c, st, ExtensionAsk{Until: d("2026-12-01"), Reason: reason}, "until"},
		{"no date", c, st, ExtensionAsk{Reason: reason}, "until"},
		{"no reason", c, st, ExtensionAsk{Until: d("2027-01-01"), Reason: "  "}, "reason"},
		{"500 characters", c, st, ExtensionAsk{Until: d("2027-01-01"), Reason: strings.Repeat("é", 500)}, ""},
		{"501 characters", c, st, ExtensionAsk{Until: d("2027-01-01"), Reason: strings.Repeat("é", 501)}, "reason"},
		{"compliant: nothing to move", c, CourseStatus{Status: StatusCompliant}, ExtensionAsk{Until: d("2027-01-01"), Reason: reason}, "course"},
		{"exempt", c, CourseStatus{Status: StatusExempt}, ExtensionAsk{Until: d("2027-01-01"), Reason: reason}, "course"},
	}
	for _, tt := range tests {
		r, err := NewExtensionRequest(o, tt.c, tt.st, tt.ask, reqNow)
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.field != "" && (!errors.Is(err, ErrInvalid) || FieldOf(err) != tt.field):
			t.Errorf("%s: got %v (field %q), want invalid %s", tt.name, err, FieldOf(err), tt.field)
		case tt.field == "" && (r.State != RequestOpen || r.Due != d("2026-12-01") || r.ID == ""):
			t.Errorf("%s: %+v", tt.name, r)
		}
	}
}

func TestRequestLapsesAfter30Days(t *testing.T) {
	r := Request{State: RequestOpen, Created: reqNow}
	lapse := reqNow.AddDate(0, 0, 30)
	if !r.OpenAt(lapse.Add(-time.Second)) || r.StateAt(lapse) != RequestLapsed {
		t.Fatalf("open a second before 30 days: %v; at 30 days: %s", r.OpenAt(lapse.Add(-time.Second)), r.StateAt(lapse))
	}
	if !strings.Contains(r.StateWords(lapse), "Lapsed on 24/12/2026") {
		t.Errorf("a lapsed request says %q", r.StateWords(lapse))
	}
	if err := r.Decide(true, "", "sam", "Sam", lapse); !errors.Is(err, ErrConflict) {
		t.Errorf("deciding a lapsed request: %v", err)
	}
	if err := r.Decide(false, "", "sam", "Sam", reqNow); FieldOf(err) != "reason" {
		t.Errorf("declining without a reason: %v", err)
	}
	if err := r.Decide(true, "", "sam", "Sam", reqNow); err != nil || r.State != RequestApproved {
		t.Fatalf("approve: %v %s", err, r.State)
	}
	if err := r.Decide(false, "no", "hr", "HR", reqNow); !errors.Is(err, ErrConflict) {
		t.Errorf("deciding twice: %v", err)
	}
}

// An approved extension moves the due date: the person is not overdue
// until then, and every wording says so.
func TestEvaluateExtension(t *testing.T) {
	c := Course{ID: "c", Title: "C", Deadline: d("2026-10-01"), DueWithinDays: 90, DueSoonDays: 30}
	o := Officer{ID: "1", StartDate: d("2020-01-01")}
	if st := Evaluate(o, c, nil, nil, d("2026-11-24")); st.Status != StatusOverdue {
		t.Fatalf("without an extension: %s", st.Status)
	}
	o.Extensions = map[string]Extension{"c": {Until: d("2026-12-20"), By: "Sam Sergeant", RequestID: "r"}}
	st := Evaluate(o, c, nil, nil, d("2026-11-24"))
	if st.Status != StatusDueSoon || st.Due != d("2026-12-20") || st.Extension == nil {
		t.Fatalf("with an extension to 20/12: %+v", st)
	}
	if w := Describe(st).Words; w != "Due soon — due by 20/12/2026 (extended to 20/12/2026 by Sam Sergeant)" {
		t.Errorf("words: %q", w)
	}
	if st := Evaluate(o, c, nil, nil, d("2026-12-20")); st.Status != StatusDueSoon {
		t.Errorf("on the extended date: %s", st.Status)
	}
	if st := Evaluate(o, c, nil, nil, d("2026-12-21")); st.Status != StatusOverdue {
		t.Errorf("the day after: %s", st.Status)
	}
	// An extension earlier than the due date changes nothing.
	o.Extensions["c"] = Extension{Until: d("2026-09-01"), By: "Sam"}
	if st := Evaluate(o, c, nil, nil, d("2026-11-24")); st.Status != StatusOverdue || st.Extension != nil {
		t.Errorf("an extension before the due date: %+v", st)
	}
	// A completion wins.
	o.Extensions["c"] = Extension{Until: d("2026-12-20"), By: "Sam"}
	if st := Evaluate(o, c, []Completion{{CourseID: "c", Date: d("2026-11-01")}}, nil, d("2026-11-24")); st.Status != StatusCompliant {
		t.Errorf("completed: %s", st.Status)
	}
}

// Certificates are judged by their bytes, never their names.
func TestCheckCertificate(t *testing.T) {
	tests := []struct {
		file, want string
	}{
		{"real.pdf", "application/pdf"},
		{"real.png", "image/png"},
		{"real.jpg", "image/jpeg"},
		{"pdf-renamed.png", "application/pdf"}, // a PDF named .png is a PDF
		{"html-named.pdf", ""},
		{"svg-named.png", ""},
	}
	for _, tt := range tests {
		b, err := os.ReadFile(filepath.Join("testdata", "certificates", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		got, err := CheckCertificate(b)
		if tt.want == "" {
			if FieldOf(err) != "certificate" {
				t.Errorf("%s: accepted as %q (%v)", tt.file, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: %q %v, want %s", tt.file, got, err, tt.want)
		}
	}
	big := append([]byte("%PDF-1.4\n"), make([]byte, MaxCertificateBytes+1-9)...)
	if _, err := CheckCertificate(big); FieldOf(err) != "certificate" {
		t.Errorf("5 MB + 1 byte: %v", err)
	}
	if _, err := CheckCertificate(big[:MaxCertificateBytes]); err != nil {
		t.Errorf("exactly 5 MB: %v", err)
	}
	// The stored name follows the content.
	pdf, _ := os.ReadFile(filepath.Join("testdata", "certificates", "pdf-renamed.png"))
	r, err := NewClaimRequest(Officer{ID: "1"}, Course{ID: "c"}, ClaimAsk{Done: d("2026-10-01"), Where: "Kent Police",
		Certificate: &Certificate{Name: "../my cert.png", Data: pdf}}, reqNow)
	if err != nil || r.Certificate.Name != ".._my cert.pdf" || r.Certificate.Type != "application/pdf" {
		t.Errorf("claim: %v %+v", err, r.Certificate)
	}
	if _, err := NewClaimRequest(Officer{ID: "1"}, Course{ID: "c"}, ClaimAsk{Done: d("2026-11-25"), Where: "Kent"}, reqNow); FieldOf(err) != "done" {
		t.Errorf("a date in the future: %v", err)
	}
}

// Someone long overdue counts the days of an extension from today.
func TestExtensionOfSomeoneOverdue(t *testing.T) {
	c := Course{ID: "c", Title: "C", Deadline: d("2026-03-31"), DueWithinDays: 90, DueSoonDays: 30}
	o := Officer{ID: "1", StartDate: d("2020-01-01")}
	st := Evaluate(o, c, nil, nil, DateOf(reqNow)) // overdue since 31/03/2026
	if _, err := NewExtensionRequest(o, c, st, ExtensionAsk{Until: d("2026-05-01"), Reason: "x"}, reqNow); FieldOf(err) != "until" {
		t.Errorf("a date already past: %v", err)
	}
	if _, err := NewExtensionRequest(o, c, st, ExtensionAsk{Until: d("2027-01-23"), Reason: "x"}, reqNow); err != nil {
		t.Errorf("60 days from today: %v", err)
	}
	if _, err := NewExtensionRequest(o, c, st, ExtensionAsk{Until: d("2027-01-24"), Reason: "x"}, reqNow); FieldOf(err) != "until" {
		t.Errorf("61 days from today: %v", err)
	}
}
