package training

import (
	"unicode"
)

// HasFormatChars reports whether s holds a Unicode format character
// (category Cf: right-to-left and other bidi overrides and isolates,
// zero-width spaces and joiners, the soft hyphen, the byte order mark).
// They are invisible, and in a name shown to others they make it read as
// something else ("txt.exe" shown as "exe.txt"), so names people type
// refuse them.
func HasFormatChars(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Cf, r) {
			return true
		}
	}
	return false
}

// checkNoFormatChars is the ErrInvalid error for what as a name with a
// format character, or nil.
func checkNoFormatChars(what, s string) error {
	if HasFormatChars(s) {
		return Invalidf("%s must not hold invisible formatting characters (such as a right-to-left override or a zero-width space)", what)
	}
	return nil
}
