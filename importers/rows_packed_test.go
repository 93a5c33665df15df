package importers

import (
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

// TestRowStoreRoundTrip: every row comes back from the store exactly as it
// was added, packed or kept whole.
func TestRowStoreRoundTrip(t *testing.T) {
	d := func(y, m, day int) training.Date { return training.NewDate(y, time.Month(m), day) }
	wide := row{Record: Record{Row: 7, Hash: 0xfeedface12345678, ID: "12345", DisplayID: "0012345", Name: "Ann Smith",
		Email: "ann@example.org", EmailInvalid: true, Rank: "PC", Unit: "North / Alpha", LineManager: "999",
		StartDate: d(2019, 12, 31), Role: "Call Handler", StaffType: training.StaffType("police_staff"),
		InPostSince: d(2024, 1, 1), Leaver: true, StatusUnknown: true,
		Courses: []CourseCell{{CourseID: "cse", Kind: CellCompleted, Date: d(2025, 2, 28)},
			{CourseID: "tic", Kind: CellExempt}, {CourseID: "cse", Kind: CellCompletedNoDate}}}, has: fieldSetOf(map[Field]bool{FieldID: true, FieldName: true})}
	plain := row{Record: Record{Row: 8, ID: "2"}}
	long := row{Record: Record{Row: 9, ID: "3", CourseName: "CSE", CourseID: "cse", Completed: true, Status: "Passed",
		Date: d(2025, 3, 1)}, has: fieldSetOf(map[Field]bool{FieldCourse: true})}
	odd := row{Record: Record{Row: -10, ID: "4"}}
	unknown := row{Record: Record{Row: 11, ID: "5", DateUnknown: true, CourseAmbiguous: true}}
	in := []row{wide, plain, long, odd, unknown}
	var s rowStore
	for range 2 * rowChunk / len(in) {
		for _, r := range in {
			s.add(r)
		}
	}
	for i := range s.len() {
		if got, want := *s.at(i), in[i%len(in)]; !reflect.DeepEqual(got, want) {
			t.Fatalf("row %d:\n got %+v\nwant %+v", i, got, want)
		}
	}
	// Read in turn into one row (as the planner reads them), each comes back
	// the same, whatever the row before it held.
	var buf row
	for i := range s.len() {
		got, want := *s.atInto(i, &buf), in[i%len(in)]
		if len(got.Courses) == 0 && want.Courses == nil {
			got.Courses = nil // an empty list where the row had none
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("row %d read into one row:\n got %+v\nwant %+v", i, got, want)
		}
	}
	if s.chunked.at(0).whole != nil || s.chunked.at(1).whole != nil || s.chunked.at(2).whole == nil || s.chunked.at(3).whole == nil {
		t.Errorf("a wide row is kept whole, or a completion export's row or an odd row number packed")
	}
	// More distinct units than the table holds: the rows past it are kept whole.
	var many rowStore
	for i := range 1<<16 + 10 {
		many.add(row{Record: Record{Row: i + 2, ID: strconv.Itoa(i), Unit: "Unit " + strconv.Itoa(i)}})
	}
	for i := range many.len() {
		if got := many.at(i); got.Unit != "Unit "+strconv.Itoa(i) || got.ID != strconv.Itoa(i) || got.Row != i+2 {
			t.Errorf("row %d of many units: %+v", i, got.Record)
		}
	}
	if many.chunked.at(1<<16+9).whole == nil {
		t.Errorf("a row past the full table was packed")
	}
	// A field added to Record must be packed (or make pack keep the row
	// whole): this count is the fields packRow knows.
	if n := reflect.TypeFor[Record]().NumField(); n != 25 {
		t.Errorf("Record has %d fields; rowStore.pack knows 25: pack and unpack the new one", n)
	}
}

// TestRowStoreAddRecord: a record's fields come back as compact gives
// them, whether its Has is the one the record before had (folded once) or
// another.
func TestRowStoreAddRecord(t *testing.T) {
	a := map[Field]bool{FieldID: true, FieldName: true}
	b := map[Field]bool{FieldID: true, FieldUnit: true, FieldStatus: true}
	recs := []Record{{Row: 2, ID: "1", Has: a}, {Row: 3, ID: "2", Has: a}, {Row: 4, ID: "3", Has: b},
		{Row: 5, ID: "4", Has: a}, {Row: 6, ID: "5"}, {Row: 7, ID: "6", Has: b}, {Row: 8, ID: "7", Has: b}}
	var s rowStore
	for _, r := range recs {
		s.addRecord(r)
	}
	for i, r := range recs {
		if got, want := s.at(i).has, compact(r).has; got != want {
			t.Errorf("row %d: fields %b, want %b", r.Row, got, want)
		}
	}
}
