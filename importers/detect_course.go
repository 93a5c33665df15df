package importers

// Which course a header or a course name means: whole words of a course's
// title or aliases, the longest match winning, a tie an error.

import (
	"strings"
	"unicode"

	"github.com/muster-police/muster/training"
)

// courseMatcher matches headers and course names to courses by whole words.
type courseMatcher struct {
	courses []training.Course
	phrases []coursePhrase
	cache   map[string]courseMatch // long layout repeats the same names
}

type coursePhrase struct {
	course int
	words  []string
}

type courseMatch struct {
	id        string
	ambiguous []string // titles of the courses tied for the best match
}

func newCourseMatcher(courses []training.Course) *courseMatcher {
	m := &courseMatcher{courses: courses, cache: make(map[string]courseMatch)}
	for i, c := range courses {
		for _, p := range append([]string{c.Title, c.ID}, c.Aliases...) {
			if w := words(p); len(w) > 0 {
				m.phrases = append(m.phrases, coursePhrase{course: i, words: w})
			}
		}
	}
	return m
}

// words splits s into lower-case words: letters and digits; everything
// else (spaces, hyphens, en dashes, brackets, punctuation) separates.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// match returns the course s names: the course whose title or alias
// occurs in s as whole consecutive words, the longest such phrase winning.
func (m *courseMatcher) match(s string) courseMatch {
	if r, ok := m.cache[s]; ok {
		return r
	}
	ws := words(s)
	best, bestLen := -1, 0
	var tied []int
	for _, p := range m.phrases {
		if len(p.words) < bestLen || !containsWords(ws, p.words) {
			continue
		}
		switch {
		case len(p.words) > bestLen:
			best, bestLen, tied = p.course, len(p.words), tied[:0]
		case p.course != best && !containsInt(tied, p.course):
			tied = append(tied, p.course)
		}
	}
	var r courseMatch
	switch {
	case best < 0:
	case len(tied) > 0:
		r.ambiguous = []string{m.courses[best].Title}
		for _, t := range tied {
			r.ambiguous = append(r.ambiguous, m.courses[t].Title)
		}
	default:
		r.id = m.courses[best].ID
	}
	if len(m.cache) < 10000 {
		m.cache[s] = r
	}
	return r
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func containsWords(hay, needle []string) bool {
	for i := 0; i+len(needle) <= len(hay); i++ {
		ok := true
		for j := range needle {
			if hay[i+j] != needle[j] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// title is the title of the course with that ID ("" when there is none).
func (m *courseMatcher) title(id string) string {
	for _, c := range m.courses {
		if c.ID == id {
			return c.Title
		}
	}
	return ""
}
