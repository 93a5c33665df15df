package mail_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/mail/mailtest"
)

// TestReplyTo: MUSTER_SMTP_REPLY_TO becomes the Reply-To header, over SMTP
// and in the .eml drop; without it there is none.
func TestReplyTo(t *testing.T) {
	srv := mailtest.New(t)
	s, err := mail.NewSMTP(mail.SMTPConfig{Host: srv.Host(), Port: srv.Port(), TLS: mail.TLSNone,
		From: "Muster <no-reply@force.example>", ReplyTo: "Training team <training@force.example>"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), sample()); err != nil {
		t.Fatal(err)
	}
	if got := srv.Messages(); len(got) != 1 || got[0].Header.Get("Reply-To") != `"Training team" <training@force.example>` {
		t.Errorf("Reply-To over SMTP = %q", got[0].Header.Get("Reply-To"))
	}
	if _, err := mail.NewSMTP(mail.SMTPConfig{Host: "smtp.example", From: "a@example.org", ReplyTo: "nobody"}); err == nil {
		t.Error("a bad reply-to address was accepted")
	}

	dir := t.TempDir()
	d := mail.NewDrop(dir)
	d.ReplyTo = "training@force.example"
	if err := d.Send(context.Background(), sample()); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) != 1 {
		t.Fatalf("drop wrote %d files", len(files))
	}
	b, _ := os.ReadFile(files[0])
	if !strings.Contains(string(b), "Reply-To: <training@force.example>") {
		t.Errorf("the dropped message lacks the Reply-To header:\n%.400s", b)
	}
	plain := mail.NewDrop(t.TempDir())
	if err := plain.Send(context.Background(), sample()); err != nil {
		t.Fatal(err)
	}
}
