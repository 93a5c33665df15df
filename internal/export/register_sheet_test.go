package export

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/muster-police/muster/internal/registers"
	"github.com/muster-police/muster/training"
)

// TestSignInSheetXLSX: the sheet names the course, unit, date and place,
// lists each expected person with an empty signature cell and leaves blank
// rows; a name that looks like a formula is text; it prints landscape with
// the header row on every page.
func TestSignInSheetXLSX(t *testing.T) {
	sh := registers.Sheet{Course: training.Course{ID: "cse", Title: "CSE recognition"}, Unit: "Alpha / Team 1",
		Date: training.NewDate(2026, 11, 20), People: []registers.Person{
			{ID: "0012", Name: "Alice Aardvark", Unit: "Alpha / Team 1"},
			{ID: "F1", Name: `=HYPERLINK("http://evil.test","x")`, Unit: "Alpha / Team 1"},
		}}
	var buf bytes.Buffer
	if err := SignInSheetXLSX(&buf, sh, "Room 4"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sheet = "Sign-in sheet"
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"A1": "Sign-in sheet: CSE recognition", "A2": "Unit: Alpha / Team 1", "C2": "Date: 20/11/2026", "A3": "Place: Room 4",
		"A5": "Officer ID", "D5": "Signature", "A6": "0012", "B6": "Alice Aardvark", "C6": "Alpha / Team 1", "B7": `'=HYPERLINK("http://evil.test","x")`}
	for cell, v := range want {
		if got, _ := f.GetCellValue(sheet, cell); got != v {
			t.Errorf("%s = %q, want %q", cell, got, v)
		}
	}
	if f, _ := f.GetCellFormula(sheet, "B7"); f != "" {
		t.Errorf("B7 is a formula: %s", f)
	}
	if len(rows) < 7 {
		t.Fatalf("%d rows", len(rows))
	}
	// Two people and the blank rows, each with its signature cell bordered.
	if h, _ := f.GetRowHeight(sheet, 6+len(sh.People)+signInBlankRows-1); h != 30 {
		t.Errorf("the last blank row is %v high, want 30", h)
	}
	lay, err := f.GetPageLayout(sheet)
	if err != nil || lay.Orientation == nil || *lay.Orientation != "landscape" {
		t.Errorf("page layout %+v, %v", lay, err)
	}
	names := f.GetDefinedName()
	found := false
	for _, n := range names {
		found = found || n.Name == "_xlnm.Print_Titles" && n.RefersTo == "'Sign-in sheet'!$5:$5"
	}
	if !found {
		t.Errorf("no print titles: %+v", names)
	}
}
