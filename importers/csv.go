package importers

// Reading .csv: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's
// "Unicode text") or Windows-1252 from older exports; comma, semicolon or
// tab separated; title rows above the header; streamed with encoding/csv.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// csvEncoding says how to decode a csv file.
type csvEncoding struct {
	name   string
	skip   int64 // bytes of BOM to skip (UTF-8)
	crOnly bool  // lines end in a bare CR (Excel for Mac's "CSV (Macintosh)")
}

// open opens a fresh decoded stream over the file, cut off with
// errLineTooLong at the first line longer than maxLineBytes.
func (e csvEncoding) open(r io.ReaderAt, size int64) *lineLimiter {
	var src io.Reader = io.NewSectionReader(r, e.skip, size-e.skip)
	if e.crOnly {
		src = crToLF{src}
	}
	switch e.name {
	case "windows-1252":
		src = charmap.Windows1252.NewDecoder().Reader(src)
	case "utf-16le":
		src = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Reader(src)
	case "utf-16be":
		src = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Reader(src)
	}
	return &lineLimiter{r: src, max: maxLineBytes}
}

// maxLineBytes bounds one line of a csv file. encoding/csv holds a whole
// record in memory (and more while it grows it), so a file of one endless
// line would cost many times its size; no roster line comes near this.
const maxLineBytes = 1 << 20

// errLineTooLong stops reading at a line longer than maxLineBytes.
var errLineTooLong = errors.New("line too long")

// lineLimiter passes a stream through, counting lines, until a line
// grows past max bytes.
type lineLimiter struct {
	r     io.Reader
	max   int
	run   int // bytes since the last newline
	lines int // newlines seen
}

func (l *lineLimiter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	b := p[:n]
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			l.run += len(b)
			break
		}
		if l.run+i > l.max {
			l.run += i
			break
		}
		l.run = 0
		l.lines++
		b = b[i+1:]
	}
	if l.run > l.max {
		return n, errLineTooLong
	}
	return n, err
}

// detectEncoding: a BOM decides; otherwise valid UTF-8 is UTF-8 and
// anything else is taken as Windows-1252 (which decodes every byte).
func detectEncoding(r io.ReaderAt, size int64) csvEncoding {
	probe := make([]byte, min(size, 64<<10))
	n, _ := r.ReadAt(probe, 0)
	b := probe[:n]
	crOnly := bytes.IndexByte(b, '\r') >= 0 && bytes.IndexByte(b, '\n') < 0
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return csvEncoding{name: "utf-8-bom", skip: 3, crOnly: crOnly}
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return csvEncoding{name: "utf-16le"}
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return csvEncoding{name: "utf-16be"}
	case validUTF8(r, size):
		return csvEncoding{name: "utf-8", crOnly: crOnly}
	}
	return csvEncoding{name: "windows-1252", crOnly: crOnly}
}

// crToLF turns bare-CR line ends into LF, which encoding/csv understands.
type crToLF struct{ r io.Reader }

func (c crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := range p[:n] {
		if p[i] == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

// validUTF8 checks the whole file in chunks without holding it.
func validUTF8(r io.ReaderAt, size int64) bool {
	const chunk = 256 << 10
	buf := make([]byte, chunk+utf8.UTFMax)
	var off int64
	carry := 0
	for off < size {
		n, err := r.ReadAt(buf[carry:carry+chunk], off)
		if n == 0 && err != nil {
			return false
		}
		off += int64(n)
		data := buf[:carry+n]
		keep := 0
		if off < size {
			// An incomplete rune at the chunk's end is checked with the next chunk.
			for i := len(data) - 1; i >= 0 && i >= len(data)-utf8.UTFMax; i-- {
				if utf8.RuneStart(data[i]) {
					if !utf8.FullRune(data[i:]) {
						keep = len(data) - i
					}
					break
				}
			}
		}
		if !utf8.Valid(data[:len(data)-keep]) {
			return false
		}
		copy(buf, data[len(data)-keep:])
		carry = keep
	}
	return carry == 0
}

func newCSVReader(src io.Reader, delim rune) *csv.Reader {
	cr := csv.NewReader(src)
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	return cr
}

// csvDelimiters are tried in this order; a tie keeps the earlier one.
var csvDelimiters = []rune{',', ';', '\t'}

func (rd *reader) readCSV(r io.ReaderAt, size int64) error {
	enc := detectEncoding(r, size)
	rd.det = &Detection{Format: "csv", Encoding: enc.name, Ignored: []string{}}

	// Try each delimiter on the first rows; the one giving the best header wins.
	var (
		best      headerPlan
		bestDelim rune
		found     bool
	)
	for _, delim := range csvDelimiters {
		hf := headerFinder{cm: rd.cm, d: rd.d}
		src := enc.open(r, size)
		cr := newCSVReader(src, delim)
		for i := 0; i < headerScanRows; i++ {
			rec, err := cr.Read()
			if errors.Is(err, errLineTooLong) {
				return lineTooLong(src.lines + 1)
			}
			if err != nil {
				break
			}
			line, _ := cr.FieldPos(0)
			hf.add(line, rec)
		}
		if !hf.ok {
			rd.keepGuess(&hf, "this file")
		}
		hf.finish()
		rd.noted(&hf)
		if hf.ok && (!found || hf.best.better(best)) {
			best, bestDelim, found = hf.best, delim, true
		}
	}
	if !found {
		return rd.noHeaderIn("this file")
	}
	rd.det.Delimiter = string(bestDelim)
	if err := rd.start("", best, false); err != nil {
		return err
	}
	src := enc.open(r, size)
	cr := newCSVReader(src, bestDelim)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if errors.Is(err, errLineTooLong) {
			return lineTooLong(src.lines + 1)
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return fileErrorf("Line %d of the file could not be read: %s.", pe.StartLine, csvReason(pe.Err))
			}
			return fileErrorf("The file could not be read past line %d.", line)
		}
		if line <= best.lastRow {
			continue
		}
		if err := rd.row(line, rec); err != nil {
			return err
		}
	}
}

// lineTooLong is the FileError for a line past maxLineBytes, near line n.
func lineTooLong(n int) *FileError {
	return fileErrorf("Line %d of the file is longer than %s, far longer than any roster line; the file is probably not a roster export (or its line ends are damaged).", max(n, 1), humanBytes(maxLineBytes))
}

func csvReason(err error) string {
	switch {
	case errors.Is(err, csv.ErrQuote):
		return "a quoted value is not closed"
	case errors.Is(err, csv.ErrBareQuote):
		return "a value has a stray quote mark"
	}
	return "it is not valid CSV"
}
