package training

import "testing"

func TestNormalizeID(t *testing.T) {
	tests := map[string]string{
		"0012345":    "12345",
		" 12345 ":    "12345",
		"ab123":      "AB123",
		"AB0012":     "AB0012",
		"000":        "0",
		"":           "",
		"\u00a012\t": "12",
	}
	for in, want := range tests {
		if got := NormalizeID(in); got != want {
			t.Errorf("NormalizeID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanTextAndUnits(t *testing.T) {
	for in, want := range map[string]string{
		"  Siobhán \u00a0 O'Brien\t": "Siobhán O'Brien",
		"Zoë\u2009Khan":              "Zoë Khan",
		"\u3000A\u200bB  C ":         "AB C",
		"plain text":                 "plain text",
		"":                           "",
		" ":                          "",
	} {
		if got := CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
	}
	tests := map[string]string{
		"Frontline Policing/Central West/CID":       "Frontline Policing / Central West / CID",
		"Frontline Policing > Central West > CID":   "Frontline Policing / Central West / CID",
		" Frontline  Policing /  / Central West / ": "Frontline Policing / Central West",
	}
	for in, want := range tests {
		if got := ParseUnit(in); got != want {
			t.Errorf("ParseUnit(%q) = %q, want %q", in, got, want)
		}
	}
	if !InUnit("A / B", "A") || InUnit("AB", "A") || !InUnit("x", "") {
		t.Error("InUnit wrong")
	}
}
