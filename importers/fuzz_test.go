package importers

// Fuzz targets, one at a time, e.g.
//
//	go test -run ^$ -fuzz=FuzzReadXLSX -fuzztime=30s -fuzzminimizetime=20x ./importers
//
// (a small -fuzzminimizetime keeps the slow xlsx targets fuzzing rather
// than minimising).
// Seeds live in testdata/fuzz/FuzzXxx/ and in the f.Add calls below.

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"15/03/2024", "15-03-2024", "15.03.2024", "15/03/24", "15 Mar 2024", "15 March 2024",
		"2024-03-15", "2024-03-15T10:00:00Z", "45366", "45366.5", "03/15/2024", "31/02/2024", "29/02/2024", "60", "1st June 2024"} {
		f.Add(s, false)
	}
	f.Add("43904", true)
	f.Fuzz(func(t *testing.T, s string, date1904 bool) {
		got, err := parseDate(s, date1904)
		if err != nil {
			if !got.IsZero() {
				t.Fatalf("parseDate(%q) = %v with error %v", s, got, err)
			}
			if err.Error() == "" {
				t.Fatalf("parseDate(%q): empty reason", s)
			}
			return
		}
		if s == "" {
			if !got.IsZero() {
				t.Fatalf("empty gives %v", got)
			}
			return
		}
		if got.Month() < time.January || got.Month() > time.December || got.Day() < 1 || got.Day() > daysIn(got.Year(), got.Month()) || got.Year() < minYear {
			t.Fatalf("parseDate(%q) = %#v: not a real date", s, got)
		}
		// Every accepted date reads back the same in the UK and ISO forms.
		if got.Year() <= maxYear {
			for _, back := range []string{got.UK(), got.String()} {
				if again, err := parseDate(back, date1904); err != nil || again != got {
					t.Fatalf("parseDate(%q) = %v, but %q gives %v, %v", s, got, back, again, err)
				}
			}
		}
	})
}

func FuzzParseID(f *testing.F) {
	for _, s := range []string{"0012345", "12345", "12345.0", "1.2345E+04", "'0012345", `="0012345"`, "ab 12", " \u00a0", "000", "1e400"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, display := parseID(s)
		if id != training.NormalizeID(display) {
			t.Fatalf("parseID(%q) = %q, %q: id is not NormalizeID(display)", s, id, display)
		}
		if (id == "") != (display == "") {
			t.Fatalf("parseID(%q) = %q, %q", s, id, display)
		}
		// Normalising is idempotent: the key of a key is itself.
		if again, _ := parseID(id); again != id && numericID(id) == id && !strings.HasPrefix(id, "=") {
			t.Fatalf("parseID(%q) = %q, but parseID(%q) = %q", s, id, id, again)
		}
	})
}

// checkRead is what every read must satisfy, whatever the input.
func checkRead(t *testing.T, data []byte) {
	opts := testOpts()
	opts.Limits = Limits{MaxBytes: 1 << 20, MaxRows: 2000, MaxUnzipBytes: 8 << 20}
	n := 0
	det, probs, err := read(bytes.NewReader(data), int64(len(data)), opts, func(r Record) error {
		n++
		if r.ID == "" || r.Row <= 0 || r.Has == nil {
			t.Fatalf("bad record %+v", r)
		}
		return nil
	})
	if err != nil {
		var fe *FileError
		if !errors.As(err, &fe) || !errors.Is(err, training.ErrInvalid) || fe.Reason == "" {
			t.Fatalf("error %v (%T) is not a FileError", err, err)
		}
		return
	}
	if det == nil || det.HeaderRow <= 0 || det.Layout == "" {
		t.Fatalf("detection = %+v", det)
	}
	for _, p := range probs {
		if p.Row <= 0 || p.Reason == "" {
			t.Fatalf("problem not located: %+v", p)
		}
	}
	if n > det.Rows {
		t.Fatalf("%d records but %d rows", n, det.Rows)
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte(csvRoster))
	f.Add([]byte("Pay No;Officer Name;Course;Date Completed;Status\r\n16885;Siobh\xe1n Khan;TIC;18/05/2024;Completed\r\n"))
	f.Add([]byte("\xEF\xBB\xBFStaff ID,Last Name,First Name,Course Name,Status,Completed On\n224205,Ali,Harry,Trauma-informed practice,Completed,2023-03-09\n"))
	f.Add([]byte("Title\n\n\"Warrant No\",\"Name\"\n\"1\",\"a\"\"b\nc\"\n,Total\n"))
	f.Add([]byte("Pers.No.,Job title,EE group,Date in post\n0001,Call Handler,Police Staff,1744153200\n0002,50001234,Contractor,31/02/2024\n"))
	f.Add([]byte("idnumber,deleted,firstname,postitle,posstartdate\n7,0,A,PCSO,1744153200\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, data)
	})
}

// FuzzReadXLSX fuzzes the worksheet XML inside a well-formed package, so
// mutations reach excelize's row reader and ours rather than the zip checksum.
func FuzzReadXLSX(f *testing.F) {
	f.Add(sheetHead + `</sheetData></worksheet>`)
	f.Add(sheetHead + `<row r="4"><c r="C4"><v>45366</v></c><c r="A4" t="inlineStr"><is><t>0012</t></is></c></row>` +
		`<row><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c><c t="d"><v>2024-03-15T00:00:00Z</v></c></row>` +
		`<row r="9"><c r="A9" t="inlineStr"><is><t>Total</t></is></c></row></sheetData></worksheet>`)
	f.Add(`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>99</v></c></row></sheetData></worksheet>`)
	f.Fuzz(func(t *testing.T, sheetXML string) {
		checkRead(t, minimalXLSX(t, sheetXML, nil))
	})
}

// FuzzReadFile fuzzes whole files: type sniffing, zip handling, and both readers.
func FuzzReadFile(f *testing.F) {
	f.Add(minimalXLSX(f, sheetHead+`</sheetData></worksheet>`, nil))
	f.Add(buildXLSX(f, false, sheetSpec{name: "S", rows: [][]any{{"Warrant No", "Name", "CSE", "Start Date"},
		{"0012345", "A", "15/03/2024", 45366}, {12, "B", "Yes", "x"}, nil, {"", "Total"}}}))
	f.Add([]byte(csvRoster))
	f.Add([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, data)
	})
}
