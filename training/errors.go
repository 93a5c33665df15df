package training

import (
	"errors"
	"fmt"
)

// Kind is what sort of failure an Error is. The edges decide from it
// alone: server/ maps it to an HTTP status and code in one error handler,
// the CLI to an exit code; none of them reads the message to decide.
type Kind string

// The kinds of failure.
const (
	// KindInvalid means the input is wrong; the message says what and where.
	KindInvalid Kind = "invalid"
	// KindNotFound means the thing asked for does not exist.
	KindNotFound Kind = "not_found"
	// KindConflict means the change clashes with the current state (it
	// already exists, or the store changed since it was read).
	KindConflict Kind = "conflict"
	// KindForbidden means the caller may not do or see this.
	KindForbidden Kind = "forbidden"
	// KindUnauthenticated means the caller has not shown who they are, or
	// what they showed (password, one-time password, sign-on) failed.
	KindUnauthenticated Kind = "unauthenticated"
	// KindUnavailable means a dependency (the store, SMTP) cannot be
	// reached right now; trying again later may work.
	KindUnavailable Kind = "unavailable"
	// KindOverQuota means the caller has used up their own share of a
	// limited resource (kept previews, imports at once); it frees as their
	// work ends.
	KindOverQuota Kind = "over_quota"
	// KindBusy means the service as a whole is at a limit (kept previews,
	// imports at once); trying again later may work.
	KindBusy Kind = "busy"
)

// Error is the one error type from the domain to every edge: a kind to
// decide on, the form field it concerns (if any) and a sentence safe to
// show to the person who asked. Err is the cause, for logs and errors.Is.
type Error struct {
	Kind    Kind
	Field   string // the input it concerns ("email", "role", "unit"), or ""
	Message string // one plain sentence for people, or "" for the kind's default
	Err     error  // the cause, if any
}

// sentinels are the values errors.Is compares against, one per kind; each
// is itself an *Error with no message.
var sentinels = map[Kind]*Error{}

func sentinel(k Kind) *Error {
	e := &Error{Kind: k}
	sentinels[k] = e
	return e
}

// The sentinels, for errors.Is(err, training.ErrInvalid) and friends: an
// *Error of that kind is one of them, whatever its message.
var (
	ErrInvalid         = sentinel(KindInvalid)
	ErrNotFound        = sentinel(KindNotFound)
	ErrConflict        = sentinel(KindConflict)
	ErrForbidden       = sentinel(KindForbidden)
	ErrUnauthenticated = sentinel(KindUnauthenticated)
	ErrUnavailable     = sentinel(KindUnavailable)
	ErrQuota           = sentinel(KindOverQuota)
	ErrBusy            = sentinel(KindBusy)
)

// kindText is how a kind reads at the start of an error's text in logs
// ("invalid: the date …"), as it did before the kinds had a type.
var kindText = map[Kind]string{
	KindInvalid: "invalid", KindNotFound: "not found", KindConflict: "conflict",
	KindForbidden: "forbidden", KindUnauthenticated: "unauthenticated", KindUnavailable: "unavailable",
	KindOverQuota: "over quota", KindBusy: "busy",
}

// Error is the text for logs: the kind, then the message.
func (e *Error) Error() string {
	t := kindText[e.Kind]
	if t == "" {
		t = string(e.Kind)
	}
	if e.Message != "" {
		return t + ": " + e.Message
	}
	if e.Err != nil {
		return t + ": " + e.Err.Error()
	}
	return t
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is the sentinel of e's kind.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t == sentinels[e.Kind]
}

// Errorf makes an *Error of kind k whose message is the formatted text; a
// %w verb in format records that error as the cause.
func Errorf(k Kind, format string, a ...any) *Error {
	err := fmt.Errorf(format, a...)
	return &Error{Kind: k, Message: err.Error(), Err: errors.Unwrap(err)}
}

// FieldErrorf is Errorf for a failure that concerns one input field, so a
// form can show the message beside it.
func FieldErrorf(k Kind, field, format string, a ...any) *Error {
	e := Errorf(k, format, a...)
	e.Field = field
	return e
}

// Invalidf is Errorf(KindInvalid, …).
func Invalidf(format string, a ...any) error { return Errorf(KindInvalid, format, a...) }

// NotFoundf is Errorf(KindNotFound, …).
func NotFoundf(format string, a ...any) error { return Errorf(KindNotFound, format, a...) }

// Conflictf is Errorf(KindConflict, …).
func Conflictf(format string, a ...any) error { return Errorf(KindConflict, format, a...) }

// Forbiddenf is Errorf(KindForbidden, …).
func Forbiddenf(format string, a ...any) error { return Errorf(KindForbidden, format, a...) }

// Unavailablef is Errorf(KindUnavailable, …).
func Unavailablef(format string, a ...any) error { return Errorf(KindUnavailable, format, a...) }

// OverQuotaf is Errorf(KindOverQuota, …).
func OverQuotaf(format string, a ...any) error { return Errorf(KindOverQuota, format, a...) }

// Busyf is Errorf(KindBusy, …).
func Busyf(format string, a ...any) error { return Errorf(KindBusy, format, a...) }

// AsError returns the first *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// KindOf is the kind of the first *Error in err's chain, or "" for an
// error from outside the domain (a bug, a dependency's own error).
func KindOf(err error) Kind {
	if e := AsError(err); e != nil {
		return e.Kind
	}
	return ""
}

// FieldOf is the form field the first *Error in err's chain concerns.
func FieldOf(err error) string {
	if e := AsError(err); e != nil {
		return e.Field
	}
	return ""
}

// MessageOf is the sentence to show a person for err: the first *Error's
// message, after whatever context the layers above it added ("officer
// A1: " + "no such officer"), without the kind's word that Error() puts
// first for logs. A kind's bare sentinel wrapped with context gives that
// whole text; the bare sentinel itself, or an error from outside the
// domain, gives "" (the edge then says the kind's own default).
func MessageOf(err error) string {
	e := AsError(err)
	if e == nil || err == error(e) && e.Message == "" {
		return ""
	}
	if e.Message == "" {
		return err.Error()
	}
	full, own := err.Error(), e.Error()
	if len(full) > len(own) && full[len(full)-len(own):] == own {
		return full[:len(full)-len(own)] + e.Message
	}
	return e.Message
}

// SetAs is for a domain error type that carries its own fields yet is an
// *Error of one kind: its As method calls SetAs(target, e) so that
// errors.As(err, &*Error) finds e.
func SetAs(target any, e *Error) bool {
	p, ok := target.(**Error)
	if ok {
		*p = e
	}
	return ok
}
