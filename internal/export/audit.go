package export

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/muster-police/muster/training"
)

// auditHead is the header of an audit trail export.
var auditHead = []string{"at", "actor", "action", "target_kind", "target_id", "outcome", "detail", "request_id", "id"}

func auditRow(e training.AuditEvent) []string {
	return []string{e.At.UTC().Format(time.RFC3339Nano), e.Actor, string(e.Action), e.TargetKind, e.TargetID,
		e.Outcome, e.Detail, e.RequestID, e.ID}
}

// AuditCSV writes audit events, one row each, every cell safe to open in
// a spreadsheet (a failed sign-in's username is typed by anyone).
func AuditCSV(w io.Writer, events []training.AuditEvent) error {
	cw := NewCSVWriter(w)
	if err := cw.Write(auditHead); err != nil {
		return err
	}
	for _, e := range events {
		if err := cw.Write(auditRow(e)); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// dateText is a date for a cell, "" when unset.
func dateText(d training.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// SubjectAccessXLSX writes a subject access export as a workbook: one
// sheet per kind of record, every cell through SafeCell.
func SubjectAccessXLSX(w io.Writer, sa training.SubjectAccess) error {
	o := sa.Officer
	src := func(s training.Source) []string {
		at := ""
		if !s.At.IsZero() {
			at = s.At.UTC().Format(time.RFC3339)
		}
		row := ""
		if s.Row > 0 {
			row = strconv.Itoa(s.Row)
		}
		return []string{s.ImportID, s.File, s.Sheet, row, s.By, at}
	}
	srcHead := []string{"source import", "source file", "source sheet", "source row", "recorded by", "recorded at"}
	sheets := []struct {
		name string
		head []string
		rows [][]string
	}{
		{"Officer", []string{"field", "value"}, [][]string{
			{"officer ID", o.ID}, {"ID as written", o.DisplayID}, {"name", o.Name}, {"email", o.Email},
			{"email invalid", strconv.FormatBool(o.EmailInvalid)}, {"rank", o.Rank}, {"unit", o.Unit},
			{"line manager", o.LineManager}, {"start date", o.StartDate.String()}, {"role", o.Role},
			{"staff type", string(o.StaffType)}, {"in post since", o.InPostSince.String()}, {"first seen", o.FirstSeen.String()},
			{"leaver", strconv.FormatBool(o.Leaver)}, {"left on", o.LeftOn.String()},
			{"last changed by import", o.Source.ImportID}, {"file", o.Source.File}, {"sheet", o.Source.Sheet},
			{"row", strconv.Itoa(o.Source.Row)}, {"by", o.Source.By}, {"export generated", sa.Generated.Format(time.RFC3339)},
		}},
		{"Completions", append([]string{"course", "date", "date unknown"}, srcHead...), nil},
		{"Exemptions", append([]string{"course", "from", "until", "reason"}, srcHead...), nil},
		{"Imports", []string{"import", "kind", "file", "by", "at", "outcome"}, nil},
		{"Emails", []string{"message", "kind", "to", "subject", "state", "created", "sent", "text"}, nil},
		{"Audit", auditHead, nil},
		// Requests (more time, done elsewhere); a certificate's bytes are
		// in the JSON export (a cell holds at most 32,767 characters).
		{"Requests", []string{"request", "kind", "course", "asked", "until", "due then", "reason", "done", "where",
			"certificate", "certificate type", "certificate bytes", "state", "decided by", "decided", "decline reason"}, nil},
	}
	certSize := map[string]int{}
	for _, c := range sa.Certificates {
		certSize[c.RequestID] = len(c.Data)
	}
	for _, r := range sa.Requests {
		var name, typ, size, decided string
		if r.Certificate != nil {
			name, typ, size = r.Certificate.Name, r.Certificate.Type, strconv.Itoa(certSize[r.ID])
		}
		if !r.Decided.IsZero() {
			decided = r.Decided.UTC().Format(time.RFC3339)
		}
		sheets[6].rows = append(sheets[6].rows, []string{r.ID, string(r.Kind), r.CourseID, r.Created.UTC().Format(time.RFC3339),
			dateText(r.Until), dateText(r.Due), r.Reason, dateText(r.Done), r.Where, name, typ, size, string(r.State),
			r.DecidedByName, decided, r.DeclineReason})
	}
	for _, c := range slices.Sorted(maps.Keys(o.Extensions)) {
		sheets[0].rows = append(sheets[0].rows, []string{"extension of " + c, training.ExtensionWords(o.Extensions[c])})
	}
	for _, c := range sa.Completions {
		sheets[1].rows = append(sheets[1].rows, append([]string{c.CourseID, c.Date.String(), strconv.FormatBool(c.DateUnknown)}, src(c.Source)...))
	}
	for _, e := range sa.Exemptions {
		sheets[2].rows = append(sheets[2].rows, append([]string{e.CourseID, e.From.String(), e.Until.String(), e.Reason}, src(e.Source)...))
	}
	for _, i := range sa.Imports {
		sheets[3].rows = append(sheets[3].rows, []string{i.ID, string(i.Kind), i.FileName, i.By, i.At.UTC().Format(time.RFC3339), string(i.Outcome)})
	}
	for _, m := range sa.Emails {
		sent := ""
		if !m.Sent.IsZero() {
			sent = m.Sent.UTC().Format(time.RFC3339)
		}
		sheets[4].rows = append(sheets[4].rows, []string{m.ID, m.Kind, m.To, m.Subject, string(m.State), m.Created.UTC().Format(time.RFC3339), sent, m.Text})
	}
	for _, e := range sa.Audit {
		sheets[5].rows = append(sheets[5].rows, auditRow(e))
	}
	f := excelize.NewFile()
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				f.Close()
				return err
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			f.Close()
			return err
		}
		for r, rec := range append([][]string{sh.head}, sh.rows...) {
			cells := make([]any, len(rec))
			for j, v := range rec {
				cells[j] = SafeCell(v)
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(sh.name, cell, &cells); err != nil {
				f.Close()
				return fmt.Errorf("subject access sheet %s: %w", sh.name, err)
			}
		}
	}
	return finish(f, w)
}
