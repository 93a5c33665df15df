package importers

// Status words: what a completion status or an employment status cell
// says. A word Muster does not know is never read as either answer: it is
// a cell error, listed, so that a new spelling in an export shows itself
// instead of silently recording nothing (docs/ROSTERS.md "Values",
// docs/sources.md for the words each system writes).

import (
	"strings"
	"unicode"
)

// statusKey folds a status for lookup: lower case, letters and digits
// only, at most 64 bytes ("Complete via RPL" = "completeviarpl").
func statusKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= 64 {
			break
		}
		switch {
		case r == '✓' || r == '✔' || r == '☑' || r == '✅':
			b.WriteString("tick")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// completionWords are the completion statuses Muster knows: true records a
// completion, false records nothing.
var completionWords = map[string]bool{
	// Done.
	"completed": true, "complete": true, "passed": true, "pass": true, "yes": true, "y": true,
	"tick": true, "done": true, "achieved": true,
	"completeviarpl": true, "completedviarpl": true, "rpl": true, // Totara: recognition of prior learning
	"completedachievedpassgrade": true, // Moodle activity completion
	// Not done ("" is a blank status cell).
	"": false, "inprogress": false, "notstarted": false, "notyetstarted": false, "notattempted": false,
	"failed": false, "fail": false, "no": false, "n": false, "incomplete": false, "notcomplete": false,
	"notcompleted": false, "notyetcompleted": false, "started": false, "booked": false, "enrolled": false,
	"assigned": false, "expired": false, "withdrawn": false, "cancelled": false,
	"completeddidnotachievepassgrade": false, // Moodle activity completion
}

// completionStatus reads a completion status cell: done says whether it
// records a completion, known whether Muster knows the word at all.
func completionStatus(s string) (done, known bool) {
	done, known = completionWords[statusKey(s)]
	return done, known
}

// employmentWords are the employment statuses Muster knows: true is a
// leaver, false is serving (counted in every figure).
var employmentWords = map[string]bool{
	"":       false, // a blank status: being on a roster means serving
	"leaver": true, "left": true, "withdrawn": true, "terminated": true, "retired": true, "retiree": true,
	"resigned": true, "dismissed": true, "deceased": true, "deleted": true, "former": true, "leaving": false,
	"active": false, "current": false, "serving": false, "employed": false, "suspended": false,
	"careerbreak": false, "maternityleave": false, "paternityleave": false, "parentalleave": false,
	"adoptionleave": false, "secondment": false, "seconded": false, "onsecondment": false, "sickleave": false,
	"longtermsick": false, "leaveofabsence": false, "onleave": false, "probation": false, "probationer": false,
	"inactive": false, // SAP: still employed, e.g. on long leave (docs/sources.md)
	"parttime": false, "fulltime": false, "temporary": false, "fixedterm": false,
}

// employmentStatus reads an employment status cell ("Active - Payroll
// Eligible" reads as its first word when the whole is not known).
func employmentStatus(s string) (leaver, known bool) {
	if leaver, known = employmentWords[statusKey(s)]; known {
		return leaver, true
	}
	leaver, known = employmentWords[statusKey(firstWord(s))]
	return leaver, known
}

// vocabulary holds the status words of a recognised source that the
// general lists do not have (or read otherwise); nil adds nothing.
type vocabulary struct {
	completion map[string]bool // statusKey -> records a completion
	employment map[string]bool // statusKey -> leaver
}

// doneWord is completionStatus with the source's words first.
func (v *vocabulary) doneWord(s string) (done, known bool) {
	if v != nil {
		if done, known = v.completion[statusKey(s)]; known {
			return done, true
		}
	}
	return completionStatus(s)
}

// leaverWord is employmentStatus with the source's words first.
func (v *vocabulary) leaverWord(s string) (leaver, known bool) {
	if v != nil {
		if leaver, known = v.employment[statusKey(s)]; known {
			return leaver, true
		}
	}
	return employmentStatus(s)
}
