package importers

// A byte budget in front of excelize. excelize's streaming rows reader
// (rows.go: Rows.Next and Rows.Columns over encoding/xml's Decoder.Token)
// and its shared-strings readers (sharedStringsReader, getFromStringItem:
// DecodeElement per <si>) build each text run, tag and row in memory
// before Muster sees a cell, so a per-cell limit applied to what excelize
// returns comes too late: a 0.4 MB workbook whose sheet holds one 400 MB
// cell would cost gigabytes. Every part the reader keeps is therefore
// scanned, still compressed in the upload, by the small state machine
// below, which counts and never keeps: a text run longer than Excel's
// cell limit, a row (or shared string) over rowBudget bytes, or a tag over
// tagBudget bytes stops the read before excelize parses the part (the
// parts excelize parses as it opens the workbook before it opens it, the
// shared strings and worksheets while it does: xlsx_scan.go). See
// docs/EXCELIZE.md for the ratio check that comes before it.

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strings"
)

const (
	// maxTextChars is Excel's limit on the characters in one cell: no
	// text run Excel writes is longer.
	maxTextChars = 32767
	// maxTextRaw bounds a text run's raw bytes whatever it decodes to
	// (an entity or character reference is at most a dozen bytes).
	maxTextRaw = 12 * maxTextChars
	// rowBudget bounds one <row> of a sheet and one <si> of the shared
	// strings: 16,384 short cells with their tags fit in under 1 MB.
	rowBudget = 4 << 20
	// tagBudget bounds one tag with its attributes.
	tagBudget = 1 << 20
	// tagKept is how much of a tag is kept to read its name and r attribute.
	tagKept = 256
)

// budgetError is where a part broke the budget.
type budgetError struct {
	part string // zip entry name
	what string // "text", "row", "si", "tag"
	row  int    // sheet row (0: unknown)
	cell string // cell reference ("" unknown)
	out  bool   // outside any row (or shared string)
}

func (e *budgetError) Error() string { return "xlsx budget: " + e.what + " in " + e.part }

type scanState uint8

const (
	stText scanState = iota
	stTag
	stComment
	stCDATA
)

// xmlScanner counts what a part would make an XML parser build. It keeps
// the counts of a state machine fed one byte at a time (the reference in
// budget_ref_test.go, which it must agree with error for error) but goes
// through text up to the next '<' with bytes.IndexByte and through a tag
// in one tight loop: most of a worksheet is short tags and short numbers.
type xmlScanner struct {
	part  string
	sheet bool // rows and cells are tracked (a worksheet)
	sst   bool // <si> elements are tracked (the shared strings)

	st        scanState
	quote     byte    // open attribute quote in a tag, 0 if none
	tail      [3]byte // the last three bytes before the current Write's
	tag       []byte  // the first tagKept bytes of the current tag
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

func newXMLScanner(part string) *xmlScanner {
	lower := strings.ToLower(part)
	return &xmlScanner{
		part:  part,
		sheet: strings.HasPrefix(lower, "xl/worksheets/"),
		sst:   lower == "xl/sharedstrings.xml",
		tag:   make([]byte, 0, tagKept),
	}
}

func (s *xmlScanner) fail(what string) error {
	return &budgetError{part: s.part, what: what, row: s.row, cell: string(s.cell[:s.cellLen]), out: !s.inUnit}
}

// Write scans p; it never keeps more than tagKept bytes. Inside a row (or
// shared string) p is scanned in segments no longer than the unit's room
// left, so that the byte that breaks the unit's budget is found before
// anything after it.
func (s *xmlScanner) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		seg := p
		in := s.inUnit
		if in {
			room := rowBudget - s.unitSize
			if room <= 0 {
				if s.sst {
					return 0, s.fail("si")
				}
				return 0, s.fail("row")
			}
			if len(seg) > room {
				seg = seg[:room]
			}
		}
		k, err := s.scan(seg)
		if err != nil {
			return 0, err
		}
		if in {
			s.unitSize += k
		}
		s.keepTail(seg[:k])
		p = p[k:]
	}
	return n, nil
}

// keepTail remembers the last three bytes scanned.
func (s *xmlScanner) keepTail(b []byte) {
	switch len(b) {
	case 0:
	case 1:
		s.tail = [3]byte{s.tail[1], s.tail[2], b[0]}
	case 2:
		s.tail = [3]byte{s.tail[2], b[0], b[1]}
	default:
		s.tail = [3]byte(b[len(b)-3:])
	}
}

// before is the byte back places before seg[i] in the stream.
func (s *xmlScanner) before(seg []byte, i, back int) byte {
	if j := i - back; j >= 0 {
		return seg[j]
	} else {
		return s.tail[3+j]
	}
}

// scan goes through seg and returns how many of its bytes it took: all of
// them, or up to the end of a tag that opened or closed a row (or shared
// string), so that Write counts the unit's bytes from there.
func (s *xmlScanner) scan(seg []byte) (int, error) {
	i := 0
	for i < len(seg) {
		switch s.st {
		case stText:
			j := 0
			if seg[i] != '<' { // between tags a worksheet mostly has no text at all
				if j = bytes.IndexByte(seg[i:], '<'); j < 0 {
					return len(seg), s.text(seg[i:])
				}
				if err := s.text(seg[i : i+j]); err != nil {
					return 0, err
				}
			}
			i += j + 1
			s.st, s.quote, s.tag, s.tagLen = stTag, 0, s.tag[:0], 0
			s.textChars, s.textRaw, s.inEntity = 0, 0, false
		case stTag:
			if (s.tagLen == 0 && seg[i] == '!') || (s.tagLen > 0 && s.tag[0] == '!') {
				// A comment, CDATA or declaration: a byte at a time.
				unit, err := s.tagByte(seg, i)
				if err != nil {
					return 0, err
				}
				i++
				if unit {
					return i, nil
				}
				continue
			}
			// Up to the tag's end or its budget, whichever comes first.
			start, limit, q, closed := i, len(seg), s.quote, false
			if room := tagBudget - s.tagLen; room < limit-i {
				limit = i + room
			}
			for i < limit {
				b := seg[i]
				i++
				if q != 0 {
					if b == q {
						q = 0
					}
				} else if b == '>' {
					closed = true
					break
				} else if b == '"' || b == '\'' {
					q = b
				}
			}
			s.quote = q
			fresh := s.tagLen == 0
			s.tagLen += i - start
			if closed && fresh {
				// The whole tag is in seg: read it there, without a copy.
				if s.endTagIn(seg[start:min(i, start+tagKept)], s.before(seg, i-1, 1) == '/') {
					return i, nil
				}
				continue
			}
			if k := min(i-start, tagKept-len(s.tag)); k > 0 {
				s.tag = append(s.tag, seg[start:start+k]...)
			}
			if closed {
				if s.endTag(s.before(seg, i-1, 1) == '/') {
					return i, nil
				}
			} else if i < len(seg) {
				return 0, s.fail("tag") // the next byte would break the tag's budget
			}
		case stComment:
			b := seg[i]
			s.tagLen++
			if s.tagLen > tagBudget {
				return 0, s.fail("tag")
			}
			if b == '>' && s.before(seg, i, 2) == '-' && s.before(seg, i, 1) == '-' {
				s.st = stText
			}
			i++
		case stCDATA:
			b := seg[i]
			if b == '>' && s.before(seg, i, 2) == ']' && s.before(seg, i, 1) == ']' {
				s.st, s.textChars, s.textRaw = stText, 0, 0
			} else if err := s.textByte(b); err != nil {
				return 0, err
			}
			i++
		}
	}
	return len(seg), nil
}

// tagByte takes seg[i], a byte of a tag that began with '!', as the
// reference does; it reports whether the tag, ending, opened or closed a
// unit.
func (s *xmlScanner) tagByte(seg []byte, i int) (bool, error) {
	b := seg[i]
	s.tagLen++
	if s.tagLen > tagBudget {
		return false, s.fail("tag")
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
		return s.endTag(s.before(seg, i, 1) == '/'), nil
	case s.tagLen == 3 && string(s.tag) == "!--":
		s.st = stComment
	case s.tagLen == 8 && string(s.tag) == "![CDATA[":
		s.st, s.textChars, s.textRaw = stCDATA, 0, 0
	}
	return false, nil
}

// text counts a run of character data (no '<' in it) as textByte would,
// failing the run once it is too long.
func (s *xmlScanner) text(b []byte) error {
	s.textRaw += len(b)
	for _, c := range b {
		switch {
		case s.inEntity:
			if c == ';' {
				s.inEntity = false
			}
		case c == '&':
			s.inEntity = true
			s.textChars++
		case c&0xC0 != 0x80:
			s.textChars++
		}
	}
	if s.textChars > maxTextChars || s.textRaw > maxTextRaw {
		return s.fail("text")
	}
	return nil
}

// textByte counts one byte of character data inside CDATA: characters are
// counted as UTF-8 lead bytes.
func (s *xmlScanner) textByte(b byte) error {
	s.textRaw++
	if b&0xC0 != 0x80 {
		s.textChars++
	}
	if s.textChars > maxTextChars || s.textRaw > maxTextRaw {
		return s.fail("text")
	}
	return nil
}

// endTag handles a complete tag: rows and shared strings open and close
// their budgets; a cell's reference is noted for the error. It reports
// whether the tag opened or closed a unit (or opened one afresh).
func (s *xmlScanner) endTag(selfClosing bool) (unit bool) {
	return s.endTagIn(s.tag, selfClosing)
}

// endTagIn is endTag for the tag's first bytes t (at most tagKept of
// them, as kept in s.tag).
func (s *xmlScanner) endTagIn(t []byte, selfClosing bool) (unit bool) {
	s.st = stText
	if !s.sheet && !s.sst {
		return false
	}
	if len(t) == 0 || t[0] == '?' || t[0] == '!' {
		return false
	}
	closing := t[0] == '/'
	if closing {
		t = t[1:]
	}
	end, colon := 0, -1
	for ; end < len(t); end++ {
		c := t[end]
		if isXMLSpace(c) || c == '/' || c == '>' {
			break
		}
		if c == ':' && colon < 0 {
			colon = end
		}
	}
	name := t[colon+1 : end]
	switch {
	case s.sheet && string(name) == "row":
		if closing || selfClosing {
			s.inUnit, s.cellLen = false, 0
			return true
		}
		if n := atoiBytes(attr(t, "r")); n > 0 {
			s.row = n
		} else {
			s.row++
		}
		s.inUnit, s.unitSize, s.cellLen = true, s.tagLen, 0
		return true
	case s.sheet && string(name) == "c":
		s.cellLen = 0
		if !closing && !selfClosing {
			s.cellLen = copy(s.cell[:], attr(t, "r"))
		}
	case s.sst && string(name) == "si":
		s.row++
		s.inUnit, s.unitSize = !closing && !selfClosing, s.tagLen
		return true
	}
	return false
}

// atoiBytes is the positive decimal number b spells, or 0.
func atoiBytes(b []byte) int {
	if len(b) == 0 || len(b) > 9 {
		return 0
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// attr is the value of the attribute name in a tag's kept bytes (a
// slice of them, not a copy).
func attr(tag []byte, name string) []byte {
	for i := 0; i+len(name)+2 < len(tag); i++ {
		if !isXMLSpace(tag[i]) || string(tag[i+1:i+1+len(name)]) != name {
			continue
		}
		j := skipSpace(tag, i+1+len(name))
		if len(tag)-j < 2 || tag[j] != '=' {
			continue
		}
		j = skipSpace(tag, j+1)
		if j == len(tag) || (tag[j] != '"' && tag[j] != '\'') {
			continue
		}
		if k := bytes.IndexByte(tag[j+1:], tag[j]); k >= 0 {
			return tag[j+1 : j+1+k]
		}
		return nil
	}
	return nil
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// skipSpace is the index of the first byte at or after i that is not white space.
func skipSpace(b []byte, i int) int {
	for i < len(b) && isXMLSpace(b[i]) {
		i++
	}
	return i
}

// scanParts scans every part the reader keeps (neededPart) against the
// budget, inflating each as a stream: nothing larger than a copy buffer
// is held. A part archive/zip finds damaged is left to the reader.
func scanParts(zr *zip.Reader) error {
	buf := make([]byte, 64<<10)
	for _, f := range zr.File {
		name := strings.ReplaceAll(f.Name, "\\", "/")
		if !neededPart(strings.ToLower(name)) {
			continue
		}
		if err := scanPart(zr, f, name, buf); err != nil {
			return err
		}
	}
	return nil
}

// scanPart scans one part of zr against the budget.
func scanPart(zr *zip.Reader, f *zip.File, name string, buf []byte) error {
	rc, err := f.Open()
	if err != nil {
		return &FileError{Reason: reasonDamaged}
	}
	_, err = io.CopyBuffer(newXMLScanner(name), rc, buf)
	rc.Close()
	var be *budgetError
	if errors.As(err, &be) {
		return budgetFileError(zr, be)
	}
	if err != nil {
		return &FileError{Reason: reasonDamaged}
	}
	return nil
}

// budgetFileError says in a sentence which cell or row broke the budget.
func budgetFileError(zr *zip.Reader, be *budgetError) *FileError {
	sheet := sheetNameOf(zr, be.part)
	switch be.what {
	case "text":
		if be.cell != "" && sheet != "" {
			return fileErrorf("Cell %s of the sheet %q holds more than %s characters, more than Excel allows in a cell; the file was not read. Shorten that cell, or save the data as .csv.", be.cell, sheet, "32,767")
		}
		if be.out && sheet != "" {
			return fileErrorf("The sheet %q holds a text of more than %s characters outside its cells; the file was not read. Open it in Excel, save it again and upload that.", sheet, "32,767")
		}
		if be.row > 0 && sheet != "" {
			return fileErrorf("Row %d of the sheet %q holds a text of more than %s characters, more than Excel allows in a cell; the file was not read. Shorten that cell, or save the data as .csv.", be.row, sheet, "32,767")
		}
		return fileErrorf("The workbook holds a text of more than %s characters, more than Excel allows in a cell; the file was not read. Save the data as .csv and upload that.", "32,767")
	case "row":
		if sheet != "" {
			return fileErrorf("Row %d of the sheet %q holds more than %s, far more than a roster's row; the file was not read. Remove that row, or save the data as .csv.", be.row, sheet, humanBytes(rowBudget))
		}
	case "si":
		return fileErrorf("The workbook's shared text number %d holds more than %s, far more than Excel allows in a cell; the file was not read. Save the data as .csv and upload that.", be.row, humanBytes(rowBudget))
	}
	return &FileError{Reason: reasonDamaged}
}

// sheetNameOf is the name the workbook gives the worksheet part, or ""
// (read only when a part broke the budget, from parts already scanned).
func sheetNameOf(zr *zip.Reader, part string) string {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if !decodePart(zr, "xl/workbook.xml", &wb) || !decodePart(zr, "xl/_rels/workbook.xml.rels", &rels) {
		return ""
	}
	for _, r := range rels.Rels {
		target := strings.TrimPrefix(r.Target, "/")
		if !strings.HasPrefix(target, "xl/") {
			target = path.Join("xl", target)
		}
		if !strings.EqualFold(target, part) {
			continue
		}
		for _, s := range wb.Sheets {
			if s.RID == r.ID {
				return s.Name
			}
		}
	}
	return ""
}

// decodePart unmarshals a small part of the zip.
func decodePart(zr *zip.Reader, name string, v any) bool {
	for _, f := range zr.File {
		if !strings.EqualFold(strings.ReplaceAll(f.Name, "\\", "/"), name) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return false
		}
		defer rc.Close()
		return xml.NewDecoder(io.LimitReader(rc, 4<<20)).Decode(v) == nil
	}
	return false
}
