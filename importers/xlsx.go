package importers

// Reading .xlsx/.xlsm with excelize's streaming reader, raw cell values
// (docs/EXCELIZE.md: formatting values costs three quarters of the time
// and formats short dates US-style), converting date serials ourselves.

import (
	"archive/zip"
	"fmt"
	"hash/crc32"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// xlsxOptions are the excelize options every read uses.
func xlsxOptions(lim Limits) excelize.Options {
	return excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    lim.MaxUnzipBytes,
		UnzipXMLSizeLimit: min(int64(excelize.StreamChunkSize), lim.MaxUnzipBytes),
	}
}

func (rd *reader) readXLSX(r io.ReaderAt, size int64, kind fileKind) (err error) {
	lim := rd.opts.Limits
	r, size, checked, err := slimWorkbook(r, size, lim)
	if err != nil {
		return err
	}
	// Until the byte budget's scan is waited for, whatever ends the read
	// (an error, a panic) gives way to the scan's error, as if the scan
	// had run first.
	waited := false
	defer func() {
		if waited {
			return
		}
		if serr := checked(); serr != nil {
			recover()
			err = serr
		}
	}()
	f, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), xlsxOptions(lim))
	if f != nil {
		defer func() {
			if cerr := f.Close(); cerr != nil && err == nil {
				err = &FileError{Reason: reasonDamaged}
			}
		}()
	}
	if err != nil {
		if strings.Contains(err.Error(), "unzip size exceeds") { // excelize's text, not the domain's (it has no error value for this)
			return unzipTooLarge(lim)
		}
		return &FileError{Reason: reasonDamaged}
	}
	if err := verifyParts(f, r, size); err != nil {
		return err
	}
	sheets := f.GetSheetList()
	waited = true
	if err := checked(); err != nil {
		return err
	}
	rd.det = &Detection{Format: "xlsx", Sheets: sheets, Ignored: []string{}}
	if kind == kindXLSM {
		rd.det.Format = "xlsm"
	}
	if len(sheets) == 0 {
		return &FileError{Reason: "The workbook has no sheets."}
	}
	date1904 := false
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		date1904 = *p.Date1904
	}

	// Score each candidate sheet on its first rows only; then stream the
	// chosen one once.
	candidates := sheets
	if rd.opts.Sheet != "" {
		want := strings.ToLower(clean(rd.opts.Sheet))
		candidates = nil
		for _, s := range sheets {
			if strings.ToLower(clean(s)) == want {
				candidates = []string{s}
				break
			}
		}
		if candidates == nil {
			return fileErrorf("There is no sheet named %q in this workbook; its sheets are: %s.", rd.opts.Sheet, quoteList(sheets))
		}
	}
	var (
		best      headerPlan
		bestSheet string
		found     bool
	)
	for _, s := range candidates {
		hf := headerFinder{cm: rd.cm, d: rd.d}
		if err := scanSheet(f, s, &hf); err != nil {
			continue
		}
		if !hf.ok {
			rd.keepGuess(&hf, fmt.Sprintf("sheet %q", s))
		}
		hf.finish()
		rd.noted(&hf)
		if hf.ok && (!found || hf.best.better(best)) {
			best, bestSheet, found = hf.best, s, true
		}
	}
	if !found {
		if rd.opts.Sheet != "" {
			return rd.noHeaderIn(fmt.Sprintf("sheet %q", candidates[0]))
		}
		if len(sheets) == 1 {
			return rd.noHeaderIn(fmt.Sprintf("sheet %q", sheets[0]))
		}
		return rd.noHeaderIn("any sheet of this workbook")
	}
	if err := rd.start(bestSheet, best, date1904); err != nil {
		return err
	}
	return rd.streamSheet(f, bestSheet, best.lastRow)
}

// scanSheet shows the first headerScanRows rows of a sheet to hf.
func scanSheet(f *excelize.File, sheet string, hf *headerFinder) (err error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := rows.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	for n := 1; n <= headerScanRows && rows.Next(); n++ {
		cells, err := rows.Columns()
		if err != nil {
			return err
		}
		hf.add(n, cells)
	}
	return rows.Error()
}

func sheetDamaged(sheet string, row int) *FileError {
	if row > 0 {
		return fileErrorf("The sheet %q could not be read at row %d: the file appears to be damaged; open it in Excel, save it again and upload that.", sheet, row)
	}
	return fileErrorf("The sheet %q could not be read: the file appears to be damaged; open it in Excel, save it again and upload that.", sheet)
}

// verifyParts checks the worksheet and shared-strings parts excelize holds
// in memory against their zip checksums. excelize ignores read errors when
// it unpacks a part into memory, so a damaged or lying entry (one that
// inflates beyond its declared size: archive/zip stops it there) would
// otherwise come through as silently truncated rows. Parts excelize
// spooled to temporary files were checked by archive/zip on the way.
func verifyParts(f *excelize.File, r io.ReaderAt, size int64) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return &FileError{Reason: reasonDamaged}
	}
	for _, zf := range zr.File {
		name := strings.ReplaceAll(zf.Name, "\\", "/")
		lower := strings.ToLower(name)
		switch {
		case lower == "xl/sharedstrings.xml":
			name = "xl/sharedStrings.xml"
		case strings.HasPrefix(lower, "xl/worksheets/") && strings.HasSuffix(lower, ".xml"):
		default:
			continue
		}
		v, ok := f.Pkg.Load(name)
		if !ok {
			continue
		}
		b, ok := v.([]byte)
		if !ok {
			continue
		}
		if uint64(len(b)) != zf.UncompressedSize64 || crc32.ChecksumIEEE(b) != zf.CRC32 {
			return &FileError{Reason: reasonDamaged}
		}
	}
	return nil
}
