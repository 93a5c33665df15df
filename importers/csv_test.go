package importers

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func cp1252(t testing.TB, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func utf16le(t testing.TB, s string) []byte {
	t.Helper()
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const csvRoster = "Warrant No,Surname,Forename,Unit,CSE,Status\r\n" +
	"0012345,O'Brien,Siobhán,Frontline / North,15/03/2024,Active\r\n" +
	"12346,Hall,Zoë,Frontline / South,Yes,Leaver\r\n"

func TestReadCSVEncodingsAndDelimiters(t *testing.T) {
	semi := strings.ReplaceAll(csvRoster, ",", ";")
	tab := strings.ReplaceAll(csvRoster, ",", "\t")
	tests := []struct {
		name     string
		data     []byte
		encoding string
		delim    string
	}{
		{"utf-8", []byte(csvRoster), "utf-8", ","},
		{"utf-8 bom", append([]byte("\xEF\xBB\xBF"), csvRoster...), "utf-8-bom", ","},
		{"windows-1252", cp1252(t, csvRoster), "windows-1252", ","},
		{"windows-1252 semicolon", cp1252(t, semi), "windows-1252", ";"},
		{"utf-8 semicolon", []byte(semi), "utf-8", ";"},
		{"bom semicolon", append([]byte("\xEF\xBB\xBF"), semi...), "utf-8-bom", ";"},
		{"tab", []byte(tab), "utf-8", "\t"},
		{"utf-16 tab (Excel Unicode text)", utf16le(t, tab), "utf-16le", "\t"},
		{"lf only", []byte(strings.ReplaceAll(csvRoster, "\r\n", "\n")), "utf-8", ","},
		{"cr only (Mac)", cp1252(t, strings.ReplaceAll(csvRoster, "\r\n", "\r")), "windows-1252", ","},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			det, probs, recs, err := readBytes(t, tc.data, "r.csv", testOpts())
			if err != nil {
				t.Fatal(err)
			}
			if det.Format != "csv" || det.Encoding != tc.encoding || det.Delimiter != tc.delim || det.HeaderRow != 1 || det.Layout != LayoutWide {
				t.Errorf("detection = %+v", det)
			}
			if len(probs) != 0 || len(recs) != 2 {
				t.Fatalf("problems %+v, %d records", probs, len(recs))
			}
			if r := recs[0]; r.Row != 2 || r.ID != "12345" || r.DisplayID != "0012345" || r.Name != "Siobhán O'Brien" ||
				r.Unit != "Frontline / North" || r.Courses[0].Date != d(2024, 3, 15) || r.Leaver {
				t.Errorf("row 2 = %+v", r)
			}
			if r := recs[1]; r.Row != 3 || r.Name != "Zoë Hall" || !r.Leaver || r.Courses[0].Kind != CellCompletedNoDate {
				t.Errorf("row 3 = %+v", r)
			}
		})
	}
}

func TestReadCSVTitleRowsAndQuotes(t *testing.T) {
	data := "Training export,,,\n" +
		"Exported 01/11/2026; by HR\n" +
		"\n" +
		"\"Pay No\";\"Officer Name\";\"Course\";\"Date Completed\"\n" +
		"1;\"Smith; Jo\";\"TIC\";\"18/05/2024\"\n" +
		"2;\"Jones,\nSam\";\"CSE awareness\";\"02 Jan 2024\"\n" +
		"3;\"Said \"\"Hi\"\"\";Trauma-informed practice;2024-01-02\n" +
		"4;Lazy \"quote;TIC;31/12/29\n"
	det, probs, recs, err := readBytes(t, []byte(data), "x.csv", testOpts())
	if err != nil {
		t.Fatal(err)
	}
	if det.HeaderRow != 4 || det.Delimiter != ";" || det.Layout != LayoutLong {
		t.Errorf("detection = %+v", det)
	}
	if len(recs) != 4 {
		t.Fatalf("records = %+v, problems %+v", recs, probs)
	}
	want := []struct {
		row  int
		name string
	}{{5, "Smith; Jo"}, {6, "Jones, Sam"}, {8, `Said "Hi"`}, {9, `Lazy "quote`}}
	for i, w := range want {
		if recs[i].Row != w.row || recs[i].Name != w.name || recs[i].CourseID != "trauma-informed-communication" && i != 1 {
			t.Errorf("record %d = row %d %q %q", i, recs[i].Row, recs[i].Name, recs[i].CourseID)
		}
	}
	// 31/12/29 is 2029: in the future, an error on line 9.
	if len(probs) != 1 || probs[0].Row != 9 || probs[0].Letter != "D" || probs[0].Column != "Date Completed" || !strings.Contains(probs[0].Reason, "future") {
		t.Errorf("problems = %+v", probs)
	}
}

// TestReadLongLayout covers the completion-status rules.
func TestReadLongLayout(t *testing.T) {
	data := "Staff ID,Course Name,Status,Completed On\n" +
		"1,CSE Awareness,Completed,2024-03-15\n" +
		"2,CSE Awareness,passed,15/03/2024\n" +
		"3,CSE Awareness,In Progress,15/03/2024\n" +
		"4,CSE Awareness,Not Started,\n" +
		"5,CSE Awareness,Failed,15/03/2024\n" +
		"6,CSE Awareness,Completed,\n" +
		"7,Officer Safety Training,Completed,15/03/2024\n" +
		"8,CSE and TIC,Completed,15/03/2024\n" +
		"9,TIC,Completed,03/15/2024\n" +
		"10,TIC,Completed,01/01/2030\n" +
		"11,TIC,In Progress,01/01/2030\n" +
		"12,,,\n"
	_, probs, recs, err := readBytes(t, []byte(data), "lms.csv", testOpts())
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		course      string
		completed   bool
		date        string
		unknown     bool
		ambiguous   bool
		problemText string
	}
	wants := map[string]want{
		"1":  {"cse-recognition", true, "2024-03-15", false, false, ""},
		"2":  {"cse-recognition", true, "2024-03-15", false, false, ""},
		"3":  {"cse-recognition", false, "2024-03-15", false, false, ""},
		"4":  {"cse-recognition", false, "", false, false, ""},
		"5":  {"cse-recognition", false, "2024-03-15", false, false, ""},
		"6":  {"cse-recognition", true, "", true, false, ""},
		"7":  {"", true, "2024-03-15", false, false, ""},
		"8":  {"", false, "", false, true, "matches \"CSE recognition\" and \"Trauma-informed communication\" equally"},
		"9":  {"trauma-informed-communication", false, "", false, false, "month 15 does not exist"},
		"10": {"trauma-informed-communication", false, "", false, false, "in the future"},
		"11": {"trauma-informed-communication", false, "2030-01-01", false, false, ""},
		"12": {"", false, "", false, false, ""},
	}
	if len(recs) != len(wants) {
		t.Fatalf("%d records", len(recs))
	}
	byOfficer := map[string]string{}
	for _, p := range probs {
		byOfficer[p.OfficerID] = p.Reason
	}
	for _, r := range recs {
		w := wants[r.ID]
		if r.CourseID != w.course || r.Completed != w.completed || r.Date.String() != w.date || r.DateUnknown != w.unknown || r.CourseAmbiguous != w.ambiguous {
			t.Errorf("officer %s: %+v", r.ID, r)
		}
		if got := byOfficer[r.ID]; (w.problemText == "") != (got == "") || !strings.Contains(got, w.problemText) {
			t.Errorf("officer %s problem %q, want %q", r.ID, got, w.problemText)
		}
	}
	if recs[6].CourseName != "Officer Safety Training" {
		t.Errorf("other training name = %q", recs[6].CourseName)
	}
}

func TestReadLongNoStatusColumn(t *testing.T) {
	data := "Warrant No;Course;Date\n1;TIC;18/05/2024\n2;TIC;\n"
	_, _, recs, err := readBytes(t, []byte(data), "x.csv", testOpts())
	if err != nil || len(recs) != 2 {
		t.Fatal(err, recs)
	}
	if !recs[0].Completed || recs[0].Date != d(2024, 5, 18) || recs[1].Completed {
		t.Errorf("records = %+v", recs)
	}
}

func TestReadCSVNoHeader(t *testing.T) {
	_, _, _, err := readBytes(t, []byte("a,b,c\n1,2,3\n"), "x.csv", testOpts())
	var fe *FileError
	if !errors.As(err, &fe) || !strings.Contains(fe.Reason, "No header row was found in this file") {
		t.Errorf("err = %v", err)
	}
}

func TestReadPeopleVariants(t *testing.T) {
	tests := []struct {
		name string
		data string
		unit string
		nm   string
	}{
		{"levels", "Employee No,Full Name,Business Group,Division,Section\n1,Jo Smith,Ops,North,Dogs\n", "Ops / North / Dogs", "Jo Smith"},
		{"two levels", "Force Number,Name,Command,OCU\n1,Jo,Ops,North\n", "Ops / North", "Jo"},
		{"path >", "Officer ID,Family Name,Given Name,Unit\n1,Smith,Jo,Ops > North >  Dogs\n", "Ops / North / Dogs", "Jo Smith"},
		{"surname only", "Staff ID,Last Name,Team\n1,Smith,Dogs\n", "Dogs", "Smith"},
		{"nbsp and case", "WARRANT\u00a0NUMBER , e-mail address ,RANK\n1, JO@X.UK ,PC\n", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			det, probs, recs, err := readBytes(t, []byte(tc.data), "p.csv", testOpts())
			if err != nil || len(recs) != 1 || len(probs) != 0 {
				t.Fatalf("%v %+v %+v", err, recs, probs)
			}
			if det.Layout != LayoutPeople || recs[0].Unit != tc.unit || recs[0].Name != tc.nm || recs[0].ID != "1" {
				t.Errorf("%s: %+v", det.Layout, recs[0])
			}
		})
	}
}

func TestValidUTF8Chunks(t *testing.T) {
	// A multi-byte rune straddling the 256 KiB chunk boundary stays valid.
	s := strings.Repeat("a", 256<<10-1) + "é" + "z"
	r := strings.NewReader(s)
	if !validUTF8(r, int64(len(s))) {
		t.Error("valid UTF-8 across a chunk boundary reported invalid")
	}
	b := append([]byte(strings.Repeat("a", 256<<10-1)), 0xE9, 'z') // cp1252 é
	if validUTF8(strings.NewReader(string(b)), int64(len(b))) {
		t.Error("cp1252 byte reported valid UTF-8")
	}
}

func TestReadRowsThatNeedCare(t *testing.T) {
	data := "Warrant No,Name,Email,Line Manager,Status\n" +
		"1,Jo Smith, JO.SMITH@Force.Police.UK ,0000042,Active\n" +
		",,,,\n" +
		"\n" +
		"2,Sam Jones,sam at force,Sgt A Brown,LEFT\n" +
		"Warrant No,Name,Email,Line Manager,Status\n" +
		"3,Ann Lee,,BOSS@FORCE.UK,Career Break\n" +
		"1,Jo  Smith,jo.smith@force.police.uk,42,Active\n" +
		"1,Jo Smith,jo.smith@force.police.uk,43,Active\n" +
		"#N/A,Lookup Failed,,,\n" +
		"Total,3,,,\n"
	det, probs, recs, err := readBytes(t, []byte(data), "care.csv", testOpts())
	if err != nil {
		t.Fatal(err)
	}
	if det.Rows != 6 || det.TotalRow != 11 || len(recs) != 5 {
		t.Fatalf("rows %d total row %d records %d", det.Rows, det.TotalRow, len(recs))
	}
	if r := recs[0]; r.Email != "jo.smith@force.police.uk" || r.EmailInvalid || r.LineManager != "42" || r.Leaver {
		t.Errorf("row 2 = %+v", r)
	}
	if r := recs[1]; r.Row != 5 || !r.EmailInvalid || r.Email != "sam at force" || r.LineManager != "Sgt A Brown" || !r.Leaver {
		t.Errorf("row 5 = %+v", r)
	}
	if r := recs[2]; r.Row != 7 || r.LineManager != "boss@force.uk" || r.Leaver || r.Email != "" || r.EmailInvalid {
		t.Errorf("row 7 = %+v", r)
	}
	// Rows 2 and 8 are the same after normalising; row 9 differs.
	if recs[0].Hash != recs[3].Hash || recs[0].Hash == recs[4].Hash {
		t.Errorf("hashes: %x %x %x", recs[0].Hash, recs[3].Hash, recs[4].Hash)
	}
	if len(probs) != 2 || probs[0].Severity != SeverityWarning || probs[0].Row != 5 || probs[0].Letter != "C" || probs[0].Column != "Email" ||
		probs[0].Value != "sam at force" || probs[0].OfficerID != "2" {
		t.Fatalf("problems = %+v", probs)
	}
	if p := probs[1]; !p.RowRejected || p.Row != 10 || p.Value != "#N/A" || !strings.Contains(p.Reason, "Excel error") {
		t.Errorf("error ID problem = %+v", p)
	}
}

func TestReadCSVSepLine(t *testing.T) {
	det, _, recs, err := readBytes(t, []byte("sep=;\r\nWarrant No;Name\r\n1;A, B\r\n"), "sep.csv", testOpts())
	if err != nil || det.Delimiter != ";" || det.HeaderRow != 2 || len(recs) != 1 || recs[0].Name != "A, B" || recs[0].Row != 3 {
		t.Fatalf("%v %+v %+v", err, det, recs)
	}
}
