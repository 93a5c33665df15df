package storagetest

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/muster-police/muster/training"
)

var mappingTests = []test{
	{"MappingsEmpty", testMappingsEmpty},
	{"MappingRoundTrip", testMappingRoundTrip},
	{"MappingReplace", testMappingReplace},
	{"MappingInvalid", testMappingInvalid},
	{"MappingDelete", testMappingDelete},
	{"MappingCap", testMappingCap},
}

// testMappingCap: MaxMappings may be saved; one more new one is refused
// with ErrTooManyMappings, replacing a saved one still works, and after a
// delete there is room again.
func testMappingCap(t *testing.T, s training.Store) {
	for i := 0; i < training.MaxMappings; i++ {
		check(t, s.PutMapping(ctx(t), mapping(fmt.Sprintf("export %03d", i))))
	}
	if err := s.PutMapping(ctx(t), mapping("one too many")); !errors.Is(err, training.ErrTooManyMappings) || !errors.Is(err, training.ErrInvalid) {
		t.Fatalf("a mapping past the cap: %v, want ErrTooManyMappings", err)
	}
	check(t, s.PutMapping(ctx(t), mapping("export 007")))
	check(t, s.DeleteMapping(ctx(t), "export 000"))
	check(t, s.PutMapping(ctx(t), mapping("one too many")))
	got, err := s.Mappings(ctx(t))
	check(t, err)
	if len(got) != training.MaxMappings {
		t.Fatalf("%d mappings saved, want %d", len(got), training.MaxMappings)
	}
}

func mapping(name string) training.ColumnMapping {
	return training.ColumnMapping{Name: name, Headers: []string{"Pers.No.", "Last name", "Org.unit"},
		Rules:  []training.MappingRule{{Header: "Pers.No.", Field: "id"}, {Header: "Org.unit", Field: "ignore"}, {Header: "Last name", Field: "surname"}},
		Course: "cse-recognition", By: "hana", At: t0}
}

func testMappingsEmpty(t *testing.T, s training.Store) {
	got, err := s.Mappings(ctx(t))
	check(t, err)
	if got == nil || len(got) != 0 {
		t.Fatalf("Mappings of a new store = %#v, want an empty list", got)
	}
}

func testMappingRoundTrip(t *testing.T, s training.Store) {
	rev, err := s.Revision(ctx(t))
	check(t, err)
	b, a := mapping("SAP monthly"), mapping("Moodle CSE")
	a.Course, a.Rules = "", nil
	check(t, s.PutMapping(ctx(t), b))
	check(t, s.PutMapping(ctx(t), a))
	got, err := s.Mappings(ctx(t))
	check(t, err)
	if len(got) != 2 || !reflect.DeepEqual(got[1], b) || got[0].Name != "Moodle CSE" || len(got[0].Rules) != 0 || !got[0].At.Equal(t0) {
		t.Fatalf("Mappings = %#v, want both sorted by name, every field kept", got)
	}
	after, err := s.Revision(ctx(t))
	check(t, err)
	if after != rev {
		t.Errorf("saving mappings moved the revision from %d to %d; mappings are not figures", rev, after)
	}
	// A returned value is a copy.
	got[1].Rules[0].Field = "name"
	again, err := s.Mappings(ctx(t))
	check(t, err)
	if again[1].Rules[0].Field != "id" {
		t.Errorf("changing a returned mapping changed the store")
	}
}

func testMappingReplace(t *testing.T, s training.Store) {
	check(t, s.PutMapping(ctx(t), mapping("SAP monthly")))
	m := mapping("SAP monthly")
	m.Rules = m.Rules[:1]
	m.By = "omar"
	check(t, s.PutMapping(ctx(t), m))
	got, err := s.Mappings(ctx(t))
	check(t, err)
	if len(got) != 1 || len(got[0].Rules) != 1 || got[0].By != "omar" {
		t.Fatalf("after replacing: %#v", got)
	}
}

func testMappingInvalid(t *testing.T, s training.Store) {
	for _, m := range []training.ColumnMapping{
		{Name: "", Headers: []string{"A"}},
		{Name: " padded ", Headers: []string{"A"}},
		{Name: "no headers"},
		{Name: "empty rule", Headers: []string{"A"}, Rules: []training.MappingRule{{Header: "A"}}},
	} {
		if err := s.PutMapping(ctx(t), m); !errors.Is(err, training.ErrInvalid) {
			t.Errorf("PutMapping(%q) = %v, want ErrInvalid", m.Name, err)
		}
	}
	got, err := s.Mappings(ctx(t))
	check(t, err)
	if len(got) != 0 {
		t.Errorf("invalid mappings were stored: %#v", got)
	}
}

func testMappingDelete(t *testing.T, s training.Store) {
	check(t, s.PutMapping(ctx(t), mapping("SAP monthly")))
	check(t, s.DeleteMapping(ctx(t), "SAP monthly"))
	got, err := s.Mappings(ctx(t))
	check(t, err)
	if len(got) != 0 {
		t.Errorf("after delete: %#v", got)
	}
	if err := s.DeleteMapping(ctx(t), "SAP monthly"); !errors.Is(err, training.ErrNotFound) {
		t.Errorf("deleting a missing mapping = %v, want ErrNotFound", err)
	}
}
