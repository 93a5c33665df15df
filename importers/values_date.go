package importers

// Dates as UK spreadsheets hold them: Excel serials (1900 and 1904 date
// systems) and text in day/month/year forms. Day first, always.

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/muster-police/muster/training"
)

// dateError is why a date cell was not accepted, in words for HR.
type dateError string

func (e dateError) Error() string { return string(e) }

// Date parsing limits: Excel's serial range, and a plausible calendar.
const (
	maxSerial = 2958465 // 9999-12-31
	minYear   = 1900
	maxYear   = 2199
)

// serialDate converts an Excel serial day number to a civil date, in the
// 1900 or 1904 date system. Serial 60 in the 1900 system is Excel's
// fictitious 29 February 1900.
func serialDate(n int, date1904 bool) (training.Date, error) {
	if n < 1 || n > maxSerial {
		return training.Date{}, dateError(fmt.Sprintf("%d is not a date (as a date serial number it is out of range)", n))
	}
	if date1904 {
		return training.NewDate(1904, time.January, 1+n), nil
	}
	switch {
	case n == 60:
		return training.Date{}, dateError("29/02/1900 does not exist (a known Excel quirk); type the date again")
	case n < 60:
		return training.NewDate(1899, time.December, 31+n), nil
	}
	return training.NewDate(1899, time.December, 30+n), nil
}

var weekdays = map[string]bool{
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
	"mon": true, "tue": true, "tues": true, "wed": true, "thu": true, "thur": true, "thurs": true, "fri": true, "sat": true, "sun": true,
}

var monthNames = map[string]time.Month{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
	"apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
	"aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
	"oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

// parseDate reads a UK date as people and spreadsheets write it: an Excel
// serial number, 15/03/2024, 15-03-2024, 15.03.2024, 15/03/24,
// 15 Mar 2024, 15-Mar-24, 15 March 2024, 2024-03-15 (optionally followed by
// a time of day). Day first, always. s must already be trimmed; "" is the
// zero date with no error.
func parseDate(s string, date1904 bool) (training.Date, error) {
	if s == "" {
		return training.Date{}, nil
	}
	if s[0] == '#' && isExcelError(s) {
		return training.Date{}, errExcelError
	}
	// An Excel serial (a date cell read raw, or a number in a date column).
	if s[0] >= '0' && s[0] <= '9' {
		if n, ok := serialNumber(s); ok {
			return serialDate(n, date1904)
		}
	}
	// A weekday before the date ("Monday, 7 August 2023", as Moodle's
	// report builder writes dates) is dropped.
	if c := s[0] | 0x20; c >= 'a' && c <= 'z' {
		if i := strings.IndexAny(s, ", "); i > 0 && weekdays[strings.ToLower(s[:i])] {
			s = strings.TrimLeft(s[i:], ", ")
		}
	}
	// A time of day after the date ("2024-03-15T10:00:00", "15/03/2024 10:00",
	// "7/08/23, 07:04", "7 August 2023, 7:04 AM") is dropped.
	if i := strings.IndexByte(s, ':'); i > 0 {
		j := strings.LastIndexAny(s[:i], " T")
		if j <= 0 || !looksLikeTime(s[j+1:]) {
			return training.Date{}, notADate(s)
		}
		s = strings.TrimRight(s[:j], " ")
	}
	// Split into three parts on / - . space or comma.
	var parts [3]string
	np := 0
	start := -1
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			c := s[i]
			if c != '/' && c != '-' && c != '.' && c != ' ' && c != ',' {
				if start < 0 {
					start = i
				}
				continue
			}
		}
		if start >= 0 {
			if np == 3 {
				return training.Date{}, notADate(s)
			}
			parts[np] = s[start:i]
			np++
			start = -1
		}
	}
	if np != 3 {
		return training.Date{}, notADate(s)
	}
	a, b, c := parts[0], parts[1], parts[2]
	// ISO: 2024-03-15
	if len(a) == 4 && isDigits(a) && isDigits(b) && isDigits(c) {
		y, _ := strconv.Atoi(a)
		m, _ := strconv.Atoi(b)
		d, _ := strconv.Atoi(c)
		if len(b) > 2 || len(c) > 2 {
			return training.Date{}, notADate(s)
		}
		return makeDate(s, y, m, d, true)
	}
	a = trimOrdinal(a)
	if !isDigits(a) || len(a) > 2 || !isDigits(c) {
		return training.Date{}, notADate(s)
	}
	d, _ := strconv.Atoi(a)
	var m int
	if isDigits(b) {
		if len(b) > 2 {
			return training.Date{}, notADate(s)
		}
		m, _ = strconv.Atoi(b)
	} else {
		mm, ok := monthNames[strings.ToLower(b)]
		if !ok {
			return training.Date{}, notADate(s)
		}
		m = int(mm)
	}
	var y int
	switch len(c) {
	case 2:
		y, _ = strconv.Atoi(c)
		// Excel's rule for two-digit years: 00-29 are 20xx, 30-99 are 19xx.
		if y < 30 {
			y += 2000
		} else {
			y += 1900
		}
	case 4:
		y, _ = strconv.Atoi(c)
	default:
		return training.Date{}, notADate(s)
	}
	return makeDate(s, y, m, d, false)
}

func makeDate(s string, y, m, d int, iso bool) (training.Date, error) {
	if m < 1 || m > 12 {
		if iso {
			return training.Date{}, dateError(fmt.Sprintf("month %d does not exist", m))
		}
		return training.Date{}, dateError(fmt.Sprintf("month %d does not exist — dates must be day/month/year", m))
	}
	if y < minYear || y > maxYear {
		return training.Date{}, dateError(fmt.Sprintf("the year %d is not plausible", y))
	}
	if d < 1 || d > daysIn(y, time.Month(m)) {
		return training.Date{}, dateError(fmt.Sprintf("%s %d has no day %d", time.Month(m), y, d))
	}
	return training.DateFrom(y, time.Month(m), d), nil
}

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

func notADate(s string) error {
	return dateError("not a date: write dates as day/month/year, e.g. 15/03/2024")
}

// serialNumber accepts "45366" and "45366.5" (a date with a time of day).
func serialNumber(s string) (int, bool) {
	dot := strings.IndexByte(s, '.')
	intPart, frac := s, ""
	if dot >= 0 {
		intPart, frac = s[:dot], s[dot+1:]
		if frac == "" || !isDigits(frac) {
			return 0, false
		}
	}
	if !isDigits(intPart) || len(intPart) > 7 {
		return 0, false
	}
	n, err := strconv.Atoi(intPart)
	return n, err == nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// trimOrdinal turns "15th" into "15".
func trimOrdinal(s string) string {
	if len(s) > 2 {
		switch strings.ToLower(s[len(s)-2:]) {
		case "st", "nd", "rd", "th":
			return s[:len(s)-2]
		}
	}
	return s
}

// looksLikeTime accepts a time of day after a date: "10:00", "10:00:00",
// "00:00:00Z", "10:00:00.000+01:00".
func looksLikeTime(s string) bool {
	if len(s) < 4 || s[0] < '0' || s[0] > '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == ':' || c == '.' || c == 'Z' || c == '+' || c == '-' || c == ' ' || c == 'A' || c == 'P' || c == 'M' || c == 'a' || c == 'p' || c == 'm') {
			return false
		}
	}
	return strings.IndexByte(s, ':') > 0
}
