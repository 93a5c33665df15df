package importers

// The byte budget (xlsx_budget.go) is checked before excelize parses a
// part, not before it opens the workbook. Opening (excelize.OpenReader)
// unpacks every part, the worksheets to temporary files, bounded by the
// sizes slimWorkbook checked, and parses only the small parts: the
// content types, the workbook, its relationships and the styles (and the
// theme and calculation chain, which the budget never covered: other
// parts are left out of the copy past otherPartsAllowed). Those are
// scanned first; the shared strings and the worksheets, the large parts,
// are scanned in a goroutine while excelize opens the workbook on the
// other core, and readXLSX waits for that scan before it reads a row (the
// first row read parses the shared strings). The error is the one a
// single pass in the parts' order gives (scanParts), whichever part the
// goroutines found broken first.

import (
	"archive/zip"
	"errors"
	"io"
	"strings"
)

// scanLater reports whether a part (lower-cased) is scanned while excelize
// opens the workbook: excelize parses it only when rows are read.
func scanLater(lower string) bool {
	return lower == "xl/sharedstrings.xml" || strings.HasPrefix(lower, "xl/worksheets/")
}

// startScan scans the parts excelize parses as it opens a workbook, and
// starts scanning the others; the function it returns waits for that scan
// and returns scanParts's error, or nil. It may be called more than once.
// When a part of the first kind breaks the budget, nothing is started and
// err is scanParts's error.
func startScan(zr *zip.Reader) (checked func() error, err error) {
	buf := make([]byte, 64<<10)
	var later []*zip.File
	for _, f := range zr.File {
		name := strings.ReplaceAll(f.Name, "\\", "/")
		lower := strings.ToLower(name)
		if !neededPart(lower) {
			continue
		}
		if scanLater(lower) {
			later = append(later, f)
			continue
		}
		if scanPart(zr, f, name, buf) != nil {
			return nil, scanParts(zr)
		}
	}
	var (
		scanErr  error
		panicked any
		done     = make(chan struct{})
	)
	go func() {
		defer close(done)
		defer func() { panicked = recover() }()
		for _, f := range later {
			name := strings.ReplaceAll(f.Name, "\\", "/")
			scan := scanPart
			if f.UncompressedSize64 > inflateAside {
				scan = scanPartAside
			}
			if scan(zr, f, name, buf) != nil {
				scanErr = scanParts(zr)
				return
			}
		}
	}()
	return func() error {
		<-done
		if panicked != nil {
			panic(panicked) // as a single pass would have, into Read's recover
		}
		return scanErr
	}, nil
}

// inflateAside is the unpacked size above which a part is inflated in a
// goroutine of its own while the scanner goes through what it inflated:
// inflating costs about as much as scanning.
const inflateAside = 1 << 20

// scanPartAside is scanPart with the inflating in a second goroutine,
// handing over up to three buffers of len(buf) bytes, in order; the scan
// sees the same bytes and the same read error after them.
func scanPartAside(zr *zip.Reader, f *zip.File, name string, buf []byte) (err error) {
	rc, err := f.Open()
	if err != nil {
		return &FileError{Reason: reasonDamaged}
	}
	type chunk struct {
		b        []byte
		err      error
		panicked any
	}
	full := make(chan chunk, 2)
	empty := make(chan []byte, 3)
	empty <- buf
	empty <- make([]byte, len(buf))
	empty <- make([]byte, len(buf))
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(full)
		defer func() {
			if v := recover(); v != nil {
				select {
				case full <- chunk{panicked: v}:
				case <-stop:
				}
			}
		}()
		for {
			var b []byte
			select {
			case b = <-empty:
			case <-stop:
				return
			}
			n, err := rc.Read(b)
			c := chunk{b: b[:n], err: err}
			select {
			case full <- c:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	defer func() {
		close(stop)
		<-done
		rc.Close()
	}()
	sc := newXMLScanner(name)
	for c := range full {
		if c.panicked != nil {
			panic(c.panicked)
		}
		if len(c.b) > 0 {
			if _, werr := sc.Write(c.b); werr != nil {
				var be *budgetError
				if errors.As(werr, &be) {
					return budgetFileError(zr, be)
				}
				return &FileError{Reason: reasonDamaged}
			}
		}
		if c.err == io.EOF {
			return nil
		}
		if c.err != nil {
			return &FileError{Reason: reasonDamaged}
		}
		empty <- c.b[:cap(c.b)]
	}
	return nil
}
