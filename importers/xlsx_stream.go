package importers

// The chosen sheet is streamed by two goroutines: one runs excelize's
// reader (Rows.Next, Rows.Columns: XML decoding, most of a read's time,
// and the only work the raw read does) and hands the rows over in small
// batches; the caller's goroutine makes each row a Record (rd.row) as
// before, in the same order, with the same row numbers. On a machine with
// two cores the rows are parsed beside the reading instead of after it.
// Whatever stops the read (rd.row's error, excelize's, a panic in
// either) stops it at the same row as one goroutine would: the reader
// stops at the next batch and anything it read beyond that row is
// dropped.

import (
	"errors"

	"github.com/xuri/excelize/v2"
)

// A batch is at most streamBatchRows rows, or streamBatchBytes of cell
// text (a row of more goes alone): with streamQueue batches queued, one
// being filled and one being parsed, the rows read ahead take a few
// hundred kilobytes (at most four rows' worth for rows at the budget).
const (
	streamBatchRows  = 256
	streamBatchBytes = 256 << 10
	streamQueue      = 2
)

type sheetRow struct {
	n     int // 1-based row number in the sheet
	cells []string
}

// sheetBatch is rows read; the last one also carries how the read ended.
type sheetBatch struct {
	rows     []sheetRow
	bytes    int
	err      error // the read stopped here with this error
	panicked any   // excelize panicked here (re-raised by the caller)
	last     bool
}

// streamSheet passes every row below the header to rd.row.
func (rd *reader) streamSheet(f *excelize.File, sheet string, headerRow int) (err error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return &FileError{Reason: reasonDamaged}
	}
	batches := make(chan *sheetBatch, streamQueue)
	spare := make(chan *sheetBatch, streamQueue+2)
	stop := make(chan struct{})
	done := make(chan struct{})
	go readSheetRows(rows, sheet, headerRow, batches, spare, stop, done)
	defer func() {
		close(stop)
		<-done
		if cerr := rows.Close(); cerr != nil && err == nil {
			err = sheetDamaged(sheet, 0)
		}
	}()
	for b := range batches {
		for i, r := range b.rows {
			if err := rd.row(r.n, r.cells); err != nil {
				return err
			}
			b.rows[i].cells = nil
		}
		if b.panicked != nil {
			panic(b.panicked)
		}
		if b.last {
			return b.err
		}
		b.rows, b.bytes = b.rows[:0], 0
		select {
		case spare <- b:
		default:
		}
	}
	return nil
}

// readSheetRows is streamSheet's reading goroutine: it reads the rows
// below headerRow and sends them in batches until the sheet ends, the read
// fails or stop is closed; it closes done when it no longer touches rows.
func readSheetRows(rows *excelize.Rows, sheet string, headerRow int, batches chan<- *sheetBatch,
	spare <-chan *sheetBatch, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	b := &sheetBatch{}
	send := func() bool {
		select {
		case batches <- b:
		case <-stop:
			return false
		}
		select {
		case b = <-spare:
		default:
			b = &sheetBatch{rows: make([]sheetRow, 0, streamBatchRows)}
		}
		return true
	}
	defer func() {
		if v := recover(); v != nil {
			b.panicked, b.last = v, true
			send()
		}
	}()
	n := 0
	for rows.Next() {
		n++
		if n <= headerRow {
			continue
		}
		cells, err := rows.Columns()
		if err != nil {
			b.err, b.last = sheetDamaged(sheet, n), true
			send()
			return
		}
		b.rows = append(b.rows, sheetRow{n: n, cells: cells})
		for _, c := range cells {
			b.bytes += len(c) + 16
		}
		if len(b.rows) >= streamBatchRows || b.bytes >= streamBatchBytes {
			if !send() {
				return
			}
		}
	}
	if err := rows.Error(); err != nil {
		if errors.Is(err, excelize.ErrMaxRows) {
			b.err = fileErrorf("The sheet %q has more rows than Excel allows; the file is damaged.", sheet)
		} else {
			b.err = sheetDamaged(sheet, n)
		}
	}
	b.last = true
	send()
}
