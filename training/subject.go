package training

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// SubjectAccess is everything Muster holds about one officer, for a
// subject access request (UK GDPR Art. 15): the roster record with the
// import (file and row) each part came from, the import log entries those
// name, completions and exemptions with their provenance, the emails the
// outbox holds that were addressed to them or are about them, and the
// audit events that name them (who viewed or exported their record).
type SubjectAccess struct {
	Generated   time.Time      `json:"generated"`
	OfficerID   string         `json:"officer_id"`
	Officer     Officer        `json:"officer"`
	Completions []Completion   `json:"completions"`
	Exemptions  []Exemption    `json:"exemptions"`
	Imports     []ImportRecord `json:"imports"`
	Emails      []Message      `json:"emails"`
	Audit       []AuditEvent   `json:"audit"`
	// Requests are the officer's requests (more time, done elsewhere),
	// and Certificates the files sent with them, whole (base64 in JSON).
	Requests     []Request            `json:"requests"`
	Certificates []SubjectCertificate `json:"certificates"`
}

// SubjectCertificate is a certificate sent with one of the officer's requests.
type SubjectCertificate struct {
	RequestID string `json:"request_id"`
	Name      string `json:"name"`
	Type      string `json:"type"`
	Data      []byte `json:"data"`
}

// CollectSubjectAccess gathers a SubjectAccess for officer id from st at
// now. ErrNotFound when the roster has no such officer.
func CollectSubjectAccess(ctx context.Context, st Store, id string, now time.Time) (SubjectAccess, error) {
	id = NormalizeID(id)
	rec, err := st.Officer(ctx, id)
	if err != nil {
		return SubjectAccess{}, err
	}
	out := SubjectAccess{Generated: now.UTC(), OfficerID: id, Officer: rec.Officer,
		Completions: nonNilSlice(rec.Completions), Exemptions: nonNilSlice(rec.Exemptions),
		Imports: []ImportRecord{}, Emails: []Message{}, Audit: []AuditEvent{},
		Requests: []Request{}, Certificates: []SubjectCertificate{}}

	// Provenance: the import log entries any part of the record names
	// (without the whole import's report, which is about everyone).
	seen := map[string]bool{}
	sources := []Source{rec.Officer.Source}
	for _, c := range rec.Completions {
		sources = append(sources, c.Source)
	}
	for _, e := range rec.Exemptions {
		sources = append(sources, e.Source)
	}
	for _, s := range sources {
		if s.ImportID == "" || seen[s.ImportID] {
			continue
		}
		seen[s.ImportID] = true
		imp, err := st.Import(ctx, s.ImportID)
		if err != nil {
			if errors.Is(err, ErrNotFound) {
				continue
			}
			return SubjectAccess{}, fmt.Errorf("import %s: %w", s.ImportID, err)
		}
		imp.Report = nil
		out.Imports = append(out.Imports, imp)
	}
	sort.Slice(out.Imports, func(i, j int) bool { return out.Imports[i].At.Before(out.Imports[j].At) })

	// Emails: addressed to the officer, or reminders whose ledger keys
	// name them (sent before an email change). A whole-outbox read: a
	// subject access request is rare and admin-only.
	msgs, err := st.Messages(ctx, "", 0)
	if err != nil {
		return SubjectAccess{}, fmt.Errorf("outbox: %w", err)
	}
	email := strings.ToLower(rec.Officer.Email)
	for _, m := range msgs {
		if (email != "" && strings.EqualFold(m.To, email)) || ledgerNames(m.LedgerKeys, id) {
			out.Emails = append(out.Emails, m)
		}
	}

	// Requests, and each certificate whole.
	reqs, err := st.Requests(ctx, RequestQuery{OfficerID: id})
	if err != nil {
		return SubjectAccess{}, fmt.Errorf("requests: %w", err)
	}
	out.Requests = reqs
	for _, r := range reqs {
		if r.Certificate == nil {
			continue
		}
		full, err := st.Request(ctx, r.ID)
		if err != nil {
			return SubjectAccess{}, fmt.Errorf("request %s: %w", r.ID, err)
		}
		if full.Certificate != nil {
			out.Certificates = append(out.Certificates, SubjectCertificate{RequestID: r.ID, Name: full.Certificate.Name, Type: full.Certificate.Type, Data: full.Certificate.Data})
		}
	}

	// Audit events about the officer, every page.
	q := AuditQuery{TargetKind: TargetOfficer, TargetID: id}
	for {
		page, err := st.Audit(ctx, q)
		if err != nil {
			return SubjectAccess{}, fmt.Errorf("audit trail: %w", err)
		}
		out.Audit = append(out.Audit, page.Events...)
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	return out, nil
}

// ledgerNames reports whether a ledger key ("kind|OFFICER|…") names id.
func ledgerNames(keys []string, id string) bool {
	for _, k := range keys {
		p := strings.Split(k, "|")
		if len(p) > 1 && p[1] == id {
			return true
		}
	}
	return false
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
