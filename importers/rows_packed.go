package importers

import (
	"hash/maphash"
	"reflect"
	"slices"

	"github.com/muster-police/muster/training"
)

// A file's rows are held from the end of reading to the end of planning:
// at 150,000 rows, as row values (352 bytes, and 48 for each course cell,
// before training.Date became 4 bytes), they were about 70 MB beside the
// workbook reader's own tables, which set the import's peak while it
// reads. rowStore keeps a wide roster's rows packed instead (152 bytes,
// 8 a cell) and gives each back as a row when asked: the strings are the
// same strings (nothing is copied), the fields of a completion export's
// rows are left out, and values that repeat down a column (course IDs,
// ranks, units, roles, staff types) are an index into the store's table.
// A row that does not pack exactly (a completion export's) is kept whole.

// rowStore holds the rows of a file in reading order.
type rowStore struct {
	chunked[packedRow]
	// values holds the values that repeat down a column (course IDs,
	// ranks, units, roles, staff types), each once; a packed row has their
	// indexes.
	values strTable
	// ids are the rows' officer IDs, hashed, as they were added (a row
	// without an ID has none; noID are those rows' indexes): when no two
	// hashes are equal no two rows share an ID, so the file has no
	// duplicates and planning need not look for them (distinctIDs).
	ids   chunked[uint64]
	noID  []int
	seed  maphash.Seed
	given bool // seed is set
	// has is the last Has folded into bits (hasBits): every record of one
	// file shares one Has (Record.Has), so it is folded once, not per row.
	has     map[Field]bool
	hasBits fieldSet
}

// addRecord adds a record as the planner keeps it (compact).
func (s *rowStore) addRecord(r Record) {
	if s.has == nil || reflect.ValueOf(r.Has).UnsafePointer() != reflect.ValueOf(s.has).UnsafePointer() {
		s.has, s.hasBits = r.Has, fieldSetOf(r.Has)
	}
	s.add(compactWith(r, s.hasBits))
}

// packedRow is a row as rowStore keeps it.
type packedRow struct {
	ID, DisplayID, Name, Email, LineManager string
	Hash                                    uint64
	cells                                   []packedCell
	// whole is a row kept as it came (the other fields are then unset).
	whole                       *row
	row                         int32
	start, inPost               training.Date
	has                         fieldSet
	rank, unit, role, staffType uint16 // in rowStore.values
	flags                       uint8
}

const (
	flagEmailInvalid = 1 << iota
	flagLeaver
	flagStatusUnknown
)

// packedCell is a CourseCell: the course's index in rowStore.values.
type packedCell struct {
	date   training.Date
	course uint16
	kind   uint8
}

func (s *rowStore) add(r row) {
	if r.ID == "" {
		s.noID = append(s.noID, s.chunked.len())
	} else {
		if !s.given {
			s.seed, s.given = maphash.MakeSeed(), true
		}
		s.ids.add(maphash.String(s.seed, r.ID))
	}
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
	p := packedRow{ID: r.ID, DisplayID: r.DisplayID, Name: r.Name, Email: r.Email, LineManager: r.LineManager,
		Hash: r.Hash, row: int32(r.Row), start: r.StartDate, inPost: r.InPostSince, has: r.has}
	var ok [4]bool
	p.rank, ok[0] = s.values.index(r.Rank)
	p.unit, ok[1] = s.values.index(r.Unit)
	p.role, ok[2] = s.values.index(r.Role)
	p.staffType, ok[3] = s.values.index(string(r.StaffType))
	if ok != [4]bool{true, true, true, true} {
		return packedRow{}, false
	}
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
			course, ok := s.values.index(c.CourseID)
			if !ok || c.Kind < 0 || c.Kind > 255 {
				return packedRow{}, false
			}
			p.cells[i] = packedCell{date: c.Date, course: course, kind: uint8(c.Kind)}
		}
	}
	return p, true
}

// strTable holds strings once each, by index.
type strTable struct {
	strs []string
	idx  map[string]uint16
}

// index returns the index of v, adding it; false when the table is full.
func (t *strTable) index(v string) (uint16, bool) {
	if i, ok := t.idx[v]; ok {
		return i, true
	}
	if len(t.strs) >= 1<<16-1 {
		return 0, false
	}
	if t.idx == nil {
		t.idx = map[string]uint16{}
	}
	i := uint16(len(t.strs))
	t.strs = append(t.strs, v)
	t.idx[v] = i
	return i, true
}

// at returns row i. A packed row comes back as a new row each time: the
// caller may keep it, and changing it changes nothing stored.
func (s *rowStore) at(i int) *row { return s.atInto(i, &row{}) }

// atInto returns row i in *dst (its course cells in dst's), or a row kept
// whole: the planner reads the rows one at a time into one row, instead of
// making 150,000 of them for the collector (and it keeps none).
func (s *rowStore) atInto(i int, dst *row) *row {
	p := s.chunked.at(i)
	if p.whole != nil {
		return p.whole
	}
	v := s.values.strs
	cells := dst.Courses[:0]
	r := dst
	*r = row{Record: Record{Row: int(p.row), Hash: p.Hash, ID: p.ID, DisplayID: p.DisplayID, Name: p.Name, Email: p.Email,
		EmailInvalid: p.flags&flagEmailInvalid != 0, Rank: v[p.rank], Unit: v[p.unit], LineManager: p.LineManager,
		StartDate: p.start, Role: v[p.role], StaffType: training.StaffType(v[p.staffType]), InPostSince: p.inPost,
		Leaver: p.flags&flagLeaver != 0, StatusUnknown: p.flags&flagStatusUnknown != 0}, has: p.has}
	for _, c := range p.cells {
		cells = append(cells, CourseCell{CourseID: v[c.course], Kind: CellKind(c.kind), Date: c.date})
	}
	if len(cells) > 0 || cap(cells) > 0 {
		r.Courses = cells
	}
	return r
}

// distinctIDs reports whether no two rows with an ID share it (rows
// without one are s.noID). It may say false of IDs that are all distinct
// (two hashes alike), never true of IDs that are not: a false only means
// the rows are searched for duplicates (dedupe).
func (s *rowStore) distinctIDs() bool {
	hs := make([]uint64, 0, s.ids.len())
	for _, c := range s.ids.chunks {
		hs = append(hs, c...)
	}
	slices.Sort(hs)
	for i := 1; i < len(hs); i++ {
		if hs[i] == hs[i-1] {
			return false
		}
	}
	return true
}
