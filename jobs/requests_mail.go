package jobs

import (
	"net/url"
	"strings"
	"time"

	"github.com/muster-police/muster/training"
)

// Emails about officers' requests (internal/requests): a new request to
// those who may decide it, the decision to the officer. They are written
// to the outbox like reminders, with ledger keys naming the officer
// ("request|OFFICER|REQUEST|…", so a subject access export finds them),
// and the sender delivers them and retries them through relay failures.

// Request email templates (built in, not editable).
const (
	TemplateRequestNew     = "request-new"
	TemplateRequestDecided = "request-decided"
)

// RequestMailData is what the request templates see.
type RequestMailData struct {
	Name      string // the recipient
	Officer   string // the officer who asked
	OfficerID string
	Unit      string
	Course    string
	What      string // training.Request.What
	Reason    string // why more time is needed
	Lapses    string // DD/MM/YYYY
	// Outcome is "approved" or "declined"; DecidedBy signs it.
	Outcome, DecidedBy, DeclineReason string
	// Words is the officer's standing on the course after the decision.
	Words string
	URL   string // the Requests page, or the officer's own page
}

// RequestMessage renders a request email to to, as a queued outbox
// message whose Message-ID follows from its ledger key.
func RequestMessage(template, to, ledgerKey, baseURL string, data RequestMailData, now time.Time) (training.Message, error) {
	src, err := DefaultTemplate(template)
	if err != nil {
		return training.Message{}, err
	}
	r, err := parseTemplate(template, src)
	if err != nil {
		return training.Message{}, err
	}
	subject, text, html, err := r.render(data)
	if err != nil {
		return training.Message{}, err
	}
	domain := "muster.invalid"
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		domain = u.Hostname()
	}
	keys := []string{ledgerKey}
	m := newMessage("request", to, keys, domain, "", now)
	m.Subject, m.Text, m.HTML = subject, text, html
	m.ID = now.UTC().Format("20060102T150405.000000Z") + "-r-" + strings.Trim(m.MessageID, "<>")[:12]
	return m, nil
}
