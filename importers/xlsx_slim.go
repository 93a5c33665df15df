package importers

// A workbook is read through a copy of its zip that holds only the parts a
// roster's cells live in. excelize unpacks every part it is given into
// memory (pictures, embedded files, printer settings, macros), so a small
// upload whose "image" inflates to gigabytes would otherwise cost that
// much memory before a single cell is read. The kept parts are copied
// still compressed (zip.Writer.CreateRaw): nothing is inflated here, and
// their checksums travel with them for verifyParts.

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
)

// neededPart reports whether a zip entry (lower-cased, forward slashes)
// is one the reader needs: the package's content types and relationships,
// the workbook, its relationships, the worksheets, the shared strings and
// the styles.
func neededPart(name string) bool {
	switch name {
	case "[content_types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
		"xl/sharedstrings.xml", "xl/styles.xml":
		return true
	}
	return strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml") &&
		!strings.Contains(name[len("xl/worksheets/"):], "/")
}

// otherPartsAllowed is how much the parts a roster does not need (themes,
// document properties, small pictures) may unpack to before they are
// left out of a copy: below it the workbook is read as it is, without
// the cost of copying it.
const otherPartsAllowed = 8 << 20

// unzipRatioFloor is how much the parts read may unpack to whatever the
// upload's size: below it the ratio is not looked at (docs/EXCELIZE.md).
const unzipRatioFloor = 64 << 20

// slimWorkbook returns the workbook in r, or a zip of its needed parts
// when the others would unpack to more than otherPartsAllowed, refusing
// one whose needed parts declare more than lim.MaxUnzipBytes unpacked
// (archive/zip stops a part that inflates past its declared size) or more
// than lim.MaxUnzipRatio times the upload, and one whose parts excelize
// parses as it opens the workbook break the byte budget. checked waits
// for the byte budget's scan of the other parts (startScan) and returns
// its error: the caller calls it before excelize reads a row.
func slimWorkbook(r io.ReaderAt, size int64, lim Limits) (_ io.ReaderAt, _ int64, checked func() error, err error) {
	r, size, checked, err = slimParts(r, size, lim)
	if err != nil && checked != nil {
		if serr := checked(); serr != nil {
			return nil, 0, nil, serr // the scan's error comes first, as it did when it ran first
		}
	}
	return r, size, checked, err
}

func slimParts(r io.ReaderAt, size int64, lim Limits) (io.ReaderAt, int64, func() error, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, 0, nil, &FileError{Reason: reasonDamaged}
	}
	var needed, other uint64
	for _, f := range zr.File {
		if neededPart(strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))) {
			needed += f.UncompressedSize64
		} else {
			other += f.UncompressedSize64
		}
	}
	if needed > uint64(lim.MaxUnzipBytes) {
		return nil, 0, nil, unzipTooLarge(lim)
	}
	if needed > unzipRatioFloor && needed/uint64(max(size, 1)) >= uint64(lim.MaxUnzipRatio) {
		return nil, 0, nil, fileErrorf("The workbook's sheets unpack to %s from a file of %s, more than %d times its size; a roster does not compress that far, so the file was not read. Save the data as .csv and upload that.",
			humanBytes(int64(needed)), humanBytes(size), lim.MaxUnzipRatio)
	}
	checked, err := startScan(zr)
	if err != nil {
		return nil, 0, nil, err
	}
	if other <= otherPartsAllowed {
		return r, size, checked, nil
	}
	var total uint64
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		if !neededPart(name) {
			continue
		}
		total += f.UncompressedSize64
		if total > uint64(lim.MaxUnzipBytes) {
			return nil, 0, checked, unzipTooLarge(lim)
		}
		hdr := f.FileHeader
		w, err := zw.CreateRaw(&hdr)
		if err != nil {
			return nil, 0, checked, &FileError{Reason: reasonDamaged}
		}
		raw, err := f.OpenRaw()
		if err != nil {
			return nil, 0, checked, &FileError{Reason: reasonDamaged}
		}
		if _, err := io.Copy(w, raw); err != nil {
			return nil, 0, checked, &FileError{Reason: reasonDamaged}
		}
	}
	if err := zw.Close(); err != nil {
		return nil, 0, checked, &FileError{Reason: reasonDamaged}
	}
	return bytes.NewReader(buf.Bytes()), int64(buf.Len()), checked, nil
}

// unzipTooLarge is the FileError for a workbook whose sheets unpack beyond the limit.
func unzipTooLarge(lim Limits) *FileError {
	return fileErrorf("The workbook's sheets unpack to more than %s, the most Muster accepts; remove unneeded sheets or formatting, or save the data as .csv.", humanBytes(lim.MaxUnzipBytes))
}
