package bolt

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

// TestSlabOfficers encodes officers into the slab across several of its
// buffers, some longer than officerSize allows for (extensions): each
// record decodes to its officer, and none overlaps another (a record's
// capacity ends where it does in the buffer).
func TestSlabOfficers(t *testing.T) {
	var s slab
	var officers []training.Officer
	var recs [][]byte
	for i := range 12_000 { // about 3 MB of records: three buffers or more
		o := training.Officer{ID: fmt.Sprintf("ID%05d", i), DisplayID: fmt.Sprintf("id%05d", i), Name: "Name " + fmt.Sprint(i),
			Email: fmt.Sprintf("p%d@force.example", i), Unit: "North / Alpha / Team 1", Rank: "PC",
			Source: training.Source{ImportID: "imp-1", File: "roster.xlsx", Sheet: "Roster", Row: i + 2, By: "hr",
				At: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}}
		if i%1000 == 7 {
			o.Extensions = map[string]training.Extension{}
			for c := range 20 {
				o.Extensions[fmt.Sprintf("course-%02d", c)] = training.Extension{Until: training.DateOf(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)),
					By: "Sam Sergeant, Inspector of the North Alpha team", RequestID: fmt.Sprintf("request-%d-%d", i, c),
					At: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
			}
		}
		officers = append(officers, o)
		recs = append(recs, s.officer(o))
	}
	// A record longer than officerSize where the buffer has no more room
	// than that is appended elsewhere, and the buffer keeps its length.
	long := officers[7]
	s = slab{buf: make([]byte, 0, officerSize(long))}
	officers = append(officers, long)
	recs = append(recs, s.officer(long))
	if len(s.buf) != 0 {
		t.Fatalf("the buffer took %d bytes of a record appended elsewhere", len(s.buf))
	}
	for i, b := range recs {
		if i < 12_000 && cap(b) != len(b) {
			t.Fatalf("record %d: capacity %d beyond its length %d", i, cap(b), len(b))
		}
		got, err := decodeOfficer(b, nil)
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		if !reflect.DeepEqual(got, officers[i]) {
			t.Fatalf("record %d decodes to\n%+v\nwant\n%+v", i, got, officers[i])
		}
		if want := encodeOfficer(officers[i]); string(b) != string(want) {
			t.Fatalf("record %d differs from encodeOfficer's", i)
		}
	}
}
