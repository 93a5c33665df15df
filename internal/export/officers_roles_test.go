package export

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/muster-police/muster/training"
)

// TestOfficersExportsRoleAndStaffType: the officers list exports carry
// each person's role and staff type next to their rank (the CSV the staff
// type's code, as the API and the officer page give it), a role that looks
// like a formula is written as text, and a person without them has blanks.
func TestOfficersExportsRoleAndStaffType(t *testing.T) {
	list := []training.OfficerStatus{
		{Officer: training.Officer{ID: "A1", DisplayID: "A1", Name: "Ann Call", Rank: "", Role: "Call Handler (Nights)", StaffType: training.StaffStaff, Unit: "Contact"}},
		{Officer: training.Officer{ID: "B2", DisplayID: "B2", Name: "Bo Special", Rank: "SC", Role: "=HYPERLINK(\"x\")", StaffType: training.StaffSpecial, Unit: "North"}},
		{Officer: training.Officer{ID: "C3", DisplayID: "C3", Name: "Cy Blank", Rank: "PC", Unit: "North"}},
	}
	var buf bytes.Buffer
	if err := OfficersCSV(&buf, list, nil); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"officer_id", "name", "rank", "role", "staff_type", "unit"},
		{"A1", "Ann Call", "", "Call Handler (Nights)", "staff", "Contact"},
		{"B2", "Bo Special", "SC", "'=HYPERLINK(\"x\")", "special", "North"},
		{"C3", "Cy Blank", "PC", "", "", "North"},
	}
	for i, w := range want {
		if got := recs[i][:6]; !reflect.DeepEqual(got, w) {
			t.Errorf("csv row %d: %q, want %q", i, got, w)
		}
	}

	buf.Reset()
	if err := OfficersXLSX(&buf, list, nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Officers")
	if err != nil {
		t.Fatal(err)
	}
	wantX := [][]string{
		{"Officer ID", "Name", "Rank", "Role", "Staff type", "Unit"},
		{"A1", "Ann Call", "", "Call Handler (Nights)", "staff", "Contact"},
		{"B2", "Bo Special", "SC", "'=HYPERLINK(\"x\")", "special", "North"},
		{"C3", "Cy Blank", "PC", "", "", "North"},
	}
	for i, w := range wantX {
		got := append(rows[i], make([]string, 6)...)[:6] // GetRows leaves out trailing blanks
		if !reflect.DeepEqual(got, w) {
			t.Errorf("xlsx row %d: %q, want %q", i, got, w)
		}
	}
}
