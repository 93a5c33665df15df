package importers

// The byte budget's scanner as it was before it skipped through tags and
// text a run at a time (xlsx_budget.go): one byte at a time through one
// state machine. Kept as the reference the faster scanner must agree with,
// error for error (TestScannerAgreesWithReference).

import (
	"bytes"
	"strings"
)

// refScanner counts what a part would make an XML parser build.
type refScanner struct {
	part  string
	sheet bool // rows and cells are tracked (a worksheet)
	sst   bool // <si> elements are tracked (the shared strings)

	st        scanState
	quote     byte // open attribute quote in a tag, 0 if none
	tail      [3]byte
	tag       []byte // the first tagKept bytes of the current tag
	tagLen    int
	textChars int
	textRaw   int
	inEntity  bool

	inUnit   bool // inside <row> or <si>
	unitSize int
	row      int
	cell     [16]byte // the current cell's reference, cellLen bytes of it
	cellLen  int
}

func newRefScanner(part string) *refScanner {
	lower := strings.ToLower(part)
	return &refScanner{
		part:  part,
		sheet: strings.HasPrefix(lower, "xl/worksheets/"),
		sst:   lower == "xl/sharedstrings.xml",
		tag:   make([]byte, 0, tagKept),
	}
}

func (s *refScanner) fail(what string) error {
	return &budgetError{part: s.part, what: what, row: s.row, cell: string(s.cell[:s.cellLen]), out: !s.inUnit}
}

// Write scans p; it never keeps more than tagKept bytes.
func (s *refScanner) Write(p []byte) (int, error) {
	for _, b := range p {
		if s.inUnit {
			s.unitSize++
			if s.unitSize > rowBudget {
				if s.sst {
					return 0, s.fail("si")
				}
				return 0, s.fail("row")
			}
		}
		s.tail[0], s.tail[1], s.tail[2] = s.tail[1], s.tail[2], b
		switch s.st {
		case stText:
			if b == '<' {
				s.st, s.quote, s.tag, s.tagLen = stTag, 0, s.tag[:0], 0
				s.textChars, s.textRaw, s.inEntity = 0, 0, false
				continue
			}
			if err := s.textByte(b); err != nil {
				return 0, err
			}
		case stCDATA:
			if b == '>' && s.tail[0] == ']' && s.tail[1] == ']' {
				s.st, s.textChars, s.textRaw = stText, 0, 0
				continue
			}
			if err := s.textByte(b); err != nil {
				return 0, err
			}
		case stComment:
			s.tagLen++
			if s.tagLen > tagBudget {
				return 0, s.fail("tag")
			}
			if b == '>' && s.tail[0] == '-' && s.tail[1] == '-' {
				s.st = stText
			}
		case stTag:
			s.tagLen++
			if s.tagLen > tagBudget {
				return 0, s.fail("tag")
			}
			if len(s.tag) < tagKept {
				s.tag = append(s.tag, b)
			}
			switch {
			case s.quote != 0:
				if b == s.quote {
					s.quote = 0
				}
			case b == '"' || b == '\'':
				s.quote = b
			case b == '>':
				s.endTag()
			case s.tagLen == 3 && bytes.Equal(s.tag, []byte("!--")):
				s.st = stComment
			case s.tagLen == 8 && bytes.Equal(s.tag, []byte("![CDATA[")):
				s.st, s.textChars, s.textRaw = stCDATA, 0, 0
			}
		}
	}
	return len(p), nil
}

// textByte counts one byte of character data: characters are counted as
// UTF-8 lead bytes, an entity or character reference as one.
func (s *refScanner) textByte(b byte) error {
	s.textRaw++
	switch {
	case s.inEntity:
		if b == ';' {
			s.inEntity = false
		}
	case b == '&' && s.st == stText:
		s.inEntity = true
		s.textChars++
	case b&0xC0 != 0x80:
		s.textChars++
	}
	if s.textChars > maxTextChars || s.textRaw > maxTextRaw {
		return s.fail("text")
	}
	return nil
}

// endTag handles a complete tag: rows and shared strings open and close
// their budgets; a cell's reference is noted for the error.
func (s *refScanner) endTag() {
	s.st = stText
	t := s.tag
	if len(t) == 0 || t[0] == '?' || t[0] == '!' {
		return
	}
	closing := t[0] == '/'
	if closing {
		t = t[1:]
	}
	end := bytes.IndexAny(t, " \t\r\n/>")
	if end < 0 {
		end = len(t)
	}
	name := t[:end]
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	selfClosing := s.tail[1] == '/' // the byte before '>'
	switch {
	case s.sheet && string(name) == "row":
		if closing || selfClosing {
			s.inUnit, s.cellLen = false, 0
			return
		}
		if n := atoiBytes(attr(t, "r")); n > 0 {
			s.row = n
		} else {
			s.row++
		}
		s.inUnit, s.unitSize, s.cellLen = true, s.tagLen, 0
	case s.sheet && string(name) == "c":
		s.cellLen = 0
		if !closing && !selfClosing {
			s.cellLen = copy(s.cell[:], attr(t, "r"))
		}
	case s.sst && string(name) == "si":
		s.row++
		s.inUnit, s.unitSize = !closing && !selfClosing, s.tagLen
	}
}

// scanAll feeds doc to w in chunks of the given sizes (cycled) and
// returns the first error.
func scanAll(w interface{ Write([]byte) (int, error) }, doc []byte, chunks []int) error {
	for k := 0; len(doc) > 0; k++ {
		n := min(chunks[k%len(chunks)], len(doc))
		if _, err := w.Write(doc[:n]); err != nil {
			return err
		}
		doc = doc[n:]
	}
	return nil
}
