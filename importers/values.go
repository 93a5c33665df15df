package importers

// Parsing of single cell values: IDs, emails, course cells, status (dates
// are in values_date.go).
// These run once per cell on every row, so they are hand-written scanners
// (no regexp, no allocation on the common paths).

import (
	"fmt"
	"strconv"
	"strings"
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
		if err := completionDate(d, today); err != nil {
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

// minPlausibleYear: a completion or start date before it is a number or a
// tick box read as a date (Excel's TRUE is the serial 1, 01/01/1900),
// not a real date for a serving officer.
const minPlausibleYear = 1950

// plausible checks a completion or start date against minPlausibleYear and,
// for completions, today.
func plausible(d, today training.Date) error {
	if !d.IsZero() && d.Year() < minPlausibleYear {
		return dateError(fmt.Sprintf("%s is too early to be a real date here; a number or a tick box may have been read as a date", d.UK()))
	}
	return notFuture(d, today)
}

// completionDate checks a completion date: plausible, and not before
// training.CompletionFloor.
func completionDate(d, today training.Date) error {
	if err := plausible(d, today); err != nil {
		return err
	}
	if !d.IsZero() && training.CompletionTooEarly(d) {
		return dateError(fmt.Sprintf("the date %s is before %s, the earliest completion Muster records", d.UK(), training.CompletionFloor.UK()))
	}
	return nil
}

func notFuture(d, today training.Date) error {
	if !today.IsZero() && d.After(today) {
		return dateError(fmt.Sprintf("the date %s is in the future (today is %s)", d.UK(), today.UK()))
	}
	return nil
}

func firstWord(s string) string {
	if i := strings.IndexAny(s, " -–(,"); i > 0 {
		return s[:i]
	}
	return s
}
