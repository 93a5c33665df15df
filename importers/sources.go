package importers

// Known sources: the exports of the systems forces use (Moodle, Totara,
// SAP HR, Oracle HCM), recognised by their headers and mapped exactly as
// docs/sources.md describes them — not guessed from the general wordings,
// which read a Moodle "ID" (an internal number) as the officer ID.

// sourceProfile is how one system lays out one kind of export.
type sourceProfile struct {
	// Name is said in the import report ("Moodle course completion report");
	// ID is its stable key (docs/sources.md, importers/sourcegen).
	Name, ID string
	// signature lists headerKeys that must all be in the header row; any
	// lists keys of which at least one must be.
	signature, any []string
	// columns map a header (by headerKey) to a field, with the reason.
	columns map[string]sourceColumn
	// prefixColumns map headers that start with a key (activity columns).
	prefixColumns []prefixColumn
	// genericFields are fields the general wordings may still map in
	// columns the profile does not list (identity fields a site chooses).
	genericFields []Field
	// layout, when set, is the export's layout whatever its columns say.
	layout Layout
	// oneCourse is set for an export that covers one course without
	// naming it in a column: the course comes from the import's options,
	// a saved mapping, or the file name.
	oneCourse bool
	// vocab are the status words of this system.
	vocab *vocabulary
	// firstBlank: the export's header row starts with a blank cell.
	firstBlank bool
	// none lists headerKeys the header row must not have.
	none []string
	// match, when set, is a further test of the header row.
	match func(headers []string) bool
	// refuse, when set, is why Muster records nothing from this export
	// (unless the person maps a course column themselves); noticeLabel
	// names the outcome of its rows.
	refuse, noticeLabel string
	// noID explains a header row of this export that has no officer ID column.
	noID string
	// idOnly: the profile recognises a system by its ID column alone; the
	// columns it does not list are read by the general wordings, not
	// ignored as the export's detail.
	idOnly bool
	// unixDates: a date cell may hold a Unix timestamp (Totara HR Import
	// reads one when a date does not parse).
	unixDates bool
}

// sourceColumn is what a profile says of one header.
type sourceColumn struct {
	field Field
	why   string
}

// prefixColumn maps every header that starts with a key.
type prefixColumn struct {
	prefix, suffix string // headerKeys
	field          Field
	why            string
}

// matches reports whether a header row is this export's (cells as read,
// headers its non-blank cells cleaned).
func (s *sourceProfile) matches(cells, headers []string) bool {
	if s.firstBlank && (len(cells) == 0 || clean(cells[0]) != "") {
		return false
	}
	if s.match != nil && !s.match(headers) {
		return false
	}
	have := make(map[string]bool, len(headers))
	for _, h := range headers {
		have[headerKey(h)] = true
	}
	for _, k := range s.signature {
		if !have[k] {
			return false
		}
	}
	for _, k := range s.none {
		if have[k] {
			return false
		}
	}
	if len(s.any) == 0 {
		return true
	}
	for _, k := range s.any {
		if have[k] {
			return true
		}
	}
	return false
}

// column says what the profile maps a header to.
func (s *sourceProfile) column(header string) (target, string, bool) {
	k := headerKey(header)
	if c, ok := s.columns[k]; ok {
		return target{field: c.field}, c.why, true
	}
	for _, p := range s.prefixColumns {
		if len(k) > len(p.prefix) && k[:len(p.prefix)] == p.prefix && (p.suffix == "" || len(k) >= len(p.suffix) && k[len(k)-len(p.suffix):] == p.suffix) {
			return target{field: p.field}, p.why, true
		}
		if p.prefix == "" && p.suffix != "" && len(k) > len(p.suffix) && k[len(k)-len(p.suffix):] == p.suffix {
			return target{field: p.field}, p.why, true
		}
	}
	return target{}, "", false
}

// generic reports whether the general wordings may map field in a column
// the profile does not list.
func (s *sourceProfile) generic(f Field) bool {
	for _, g := range s.genericFields {
		if g == f {
			return true
		}
	}
	return false
}
