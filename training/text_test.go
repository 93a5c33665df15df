package training

import (
	"errors"
	"testing"
	"time"
)

// TestNamesRefuseFormatChars: mapping names, course titles and aliases
// and token names refuse Unicode format characters (category Cf).
func TestNamesRefuseFormatChars(t *testing.T) {
	for _, bad := range []string{"SAP\u202Etxt.exe", "SAP\u200Bmonthly", "SAP\u2066x\u2069", "\u00ADSAP"} {
		m := ColumnMapping{Name: bad, Headers: []string{"A"}}
		if err := m.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("mapping name %q: %v", bad, err)
		}
		c := Course{ID: "x", Title: bad}
		if err := c.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("course title %q: %v", bad, err)
		}
		c = Course{ID: "x", Title: "X", Aliases: []string{bad}}
		if err := c.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("course alias %q: %v", bad, err)
		}
		// (CleanText drops a zero-width space before the check.)
		if tok, _, err := NewToken("hr", bad, 0, time.Now()); err == nil && HasFormatChars(tok.Name) {
			t.Errorf("token name %q accepted as %q", bad, tok.Name)
		}
	}
	if err := (ColumnMapping{Name: "SAP monthly – Ünïcode", Headers: []string{"A"}}).Validate(); err != nil {
		t.Errorf("a plain name with accents and a dash: %v", err)
	}
}
