package mail_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/mail/mailtest"
	"github.com/muster-police/muster/training"
)

func sample() training.Message {
	return training.Message{
		ID:        "m1",
		MessageID: "<a1b2c3@muster.example>",
		Kind:      "reminder",
		To:        "pc.jones@force.example",
		Subject:   "Mandatory training: action needed",
		Text:      "Dear PC Jones,\n\nPlease complete CSE recognition by 31/03/2026.\nhttps://muster.example/me/tok\n",
		HTML:      `<p>Dear PC Jones,</p><p>Please complete <a href="https://learn.example/cse">CSE recognition</a>.</p>`,
	}
}

func newSMTP(t *testing.T, srv *mailtest.Server, user, pass string) *mail.SMTP {
	t.Helper()
	s, err := mail.NewSMTP(mail.SMTPConfig{Host: srv.Host(), Port: srv.Port(), TLS: mail.TLSNone,
		User: user, Password: pass, From: "Muster <training@force.example>"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSMTPDeliversTextAndHTMLWithPlannedMessageID(t *testing.T) {
	srv := mailtest.New(t)
	s := newSMTP(t, srv, "", "")
	m := sample()
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("received %d messages, want 1", len(got))
	}
	r := got[0]
	checks := map[string]string{
		"Message-Id": "<a1b2c3@muster.example>",
		"Subject":    m.Subject,
		"To":         "<pc.jones@force.example>",
		"From":       `"Muster" <training@force.example>`,
		"Precedence": "bulk",
	}
	for h, want := range checks {
		if v := r.Header.Get(h); v != want {
			t.Errorf("header %s = %q, want %q", h, v, want)
		}
	}
	if r.From != "training@force.example" || len(r.To) != 1 || r.To[0] != m.To {
		t.Errorf("envelope from %q to %v", r.From, r.To)
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/alternative") {
		t.Errorf("content type %q, want multipart/alternative", r.Header.Get("Content-Type"))
	}
	text, html, err := mailtest.Parts(r.Raw)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(text) != strings.TrimSpace(m.Text) {
		t.Errorf("text part:\n%s\nwant:\n%s", text, m.Text)
	}
	if strings.TrimSpace(html) != m.HTML {
		t.Errorf("html part:\n%s\nwant:\n%s", html, m.HTML)
	}
}

func TestSMTPErrorsAreClassified(t *testing.T) {
	srv := mailtest.New(t)
	srv.Reject("gone@force.example", 550)
	srv.Reject("full@force.example", 452)
	srv.Reject("closing@force.example", 421)
	s := newSMTP(t, srv, "", "")
	tests := []struct {
		name       string
		to         string
		down       bool
		senderCode int
		class      string
	}{
		{"5xx recipient refused fails the message", "gone@force.example", false, 0, mail.ClassRecipient},
		{"4xx mailbox full defers the message", "full@force.example", false, 0, mail.ClassDeferred},
		{"421 to RCPT is the relay closing", "closing@force.example", false, 0, mail.ClassRelay},
		{"server down is the relay", "pc.jones@force.example", true, 0, mail.ClassRelay},
		{"550 to MAIL FROM is the relay", "pc.jones@force.example", false, 550, mail.ClassRelay},
		{"451 to MAIL FROM is the relay", "pc.jones@force.example", false, 451, mail.ClassRelay},
		{"unparseable address fails the message", "not an address", false, 0, mail.ClassMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.down {
				srv.Stop()
				defer srv.Start()
			}
			srv.RejectSender(tt.senderCode)
			defer srv.RejectSender(0)
			m := sample()
			m.To = tt.to
			err := s.Send(context.Background(), m)
			if err == nil {
				t.Fatal("send succeeded, want an error")
			}
			if got := mail.Class(err); got != tt.class {
				t.Errorf("Class = %q, want %q (err %v)", got, tt.class, err)
			}
			if mail.IsPermanent(err) != (tt.class == mail.ClassRecipient || tt.class == mail.ClassMessage) {
				t.Errorf("IsPermanent = %v for class %s", mail.IsPermanent(err), tt.class)
			}
			if mail.IsRelay(err) != (tt.class == mail.ClassRelay) {
				t.Errorf("IsRelay = %v for class %s", mail.IsRelay(err), tt.class)
			}
			if !mail.IsPermanent(err) && !errors.Is(err, training.ErrUnavailable) {
				t.Errorf("temporary error %v does not wrap ErrUnavailable", err)
			}
			if sum := mail.Summary(err); strings.Contains(sum, "@") {
				t.Errorf("summary %q holds an address", sum)
			}
		})
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages delivered, want 0", n)
	}
}

// A relay that takes longer to answer the end of data than the connect
// timeout still gets the message once: the reply timeout is separate
// (RFC 5321 §4.5.3.2.6 allows 10 minutes).
func TestSMTPWaitsForSlowEndOfDataReply(t *testing.T) {
	srv := mailtest.New(t)
	srv.SlowData(1500 * time.Millisecond)
	s, err := mail.NewSMTP(mail.SMTPConfig{Host: srv.Host(), Port: srv.Port(), TLS: mail.TLSNone,
		From: "Muster <training@force.example>", Timeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), sample()); err != nil {
		t.Fatalf("send to a slow relay: %v", err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d messages delivered, want 1", n)
	}
}

func TestSMTPAuth(t *testing.T) {
	srv := mailtest.New(t)
	srv.RequireAuth("muster", "s3cret")
	if err := newSMTP(t, srv, "muster", "wrong").Send(context.Background(), sample()); !mail.IsRelay(err) {
		t.Errorf("wrong password: err %v, want a relay error (an admin can fix the settings)", err)
	}
	if err := newSMTP(t, srv, "muster", "s3cret").Send(context.Background(), sample()); err != nil {
		t.Fatalf("right password: %v", err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d messages delivered, want 1", n)
	}
}

func TestNewSMTPValidates(t *testing.T) {
	tests := []struct {
		name string
		cfg  mail.SMTPConfig
		ok   bool
	}{
		{"starttls default", mail.SMTPConfig{Host: "smtp.example", From: "a@example.org"}, true},
		{"implicit tls", mail.SMTPConfig{Host: "smtp.example", TLS: "tls", From: "a@example.org"}, true},
		{"no host", mail.SMTPConfig{From: "a@example.org"}, false},
		{"bad from", mail.SMTPConfig{Host: "smtp.example", From: "nobody"}, false},
		{"bad tls mode", mail.SMTPConfig{Host: "smtp.example", TLS: "ssl3", From: "a@example.org"}, false},
		{"negative rate", mail.SMTPConfig{Host: "smtp.example", From: "a@example.org", Rate: -1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mail.NewSMTP(tt.cfg)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, training.ErrInvalid) {
				t.Errorf("err %v does not wrap ErrInvalid", err)
			}
		})
	}
}

func TestDropWritesOneEMLPerMessageID(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	d := mail.NewDrop(dir)
	m := sample()
	for range 2 { // a resend replaces the file
		if err := d.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "a1b2c3_muster.example.eml" {
		t.Fatalf("files %v, want exactly a1b2c3_muster.example.eml", entries)
	}
	raw, err := os.ReadFile(filepath.Join(dir, entries[0].Name()))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "Message-ID: <a1b2c3@muster.example>") {
		t.Errorf("file has no Message-ID header:\n%s", raw)
	}
	text, html, err := mailtest.Parts(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "CSE recognition by 31/03/2026") || !strings.Contains(html, `href="https://learn.example/cse"`) {
		t.Errorf("parts not as sent:\n%s\n%s", text, html)
	}
}

func TestFileNameIsSafe(t *testing.T) {
	tests := map[string]string{
		"<x@y.z>":            "x_y.z.eml",
		"<../../etc/passwd>": "..-..-etc-passwd.eml",
	}
	for id, want := range tests {
		if got := mail.FileName(training.Message{MessageID: id}); got != want {
			t.Errorf("FileName(%q) = %q, want %q", id, got, want)
		}
	}
}

func TestSMTPOverTLS(t *testing.T) {
	tests := []struct {
		name string
		mode mailtest.TLSMode
		tls  string
	}{
		{"STARTTLS", mailtest.StartTLS, mail.TLSStartTLS},
		{"implicit TLS", mailtest.Implicit, mail.TLSImplicit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, clientTLS := mailtest.NewTLS(t, tt.mode)
			srv.RequireAuth("muster", "s3cret")
			s, err := mail.NewSMTP(mail.SMTPConfig{Host: srv.Host(), Port: srv.Port(), TLS: tt.tls, User: "muster", Password: "s3cret",
				From: "training@force.example", TLSConfig: clientTLS})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Send(context.Background(), sample()); err != nil {
				t.Fatal(err)
			}
			if n := len(srv.Messages()); n != 1 {
				t.Fatalf("delivered %d, want 1", n)
			}
		})
	}
	// STARTTLS is required, not opportunistic: a relay without it is refused.
	plain := mailtest.New(t)
	s, err := mail.NewSMTP(mail.SMTPConfig{Host: plain.Host(), Port: plain.Port(), TLS: mail.TLSStartTLS, From: "training@force.example"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), sample()); err == nil || len(plain.Messages()) != 0 {
		t.Errorf("sent without TLS: err %v", err)
	}
}

// A mail folder that cannot be written is the drop's relay failing: every
// message would meet it. Prune removes old files only.
func TestDropFolderProblemsAndPrune(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "not-a-folder")
	if err := os.WriteFile(blocker, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := mail.NewDrop(filepath.Join(blocker, "mail")).Send(context.Background(), sample())
	if !mail.IsRelay(err) || strings.Contains(mail.Summary(err), "@") {
		t.Fatalf("unwritable folder: %v (relay %v)", err, mail.IsRelay(err))
	}
	d := mail.NewDrop(filepath.Join(dir, "mail"))
	old, fresh := sample(), sample()
	fresh.MessageID = "<fresh@muster.example>"
	for _, m := range []training.Message{old, fresh} {
		if err := d.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	past := time.Now().Add(-40 * 24 * time.Hour)
	if err := os.Chtimes(filepath.Join(d.Dir(), mail.FileName(old)), past, past); err != nil {
		t.Fatal(err)
	}
	n, err := d.Prune(time.Now().Add(-30 * 24 * time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("prune: %d %v", n, err)
	}
	if _, err := os.Stat(filepath.Join(d.Dir(), mail.FileName(fresh))); err != nil {
		t.Errorf("the fresh file went: %v", err)
	}
	if n, err := mail.NewDrop(filepath.Join(dir, "none")).Prune(time.Now()); n != 0 || err != nil {
		t.Errorf("prune of a missing folder: %d %v", n, err)
	}
}
