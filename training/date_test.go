package training

import (
	"fmt"
	"testing"
	"time"
)

// TestDateString: the hand-made YYYY-MM-DD equals fmt's, for ordinary
// dates and for the odd ones a Date can hold.
func TestDateString(t *testing.T) {
	for _, d := range []Date{{2026, 11, 24}, {1, 1, 1}, {999, 12, 9}, {9999, 10, 31}, {10000, 1, 1}, {-5, 3, 4}, {2026, time.Month(100), 1}, {2026, 1, 0}} {
		want := fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
		b, _ := d.MarshalText()
		if d.String() != want || string(b) != want {
			t.Errorf("%#v: %q and %q, want %q", d, d.String(), b, want)
		}
	}
	if b, _ := (Date{}).MarshalText(); (Date{}).String() != "" || len(b) != 0 {
		t.Errorf("zero date: %q %q", Date{}.String(), b)
	}
}
