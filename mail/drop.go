package mail

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/muster-police/muster/training"
)

// Drop "sends" messages by writing them as RFC 5322 .eml files in a
// folder: the embedded default when no SMTP relay is configured, so that
// the web UI can list the mail that would have been sent.
type Drop struct {
	dir string
	// From is the sender address written into each file.
	From string
	// ReplyTo, when set, is written as the Reply-To header.
	ReplyTo string
}

// DefaultDropFrom is the sender address of dropped messages.
const DefaultDropFrom = "Muster <muster@localhost>"

// NewDrop returns a sender writing into dir (created on first send).
func NewDrop(dir string) *Drop { return &Drop{dir: dir, From: DefaultDropFrom} }

// Dir returns the folder the files are written to.
func (d *Drop) Dir() string { return d.dir }

// FileName returns the file a message is written to: its Message-ID made
// safe for a file name, so a resend replaces the file instead of adding one.
func FileName(m training.Message) string {
	id := strings.Trim(m.MessageID, "<>")
	if id == "" {
		id = m.ID
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		case r == '@':
			return '_'
		}
		return '-'
	}, id) + ".eml"
}

// Send writes m to the folder atomically (a temporary file renamed into
// place), so a reader never sees half a message.
func (d *Drop) Send(ctx context.Context, m training.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	msg, err := build(d.From, d.ReplyTo, m)
	if err != nil {
		return err
	}
	// A folder that cannot be written fails every message alike: it is
	// the drop's relay, and the sender stops and keeps the queue.
	if err := os.MkdirAll(d.dir, 0o750); err != nil {
		return &RelayError{Err: err, Step: stepFolder}
	}
	tmp, err := os.CreateTemp(d.dir, ".sending-*.tmp")
	if err != nil {
		return &RelayError{Err: err, Step: stepFolder}
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := msg.WriteTo(tmp); err != nil {
		tmp.Close()
		return &RelayError{Err: err, Step: stepFolder}
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return &RelayError{Err: err, Step: stepFolder}
	}
	if err := tmp.Close(); err != nil {
		return &RelayError{Err: err, Step: stepFolder}
	}
	if err := os.Rename(tmp.Name(), filepath.Join(d.dir, FileName(m))); err != nil {
		return &RelayError{Err: err, Step: stepFolder}
	}
	return nil
}

// Prune deletes .eml files last written before before (the messages
// stay in the outbox; only their copies go) and returns how many.
func (d *Drop) Prune(before time.Time) (int, error) {
	entries, err := os.ReadDir(d.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".eml") {
			continue
		}
		info, err := e.Info()
		if err != nil || !info.ModTime().Before(before) {
			continue
		}
		if err := os.Remove(filepath.Join(d.dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return n, err
		}
		n++
	}
	return n, nil
}
