package export

import (
	"bufio"
	"io"
	"strings"
)

// CSVWriter writes CSV that stays inert however a spreadsheet splits it.
// encoding/csv quotes a field only when it holds a comma, quote or line
// break, so "Smith;=HYPERLINK(…)" goes out bare and Excel in a locale
// whose list separator is ";" reads a second cell starting with "=".
// Here every field is quoted (RFC 4180, section 2: a quoted field may
// hold separators, and a quote inside is doubled), and GuardField
// neutralises a formula at the start of the field and after any
// character a program might split on.
type CSVWriter struct {
	w   *bufio.Writer
	err error
}

// NewCSVWriter returns a writer of guarded CSV records to w.
func NewCSVWriter(w io.Writer) *CSVWriter { return &CSVWriter{w: bufio.NewWriter(w)} }

// Write writes one record: every field guarded and quoted, "\n" after.
func (c *CSVWriter) Write(rec []string) error {
	for i, f := range rec {
		if i > 0 {
			c.w.WriteByte(',')
		}
		c.w.WriteByte('"')
		c.w.WriteString(strings.ReplaceAll(GuardField(f), `"`, `""`))
		c.w.WriteByte('"')
	}
	_, err := c.w.WriteString("\n")
	if err != nil && c.err == nil {
		c.err = err
	}
	return c.err
}

// Flush writes what is buffered and returns the first error met.
func (c *CSVWriter) Flush() error {
	if err := c.w.Flush(); err != nil && c.err == nil {
		c.err = err
	}
	return c.err
}

// splitters are the characters some program may split a line on: the
// list separators of Excel's locales (",", ";"), tab and "|", and line
// breaks.
const splitters = ",;\t|\r\n"

// GuardField applies SafeCell to the field and to every piece of it that
// follows a splitter, so no piece can start a formula: "a;=1+1" becomes
// "a;'=1+1".
func GuardField(s string) string {
	s = SafeCell(s)
	if !strings.ContainsAny(s, splitters) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if strings.IndexByte(splitters, s[i]) >= 0 && i+1 < len(s) && strings.IndexByte("=+-@", s[i+1]) >= 0 {
			b.WriteByte('\'')
		}
	}
	return b.String()
}
