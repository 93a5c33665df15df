package training

import (
	"cmp"
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
//
// It is packed in four bytes (year<<16 | month<<8 | day), read through
// Year, Month and Day: a Dataset holds several dates per person and per
// completion, and three ints made every officer 80 bytes larger (the
// 150,000-person model ~19 MB larger; README, "What one person costs").
// Dates compare as their packed values.
type Date struct{ ymd uint32 }

// DateFrom returns the date y-m-d as given, without normalising: for
// parts already checked (a parsed or stored date). DateFrom(0, 0, 0) is
// the zero Date. A year outside 0–65535 or a month or day outside 0–255
// (never a real date) is clamped.
func DateFrom(y int, m time.Month, d int) Date {
	return Date{uint32(clampPart(y, 0xffff))<<16 | uint32(clampPart(int(m), 0xff))<<8 | uint32(clampPart(d, 0xff))}
}

func clampPart(v, hi int) int { return min(max(v, 0), hi) }

// Year is d's year (0 when unset).
func (d Date) Year() int { return int(d.ymd >> 16) }

// Month is d's month (0 when unset).
func (d Date) Month() time.Month { return time.Month(d.ymd >> 8 & 0xff) }

// Day is d's day of the month (0 when unset).
func (d Date) Day() int { return int(d.ymd & 0xff) }

// NewDate returns the civil date y-m-d, normalising overflowing days and
// months the way time.Date does.
func NewDate(y int, m time.Month, d int) Date {
	t := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	return DateFrom(t.Year(), t.Month(), t.Day())
}

// DateOf returns the civil date of t in Europe/London.
func DateOf(t time.Time) Date {
	t = t.In(London)
	return DateFrom(t.Year(), t.Month(), t.Day())
}

// ParseDate parses an ISO date (2006-01-02).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, Invalidf("%q is not a date in the form YYYY-MM-DD", s)
	}
	return DateFrom(t.Year(), t.Month(), t.Day()), nil
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
	y, m, day := d.Year(), int(d.Month()), d.Day()
	if y > 9999 || m > 99 || day > 99 {
		return fmt.Appendf(b, "%04d-%02d-%02d", y, m, day)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+day/10), byte('0'+day%10))
}

// UK formats d as DD/MM/YYYY for people in the UK, or "" when unset.
func (d Date) UK() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d/%02d/%04d", d.Day(), int(d.Month()), d.Year())
}

func (d Date) t() time.Time { return time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, time.UTC) }

// Time returns the start of d in Europe/London.
func (d Date) Time() time.Time { return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, London) }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return NewDate(d.Year(), d.Month(), d.Day()+n) }

// AddMonths returns d moved by n calendar months, clamped to the last day
// of the target month (2024-01-31 + 1 month = 2024-02-29).
func (d Date) AddMonths(n int) Date {
	first := NewDate(d.Year(), d.Month()+time.Month(n), 1)
	last := NewDate(first.Year(), first.Month()+1, 0).Day()
	return DateFrom(first.Year(), first.Month(), min(d.Day(), last))
}

// DaysUntil returns the number of days from d to e (negative when e is earlier).
func (d Date) DaysUntil(e Date) int {
	return int(e.t().Sub(d.t()).Hours() / 24)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return cmp.Compare(d.ymd, e.ymd) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

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
