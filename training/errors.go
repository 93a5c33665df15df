package training

import "errors"

// The domain's error vocabulary. Callers wrap these with fmt.Errorf("%w")
// to add detail; server/ maps them to HTTP status codes in one place and
// the CLI to exit codes.
var (
	// ErrInvalid means the input is wrong; the message says what and where.
	ErrInvalid = errors.New("invalid")
	// ErrNotFound means the thing asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the change clashes with the current state (it
	// already exists, or the store changed since it was read).
	ErrConflict = errors.New("conflict")
	// ErrForbidden means the caller may not do or see this.
	ErrForbidden = errors.New("forbidden")
	// ErrUnavailable means a dependency (the store, SMTP) cannot be reached
	// right now; trying again later may work.
	ErrUnavailable = errors.New("unavailable")
	// ErrQuota means the caller has used up their own share of a limited
	// resource (kept previews, imports at once); it frees as their work ends.
	ErrQuota = errors.New("over quota")
	// ErrBusy means the service as a whole is at a limit (kept previews,
	// imports at once); trying again later may work.
	ErrBusy = errors.New("busy")
)
