package importers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// TestStreamSheetAcrossBatches: a sheet read by two goroutines, in
// batches (xlsx_stream.go), gives every row once, in order, with its own
// row number, and its problems at their rows; an error from fn, or a limit
// reached, stops the read at that very row, in whichever batch it falls.
func TestStreamSheetAcrossBatches(t *testing.T) {
	const n = 5*streamBatchRows + 37
	rows := [][]any{{"Title"}, {"Warrant No", "Name", "CSE recognition – date completed"}}
	bad := map[int]bool{} // sheet rows with an impossible date
	for i := 0; i < n; i++ {
		row := len(rows) + 1
		switch {
		case i%97 == 5:
			rows = append(rows, nil) // blank
			continue
		case i%streamBatchRows == streamBatchRows-1 || i%331 == 7:
			bad[row] = true
			rows = append(rows, []any{i + 1, "X", "31/02/2024"})
		default:
			rows = append(rows, []any{i + 1, "X", "15/03/2024"})
		}
	}
	b := buildXLSX(t, false, sheetSpec{name: "S", rows: rows})

	_, probs, recs, err := readBytes(t, b, "s.xlsx", testOpts())
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for r, row := range rows[2:] {
		if row == nil {
			continue
		}
		if want >= len(recs) {
			t.Fatalf("only %d records", len(recs))
		}
		if got := recs[want]; got.Row != r+3 || got.ID != fmt.Sprint(row[0]) {
			t.Fatalf("record %d: row %d id %s, want row %d id %v", want, got.Row, got.ID, r+3, row[0])
		}
		want++
	}
	if len(recs) != want {
		t.Fatalf("%d records, want %d", len(recs), want)
	}
	got := map[int]bool{}
	for _, p := range probs {
		got[p.Row] = true
	}
	for r := range bad {
		if !got[r] {
			t.Errorf("no problem at row %d", r)
		}
	}
	if len(got) != len(bad) {
		t.Errorf("problems at %d rows, want %d", len(got), len(bad))
	}

	// fn's error at a row deep in a later batch: exactly the rows before it.
	stopAt := 3*streamBatchRows + 11
	stop := errors.New("stop")
	seen := 0
	_, _, err = Read(bytes.NewReader(b), int64(len(b)), "s.xlsx", testOpts(), func(r Record) error {
		seen++
		if seen == stopAt {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || seen != stopAt {
		t.Errorf("err %v after %d records, want stop after %d", err, seen, stopAt)
	}

	// The row limit, reached in a later batch, is the error.
	opts := testOpts()
	opts.Limits = Limits{MaxRows: 2*streamBatchRows + 3}
	_, _, recs, err = readBytes(t, b, "s.xlsx", opts)
	var fe *FileError
	if !errors.As(err, &fe) || !strings.Contains(fe.Reason, fmt.Sprintf("more than %d data rows", opts.Limits.MaxRows)) {
		t.Errorf("limit: err %v", err)
	}
	if len(recs) > opts.Limits.MaxRows+1 {
		t.Errorf("limit: %d records passed on", len(recs))
	}
}

// TestStreamSheetDamagedLate: excelize's own error deep in the sheet (a
// row number beyond Excel's last row) comes after every row before it,
// naming the row.
func TestStreamSheetDamagedLate(t *testing.T) {
	const n = 3*streamBatchRows + 20
	b := streamedXLSX(t, func(w io.Writer) error {
		var sb strings.Builder
		sb.WriteString(sheetStart + headerRow)
		for r := 2; r <= n+1; r++ {
			fmt.Fprintf(&sb, `<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" t="inlineStr"><is><t>X</t></is></c></row>`, r, r, r, r)
		}
		sb.WriteString(`<row r="1048577"><c r="A1048577"><v>1</v></c></row></sheetData></worksheet>`)
		_, err := io.WriteString(w, sb.String())
		return err
	}, nil)
	_, _, recs, err := readBytes(t, b, "s.xlsx", testOpts())
	var fe *FileError
	want := fmt.Sprintf("could not be read at row %d", n+1)
	if !errors.As(err, &fe) || !strings.Contains(fe.Reason, want) {
		t.Fatalf("err %v, want %q", err, want)
	}
	if len(recs) != n-1 || recs[len(recs)-1].Row != n {
		t.Errorf("%d records before the error, the last at row %d; want %d, the last at row %d", len(recs), recs[len(recs)-1].Row, n-1, n)
	}
}
