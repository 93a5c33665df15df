// Package mail delivers the outbox's messages: over SMTP (go-mail) or, in
// the embedded default without SMTP settings, as .eml files in a folder.
package mail

import (
	"context"
	"errors"
	"fmt"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"github.com/muster-police/muster/training"
)

// Sender delivers one message. An error is temporary (try again later)
// unless IsPermanent says otherwise.
type Sender interface {
	Send(ctx context.Context, m training.Message) error
}

// PermanentError marks a failure that retrying will not fix (a 5xx reply,
// an address the server refuses, a message that cannot be built).
type PermanentError struct{ Err error }

// Error says the failure is permanent, then what it was.
func (e *PermanentError) Error() string { return "permanent: " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent wraps err as a permanent failure (nil stays nil).
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &PermanentError{Err: err}
}

// IsPermanent reports whether err is a permanent delivery failure. Every
// other error (4xx replies, refused or dropped connections, timeouts) is
// temporary: the outbox retries it with backoff.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// classify turns a go-mail error into a temporary or permanent one. Only
// a 5xx reply to the message itself (MAIL FROM, RCPT TO, DATA) or a
// recipient go-mail cannot even parse is permanent: a 5xx during AUTH is a
// configuration problem an admin can fix, so those messages wait.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var se *gomail.SendError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		switch {
		case code >= 500 && code < 600:
			return Permanent(err)
		case code == 0 && (se.Reason == gomail.ErrGetRcpts || se.Reason == gomail.ErrGetSender):
			return Permanent(err)
		}
	}
	return fmt.Errorf("%w: %w", training.ErrUnavailable, err)
}

// build turns an outbox message into a go-mail message: multipart
// text + HTML, the planned Message-ID, and headers that keep auto-replies away.
func build(from, replyTo string, m training.Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.From(from); err != nil {
		return nil, Permanent(fmt.Errorf("from address: %w", err))
	}
	if replyTo != "" {
		if err := msg.ReplyTo(replyTo); err != nil {
			return nil, Permanent(fmt.Errorf("reply-to address: %w", err))
		}
	}
	if err := msg.To(m.To); err != nil {
		return nil, Permanent(fmt.Errorf("recipient address: %w", err))
	}
	msg.Subject(m.Subject)
	if id := strings.Trim(m.MessageID, "<>"); id != "" {
		msg.SetMessageIDWithValue(id)
	} else {
		msg.SetMessageID()
	}
	msg.SetDate()
	msg.SetBulk()
	msg.SetGenHeader(gomail.HeaderXMailer, "Muster")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}
