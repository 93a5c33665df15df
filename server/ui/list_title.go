package ui

import (
	"strings"
	"unicode"

	"github.com/muster-police/muster/training"
)

// listTitle says what a filtered officer list is: its heading ("Overdue
// for CSE recognition in Frontline Policing / Central West / CID — 11
// people") and the name its export files take ("overdue-cse-recognition-
// frontline-policing-central-west-cid-2026-11-24"). The heading and the
// file are built from the same filter, so a download says what it holds.
func listTitle(q officerQuery, courses []training.Course, today training.Date, n int) (heading, file string) {
	var words, slug []string
	subject := "Everyone"
	if q.Status != "" {
		subject = training.StatusLabel(q.Status)
		slug = append(slug, subject)
	}
	words = append(words, subject)
	if q.Course != "" {
		title := q.Course
		for _, c := range courses {
			if c.ID == q.Course {
				title = c.Title
			}
		}
		if q.Status != "" {
			words = append(words, "for "+title)
		} else {
			words = append(words, "on "+title)
		}
		slug = append(slug, title)
	}
	if q.Unit != "" {
		words = append(words, "in "+q.Unit)
		slug = append(slug, q.Unit)
	}
	if q.Q != "" {
		words = append(words, "matching “"+q.Q+"”")
		slug = append(slug, q.Q)
	}
	if !q.AsOf.IsZero() && q.AsOf != today {
		words = append(words, "as of "+q.AsOf.UK())
	}
	people := "people"
	if n == 1 {
		people = "person"
	}
	heading = strings.Join(words, " ") + " — " + formatCount(n) + " " + people
	if len(slug) == 0 {
		slug = []string{"officers"}
	}
	return heading, fileSlug(strings.Join(slug, " ")) + "-" + q.AsOf.String()
}

// fileSlug keeps letters and digits of s, lower case, with single dashes.
func fileSlug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	out := b.String()
	if len(out) > 100 {
		out = strings.TrimRight(out[:100], "-")
	}
	return out
}

// formatCount writes n with thousands separators (training.FormatCount).
func formatCount(n int) string { return training.FormatCount(n) }
