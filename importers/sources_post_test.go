package importers

import (
	"errors"
	"strings"
	"testing"

	"github.com/muster-police/muster/training"
)

// A known system's ID header is recognised on its own, whatever the
// other columns: they are read by the general wordings, not ignored as
// the export's detail.
func TestKnownSourceByIDAlone(t *testing.T) {
	tests := []struct {
		name, file, source string
		want               Record
	}{
		{"sap", "Pers.No.;Name;Team Path;Job title;EE group;CSE recognition\n" +
			"00012345;Ann Able;Frontline / North;Call Handler;Police Staff;01/02/2025\n",
			"sap-hr-personnel-number",
			Record{ID: "12345", Name: "Ann Able", Unit: "Frontline / North", Role: "Call Handler", StaffType: training.StaffStaff}},
		{"oracle", "Person Number,Full Name,Unit Path,Position,Person Type,In post since\n" +
			"0005816,Emma Clarke,Frontline / CID,Detective Constable,Police Officer,19/05/2025\n",
			"oracle-hcm-person-number",
			Record{ID: "5816", Name: "Emma Clarke", Unit: "Frontline / CID", Role: "Detective Constable", StaffType: training.StaffOfficer,
				InPostSince: training.NewDate(2025, 5, 19)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			det, probs, recs, err := readBytes(t, []byte(tc.file), tc.name+".csv", testOpts())
			if err != nil {
				t.Fatal(err)
			}
			if det.SourceID != tc.source || len(recs) != 1 || len(probs) != 0 {
				t.Fatalf("source %q, %d records, problems %v; want %q", det.SourceID, len(recs), probs, tc.source)
			}
			r := recs[0]
			if training.NormalizeID(r.ID) != tc.want.ID || r.Name != tc.want.Name || r.Unit != tc.want.Unit || r.Role != tc.want.Role ||
				r.StaffType != tc.want.StaffType || r.InPostSince != tc.want.InPostSince {
				t.Errorf("record %+v, want %+v", r, tc.want)
			}
			if tc.name == "sap" && (det.Layout != LayoutWide || len(r.Courses) != 1 || r.Courses[0].Kind != CellCompleted) {
				t.Errorf("course column not read: layout %s, %+v", det.Layout, r.Courses)
			}
		})
	}
	// The whole documented layout is still its own source.
	det, _, _, err := readBytes(t, []byte("Pers.No.,Last name,First name,Employment status\n00000001,Able,Ann,Active\n"), "q.csv", testOpts())
	if err != nil || det.SourceID != "sap-hr-adhoc-query" {
		t.Errorf("documented SAP layout read as %q", det.SourceID)
	}
}

// A file refused for want of an ID column says how to choose one, with
// the header that most likely holds it.
func TestNoIDColumnSaysHowToChooseOne(t *testing.T) {
	_, _, _, err := readBytes(t, []byte("Emp Ref,Name,Unit,Rank\nX1,Ann Able,North,PC\n"), "r.csv", testOpts())
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("err %v, want a FileError", err)
	}
	// The headers found come with it, for the web page's pick lists.
	if len(fe.Headers) != 4 || fe.Headers[0].Header != "Emp Ref" {
		t.Errorf("headers found %+v", fe.Headers)
	}
	for _, s := range []string{"No header row", `--map "Emp Ref=id"`, `choose "officer ID" for it in the list of the headers found`, "Emp Ref=id under More options"} {
		if !strings.Contains(fe.Reason, s) {
			t.Errorf("reason %q does not say %q", fe.Reason, s)
		}
	}
	if strings.Count(fe.Reason, ". ") > 0 {
		t.Errorf("reason %q is more than one sentence", fe.Reason)
	}
	// The example is the header that sounds like a number or reference.
	_, _, _, err = readBytes(t, []byte("Notes,Name,Badge No,Unit\nx,Ann Able,77,North\n"), "r.csv", testOpts())
	if !errors.As(err, &fe) || !strings.Contains(fe.Reason, `--map "Badge No=id"`) {
		t.Errorf("reason %v", err)
	}
	// With no likely header row at all, the example is generic.
	_, _, _, err = readBytes(t, []byte("hello\nworld\n"), "r.csv", testOpts())
	if !errors.As(err, &fe) || !strings.Contains(fe.Reason, `--map "HEADER=id"`) {
		t.Errorf("reason %v", err)
	}
	// Following the advice reads the file.
	rule, _ := ParseMappingRule("Emp Ref=id")
	opts := testOpts()
	opts.Mapping = []training.MappingRule{rule}
	if _, _, recs, err := readBytes(t, []byte("Emp Ref,Name,Unit,Rank\nX1,Ann Able,North,PC\n"), "r.csv", opts); err != nil || len(recs) != 1 {
		t.Errorf("with the mapping: %v, %d records", err, len(recs))
	}
}

// A role that is only a key (SAP's 8-digit position) is a cell error,
// and Totara HR Import's Unix timestamps are in-post dates.
func TestPostValuesOfHRSources(t *testing.T) {
	file := "idnumber,timemodified,username,deleted,firstname,lastname,postitle,posstartdate\n" +
		"101,1793590200,a.b,0,Ann,Able,50001234,1744153200\n" +
		"102,1793590200,b.c,0,Ben,Bold,Call Handler,24/11/2023\n"
	det, probs, recs, err := readBytes(t, []byte(file), "user.csv", testOpts())
	if err != nil {
		t.Fatal(err)
	}
	if det.SourceID != "totara-hr-import" || len(recs) != 2 {
		t.Fatalf("source %q, %d records", det.SourceID, len(recs))
	}
	if recs[0].Role != "" || recs[0].InPostSince != training.NewDate(2025, 4, 9) {
		t.Errorf("row 2: role %q, in post since %s", recs[0].Role, recs[0].InPostSince)
	}
	if recs[1].Role != "Call Handler" || recs[1].InPostSince != training.NewDate(2023, 11, 24) {
		t.Errorf("row 3: role %q, in post since %s", recs[1].Role, recs[1].InPostSince)
	}
	if len(probs) != 1 || probs[0].Column != "postitle" || probs[0].Value != "50001234" || !strings.Contains(probs[0].Reason, "only a code") {
		t.Errorf("problems %+v", probs)
	}
}
