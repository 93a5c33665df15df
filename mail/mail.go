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

// Sender delivers one message. An error is one of three kinds (Class):
// permanent for this message (IsPermanent), relay-wide (IsRelay: stop
// sending, keep everything queued), or else temporary for this message
// (try it again later, others go on).
type Sender interface {
	Send(ctx context.Context, m training.Message) error
}

// Failure classes, for metrics, the Jobs page and logs.
const (
	ClassRecipient = "recipient" // the relay refused this message for good (5xx to RCPT, DATA or the end of data)
	ClassDeferred  = "deferred"  // the relay asked to try this message later (4xx to RCPT, DATA or the end of data)
	ClassRelay     = "relay"     // the relay as a whole: sender refused, connection, TLS, authentication, 421
	ClassMessage   = "message"   // the message cannot be built (an unusable address)
)

// PermanentError marks a failure of one message that retrying will not
// fix: a 5xx reply to its recipient or content, or an address go-mail
// cannot use.
type PermanentError struct {
	Err error
	// Class is ClassRecipient or ClassMessage.
	Class string
}

// Error says the failure is permanent, then what it was.
func (e *PermanentError) Error() string { return "permanent: " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent wraps err as a permanent failure of the message (nil stays nil).
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &PermanentError{Err: err, Class: ClassMessage}
}

// IsPermanent reports whether err is a permanent failure of the message.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// RelayError is a failure of the relay rather than of one message: the
// sender address refused (any reply to MAIL FROM), no connection, TLS or
// authentication failing, a 421 ("service not available, closing
// transmission channel", RFC 5321 §3.8, allowed in reply to any command),
// or a dropped connection. Every message would meet it, so the sender
// stops its run and leaves the outbox as it is until the relay answers.
// It wraps training.ErrUnavailable.
type RelayError struct {
	Err error
	// Code is the SMTP reply code, 0 when there was none (a network error).
	Code int
	// Step is what failed: "connect", "sender", "data", "connection check".
	Step string
}

// Error describes the relay failure.
func (e *RelayError) Error() string {
	return fmt.Sprintf("%v: mail relay (%s): %v", training.ErrUnavailable, e.Step, e.Err)
}

// Unwrap lets errors.Is find ErrUnavailable and the cause.
func (e *RelayError) Unwrap() []error { return []error{training.ErrUnavailable, e.Err} }

// Summary describes the failure without the relay's reply text, which
// may repeat an address: for logs and metrics.
func (e *RelayError) Summary() string {
	if e.Step == stepFolder {
		return "the mail folder cannot be written (disk full or permissions?)"
	}
	if e.Code != 0 {
		return fmt.Sprintf("mail relay refused at %s with reply %d", e.Step, e.Code)
	}
	return fmt.Sprintf("mail relay unreachable at %s (no reply: connection, TLS, timeout)", e.Step)
}

// stepFolder is the Drop's "relay": its folder.
const stepFolder = "mail folder"

// IsRelay reports whether err is a relay-wide failure.
func IsRelay(err error) bool {
	var r *RelayError
	return errors.As(err, &r)
}

// Class returns the failure class of a Send error ("" for nil).
// Everything that is neither permanent nor relay-wide is ClassDeferred.
func Class(err error) string {
	var p *PermanentError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &p):
		return p.Class
	case IsRelay(err):
		return ClassRelay
	}
	return ClassDeferred
}

// Summary describes err for a log line or a job run without personal
// data: the class, the step and the reply code, never the relay's text
// (which often repeats the recipient's address).
func Summary(err error) string {
	var r *RelayError
	if errors.As(err, &r) {
		return r.Summary()
	}
	var se *gomail.SendError
	code := 0
	step := "send"
	if errors.As(err, &se) {
		code, step = se.ErrorCode(), se.Reason.String()
	}
	switch Class(err) {
	case "":
		return ""
	case ClassMessage:
		return "message cannot be built (address unusable)"
	}
	return fmt.Sprintf("%s failure while %s, reply %d", Class(err), step, code)
}

// classify sorts a go-mail error by the SMTP reply and the step it came
// from. Reply codes are RFC 5321 §4.2.1: 4yz is a transient negative
// completion (try again later), 5yz a permanent one; 421 (§3.8) closes
// the whole session. go-mail (v0.8.1, client.go sendSingleMsg) returns a
// *SendError whose Reason names the step (ErrSMTPMailFrom, ErrSMTPRcptTo,
// ErrSMTPData, ErrWriteContent, ErrSMTPDataClose, ErrSMTPReset,
// ErrConnCheck) and ErrorCode the reply's code (0 when the error was not
// a reply, e.g. a timeout); dialling, STARTTLS and AUTH fail before any
// message with a plain error ("dial failed: ...").
//
//   - MAIL FROM refused (4xx or 5xx): the sender address is refused, so
//     every message would be: relay.
//   - RCPT TO, DATA, end of data: 5xx fails this message, 4xx defers it,
//     421 or no reply at all is the relay.
//   - writing the content, checking the connection, dialling, TLS, AUTH:
//     the relay.
//   - RSET after the message was accepted: not a failure of the message
//     (Send checks Msg.IsDelivered before it gets here).
func classify(err error) error {
	if err == nil {
		return nil
	}
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return &RelayError{Err: err, Step: "connect"}
	}
	code := se.ErrorCode()
	switch se.Reason {
	case gomail.ErrGetSender:
		return &RelayError{Err: err, Step: "sender"}
	case gomail.ErrGetRcpts, gomail.ErrNoUnencoded:
		return Permanent(err)
	case gomail.ErrSMTPMailFrom:
		return &RelayError{Err: err, Code: code, Step: "sender"}
	case gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
		switch {
		case code == 421 || code == 0:
			return &RelayError{Err: err, Code: code, Step: "data"}
		case code >= 500 && code < 600:
			return &PermanentError{Err: err, Class: ClassRecipient}
		}
		return training.Unavailablef("%w", err)
	}
	return &RelayError{Err: err, Code: code, Step: "connection check"}
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
