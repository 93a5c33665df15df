package sourcegen

import (
	"time"

	"github.com/muster-police/muster/training"
)

// Date and time forms of the sources (docs/sources.md). Moodle's userdate()
// drops the leading zero of %d and of %I ("fixday", "fixhour"); Go's "2"
// and "3" do the same.
const (
	// moodleShort is strftimedatetimeshort "%d/%m/%y, %H:%M": "7/08/23, 07:04".
	moodleShort = "2/01/06, 15:04"
	// moodleDayDateTime is strftimedaydatetime "%A, %d %B %Y, %I:%M %p":
	// "Monday, 7 August 2023, 7:04 AM".
	moodleDayDateTime = "Monday, 2 January 2006, 3:04 PM"
	// moodleISO is "%F %T": "2023-08-07 07:04:00".
	moodleISO = "2006-01-02 15:04:05"
	// totaraShortMonth is strfdateshortmonth "%d %b %Y": "7 Aug 2023".
	totaraShortMonth = "2 Jan 2006"
	// phpDMY is PHP date('d/m/Y'): "07/08/2023".
	phpDMY = "02/01/2006"
	// sapDate is SAP's DD.MM.YYYY user format: "07.08.2023".
	sapDate = "02.01.2006"
	// isoDate is YYYY-MM-DD.
	isoDate = "2006-01-02"
)

// civil formats a civil date with a Go layout ("" when unset).
func civil(d training.Date, layout string) string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format(layout)
}

// londonDate is the civil date of t in Europe/London (the time zone the
// downloading user sees, and the one Muster reads dates in).
func londonDate(t time.Time) training.Date { return training.DateOf(t) }
