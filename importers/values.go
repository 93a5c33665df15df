package importers

// Parsing of single cell values: dates, IDs, emails, course cells, status.
// These run once per cell on every row, so they are hand-written scanners
// (no regexp, no allocation on the common paths).

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/muster-police/muster/training"
)

// clean is training.CleanText with a fast path for the common case of text
// that is already clean (no leading/trailing or doubled white space, no
// exotic spaces): then it returns s itself without allocating.
func clean(s string) string {
	if s == "" {
		return s
	}
	prevSpace := true // a leading space is not clean
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			if prevSpace {
				return training.CleanText(s)
			}
			prevSpace = true
		case c < ' ' || c >= utf8.RuneSelf:
			if c >= utf8.RuneSelf {
				// Multi-byte: only a few runes are spaces; let CleanText decide.
				r, _ := utf8.DecodeRuneInString(s[i:])
				if r == '\u00a0' || r == '\u2007' || r == '\u202f' || r == '\u200b' || r == '\ufeff' {
					return training.CleanText(s)
				}
				prevSpace = false
				continue
			}
			return training.CleanText(s)
		default:
			prevSpace = false
		}
	}
	if prevSpace {
		return training.CleanText(s)
	}
	return s
}

// numericID turns the way spreadsheets write a whole number ("12345.0",
// "1.2345E+04", "12345") into its digits; other text is returned unchanged.
func numericID(s string) string {
	if s == "" {
		return s
	}
	plain := true
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	// Only shapes a number cell can take: digits, one '.', an exponent.
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return s
		}
	}
	if s[0] < '0' || s[0] > '9' {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 1e15 || f != float64(int64(f)) {
		return s
	}
	return strconv.FormatInt(int64(f), 10)
}

// parseID returns the normalised ID and the ID as written (zero-padding
// kept, number formatting removed).
func parseID(raw string) (id, display string) {
	display = clean(raw)
	// Tricks people use to keep Excel from dropping zeros: ="0012345" and '0012345.
	if len(display) > 3 && display[0] == '=' && display[1] == '"' && display[len(display)-1] == '"' {
		display = clean(display[2 : len(display)-1])
	}
	for len(display) > 0 && display[0] == '\'' {
		display = clean(display[1:])
	}
	display = numericID(display)
	if isDigits(display) {
		// The common case, without NormalizeID's allocations: the key
		// shares the display string's bytes.
		if id := strings.TrimLeft(display, "0"); id != "" {
			return id, display
		}
		return "0", display
	}
	return training.NormalizeID(display), display
}

// validEmail is a deliberately plain check: one @, something before it, a
// dotted domain after it, no spaces. Real deliverability is the mail
// server's business; this catches "name at force" and typos.
func validEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at != strings.LastIndexByte(s, '@') {
		return false
	}
	domain := s[at+1:]
	if len(domain) < 3 || domain[0] == '.' || domain[len(domain)-1] == '.' || !strings.Contains(domain, ".") || strings.Contains(domain, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c == ',' || c == ';' || c == '<' || c == '>' || c == '(' || c == ')' || c == '"' {
			return false
		}
	}
	return true
}

// normEmail trims and lower-cases an email, and says whether it looks valid.
func normEmail(raw string) (string, bool) {
	s := strings.ToLower(clean(raw))
	if s == "" {
		return "", true
	}
	return s, validEmail(s)
}

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
	// A time of day after the date ("2024-03-15T10:00:00", "15/03/2024 10:00") is dropped.
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
	return training.Date{Year: y, Month: time.Month(m), Day: d}, nil
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

// foldWord lower-cases s and drops everything but letters and digits, so
// "N/A", "n.a." and "NA" compare equal.
func foldWord(s string) string {
	var buf [32]byte
	b := buf[:0]
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b = append(b, byte(r))
		case r >= 'A' && r <= 'Z':
			b = append(b, byte(r+'a'-'A'))
		case r == '✓' || r == '✔' || r == '☑' || r == '✅':
			b = append(b, "tick"...)
		case r >= utf8.RuneSelf && r != '\u00a0':
			b = utf8.AppendRune(b, r)
		}
		if len(b) > 24 {
			return string(b)
		}
	}
	return string(b)
}

// courseWords are the words a wide-layout course cell may hold instead of a date.
var courseWords = map[string]CellKind{
	"":              CellNone,
	"no":            CellNone,
	"n":             CellNone,
	"notstarted":    CellNone,
	"inprogress":    CellNone,
	"started":       CellNone,
	"notcomplete":   CellNone,
	"incomplete":    CellNone,
	"booked":        CellNone,
	"false":         CellNone,
	"yes":           CellCompletedNoDate,
	"y":             CellCompletedNoDate,
	"completed":     CellCompletedNoDate,
	"complete":      CellCompletedNoDate,
	"done":          CellCompletedNoDate,
	"passed":        CellCompletedNoDate,
	"true":          CellCompletedNoDate,
	"tick":          CellCompletedNoDate,
	"exempt":        CellExempt,
	"na":            CellExempt,
	"notapplicable": CellExempt,
}

// isExcelError recognises the error values a formula cell can show.
func isExcelError(s string) bool {
	if len(s) < 4 || s[0] != '#' {
		return false
	}
	switch strings.ToUpper(s) {
	case "#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#BUSY!", "#CONNECT!", "#UNKNOWN!", "#N/A!":
		return true
	}
	return false
}

// errExcelError is the reason for a cell that shows a formula error.
var errExcelError = dateError("the cell shows an Excel error instead of a value")

// parseCourseCell reads a wide-layout course cell. s is trimmed.
func parseCourseCell(s string, date1904 bool, today training.Date) (CellKind, training.Date, error) {
	if s == "" {
		return CellNone, training.Date{}, nil
	}
	if s[0] == '#' && isExcelError(s) {
		// Not "N/A" (exempt): #N/A is a broken lookup.
		return CellNone, training.Date{}, errExcelError
	}
	c := s[0]
	if c >= '0' && c <= '9' {
		d, err := parseDate(s, date1904)
		if err != nil {
			return CellNone, training.Date{}, err
		}
		if err := notFuture(d, today); err != nil {
			return CellNone, training.Date{}, err
		}
		return CellCompleted, d, nil
	}
	w := foldWord(s)
	if k, ok := courseWords[w]; ok {
		return k, training.Date{}, nil
	}
	if strings.HasPrefix(w, "exempt") {
		return CellExempt, training.Date{}, nil
	}
	// "15 March 2024" starts with a digit; "Mar 15 2024" is US and refused.
	return CellNone, training.Date{}, dateError("not a completion date, Yes/No or Exempt")
}

func notFuture(d, today training.Date) error {
	if !today.IsZero() && d.After(today) {
		return dateError(fmt.Sprintf("the date %s is in the future (today is %s)", d.UK(), today.UK()))
	}
	return nil
}

// completionStatus reads a long-layout status cell: only Completed and
// Passed record a completion.
func completionStatus(s string) bool {
	switch foldWord(s) {
	case "completed", "complete", "passed", "pass":
		return true
	}
	return false
}

// isLeaver reads an employment status cell.
func isLeaver(s string) bool {
	w := foldWord(firstWord(s))
	return w == "leaver" || w == "left"
}

func firstWord(s string) string {
	if i := strings.IndexAny(s, " -–(,"); i > 0 {
		return s[:i]
	}
	return s
}
