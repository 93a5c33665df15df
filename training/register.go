package training

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// A register is a classroom session a trainer records: a course, a date, a
// place and who attended. Saving one records a completion per attendee
// through the store's ApplyChanges, under an import log entry of kind
// ImportRegister whose Report holds the register (so the live figures,
// the change feed and the history follow it like any import); withdrawing
// one takes back exactly those completions (Store.WithdrawImport). The
// rules are stated in docs/COMPLIANCE.md, "Registers".

// ImportRegister records a classroom register (internal/registers).
const ImportRegister ImportKind = "register"

// OutcomeWithdrawn marks an applied change whose completions were taken
// back (a register withdrawn).
const OutcomeWithdrawn ImportOutcome = "withdrawn"

// RegisterIDPrefix starts every register's ID, so that a completion's
// source tells a register from a file or an API post (FromRegister).
const RegisterIDPrefix = "reg-"

// FromRegister reports whether a completion with source src was recorded
// by a register (src.File is then the place, src.By the trainer).
func FromRegister(src Source) bool { return strings.HasPrefix(src.ImportID, RegisterIDPrefix) }

// TakesOver reports whether c, the same completion as held
// (SameCompletion), replaces held's record instead of being dropped as a
// repeat: a completion a register recorded is taken over by the same one
// from any other source (a file, a learning platform, an API post), so
// that withdrawing the register keeps what that source also says.
func TakesOver(held, c Completion) bool {
	return FromRegister(held.Source) && !FromRegister(c.Source)
}

// RegisterWithdrawDays is how many days after the day a register was
// saved (Europe/London) it may still be withdrawn.
const RegisterWithdrawDays = 14

// MaxRegisterAttendees bounds one register (a classroom, or a day of
// sessions typed in at once).
const MaxRegisterAttendees = 500

// MaxRegisterPlace bounds the place's text.
const MaxRegisterPlace = 200

// Register is one recorded session.
type Register struct {
	ID       string `json:"id"`
	CourseID string `json:"course_id"`
	Date     Date   `json:"date"`
	Place    string `json:"place"`
	// Attendees are the officer IDs the register recorded (known, serving
	// people only), in the order given.
	Attendees []string  `json:"attendees"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
	// Added counts the completions saving added (an attendee whose same
	// completion another source already recorded adds none).
	Added       int       `json:"added"`
	WithdrawnBy string    `json:"withdrawn_by,omitempty"`
	WithdrawnAt time.Time `json:"withdrawn_at,omitzero"`
}

// Withdrawn reports whether the register was taken back.
func (r Register) Withdrawn() bool { return r.WithdrawnBy != "" }

// WithdrawUntil is the last day (Europe/London) the register may be withdrawn.
func (r Register) WithdrawUntil() Date { return DateOf(r.At).AddDays(RegisterWithdrawDays) }

// CanWithdraw reports, as a domain error, why u may not withdraw r at now:
// already withdrawn, past WithdrawUntil, or a trainer's withdrawal of
// another user's register (HR and admins may withdraw any).
func (r Register) CanWithdraw(u User, now time.Time) error {
	switch {
	case r.Withdrawn():
		return Conflictf("this register was already withdrawn on %s", DateOf(r.WithdrawnAt).UK())
	case DateOf(now).After(r.WithdrawUntil()):
		return Conflictf("a register can be withdrawn for %d days after it was saved, until %s; ask HR to correct the records", RegisterWithdrawDays, r.WithdrawUntil().UK())
	case !u.Role.SeesWholeForce() && u.Username != r.By:
		return Forbiddenf("only the person who saved a register (or HR) may withdraw it")
	}
	return nil
}

// Completion is the completion r records for officer id.
func (r Register) Completion(id string) Completion {
	return Completion{OfficerID: id, CourseID: r.CourseID, Date: r.Date,
		Source: Source{ImportID: r.ID, File: r.Place, By: r.By, At: r.At}}
}

// Completions are the completions r records, one per attendee.
func (r Register) Completions() []Completion {
	out := make([]Completion, len(r.Attendees))
	for i, id := range r.Attendees {
		out[i] = r.Completion(id)
	}
	return out
}

// ImportRecord is r's entry in the import log.
func (r Register) ImportRecord() ImportRecord {
	rep, _ := json.Marshal(r) // a struct of strings, dates and times: cannot fail
	out := OutcomeApplied
	if r.Withdrawn() {
		out = OutcomeWithdrawn
	}
	return ImportRecord{ID: r.ID, Kind: ImportRegister, FileName: r.Place, By: r.By, At: r.At, Outcome: out,
		Summary: ImportSummary{Completions: r.Added}, Report: rep}
}

// RegisterOf reads a register back from its import log entry; ErrNotFound
// when rec is not a register, or when its report (the register itself)
// was dropped by the retention of import reports (RetentionPolicy.
// ImportReportsMonths): the entry stays in the import log, the register's
// details are gone.
func RegisterOf(rec ImportRecord) (Register, error) {
	if rec.Kind != ImportRegister {
		return Register{}, NotFoundf("there is no register %q", rec.ID)
	}
	if len(rec.Report) == 0 {
		return Register{}, NotFoundf("the details of register %s were removed after the retention period", rec.ID)
	}
	var r Register
	if err := json.Unmarshal(rec.Report, &r); err != nil {
		return Register{}, Unavailablef("stored register %s: %v", rec.ID, err)
	}
	return r, nil
}

// RegisterInput is a register as typed: IDs typed, pasted or scanned, and
// IDs ticked from a unit's list.
type RegisterInput struct {
	Course string   `json:"course"`
	Date   string   `json:"date"`
	Place  string   `json:"place"`
	IDs    string   `json:"ids"`
	Ticked []string `json:"ticked,omitempty"`
}

// SplitIDs splits IDs typed, pasted or read by a barcode scanner (which
// types them, each followed by Enter or Tab): separated by new lines,
// commas, semicolons, spaces or tabs; each trimmed; a repeat of an ID
// already given (NormalizeID) left out. It returns the IDs as given.
func SplitIDs(text string) []string {
	fields := strings.FieldsFunc(text, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0'
	})
	seen := map[string]bool{}
	var out []string
	for _, f := range fields {
		f = CleanText(f)
		k := NormalizeID(f)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	return out
}

// RegisterLine is one attendee of a register's preview: what the ID
// names, and what the trainer should look at before saving.
type RegisterLine struct {
	Given string `json:"given"` // as typed
	ID    string `json:"id"`    // the roster's key
	Name  string `json:"name,omitempty"`
	Unit  string `json:"unit,omitempty"`
	// Unknown: no serving person has this ID; the line is not recorded.
	Unknown bool `json:"unknown,omitempty"`
	// NotRequired: the person is not in the course's audience (recorded all the same).
	NotRequired bool `json:"not_required,omitempty"`
	// Compliant: already compliant on the session's date (recorded all the same).
	Compliant bool `json:"compliant,omitempty"`
}

// Recorded reports whether saving records a completion for the line.
func (l RegisterLine) Recorded() bool { return !l.Unknown }

// CheckRegister checks a register's course, date, place and attendees
// against ds on today, and returns the register to save (without ID, By
// and At) and one line per ID given. A field error names the form field.
func CheckRegister(ds *Dataset, in RegisterInput, today Date) (Register, []RegisterLine, error) {
	c, ok := FindCourse(ds.Courses, in.Course)
	switch {
	case CleanText(in.Course) == "":
		return Register{}, nil, FieldErrorf(KindInvalid, "course", "choose the course")
	case !ok:
		return Register{}, nil, FieldErrorf(KindInvalid, "course", "there is no course %q", in.Course)
	case c.Retired:
		return Register{}, nil, FieldErrorf(KindInvalid, "course", "course %s is retired", c.ID)
	}
	d, err := ParseDate(strings.TrimSpace(in.Date))
	if err != nil {
		return Register{}, nil, FieldErrorf(KindInvalid, "date", "enter the session's date as YYYY-MM-DD")
	}
	if err := CheckCompletionDate(d, today); err != nil {
		return Register{}, nil, FieldErrorf(KindInvalid, "date", "%s", MessageOf(err))
	}
	place := CleanText(in.Place)
	switch {
	case place == "":
		return Register{}, nil, FieldErrorf(KindInvalid, "place", "enter where the session took place")
	case utf8.RuneCountInString(place) > MaxRegisterPlace:
		return Register{}, nil, FieldErrorf(KindInvalid, "place", "the place may be up to %d characters", MaxRegisterPlace)
	}
	if err := checkNoFormatChars("the place", place); err != nil {
		return Register{}, nil, FieldErrorf(KindInvalid, "place", "%s", MessageOf(err))
	}
	given := SplitIDs(in.IDs + "\n" + strings.Join(in.Ticked, "\n"))
	switch {
	case len(given) == 0:
		return Register{}, nil, FieldErrorf(KindInvalid, "ids", "enter at least one attendee's ID, or tick names from a unit's list")
	case len(given) > MaxRegisterAttendees:
		return Register{}, nil, FieldErrorf(KindInvalid, "ids", "a register holds up to %d people; split it in two", MaxRegisterAttendees)
	}
	r := Register{CourseID: c.ID, Date: d, Place: place}
	lines := make([]RegisterLine, len(given))
	for i, g := range given {
		id := NormalizeID(g)
		l := RegisterLine{Given: g, ID: id}
		o, ok := ds.Officers[id]
		if !ok || !o.Active() {
			l.Unknown = true
			lines[i] = l
			continue
		}
		l.Name, l.Unit = o.Name, o.Unit
		st := Evaluate(o, c, ds.Completions[id], ds.Exemptions[id], d)
		l.NotRequired = st.Status == StatusNotRequired
		l.Compliant = st.Status == StatusCompliant
		lines[i] = l
		r.Attendees = append(r.Attendees, id)
	}
	return r, lines, nil
}

// Expected lists the people of unit (its subtree) who must do course c on
// asOf and are not compliant: who a sign-in sheet names. Sorted by unit,
// then name.
func Expected(ds *Dataset, c Course, unit string, asOf Date) []Officer {
	var out []Officer
	for id, o := range ds.Officers {
		if !InUnit(o.Unit, unit) {
			continue
		}
		switch Evaluate(o, c, ds.Completions[id], ds.Exemptions[id], asOf).Status {
		case StatusOverdue, StatusDueSoon, StatusOutstanding:
			out = append(out, o)
		}
	}
	slices.SortFunc(out, compareByUnitName)
	return out
}

// UnitPeople lists the serving people of unit's subtree, by unit then
// name: the list a trainer ticks attendees from.
func UnitPeople(ds *Dataset, unit string) []Officer {
	var out []Officer
	for _, o := range ds.Officers {
		if o.Active() && InUnit(o.Unit, unit) {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, compareByUnitName)
	return out
}

func compareByUnitName(a, b Officer) int {
	if c := strings.Compare(a.Unit, b.Unit); c != 0 {
		return c
	}
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// WithdrawStore takes back an applied change.
type WithdrawStore interface {
	// WithdrawImport takes back the completions of an applied import log
	// entry, atomically: each of w.Removed stored from that entry (same
	// completion, Source.ImportID == w.Record.ID) is removed — the same
	// completion recorded by another entry stays — the entry is replaced
	// by w.Record, and the change is logged (Change.Removed) so replicas
	// follow. ErrNotFound when there is no entry w.Record.ID; ErrConflict
	// when the stored entry's outcome is not OutcomeApplied (withdrawn
	// already). It returns the new revision.
	WithdrawImport(ctx context.Context, w Withdrawal) (int64, error)
}

// Withdrawal is what WithdrawImport writes.
type Withdrawal struct {
	// Record replaces the entry (same ID, At and Kind; its new outcome).
	Record ImportRecord
	// Removed are the completions to take back (each with Source.ImportID
	// == Record.ID).
	Removed []Completion
	// HandedOver are completions of Removed that another register still
	// standing also records (same person, course and date): written back
	// under that register's source in the same write, so that withdrawing
	// one of two registers of a session keeps what the other says. One
	// that another source already holds (the stored record was not the
	// withdrawn register's) is dropped as a repeat, as in MergeCompletions.
	HandedOver []Completion
}

// HandOver picks, of the completions removed, those a standing register
// of others also records, with that register's source (the first of
// others to list the person). others are registers not withdrawn.
func HandOver(removed []Completion, others []Register) []Completion {
	var out []Completion
	for _, c := range removed {
		for _, o := range others {
			if o.CourseID != c.CourseID || o.Date != c.Date || o.Withdrawn() || !slices.Contains(o.Attendees, c.OfficerID) {
				continue
			}
			out = append(out, o.Completion(c.OfficerID))
			break
		}
	}
	return out
}

// Validate checks a withdrawal's shape before a store writes it.
func (w Withdrawal) Validate() error {
	if w.Record.ID == "" {
		return Invalidf("a withdrawal without an import ID")
	}
	for _, c := range w.Removed {
		if c.OfficerID == "" || c.CourseID == "" || c.Source.ImportID != w.Record.ID {
			return Invalidf("a withdrawal of import %s names a completion of another import", w.Record.ID)
		}
	}
	for _, c := range w.HandedOver {
		if !FromRegister(c.Source) || c.Source.ImportID == w.Record.ID || !slices.ContainsFunc(w.Removed, func(r Completion) bool {
			return r.OfficerID == c.OfficerID && SameCompletion(r, c)
		}) {
			return Invalidf("a withdrawal of import %s hands over a completion it does not take back, or not to another register", w.Record.ID)
		}
	}
	return nil
}

// CheckWithdrawable is the stores' rule on the stored entry: it must be
// applied (not withdrawn already).
func CheckWithdrawable(stored ImportRecord) error {
	if stored.Outcome != OutcomeApplied {
		return Conflictf("import %s is %s, not applied: nothing to withdraw", stored.ID, stored.Outcome)
	}
	return nil
}
