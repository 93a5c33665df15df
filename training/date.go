package training

import (
	"fmt"
	"time"
	_ "time/tzdata" // civil dates must not depend on the host having zoneinfo
)

// London is the time zone every civil date in Muster is read in.
// Loaded once by the caller and passed around would be purer, but the
// zone database is read-only data, not state, so a package-level value
// that never changes is acceptable here.
var London = mustLoadLondon()

func mustLoadLondon() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		// time/tzdata is embedded above, so this only fails in a broken build.
		panic("training: Europe/London time zone unavailable: " + err.Error())
	}
	return loc
}

// Date is a civil date (no time of day, no zone). The zero value means
// "unknown" or "not set".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the civil date y-m-d, normalising overflowing days and
// months the way time.Date does.
func NewDate(y int, m time.Month, d int) Date {
	t := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	return Date{t.Year(), t.Month(), t.Day()}
}

// DateOf returns the civil date of t in Europe/London.
func DateOf(t time.Time) Date {
	t = t.In(London)
	return Date{t.Year(), t.Month(), t.Day()}
}

// ParseDate parses an ISO date (2006-01-02).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, Invalidf("%q is not a date in the form YYYY-MM-DD", s)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD, or "" when unset.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return string(d.appendISO(make([]byte, 0, 10)))
}

// appendISO appends d as YYYY-MM-DD. Lists encode several dates per
// person per course, and fmt was most of an officers page's JSON time.
func (d Date) appendISO(b []byte) []byte {
	if d.Year < 0 || d.Year > 9999 || d.Month < 0 || d.Month > 99 || d.Day < 0 || d.Day > 99 {
		return fmt.Appendf(b, "%04d-%02d-%02d", d.Year, d.Month, d.Day)
	}
	y, m := d.Year, int(d.Month)
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d.Day/10), byte('0'+d.Day%10))
}

// UK formats d as DD/MM/YYYY for people in the UK, or "" when unset.
func (d Date) UK() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year)
}

func (d Date) t() time.Time { return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC) }

// Time returns the start of d in Europe/London.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, London) }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return NewDate(d.Year, d.Month, d.Day+n) }

// AddMonths returns d moved by n calendar months, clamped to the last day
// of the target month (2024-01-31 + 1 month = 2024-02-29).
func (d Date) AddMonths(n int) Date {
	first := NewDate(d.Year, d.Month+time.Month(n), 1)
	last := NewDate(first.Year, first.Month+1, 0).Day
	day := d.Day
	if day > last {
		day = last
	}
	return Date{first.Year, first.Month, day}
}

// DaysUntil returns the number of days from d to e (negative when e is earlier).
func (d Date) DaysUntil(e Date) int {
	return int(e.t().Sub(d.t()).Hours() / 24)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// MarshalText encodes d as YYYY-MM-DD (empty when unset).
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return d.appendISO(make([]byte, 0, 10)), nil
}

// UnmarshalText decodes YYYY-MM-DD; empty text is the zero date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
