package training

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestAuditFilterQuery(t *testing.T) {
	london := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, London).UTC() }
	tests := []struct {
		name string
		f    AuditFilter
		want AuditQuery
		err  string
	}{
		{"empty", AuditFilter{}, AuditQuery{}, ""},
		{"officer ID as written", AuditFilter{Officer: " 0012345 "}, AuditQuery{TargetKind: TargetOfficer, TargetID: "12345"}, ""},
		{"days in London, to inclusive (summer time)", AuditFilter{From: "2026-06-01", To: "2026-06-30"},
			AuditQuery{From: london(2026, 6, 1), To: london(2026, 7, 1)}, ""},
		{"equal instants (an empty range) are refused", AuditFilter{From: "2026-11-24T09:00:00Z", To: "2026-11-24T10:00:00+01:00"},
			AuditQuery{From: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}, "before the to date"},
		{"action", AuditFilter{Action: "sign_in", Actor: " hr "}, AuditQuery{Action: AuditSignIn, Actor: "hr"}, ""},
		{"unknown action", AuditFilter{Action: "delete"}, AuditQuery{}, `action "delete" is not one of sign_in,`},
		{"bad date", AuditFilter{To: "31/12/2026"}, AuditQuery{}, `to "31/12/2026" must be a date`},
		{"reversed", AuditFilter{From: "2026-12-01", To: "2026-11-01"}, AuditQuery{}, "before the to date"},
	}
	for _, tt := range tests {
		got, err := tt.f.Query()
		switch {
		case tt.err != "":
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want ErrInvalid with %q", tt.name, err, tt.err)
			}
		case err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case got != tt.want:
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestNewAuditEventBounds(t *testing.T) {
	long := strings.Repeat("é", 400) // 800 bytes
	e := NewAuditEvent(time.Date(2026, 11, 24, 9, 0, 0, 0, London), " a\u200bdmin ", AuditExport, "", "", "", long)
	if e.Actor != "admin" || e.Outcome != AuditOK || e.At.Location() != time.UTC || e.ID == "" {
		t.Errorf("event: %+v", e)
	}
	if len(e.Detail) > maxAuditDetail || !strings.HasPrefix(long, e.Detail) || !strings.HasSuffix(e.Detail, "é") {
		t.Errorf("detail cut to %d bytes, mid-character or not a prefix", len(e.Detail))
	}
	if err := e.Validate(); err != nil {
		t.Error(err)
	}
	if a, b := AuditKey(e.At, "b"), AuditKey(e.At.Add(time.Nanosecond), "a"); a >= b {
		t.Errorf("AuditKey does not sort by time: %s >= %s", a, b)
	}
}
