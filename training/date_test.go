package training

import (
	"fmt"
	"testing"
	"time"
)

// TestDateString: the hand-made YYYY-MM-DD equals fmt's, for ordinary
// dates and for the odd ones a Date can hold.
func TestDateString(t *testing.T) {
	for _, d := range []Date{DateFrom(2026, 11, 24), DateFrom(1, 1, 1), DateFrom(999, 12, 9), DateFrom(9999, 10, 31), DateFrom(10000, 1, 1), DateFrom(-5, 3, 4), DateFrom(2026, time.Month(100), 1), DateFrom(2026, 1, 0)} {
		want := fmt.Sprintf("%04d-%02d-%02d", d.Year(), d.Month(), d.Day())
		b, _ := d.MarshalText()
		if d.String() != want || string(b) != want {
			t.Errorf("%#v: %q and %q, want %q", d, d.String(), b, want)
		}
	}
	if b, _ := (Date{}).MarshalText(); (Date{}).String() != "" || len(b) != 0 {
		t.Errorf("zero date: %q %q", Date{}.String(), b)
	}
}

// TestDatePacked: the four-byte Date gives back the parts it was made
// from, clamps what no date has, and orders as the calendar does.
func TestDatePacked(t *testing.T) {
	for _, tt := range []struct {
		y    int
		m    time.Month
		d    int
		want string
	}{
		{2026, time.December, 4, "2026-12-04"},
		{0, 0, 0, ""},
		{65535, 255, 255, "65535-255-255"},
		{70000, 300, 300, "65535-255-255"},
		{-1, -1, -1, ""},
	} {
		d := DateFrom(tt.y, tt.m, tt.d)
		if d.String() != tt.want {
			t.Errorf("DateFrom(%d, %d, %d) = %q, want %q", tt.y, tt.m, tt.d, d.String(), tt.want)
		}
	}
	d := DateFrom(2026, time.February, 28)
	if d.Year() != 2026 || d.Month() != time.February || d.Day() != 28 {
		t.Errorf("parts of %s: %d %d %d", d, d.Year(), d.Month(), d.Day())
	}
	ordered := []Date{{}, DateFrom(1999, 12, 31), DateFrom(2026, 1, 31), DateFrom(2026, 2, 1), DateFrom(2026, 2, 2), DateFrom(2027, 1, 1)}
	for i := range ordered {
		for j := range ordered {
			if got, want := ordered[i].Compare(ordered[j]), cmpIndex(i, j); got != want {
				t.Errorf("%s.Compare(%s) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
	if got := DateFrom(2024, 1, 31).AddMonths(1); got != DateFrom(2024, 2, 29) {
		t.Errorf("2024-01-31 + 1 month = %s", got)
	}
}

func cmpIndex(i, j int) int {
	switch {
	case i < j:
		return -1
	case i > j:
		return 1
	}
	return 0
}
