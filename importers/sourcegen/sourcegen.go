// Package sourcegen writes test fixtures laid out exactly as the systems
// police forces use write their exports — Moodle, Totara, SAP HR and Oracle
// HCM, as docs/sources.md describes them — for a given list of officers,
// and says for each file what importing it must do (an Expectation computed
// here, never by the importer under test).
//
// The files carry the traps real exports carry: Moodle's internal user id
// beside the warrant number, activity columns, organisation codes and
// last-level unit names, statuses outside ROSTERS.md's vocabulary
// ("Withdrawn", "Complete via rpl", Yes under "Completed"), people who are
// not on the roster, and a wrong ID column for the import guards (docs/ROSTERS.md "Guards").
package sourcegen

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/muster-police/muster/training"
)

// Officer is one officer of the roster the fixtures are written for.
type Officer struct {
	// ID is the officer ID as the roster shows it (warrant or payroll number).
	ID       string
	Surname  string
	Forename string
	Email    string
	// Unit is the full unit path, parts joined by training.UnitSep.
	Unit string
	// LineManager is the manager's officer ID (or email, as the roster has it).
	LineManager string
	StartDate   training.Date
}

// Name is the officer's full name as Muster stores it: "Forename Surname".
func (o Officer) Name() string {
	if o.Forename == "" {
		return o.Surname
	}
	return o.Forename + " " + o.Surname
}

// SplitName splits a stored full name at its last space into forename and
// surname ("Mary Anne Smith" → "Mary Anne", "Smith"), the inverse of Name.
func SplitName(full string) (forename, surname string) {
	for i := len(full) - 1; i >= 0; i-- {
		if full[i] == ' ' {
			return full[:i], full[i+1:]
		}
	}
	return "", full
}

// Input is what the fixtures are generated from.
type Input struct {
	// Officers are the active officers on the roster (at least MinOfficers).
	Officers []Officer
	// Courses are the tracked courses; nil means training.DefaultCourses().
	// The fixtures refer to the default courses by ID, so both must exist.
	Courses []training.Course
	// Seed makes the output reproducible: same input and seed, same bytes.
	Seed uint64
	// ExportedAt is when the source systems ran the exports; every
	// completion in the files is at least a day before it. Zero means
	// DefaultExportedAt.
	ExportedAt time.Time
}

// MinOfficers is the smallest roster the fixtures can be drawn from.
const MinOfficers = 40

// DefaultExportedAt is the export time used when Input.ExportedAt is zero.
var DefaultExportedAt = time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)

// Course IDs the fixtures are about (training.DefaultCourses).
const (
	CourseCSE = "cse-recognition"
	CourseTIC = "trauma-informed-communication"
)

// Fixture is one generated file and what importing it must do.
type Fixture struct {
	// Layout names the layout (a key of Headers, a section of docs/sources.md).
	Layout string
	// Path is the file written, inside the directory given to Generate.
	Path string
	// Format is "csv" or "xlsx"; Encoding (Enc*) and Delimiter describe a
	// csv file's bytes.
	Format, Encoding, Delimiter string
	Expect                      Expectation
}

// Generate writes one file per layout into dir (which must exist) and
// returns them in Layouts order.
func Generate(dir string, in Input) ([]Fixture, error) {
	g, err := newGen(in)
	if err != nil {
		return nil, err
	}
	out := make([]Fixture, 0, len(layouts))
	for i, l := range layouts {
		g.rng = rand.New(rand.NewPCG(in.Seed, uint64(i)+1))
		f, err := l.write(g)
		if err != nil {
			return nil, fmt.Errorf("sourcegen: %s: %w", l.name, err)
		}
		f.Expect.finish()
		path := filepath.Join(dir, f.file)
		if err := os.WriteFile(path, f.data, 0o644); err != nil {
			return nil, fmt.Errorf("sourcegen: %s: %w", l.name, err)
		}
		out = append(out, Fixture{Layout: l.name, Path: path, Format: l.format, Encoding: l.encoding,
			Delimiter: l.delimiter, Expect: f.Expect})
	}
	return out, nil
}

// Layouts lists the layouts Generate writes, in order.
func Layouts() []string {
	names := make([]string, len(layouts))
	for i, l := range layouts {
		names[i] = l.name
	}
	return names
}

// layout is one file Generate writes.
type layout struct {
	name, format, encoding, delimiter string
	write                             func(*gen) (*file, error)
}

// file is a layout's output before it is written.
type file struct {
	file   string
	data   []byte
	Expect Expectation
}

// Encodings of the files (Fixture.Encoding).
const (
	EncUTF8    = "utf-8"     // no BOM
	EncUTF8BOM = "utf-8-bom" // EF BB BF first
	EncUTF16LE = "utf-16le"  // FF FE first
	EncXLSX    = ""          // not a text file
)

// layouts is the fixed list of layouts, in the order of docs/sources.md.
var layouts = []layout{
	{"moodle-course-completion-csv", "csv", EncUTF8, ",", moodleCourseCompletionCSV},
	{"moodle-course-completion-excelcsv", "csv", EncUTF8BOM, ",", moodleCourseCompletionExcelCSV},
	{"moodle-course-completion-no-idnumber", "csv", EncUTF8, ",", moodleCourseCompletionNoIDNumber},
	{"moodle-activity-completion-excelcsv", "csv", EncUTF16LE, "\t", moodleActivityExcelCSV},
	{"moodle-activity-completion-csv", "csv", EncUTF8, ",", moodleActivityCSV},
	{"moodle-custom-report-csv", "csv", EncUTF8BOM, ",", moodleCustomReportCSV},
	{"moodle-custom-report-xlsx", "xlsx", EncXLSX, "", moodleCustomReportXLSX},
	{"totara-course-completion-csv", "csv", EncUTF8, ",", totaraCourseCompletion},
	{"totara-hr-import-user-csv", "csv", EncUTF8, ",", totaraHRImport},
	{"sap-hr-adhoc-query-xlsx", "xlsx", EncXLSX, "", sapAdHocQuery},
	{"oracle-hcm-extract-csv", "csv", EncUTF8, ",", oracleExtract},
	{"guard-unknown-ids-csv", "csv", EncUTF8, ",", guardUnknownIDs},
	{"guard-unit-codes-csv", "csv", EncUTF8, ",", guardUnitCodes},
}

// gen is the state shared by the layout writers.
type gen struct {
	officers   []Officer // sorted by ID
	onRoster   map[string]bool
	cse, tic   training.Course
	exportedAt time.Time
	rng        *rand.Rand
	seed       uint64            // Input.Seed, for streams of their own (posts.go)
	unitCodes  map[string]string // unit path -> SAP-style org unit object ID
}

func newGen(in Input) (*gen, error) {
	if len(in.Officers) < MinOfficers {
		return nil, fmt.Errorf("sourcegen: %d officers given, at least %d needed", len(in.Officers), MinOfficers)
	}
	courses := in.Courses
	if courses == nil {
		courses = training.DefaultCourses()
	}
	g := &gen{onRoster: map[string]bool{}, exportedAt: in.ExportedAt, unitCodes: map[string]string{}, seed: in.Seed}
	if g.exportedAt.IsZero() {
		g.exportedAt = DefaultExportedAt
	}
	for _, c := range courses {
		switch c.ID {
		case CourseCSE:
			g.cse = c
		case CourseTIC:
			g.tic = c
		}
	}
	if g.cse.ID == "" || g.tic.ID == "" {
		return nil, errors.New("sourcegen: the courses must include " + CourseCSE + " and " + CourseTIC)
	}
	g.officers = append([]Officer(nil), in.Officers...)
	sort.Slice(g.officers, func(i, j int) bool { return g.officers[i].ID < g.officers[j].ID })
	units := map[string]bool{}
	for _, o := range g.officers {
		id := training.NormalizeID(o.ID)
		if id == "" || g.onRoster[id] {
			return nil, fmt.Errorf("sourcegen: officer ID %q is empty or repeated", o.ID)
		}
		g.onRoster[id] = true
		units[o.Unit] = true
	}
	paths := make([]string, 0, len(units))
	for u := range units {
		paths = append(paths, u)
	}
	sort.Strings(paths)
	for i, u := range paths {
		g.unitCodes[u] = fmt.Sprintf("%08d", 50000100+i*100)
	}
	return g, nil
}

// pick returns n officers drawn without repetition, in roster order.
func (g *gen) pick(n int) []Officer {
	if n > len(g.officers) {
		n = len(g.officers)
	}
	idx := g.rng.Perm(len(g.officers))[:n]
	sort.Ints(idx)
	out := make([]Officer, n)
	for i, j := range idx {
		out[i] = g.officers[j]
	}
	return out
}

// strangers returns n people who are not on the roster, with IDs shaped
// like the roster's (six digits).
func (g *gen) strangers(n int) []Officer {
	first := []string{"Morgan", "Rhys", "Niamh", "Kwame", "Ewa", "Callum", "Farah", "Tomasz"}
	last := []string{"Pryce", "Okafor", "Lindqvist", "MacLeod", "Haddad", "Nowak", "Byrne", "Achterberg"}
	out := make([]Officer, 0, n)
	for len(out) < n {
		id := fmt.Sprintf("%06d", 900000+g.rng.IntN(99999))
		if g.onRoster[training.NormalizeID(id)] || containsID(out, id) {
			continue
		}
		f, l := first[g.rng.IntN(len(first))], last[g.rng.IntN(len(last))]
		out = append(out, Officer{ID: id, Forename: f, Surname: l,
			Email: fmt.Sprintf("%s.%s@lms-only.example", f, l)})
	}
	return out
}

func containsID(os []Officer, id string) bool {
	for _, o := range os {
		if o.ID == id {
			return true
		}
	}
	return false
}

// completedAt returns a time between 1 January 2023 and two days before the
// export, in Europe/London, on a working hour.
func (g *gen) completedAt() time.Time {
	from := time.Date(2023, 1, 1, 0, 0, 0, 0, training.London)
	to := g.exportedAt.Add(-48 * time.Hour)
	days := int(to.Sub(from).Hours() / 24)
	d := from.AddDate(0, 0, g.rng.IntN(days))
	return time.Date(d.Year(), d.Month(), d.Day(), 7+g.rng.IntN(14), g.rng.IntN(60), g.rng.IntN(60), 0, training.London)
}

// chance reports true with probability p.
func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

// FromDataset returns the active officers of a store's roster as generator
// input, in ID order (names split at the last space, see SplitName).
func FromDataset(ds *training.Dataset) []Officer {
	out := make([]Officer, 0, len(ds.Officers))
	for _, o := range ds.Officers {
		if o.Leaver {
			continue
		}
		f, s := SplitName(o.Name)
		id := o.DisplayID
		if id == "" {
			id = o.ID
		}
		out = append(out, Officer{ID: id, Surname: s, Forename: f, Email: o.Email, Unit: o.Unit,
			LineManager: o.LineManager, StartDate: o.StartDate})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
