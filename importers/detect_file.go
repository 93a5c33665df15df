package importers

// Telling file types apart by their first bytes, not their names: HR
// renames files freely, and a wrong guess must end in one clear sentence.

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"

	"github.com/richardlehane/mscfb"
)

type fileKind int

const (
	kindCSV fileKind = iota
	kindXLSX
	kindXLSM // an xlsx with macros: read the same way
)

var (
	magicZip   = []byte("PK\x03\x04")
	magicEmpty = []byte("PK\x05\x06")
	magicCFB   = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// Sentences for files that cannot be read.
const (
	reasonEmpty     = "The file is empty."
	reasonXLS       = "This is an old-style .xls workbook; open it in Excel and Save As .xlsx, then upload that."
	reasonEncrypted = "This workbook is password-protected; open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password), save it and upload it again."
	reasonNotBook   = "This is a zip archive, not an Excel workbook; upload the .xlsx or .csv file itself."
	reasonDamaged   = "The workbook could not be opened: it appears to be damaged; open it in Excel, save it again and upload that."
	reasonBinary    = "This file is not a spreadsheet; upload an .xlsx, .xlsm or .csv file."
)

// sniff decides how to read the file, or returns the FileError saying why
// it cannot be read.
func sniff(r io.ReaderAt, size int64, lim Limits) (fileKind, error) {
	if size <= 0 {
		return 0, &FileError{Reason: reasonEmpty}
	}
	if size > lim.MaxBytes {
		return 0, fileErrorf("The file is %s, larger than the %s Muster accepts; remove unneeded sheets or split it.", humanBytes(size), humanBytes(lim.MaxBytes))
	}
	head := make([]byte, min(size, 4096))
	n, err := r.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return 0, fileErrorf("The file could not be read.")
	}
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, magicZip) || bytes.HasPrefix(head, magicEmpty):
		return checkZip(r, size, lim)
	case bytes.HasPrefix(head, magicCFB):
		return 0, cfbError(r, size)
	}
	if what := imageKind(head); what != "" {
		return 0, fileErrorf("This file is %s, not a spreadsheet; upload the .xlsx or .csv file itself.", what)
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	lower := bytes.ToLower(trimmed[:min(len(trimmed), 512)])
	switch {
	case bytes.HasPrefix(lower, []byte("<html")) || bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<table")):
		return 0, &FileError{Reason: "This is a web page saved with a spreadsheet name; open it in Excel and Save As .xlsx, then upload that."}
	case bytes.HasPrefix(lower, []byte("<?xml")) && bytes.Contains(lower, []byte("urn:schemas-microsoft-com:office:spreadsheet")):
		return 0, &FileError{Reason: "This is an old Excel XML spreadsheet; open it in Excel and Save As .xlsx, then upload that."}
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")))) == 0 && size <= int64(len(head)) {
		return 0, &FileError{Reason: reasonEmpty}
	}
	if !isUTF16(head) && bytes.IndexByte(head, 0) >= 0 {
		return 0, &FileError{Reason: reasonBinary}
	}
	return kindCSV, nil
}

// imageKind names a picture or document format from its magic bytes.
func imageKind(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG")):
		return "a PNG image"
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "a JPEG image"
	case bytes.HasPrefix(b, []byte("GIF87a")) || bytes.HasPrefix(b, []byte("GIF89a")):
		return "a GIF image"
	case bytes.HasPrefix(b, []byte("%PDF")):
		return "a PDF document"
	case bytes.HasPrefix(b, []byte("BM")) && len(b) > 14 && b[6] == 0 && b[7] == 0:
		return "a BMP image"
	case len(b) >= 12 && bytes.Equal(b[:4], []byte("RIFF")) && bytes.Equal(b[8:12], []byte("WEBP")):
		return "a WebP image"
	case bytes.HasPrefix(b, []byte("II*\x00")) || bytes.HasPrefix(b, []byte("MM\x00*")):
		return "a TIFF image"
	case len(b) >= 12 && bytes.Equal(b[4:8], []byte("ftyp")) && (bytes.Equal(b[8:12], []byte("heic")) || bytes.Equal(b[8:12], []byte("heif")) || bytes.Equal(b[8:12], []byte("mif1"))):
		return "a HEIC photo"
	}
	return ""
}

// checkZip checks that a zip holds an Excel workbook (telling .xlsm by
// its macros) and that it does not unpack beyond the limit. The declared
// sizes are enforced by archive/zip while reading, so a lying header is
// cut off there (see verifyParts) rather than bloating.
func checkZip(r io.ReaderAt, size int64, lim Limits) (fileKind, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return 0, &FileError{Reason: reasonDamaged}
	}
	macros := false
	var total uint64
	workbook, word, ppt, ods, xlsb := false, false, false, false, false
	for _, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		if neededPart(name) {
			// Only the parts the reader unpacks count (slimWorkbook): pictures
			// and other parts are never inflated.
			total += f.UncompressedSize64
		}
		switch {
		case name == "xl/workbook.xml" || strings.HasSuffix(name, "/workbook.xml") || strings.HasPrefix(name, "xl/worksheets/"):
			workbook = true
		case name == "xl/vbaproject.bin":
			macros = true
		case name == "xl/workbook.bin":
			xlsb = true
		case strings.HasPrefix(name, "word/"):
			word = true
		case strings.HasPrefix(name, "ppt/"):
			ppt = true
		case name == "mimetype" || name == "content.xml":
			ods = true
		}
	}
	switch {
	case total > uint64(lim.MaxUnzipBytes):
		return 0, unzipTooLarge(lim)
	case workbook && macros:
		return kindXLSM, nil
	case workbook:
		return kindXLSX, nil
	case xlsb:
		return 0, &FileError{Reason: "This is a binary .xlsb workbook; open it in Excel and Save As .xlsx, then upload that."}
	case word:
		return 0, &FileError{Reason: "This is a Word document, not a spreadsheet; upload the .xlsx or .csv file itself."}
	case ppt:
		return 0, &FileError{Reason: "This is a PowerPoint presentation, not a spreadsheet; upload the .xlsx or .csv file itself."}
	case ods:
		return 0, &FileError{Reason: "This is an OpenDocument (.ods) spreadsheet; open it and Save As .xlsx, then upload that."}
	}
	return 0, &FileError{Reason: reasonNotBook}
}

// cfbError explains a Compound File: an encrypted (password-protected)
// OOXML workbook holds an "EncryptedPackage" stream; anything else is an
// old-style .xls (or another old Office file).
func cfbError(r io.ReaderAt, size int64) error {
	doc, err := mscfb.New(io.NewSectionReader(r, 0, size))
	if err != nil {
		return &FileError{Reason: reasonXLS}
	}
	word := false
	for i := 0; i < 10000; i++ {
		f, err := doc.Next()
		if err != nil {
			break
		}
		switch f.Name {
		case "EncryptedPackage", "EncryptionInfo":
			return &FileError{Reason: reasonEncrypted}
		case "WordDocument":
			word = true
		}
	}
	if word {
		return &FileError{Reason: "This is an old-style Word document, not a spreadsheet; upload the .xlsx or .csv file itself."}
	}
	return &FileError{Reason: reasonXLS}
}

func isUTF16(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF})
}

// humanBytes formats a size for a message: "50 MB", "1.5 KB".
func humanBytes(n int64) string {
	const unit = 1 << 10
	switch {
	case n >= 1<<30:
		return trimZero(float64(n)/(1<<30)) + " GB"
	case n >= 1<<20:
		return trimZero(float64(n)/(1<<20)) + " MB"
	case n >= unit:
		return trimZero(float64(n)/unit) + " KB"
	}
	return itoa(int(n)) + " bytes"
}
