package importers

import (
	"fmt"
	"maps"
	"sort"
	"strings"
	"time"

	"github.com/muster-police/muster/training"
)

// PlanInput is everything an import plan is computed from, besides the
// records: what the reader found, the store's data, the user's choices and
// the date. Planning does no I/O.
type PlanInput struct {
	Detection Detection
	// Problems are the reader's (cells in error, rows without an ID).
	Problems []Problem
	// Dataset is the store's roster; nil is an empty store.
	Dataset                         *training.Dataset
	Full, Strict, Confirmed, DryRun bool
	// Today is the civil date of the import: first-seen and leaving dates,
	// and the date given to completions reported without one.
	Today training.Date
	// ImportID, FileName, FileHash, By and At identify the import; every
	// record written carries them as its Source.
	ImportID, FileName, FileHash, By string
	At                               time.Time
}

// Planned is the outcome of planning: what would be written and the
// report that says so. The changes are applied only when Report.Outcome is
// applied and the import is not a dry run.
type Planned struct {
	Report *Report
	// head is the change set without its officers and completions, which
	// are kept in chunks, to be handed to the store a chunk at a time.
	head        training.ChangeSet
	officers    *chunked[training.Officer]
	completions *chunked[training.Completion]
}

// ChangeSet returns what would be written, whole.
func (pl *Planned) ChangeSet() training.ChangeSet {
	cs := pl.head
	cs.Officers, cs.Completions = pl.officers.all(), pl.completions.all()
	return cs
}

// changes returns the officers and completions as parts of a change set,
// a chunk a part, each chunk let go once the store has taken it: the plan
// is spent once its parts have been put (training.ChangeParts).
func (pl *Planned) changes() training.ChangeParts {
	return func(put func(training.ChangeSet) error) error {
		for k, c := range pl.officers.chunks {
			if err := put(training.ChangeSet{Officers: c}); err != nil {
				return err
			}
			pl.officers.release(k)
		}
		for k, c := range pl.completions.chunks {
			if err := put(training.ChangeSet{Completions: c}); err != nil {
				return err
			}
			pl.completions.release(k)
		}
		return nil
	}
}

// size is the number of officers and completions planned.
func (pl *Planned) size() int { return pl.officers.len() + pl.completions.len() }

// Plan decides what importing records would change in in.Dataset. It is a
// pure function: same input, same plan.
func Plan(records []Record, in PlanInput) *Planned {
	rows := &rowStore{}
	for _, r := range records {
		rows.addRecord(r)
	}
	return planRows(rows, in)
}

// compKey identifies a completion for "is it already recorded".
type compKey struct {
	id, course string
	date       training.Date
	unknown    bool
}

// idCourse identifies one officer's course.
type idCourse struct{ id, course string }

// planner holds the state of one planning run.
type planner struct {
	in    PlanInput
	ds    *training.Dataset
	sheet string
	rep   *Report
	// cs is the change set's head (revision, import, exemptions); its
	// officers and completions are in officers and comps.
	cs       training.ChangeSet
	officers chunked[training.Officer]
	comps    chunked[training.Completion]
	byUnit   map[string]*UnitChanges
	// planned indexes officers by ID: officers as they will be.
	planned map[string]int
	// planComp holds the completions planned from a completion export,
	// where one completion can be on several rows (a wide roster has one
	// cell per course, so a row is checked on its own).
	planComp    map[compKey]bool
	long        bool
	planExempt  map[idCourse]bool
	skipped     map[string]int    // by lower-cased name
	skippedName map[string]string // first spelling seen
	noDate      []noDateCell
	// guardLeavers counts active officers in the store who would become leavers.
	guardLeavers int
	// recorded marks, by row index, the rows that record something new;
	// cur is the index of the row being planned (-1: none).
	recorded []bool
	cur      int
	guard    guardState
}

type noDateCell struct {
	id, course string
	row, idx   int
}

// touch marks the current row as recording something.
func (p *planner) touch() {
	if p.cur >= 0 {
		p.recorded[p.cur] = true
	}
}

// prepared is the part of a plan that does not depend on the store: the
// rows kept after removing duplicates, the problems, and the IDs seen in
// rejected rows. Run keeps it to re-plan when the store changed meanwhile.
type prepared struct {
	rows     *rowStore
	drop     []bool // rows without an ID, and duplicates
	problems []Problem
	rejected map[string]bool
	layout   Layout
	sheet    string
}

// prepare removes rows without an ID (the reader reported them) and
// duplicates.
func prepare(rows *rowStore, det Detection, readerProblems []Problem) *prepared {
	var drop []bool
	var dupProbs []Problem
	var rejected map[string]bool
	if rows.distinctIDs() {
		// No two rows share an ID (and so no key dedupe looks for, which
		// begins with the ID): only the rows without one go.
		drop, rejected = make([]bool, rows.len()), map[string]bool{}
		for _, i := range rows.noID {
			drop[i] = true
		}
	} else {
		drop, dupProbs, rejected = dedupe(rows, det.Layout, det.Sheet)
	}
	rows.ids = chunked[uint64]{}
	for _, pr := range readerProblems {
		if pr.RowRejected && pr.OfficerID != "" {
			rejected[training.NormalizeID(pr.OfficerID)] = true
		}
	}
	return &prepared{rows: rows, drop: drop, problems: mergeProblems(readerProblems, dupProbs), rejected: rejected,
		layout: det.Layout, sheet: det.Sheet}
}

func planRows(rows *rowStore, in PlanInput) *Planned {
	return planPrepared(prepare(rows, in.Detection, in.Problems), in)
}

func planPrepared(pp *prepared, in PlanInput) *Planned {
	ds := in.Dataset
	if ds == nil {
		ds = &training.Dataset{}
	}
	p := &planner{
		in: in, ds: ds, sheet: pp.sheet,
		byUnit:      map[string]*UnitChanges{},
		planned:     make(map[string]int, pp.rows.len()),
		planComp:    map[compKey]bool{},
		planExempt:  map[idCourse]bool{},
		skipped:     map[string]int{},
		skippedName: map[string]string{},
		recorded:    make([]bool, pp.rows.len()),
		cur:         -1,
	}
	p.rep = &Report{
		ImportID: in.ImportID, FileName: in.FileName, FileHash: in.FileHash,
		Full: in.Full, DryRun: in.DryRun, Strict: in.Strict, By: in.By, At: in.At,
		Detection: in.Detection, Problems: pp.problems,
	}
	p.cs.BaseRevision = ds.Revision
	p.countProblems()

	present := make(map[string]bool, pp.rows.len()+len(pp.rejected))
	for id := range pp.rejected {
		present[id] = true
	}
	long := pp.layout == LayoutLong
	firstCompletionOnly := pp.rows.len() > 0 && completionOnly(pp.rows.at(0))
	acc := newRowAccount(pp.rows.len())
	var buf row // each row in turn (rowStore.atInto): nothing keeps one
	for i := 0; i < pp.rows.len(); i++ {
		if i > 0 && i%rowChunk == 0 {
			// The rows planned so far are only counted from here on (acc):
			// their chunk goes, so the rows and the change set made from
			// them are not both held whole.
			pp.rows.release(i/rowChunk - 1)
		}
		r := pp.rows.atInto(i, &buf)
		acc.note(i, r, pp, p.in.Detection.Notice != "")
		if pp.drop[i] {
			continue
		}
		p.cur = i
		if r.isLong(pp.layout) {
			long, p.long = true, true
			p.longRow(r)
			continue
		}
		present[r.ID] = true
		if p.in.Detection.Notice != "" {
			continue // an export Muster records nothing from (Detection.Notice)
		}
		if !completionOnly(r) {
			p.officerRow(r)
		}
		p.courseCells(r)
	}
	p.cur = -1
	pp.rows.release(-1)
	if !long && firstCompletionOnly {
		long = true // a completion file: it never makes leavers
	}
	if in.Full && !long {
		p.absentLeavers(present)
	}
	p.unknownDates()
	p.bareUnitWarnings()
	p.account(acc)
	p.finish(long)
	// The chunks are copied out of the planner, which is let go here.
	officers, comps := p.officers, p.comps
	return &Planned{Report: p.rep, head: p.cs, officers: &officers, completions: &comps}
}

// personFields are the fields that describe an officer rather than a completion.
var personFields = []Field{FieldName, FieldSurname, FieldForename, FieldEmail, FieldRank, FieldUnit, FieldUnit1,
	FieldUnit2, FieldUnit3, FieldLineManager, FieldStartDate, FieldStatus, FieldRole, FieldStaffType, FieldInPostSince}

// completionOnly reports whether a wide row's file says nothing about who
// officers are, only what they completed (a Moodle course completion
// report: ID number and Course complete). Such a file never adds or
// changes an officer: a completion for an ID not on the roster is kept
// for when the officer appears, as a completion export's is.
func completionOnly(r *row) bool {
	return !r.has.any(personFields...)
}

// mergeProblems returns the reader's problems and the planner's in row order.
func mergeProblems(a, b []Problem) []Problem {
	out := make([]Problem, 0, len(a)+len(b))
	out = append(out, a...)
	out = append(out, b...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Row < out[j].Row })
	return out
}

func (p *planner) countProblems() {
	rejected := map[int]bool{}
	for _, pr := range p.rep.Problems {
		switch {
		case pr.RowRejected:
			rejected[pr.Row] = true
		case pr.Severity == SeverityError:
			p.rep.Summary.CellErrors++
		default:
			p.rep.Summary.Warnings++
		}
	}
	p.rep.Summary.RowsRejected = len(rejected)
}

func (p *planner) source(rowNum int) training.Source {
	return training.Source{ImportID: p.in.ImportID, File: p.in.FileName, Sheet: p.sheet, Row: rowNum, By: p.in.By, At: p.in.At}
}

func (p *planner) unit(u string) *UnitChanges {
	c, ok := p.byUnit[u]
	if !ok {
		c = &UnitChanges{Unit: u}
		p.byUnit[u] = c
	}
	return c
}

// officerRow upserts the officer of a wide or people-only row.
func (p *planner) officerRow(r *row) {
	old, exists := p.ds.Officers[r.ID]
	rr := *r
	var wouldBe string
	rr.Unit, wouldBe = p.unitFor(old, exists, r)
	o := mergeOfficer(old, exists, &rr)
	if exists {
		p.noteOfficer(old, o, wouldBe)
	}
	today := p.in.Today
	if !exists {
		o.FirstSeen = today
		if o.Leaver {
			o.LeftOn = today
		}
		o.Source = p.source(r.Row)
		p.addOfficer(o)
		p.touch()
		p.rep.Summary.Added++
		p.rep.Changes.addOfficer(&p.rep.Changes.Added, officerChange(o, r.Row, ""))
		p.unit(o.Unit).Added++
		if o.Leaver {
			p.leaver(o, r.Row, "status")
		}
		return
	}
	switch {
	case o.Leaver && !old.Leaver:
		o.LeftOn = today
		p.guardLeavers++
		p.leaver(o, r.Row, "status")
	case !o.Leaver && old.Leaver:
		o.LeftOn = training.Date{}
		p.rep.Changes.addOfficer(&p.rep.Changes.Returned, officerChange(o, r.Row, ""))
	}
	// A move into a course's audience (a new unit, role or staff type)
	// starts that course's requirement (docs/COMPLIANCE.md).
	inPost := training.Date{}
	if r.has.any(FieldInPostSince) {
		inPost = r.InPostSince
	}
	training.MoveRequirements(&old, &o, p.ds.Courses, today, inPost)
	if sameOfficer(old, o) {
		p.rep.Summary.Unchanged++
		return
	}
	o.Source = p.source(r.Row)
	p.addOfficer(o)
	p.touch()
	p.rep.Summary.Updated++
	if old.Unit != o.Unit && old.Unit != "" {
		p.rep.Changes.MovesTotal++
		if len(p.rep.Changes.Moves) < ListCap {
			p.rep.Changes.Moves = append(p.rep.Changes.Moves, Move{OfficerID: o.ID, Name: o.Name, From: old.Unit, To: o.Unit, Row: r.Row})
		}
		p.unit(old.Unit).MovedOut++
		p.unit(o.Unit).MovedIn++
	}
	if old.Role != o.Role || old.StaffType != o.StaffType || old.InPostSince != o.InPostSince {
		p.rep.Changes.PostsTotal++
		if len(p.rep.Changes.Posts) < ListCap {
			p.rep.Changes.Posts = append(p.rep.Changes.Posts, PostChange{OfficerID: o.ID, Name: o.Name, Unit: o.Unit, Row: r.Row,
				RoleFrom: old.Role, RoleTo: o.Role, StaffTypeFrom: old.StaffType, StaffTypeTo: o.StaffType,
				InPostSinceFrom: old.InPostSince, InPostSinceTo: o.InPostSince})
		}
		p.unit(o.Unit).PostChanged++
	}
}

// addOfficer plans writing o.
func (p *planner) addOfficer(o training.Officer) {
	p.planned[o.ID] = p.officers.len()
	p.officers.add(o)
}

func (p *planner) leaver(o training.Officer, rowNum int, reason string) {
	p.rep.Summary.Leavers++
	p.rep.Changes.addOfficer(&p.rep.Changes.Leavers, officerChange(o, rowNum, reason))
	p.unit(o.Unit).Leavers++
}

// mergeOfficer applies a row to the stored officer. A field keeps its old
// value when the file has no such column or the cell was blank or in error
// (the reader leaves those zero): a later file never erases what is known.
func mergeOfficer(old training.Officer, exists bool, r *row) training.Officer {
	o := old
	if !exists {
		o = training.Officer{ID: r.ID}
	}
	if o.DisplayID == "" {
		o.DisplayID = r.DisplayID
		if o.DisplayID == "" {
			o.DisplayID = r.ID
		}
	}
	set := func(dst *string, v string, fs ...Field) {
		if v != "" && r.has.any(fs...) {
			*dst = v
		}
	}
	set(&o.Name, r.Name, FieldName, FieldSurname, FieldForename)
	if r.Email != "" && r.has.any(FieldEmail) {
		o.Email, o.EmailInvalid = r.Email, r.EmailInvalid
	}
	set(&o.Rank, r.Rank, FieldRank)
	set(&o.Unit, r.Unit, FieldUnit, FieldUnit1, FieldUnit2, FieldUnit3)
	set(&o.LineManager, r.LineManager, FieldLineManager)
	if !r.StartDate.IsZero() && r.has.any(FieldStartDate) {
		o.StartDate = r.StartDate
	}
	set(&o.Role, r.Role, FieldRole)
	if r.StaffType != "" && r.has.any(FieldStaffType) {
		o.StaffType = r.StaffType
	}
	if !r.InPostSince.IsZero() && r.has.any(FieldInPostSince) {
		o.InPostSince = r.InPostSince
	}
	// Being on a roster means serving, unless its status column says
	// otherwise; a status Muster does not know leaves it as it was.
	if !r.StatusUnknown {
		o.Leaver = r.has.any(FieldStatus) && r.Leaver
	}
	return o
}

// sameOfficer compares the fields a roster decides (not provenance).
func sameOfficer(a, b training.Officer) bool {
	return a.Name == b.Name && a.Email == b.Email && a.EmailInvalid == b.EmailInvalid &&
		a.Rank == b.Rank && a.Unit == b.Unit && a.LineManager == b.LineManager &&
		a.StartDate == b.StartDate && a.Leaver == b.Leaver && a.LeftOn == b.LeftOn &&
		a.DisplayID == b.DisplayID && a.Role == b.Role && a.StaffType == b.StaffType && a.InPostSince == b.InPostSince &&
		maps.Equal(a.RequiredSince, b.RequiredSince)
}

// absentLeavers makes leavers of active officers a full roster leaves out.
// IDs seen in rejected rows count as present.
func (p *planner) absentLeavers(present map[string]bool) {
	ids := make([]string, 0)
	for id, o := range p.ds.Officers {
		if o.Active() && !present[id] {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		o := p.ds.Officers[id]
		o.Leaver = true
		o.LeftOn = p.in.Today
		o.Source = p.source(0)
		p.addOfficer(o)
		p.guardLeavers++
		p.leaver(o, 0, "absent")
	}
}

// courseCells records a wide row's completions and exemptions.
func (p *planner) courseCells(r *row) {
	for i, c := range r.Courses {
		if c.Kind != CellNone {
			p.noteCompletionID(r)
		}
		switch c.Kind {
		case CellCompleted:
			if !c.Date.IsZero() && !repeatedCell(r.Courses[:i], c) {
				p.completion(r.ID, c.CourseID, c.Date, false, r.Row)
			}
		case CellCompletedNoDate:
			p.noDate = append(p.noDate, noDateCell{r.ID, c.CourseID, r.Row, p.cur})
		case CellExempt:
			p.exemption(r.ID, c.CourseID, r.Row)
		}
	}
}

// longRow records one row of a completion export. Only completed rows
// record anything; course names that match no tracked course are counted.
func (p *planner) longRow(r *row) {
	if r.CourseID == "" {
		name := training.CleanText(r.CourseName)
		if name == "" {
			name = "(blank)"
		}
		key := strings.ToLower(name)
		if _, ok := p.skippedName[key]; !ok {
			p.skippedName[key] = name
		}
		p.skipped[key]++
		p.rep.Summary.SkippedOtherCourses++
		return
	}
	p.noteCompletionID(r)
	switch {
	case !r.Completed:
	case r.DateUnknown:
		p.noDate = append(p.noDate, noDateCell{r.ID, r.CourseID, r.Row, p.cur})
	case !r.Date.IsZero(): // a zero date without DateUnknown is a cell in error
		p.completion(r.ID, r.CourseID, r.Date, false, r.Row)
	}
}

// storedCompletion reports whether the store holds this completion
// (exact) or, with anyDate, any completion of the course.
func (p *planner) storedCompletion(id, course string, d training.Date, anyDate bool) bool {
	for _, c := range p.ds.Completions[id] {
		// A register's record of this completion is taken over by the
		// file's (training.TakesOver), so it counts as not held yet.
		if c.CourseID == course && (anyDate || (c.Date == d && !c.DateUnknown && !training.FromRegister(c.Source))) {
			return true
		}
	}
	return false
}

// repeatedCell reports whether an earlier cell of the row (two columns
// matching one course) already gave this completion.
func repeatedCell(earlier []CourseCell, c CourseCell) bool {
	for _, e := range earlier {
		if e.CourseID == c.CourseID && e.Kind == CellCompleted && e.Date == c.Date {
			return true
		}
	}
	return false
}

func (p *planner) completion(id, course string, d training.Date, unknown bool, rowNum int) {
	if !unknown && p.storedCompletion(id, course, d, false) {
		return
	}
	if p.long && !unknown {
		k := compKey{id, course, d, unknown}
		if p.planComp[k] {
			return
		}
		p.planComp[k] = true
	}
	c := training.Completion{OfficerID: id, CourseID: course, Date: d, DateUnknown: unknown, Source: p.source(rowNum)}
	p.comps.add(c)
	p.touch()
	p.rep.Summary.Completions++
	if unknown {
		p.rep.Summary.CompletionsNoDate++
	}
	ch := CompletionChange{OfficerID: id, Course: course, Date: d, DateUnknown: unknown, Row: rowNum}
	if o, ok := p.officer(id); ok {
		ch.Name, ch.Unit = o.Name, o.Unit
		p.unit(o.Unit).Completions++
		p.rep.Changes.CompletionsTotal++
		if len(p.rep.Changes.Completions) < ListCap {
			p.rep.Changes.Completions = append(p.rep.Changes.Completions, ch)
		}
		return
	}
	p.rep.Summary.OrphanCompletions++
	p.rep.Changes.OrphansTotal++
	if len(p.rep.Changes.Orphans) < ListCap {
		p.rep.Changes.Orphans = append(p.rep.Changes.Orphans, ch)
	}
}

// officer returns the officer as they will be after the import.
func (p *planner) officer(id string) (training.Officer, bool) {
	if i, ok := p.planned[id]; ok {
		return *p.officers.at(i), true
	}
	o, ok := p.ds.Officers[id]
	return o, ok
}

// unknownDates records "completed, date unknown" only for courses the
// officer has no completion of at all, so re-importing "Yes" adds nothing.
func (p *planner) unknownDates() {
	if len(p.noDate) == 0 {
		return
	}
	has := map[idCourse]bool{}
	for i := range p.comps.len() {
		c := p.comps.at(i)
		has[idCourse{c.OfficerID, c.CourseID}] = true
	}
	for _, n := range p.noDate {
		k := idCourse{n.id, n.course}
		if has[k] || p.storedCompletion(n.id, n.course, training.Date{}, true) {
			continue
		}
		has[k] = true
		p.cur = n.idx
		p.completion(n.id, n.course, p.in.Today, true, n.row)
		p.cur = -1
	}
}

// exemption records an open-ended exemption unless one already covers today.
func (p *planner) exemption(id, course string, rowNum int) {
	k := idCourse{id, course}
	if p.planExempt[k] {
		return
	}
	for _, e := range p.ds.Exemptions[id] {
		if e.CourseID == course && (e.Covers(p.in.Today) || e.From.After(p.in.Today)) {
			return
		}
	}
	p.planExempt[k] = true
	p.touch()
	p.cs.Exemptions = append(p.cs.Exemptions, training.Exemption{OfficerID: id, CourseID: course,
		Reason: "marked exempt in the roster", Source: p.source(rowNum)})
	p.rep.Summary.Exemptions++
	o, _ := p.officer(id)
	p.unit(o.Unit).Exemptions++
	p.rep.Changes.ExemptionsTotal++
	if len(p.rep.Changes.Exemptions) < ListCap {
		p.rep.Changes.Exemptions = append(p.rep.Changes.Exemptions, ExemptionChange{OfficerID: id, Name: o.Name, Unit: o.Unit, Course: course, Row: rowNum})
	}
}

// finish decides the outcome and the message.
func (p *planner) finish(long bool) {
	rep, s := p.rep, &p.rep.Summary
	for key, n := range p.skipped {
		rep.Changes.SkippedCourses = append(rep.Changes.SkippedCourses, CourseCount{Name: p.skippedName[key], Rows: n})
	}
	sort.Slice(rep.Changes.SkippedCourses, func(i, j int) bool {
		a, b := rep.Changes.SkippedCourses[i], rep.Changes.SkippedCourses[j]
		if a.Rows != b.Rows {
			return a.Rows > b.Rows
		}
		return a.Name < b.Name
	})
	for _, u := range p.byUnit {
		rep.Changes.ByUnit = append(rep.Changes.ByUnit, *u)
	}
	sort.Slice(rep.Changes.ByUnit, func(i, j int) bool { return rep.Changes.ByUnit[i].Unit < rep.Changes.ByUnit[j].Unit })

	kind := training.ImportPartial
	if p.in.Full {
		kind = training.ImportFull
	}
	p.cs.Import = training.ImportRecord{ID: p.in.ImportID, Kind: kind, FileName: p.in.FileName,
		FileHash: p.in.FileHash, By: p.in.By, At: p.in.At}

	active := 0
	for _, o := range p.ds.Officers {
		if o.Active() {
			active++
		}
	}
	changes := p.officers.len() + p.comps.len() + len(p.cs.Exemptions)
	switch {
	case p.in.Full && long:
		rep.Outcome = training.OutcomeRefused
		rep.Message = "A completion export (one row per officer and course) cannot be a full roster upload, so nothing was imported; import it again without the full-roster option."
	case p.in.Strict && (s.CellErrors > 0 || s.RowsRejected > 0):
		rep.Outcome = training.OutcomeRefused
		rep.Message = fmt.Sprintf("Strict mode found %s and %s, so nothing was imported.",
			plural(s.CellErrors, "cell in error", "cells in error"), plural(s.RowsRejected, "rejected row", "rejected rows"))
	case !p.in.Confirmed && len(p.guards(long, active)) > 0:
		rep.Outcome = training.OutcomeRefused
		rep.NeedsConfirmation = true
		rep.Guards = p.guards(long, active)
		msgs := make([]string, len(rep.Guards))
		for i, g := range rep.Guards {
			msgs[i] = g.Message
		}
		rep.Message = strings.Join(msgs, " ") + " Nothing was imported; check the examples, and if the file is right, confirm and import it again."
	case changes == 0:
		rep.Outcome = training.OutcomeNoChange
		rep.Message = nothingChanged(rep)
		if n := p.in.Detection.Notice; n != "" {
			rep.Message = n
		}
	default:
		rep.Outcome = training.OutcomeApplied
		left := leftOut(rep)
		rep.Message = "Imported " + p.in.FileName + ": " + changeSummary(s) + left + "."
		if p.in.DryRun {
			rep.Message = "Dry run of " + p.in.FileName + ", nothing was written: importing it would record " + changeSummary(s) + left + "."
		}
	}
	rep.fill()
	p.cs.Import.Outcome = rep.Outcome
	p.cs.Import.Summary = rep.Summary
}

// nothingChanged is the message of an import that changes nothing. It
// says "already recorded" only of a file whose every row is.
func nothingChanged(rep *Report) string {
	ro := rep.Rows
	if ro.Read == 0 {
		return "The file has a header but no data rows, so nothing was recorded."
	}
	if ro.AlreadyRecorded+ro.Duplicates == ro.Read && rep.Summary.CellErrors == 0 {
		return "Nothing changed: everything in this file is already recorded."
	}
	var parts []string
	if n := ro.AlreadyRecorded + ro.Duplicates; n > 0 {
		parts = append(parts, plural(n, "row is", "rows are")+" already recorded")
	}
	return "Nothing was recorded from this file: " + strings.Join(append(parts, notRecordedParts(rep)...), "; ") + "."
}

// leftOut is the tail of an applied import's message: what the file held
// that was not recorded, or "".
func leftOut(rep *Report) string {
	parts := notRecordedParts(rep)
	if len(parts) == 0 {
		return ""
	}
	return "; not recorded: " + strings.Join(parts, "; ")
}

// notRecordedParts lists the rows and cells that recorded nothing, by reason.
func notRecordedParts(rep *Report) []string {
	ro, s := rep.Rows, rep.Summary
	var parts []string
	if len(ro.ByStatus) > 0 {
		n := 0
		var each []string
		for _, st := range ro.ByStatus {
			n += st.Rows
			each = append(each, fmt.Sprintf("%q %d", st.Status, st.Rows))
		}
		parts = append(parts, plural(n, "row", "rows")+" whose status records no completion ("+strings.Join(each, ", ")+")")
	}
	if ro.NoDate > 0 {
		parts = append(parts, plural(ro.NoDate, "row", "rows")+" without a completion date")
	}
	if ro.OtherCourses > 0 {
		parts = append(parts, plural(ro.OtherCourses, "row", "rows")+" of courses Muster does not track")
	}
	if s.RowsRejected > 0 {
		parts = append(parts, plural(s.RowsRejected, "rejected row", "rejected rows")+" (see the problems)")
	}
	if s.CellErrors > 0 {
		parts = append(parts, plural(s.CellErrors, "cell in error", "cells in error")+" (see the problems)")
	}
	return parts
}

// changeSummary lists what changed, e.g. "12 officers added, 3 leavers and 40 completions".
func changeSummary(s *training.ImportSummary) string {
	var parts []string
	add := func(n int, one, many string) {
		if n > 0 {
			parts = append(parts, plural(n, one, many))
		}
	}
	add(s.Added, "officer added", "officers added")
	add(s.Updated, "officer updated", "officers updated")
	add(s.Leavers, "leaver", "leavers")
	add(s.Completions, "completion", "completions")
	if s.OrphanCompletions > 0 && len(parts) > 0 {
		parts[len(parts)-1] += fmt.Sprintf(" (%d for IDs not on the roster yet)", s.OrphanCompletions)
	}
	add(s.Exemptions, "exemption", "exemptions")
	if len(parts) == 0 {
		return "no changes"
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// noticeKey counts the rows of an export Muster records nothing from.
const noticeKey = "\x00notice"

// anyCourseCell reports whether a wide row says anything of a course.
func anyCourseCell(r *row) bool {
	for _, c := range r.Courses {
		if c.Kind != CellNone {
			return true
		}
	}
	return false
}
