package importers

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/muster-police/muster/training"
)

// ReadOptions control Read.
type ReadOptions struct {
	// Sheet forces a sheet by name (xlsx); "" picks the sheet whose header
	// row matches best.
	Sheet string
	// Courses are the tracked courses, for course columns and course names.
	Courses []training.Course
	// Today is the date of the import: completion dates after it are
	// errors. Zero disables that check.
	Today  training.Date
	Limits Limits
	// Progress, when set, is called now and then with the number of data
	// rows read so far, and once at the end.
	Progress func(rows int)
	// Mapping is the person's choice of what columns hold, for this file;
	// it wins over everything the reader would detect.
	Mapping []training.MappingRule
	// Saved are the saved mappings: one made for the file's headers is applied.
	Saved []training.ColumnMapping
	// Course is the course a file covering one course without naming it
	// is for ("": from a saved mapping, else the file name).
	Course string
	// FileName is the name the file was uploaded under (for a course
	// named only there, as Moodle names its course completion downloads).
	FileName string
}

// Limits bound what one upload may cost. Zero fields take DefaultLimits.
type Limits struct {
	MaxBytes      int64 // file size
	MaxRows       int   // data rows
	MaxUnzipBytes int64 // xlsx: total decompressed size (zip-bomb guard)
	// MaxUnzipRatio is how many times the upload's size the parts read
	// may unpack to, beyond unzipRatioFloor (docs/EXCELIZE.md).
	MaxUnzipRatio int64
}

// DefaultLimits are generous for a force's roster and small enough that a
// hostile file cannot exhaust the server.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 50 << 20, MaxRows: 500_000, MaxUnzipBytes: 500 << 20, MaxUnzipRatio: 100}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxRows <= 0 {
		l.MaxRows = d.MaxRows
	}
	if l.MaxUnzipBytes <= 0 {
		l.MaxUnzipBytes = d.MaxUnzipBytes
	}
	if l.MaxUnzipRatio <= 0 {
		l.MaxUnzipRatio = d.MaxUnzipRatio
	}
	return l
}

// FileError is a problem with the file as a whole: it cannot be read at
// all. Reason is one plain sentence for the person who uploaded it; Field
// is "mapping" when the column mapping given with it is at fault, else
// "file".
type FileError struct {
	Reason, Field string
	// Headers, for a file whose header row was not recognised, are the
	// headers of the row most like one, each with the field it probably
	// means: the page offers a pick list for every column at once.
	Headers []FoundHeader
	// HeaderRow and Where say where those headers are (row, "sheet \"X\"").
	HeaderRow int
	Where     string
}

func (e *FileError) Error() string { return e.Reason }

// Is makes errors.Is(err, training.ErrInvalid) true.
func (e *FileError) Is(target error) bool { return target == training.ErrInvalid }

// As makes errors.As(err, &*training.Error) find it, with its field.
func (e *FileError) As(target any) bool {
	field := e.Field
	if field == "" {
		field = "file"
	}
	return training.SetAs(target, &training.Error{Kind: training.KindInvalid, Field: field, Message: e.Reason})
}

func fileErrorf(format string, args ...any) *FileError {
	return &FileError{Reason: fmt.Sprintf(format, args...)}
}

// progressEvery is how many rows pass between Progress calls.
const progressEvery = 1000

// Read streams a roster file (xlsx, xlsm or csv, told apart by content):
// it detects the sheet, header row, columns and layout, passes each data
// row to fn as a Record, and returns what it detected and the problems it
// found in cells and rows. A file that cannot be read at all gives a
// *FileError (errors.Is training.ErrInvalid); an error from fn stops the
// read and is returned as is. Rows with no ID are not passed to fn (they
// are Problems with RowRejected). name is the file's name as uploaded; the
// content, not the name, decides how it is read.
func Read(r io.ReaderAt, size int64, name string, opts ReadOptions, fn func(Record) error) (det *Detection, problems []Problem, err error) {
	defer func() {
		// A last resort: a malformed file must never crash an upload.
		if v := recover(); v != nil {
			det, problems = nil, nil
			err = &FileError{Reason: "The file could not be read: it appears to be damaged or is not a spreadsheet Muster understands."}
		}
	}()
	return read(r, size, opts, fn)
}

// read is Read without the recover, so fuzzing sees every panic.
func read(r io.ReaderAt, size int64, opts ReadOptions, fn func(Record) error) (*Detection, []Problem, error) {
	opts.Limits = opts.Limits.withDefaults()
	kind, err := sniff(r, size, opts.Limits)
	if err != nil {
		return nil, nil, err
	}
	courses := make([]training.Course, len(opts.Courses))
	for i, c := range opts.Courses {
		courses[i] = c.Normalize()
	}
	rd := &reader{opts: opts, cm: newCourseMatcher(courses), fn: fn}
	user, err := newOverrides(opts.Mapping, courses, "your mapping")
	if err != nil {
		return nil, nil, &FileError{Field: "mapping", Reason: "The column mapping cannot be used: " + sentence(err) + "."}
	}
	saved, warnings := prepareSaved(opts.Saved, courses)
	rd.d = &detector{cm: rd.cm, user: user, saved: saved, sources: knownSources}
	switch kind {
	case kindXLSX, kindXLSM:
		err = rd.readXLSX(r, size, kind)
	default:
		err = rd.readCSV(r, size)
	}
	var problems []Problem
	for _, w := range warnings {
		problems = append(problems, Problem{Severity: SeverityWarning, Reason: w})
	}
	if rd.rp != nil {
		problems = append(problems, rd.rp.problems...)
	}
	sortProblems(problems)
	if err != nil {
		return rd.det, problems, err
	}
	if opts.Progress != nil {
		opts.Progress(rd.det.Rows)
	}
	if problems == nil {
		problems = []Problem{}
	}
	return rd.det, problems, nil
}

// reader is the state of one Read shared by the csv and xlsx paths.
type reader struct {
	opts ReadOptions
	cm   *courseMatcher
	d    *detector
	// noID is a recognised export's explanation of a header row without
	// an officer ID column ("": none seen).
	noID string
	// idHint is a header to show in the refusal's example of choosing
	// the ID column (see headerFinder.idHint).
	idHint      string
	idHintScore int
	fn          func(Record) error
	det         *Detection
	rp          *rowParser
	rec         Record
	// guess is the row most like a header when none was recognised.
	guess *guessedHeader
}

// start fixes the header plan for the sheet that will be streamed.
func (rd *reader) start(sheet string, p headerPlan, date1904 bool) error {
	if p.ambiguous != "" {
		return &FileError{Reason: p.ambiguous}
	}
	notice := ""
	if p.source != nil && p.source.refuse != "" && !mapsCourse(p.columns) {
		notice = p.source.refuse
	}
	course := ""
	if notice == "" {
		var err error
		if course, err = rd.oneCourse(&p); err != nil {
			return err
		}
	}
	d := p.detection()
	d.Sheet = sheet
	d.Date1904 = date1904
	d.Course = course
	if notice != "" {
		d.Notice, d.NoticeLabel = notice, p.source.noticeLabel
	}
	if rd.det != nil {
		d.Format, d.Encoding, d.Delimiter, d.Sheets = rd.det.Format, rd.det.Encoding, rd.det.Delimiter, rd.det.Sheets
	}
	rd.det = d
	rd.rp = newRowParser(sheet, p, rd.cm, date1904, rd.opts.Today)
	rd.rp.fixedCourse = course
	if p.source != nil {
		rd.rp.vocab = p.source.vocab
		rd.rp.unixDates = p.source.unixDates
	}
	return nil
}

// mapsCourse reports whether a person mapped a column to a course.
func mapsCourse(cols []Column) bool {
	for _, c := range cols {
		if c.Field == FieldCourseColumn && c.CourseID != "" {
			return true
		}
	}
	return false
}

// noted keeps what a header search learnt for the refusal's message.
func (rd *reader) noted(hf *headerFinder) {
	if rd.noID == "" {
		rd.noID = hf.noID
	}
	if hf.idHintScore > rd.idHintScore {
		rd.idHint, rd.idHintScore = hf.idHint, hf.idHintScore
	}
}

// noHeaderIn is the FileError for a file without a usable header row:
// a recognised export's own explanation when a row was one but lacked the
// officer ID column, else the general one.
func (rd *reader) noHeaderIn(where string) *FileError {
	if rd.noID != "" {
		return &FileError{Reason: rd.noID}
	}
	if rd.d != nil && rd.d.user != nil && !rd.d.user.hasID() {
		return fileErrorf("With the column choices made for this file, no column holds the officer ID, so no row can be read; choose the column that holds the warrant or payroll number (\"id\"), or undo the choice that took it away.")
	}
	fe := noHeader(where)
	fe.Reason = strings.TrimSuffix(fe.Reason, ".") + "; " + pickID(rd.idHint)
	if rd.guess != nil {
		fe.Headers, fe.HeaderRow, fe.Where = rd.guess.foundHeaders(), rd.guess.row, rd.guess.where
	}
	return fe
}

// pickID says, as the end of a sentence, how a person names the ID
// column themselves: the CLI's --map, the web page's pick list of the
// headers found (FileError.Headers).
func pickID(header string) string {
	if header == "" || strings.ContainsAny(header, "\"=") {
		header = "HEADER"
	}
	return fmt.Sprintf("if the IDs are in a column of another name, say which: on the command line with --map %q; on the web, choose \"officer ID\" for it in the list of the headers found, or write %s under More options on the upload page.",
		header+"=id", header+"=id")
}

// sentence is a domain error's own message (without its kind), or the
// error's text.
func sentence(err error) string {
	if m := training.MessageOf(err); m != "" {
		return m
	}
	return err.Error()
}

// Bounds on one data row, Excel's own: a sheet has at most 16,384
// columns and a cell at most 32,767 characters.
const (
	maxColumns   = 16384
	maxCellBytes = 32767 * 3 // UTF-8 bytes of 32,767 characters at most
)

// row handles one data row (after the header). row is 1-based.
func (rd *reader) row(row int, cells []string) error {
	if len(cells) > maxColumns {
		return fileErrorf("Row %d has more than %d columns, more than Excel allows; the file is damaged or not a roster.", row, maxColumns)
	}
	for i, c := range cells {
		if len(c) > maxCellBytes {
			rd.rp.tooLong(row, i, c)
			cells[i] = ""
		}
	}
	before := len(rd.rp.problems)
	outcome := rd.rp.parse(row, cells, &rd.rec)
	if outcome == rowRecord {
		// Name the person in the row's problems (ID and name).
		for i := before; i < len(rd.rp.problems); i++ {
			p := &rd.rp.problems[i]
			if p.OfficerID == "" {
				p.OfficerID = rd.rec.DisplayID
			}
			p.Name = rd.rec.Name
		}
	}
	switch outcome {
	case rowBlank:
		return nil
	case rowTotal:
		rd.det.TotalRow = row
		return nil
	case rowRejected:
		rd.det.Rows++
	case rowRecord:
		rd.det.Rows++
		if rd.det.TotalRow != 0 {
			// A "Total" row that was not the last one was an odd data row
			// after all; it is still left out, but said so.
			rd.rp.problems = append(rd.rp.problems, Problem{Severity: SeverityWarning, Sheet: rd.det.Sheet, Row: rd.det.TotalRow,
				Reason: "This row looks like a total row but is not at the end of the list; it was not imported."})
			rd.det.TotalRow = 0
		}
		if err := rd.fn(rd.rec); err != nil {
			return err
		}
	}
	if rd.det.Rows > rd.opts.Limits.MaxRows {
		return fileErrorf("The file has more than %d data rows, the most Muster reads from one file; split it into smaller files.", rd.opts.Limits.MaxRows)
	}
	if rd.opts.Progress != nil && rd.det.Rows%progressEvery == 0 {
		rd.opts.Progress(rd.det.Rows)
	}
	return nil
}

// noHeader is the FileError for a sheet (or file) without a usable header row.
func noHeader(where string) *FileError {
	return fileErrorf("No header row was found in %s: none of its first %d rows names an officer ID column such as %s.", where, headerScanRows, knownHeaderExamples)
}

func trimZero(f float64) string {
	return strings.TrimSuffix(strconv.FormatFloat(f, 'f', 1, 64), ".0")
}

func itoa(n int) string { return strconv.Itoa(n) }

// sortProblems orders problems as a reader scans the sheet: by row, then
// column (each row's cells are parsed field by field, not left to right).
func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		if len(a.Letter) != len(b.Letter) {
			return len(a.Letter) < len(b.Letter)
		}
		return a.Letter < b.Letter
	})
}
