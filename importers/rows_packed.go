package importers

import "github.com/muster-police/muster/training"

// A file's rows are held from the end of reading to the end of planning:
// at 150,000 rows, as row values (352 bytes, and 48 for each course cell,
// before training.Date became 4 bytes), they were about 70 MB beside the
// workbook reader's own tables, which set the import's peak while it
// reads. rowStore keeps a wide roster's rows packed instead (about 180
// bytes, 8 a cell) and gives each back as a row when asked: the strings
// are the same strings (nothing is copied), the fields of a completion
// export's rows are left out, course IDs are an index into the store's
// table. A row that does not pack exactly (a completion export's) is kept
// whole.

// rowStore holds the rows of a file in reading order.
type rowStore struct {
	chunked[packedRow]
	courses   []string // course IDs by index
	courseIdx map[string]uint16
}

// packedRow is a row as rowStore keeps it.
type packedRow struct {
	ID, DisplayID, Name, Email, Rank, Unit, LineManager, Role string
	StaffType                                                 training.StaffType
	Hash                                                      uint64
	cells                                                     []packedCell
	// whole is a row kept as it came (the other fields are then unset).
	whole         *row
	row           int32
	start, inPost training.Date
	has           fieldSet
	flags         uint8
}

const (
	flagEmailInvalid = 1 << iota
	flagLeaver
	flagStatusUnknown
)

// packedCell is a CourseCell: the course's index in rowStore.courses.
type packedCell struct {
	date   training.Date
	course uint16
	kind   uint8
}

func (s *rowStore) add(r row) {
	p, ok := s.pack(&r)
	if !ok {
		p = packedRow{whole: &r}
	}
	s.chunked.add(p)
}

// pack packs r, unless some of it would not come back exactly.
func (s *rowStore) pack(r *row) (packedRow, bool) {
	if r.Has != nil || r.CourseName != "" || r.CourseID != "" || r.Completed || r.Status != "" ||
		!r.Date.IsZero() || r.DateUnknown || r.CourseAmbiguous || r.Row < 0 || r.Row > 1<<31-1 {
		return packedRow{}, false
	}
	p := packedRow{ID: r.ID, DisplayID: r.DisplayID, Name: r.Name, Email: r.Email, Rank: r.Rank, Unit: r.Unit,
		LineManager: r.LineManager, Role: r.Role, StaffType: r.StaffType, Hash: r.Hash,
		row: int32(r.Row), start: r.StartDate, inPost: r.InPostSince, has: r.has}
	if r.EmailInvalid {
		p.flags |= flagEmailInvalid
	}
	if r.Leaver {
		p.flags |= flagLeaver
	}
	if r.StatusUnknown {
		p.flags |= flagStatusUnknown
	}
	if len(r.Courses) > 0 {
		p.cells = make([]packedCell, len(r.Courses))
		for i, c := range r.Courses {
			course, ok := s.course(c.CourseID)
			if !ok || c.Kind < 0 || c.Kind > 255 {
				return packedRow{}, false
			}
			p.cells[i] = packedCell{date: c.Date, course: course, kind: uint8(c.Kind)}
		}
	}
	return p, true
}

// course returns the index of a course ID, adding it to the table.
func (s *rowStore) course(id string) (uint16, bool) {
	if i, ok := s.courseIdx[id]; ok {
		return i, true
	}
	if len(s.courses) >= 1<<16-1 {
		return 0, false
	}
	if s.courseIdx == nil {
		s.courseIdx = map[string]uint16{}
	}
	i := uint16(len(s.courses))
	s.courses = append(s.courses, id)
	s.courseIdx[id] = i
	return i, true
}

// at returns row i. A packed row comes back as a new row each time: the
// caller may keep it, and changing it changes nothing stored.
func (s *rowStore) at(i int) *row {
	p := s.chunked.at(i)
	if p.whole != nil {
		return p.whole
	}
	r := &row{Record: Record{Row: int(p.row), Hash: p.Hash, ID: p.ID, DisplayID: p.DisplayID, Name: p.Name, Email: p.Email,
		EmailInvalid: p.flags&flagEmailInvalid != 0, Rank: p.Rank, Unit: p.Unit, LineManager: p.LineManager,
		StartDate: p.start, Role: p.Role, StaffType: p.StaffType, InPostSince: p.inPost,
		Leaver: p.flags&flagLeaver != 0, StatusUnknown: p.flags&flagStatusUnknown != 0}, has: p.has}
	if len(p.cells) > 0 {
		r.Courses = make([]CourseCell, len(p.cells))
		for j, c := range p.cells {
			r.Courses[j] = CourseCell{CourseID: s.courses[c.course], Kind: CellKind(c.kind), Date: c.date}
		}
	}
	return r
}
