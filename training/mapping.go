package training

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// ColumnMapping is a named, saved choice of what a file's columns hold,
// made by HR for the exports of a system Muster does not recognise by
// itself (or recognises wrongly). The importer applies it to any later file
// whose header row has the same headers, and says so in its report.
type ColumnMapping struct {
	// Name identifies the mapping ("SAP monthly extract"); unique.
	Name string `json:"name"`
	// Headers is the header row the mapping was made for, as the importer
	// read it (cleaned text, in column order, blank cells left out).
	Headers []string `json:"headers"`
	// Rules say what a column holds, by its header.
	Rules []MappingRule `json:"rules"`
	// Course, when set, is the course a file that covers one course
	// without naming it means (a Moodle course completion report).
	Course string `json:"course,omitempty"`
	// By and At say who saved it and when.
	By string    `json:"by"`
	At time.Time `json:"at"`
}

// MappingRule maps one header to what its column holds: an importer field
// name ("id", "name", "unit", "completion_date", …), "course:<course id>"
// for a course column of a wide roster, or "ignore".
type MappingRule struct {
	Header string `json:"header"`
	Field  string `json:"field"`
}

// Limits of a ColumnMapping, so that a saved mapping stays a small record.
const (
	MaxMappingName = 80
	// MaxMappings is how many mappings may be saved: enough for every
	// export a force uses, few enough to list on one page.
	MaxMappings       = 200
	MaxMappingHeaders = 2048
	MaxMappingText    = 256 // bytes of one header or field
)

// ErrTooManyMappings is PutMapping's answer to a new mapping when
// MaxMappings are saved already (replacing one is always allowed).
var ErrTooManyMappings = Errorf(KindInvalid, "%d column mappings are saved already, the most Muster keeps; delete one that is no longer used (muster mappings delete NAME, or DELETE /api/v1/mappings/NAME) and save again", MaxMappings)

// Validate checks the mapping's shape; which field names exist is the
// importer's business (importers.ParseMappingRule).
func (m ColumnMapping) Validate() error {
	name := strings.TrimSpace(m.Name)
	switch {
	case name == "":
		return Invalidf("a saved mapping needs a name")
	case name != m.Name || utf8.RuneCountInString(name) > MaxMappingName || strings.ContainsAny(name, "\x00\r\n\t"):
		return Invalidf("the mapping name must be 1 to %d characters on one line, without leading or trailing spaces", MaxMappingName)
	case HasFormatChars(name):
		return checkNoFormatChars("the mapping name", name)
	case len(m.Headers) == 0 || len(m.Headers) > MaxMappingHeaders:
		return Invalidf("mapping %q: it must list the 1 to %d headers it was made for", m.Name, MaxMappingHeaders)
	case len(m.Rules) > MaxMappingHeaders:
		return Invalidf("mapping %q has more than %d rules", m.Name, MaxMappingHeaders)
	}
	for _, h := range m.Headers {
		if h == "" || len(h) > MaxMappingText {
			return Invalidf("mapping %q: each header must be 1 to %d bytes", m.Name, MaxMappingText)
		}
	}
	for _, r := range m.Rules {
		if r.Header == "" || len(r.Header) > MaxMappingText || r.Field == "" || len(r.Field) > MaxMappingText {
			return Invalidf("mapping %q: each rule needs a header and a field of at most %d bytes", m.Name, MaxMappingText)
		}
	}
	return nil
}

// MappingStore keeps saved column mappings.
type MappingStore interface {
	// Mappings returns every saved mapping, sorted by name.
	Mappings(ctx context.Context) ([]ColumnMapping, error)
	// PutMapping validates m, then creates or replaces the mapping of that
	// name; ErrTooManyMappings when it is new and MaxMappings are saved.
	PutMapping(ctx context.Context, m ColumnMapping) error
	// DeleteMapping removes the mapping of that name; ErrNotFound when there is none.
	DeleteMapping(ctx context.Context, name string) error
}
