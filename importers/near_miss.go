package importers

// What to offer when no header row is recognised: the headers of the row
// that looks most like one, and for each the field it probably means,
// by edit distance between squashed wordings (headerKey) and the wordings
// of docs/ROSTERS.md (fieldHeaders). The person then chooses every
// column from the pick list; nothing is read on a guess.

import (
	"sort"
	"strconv"
)

// FoundHeader is one header of the row that looked most like a header
// row in a file whose header row was not recognised.
type FoundHeader struct {
	Letter string `json:"letter"`
	Header string `json:"header"`
	// Suggest is the mapping target the header probably means ("id",
	// "email", …; "" when none is close), SuggestLabel its words in the
	// pick list, and Near the known wording it is close to.
	Suggest      Field  `json:"suggest,omitempty"`
	SuggestLabel string `json:"suggest_label,omitempty"`
	Near         string `json:"near,omitempty"`
}

// guessedHeader is the row most like a header among the rows scanned.
type guessedHeader struct {
	where string // "sheet \"Roster\"" or "this file"
	row   int
	cells []string
}

// guess returns the scanned row with the most text cells (not numbers),
// the first of equals; ok is false when no row has two.
func (h *headerFinder) guess() (row int, cells []string, n int) {
	for _, r := range h.seen {
		c := 0
		for _, s := range r.cells {
			if s = clean(s); s != "" {
				if _, err := strconv.ParseFloat(s, 64); err != nil {
					c++
				}
			}
		}
		if c > n {
			row, cells, n = r.n, r.cells, c
		}
	}
	return row, cells, n
}

// keepGuess remembers h's likeliest header row if it beats the one kept.
func (rd *reader) keepGuess(h *headerFinder, where string) {
	row, cells, n := h.guess()
	if n < 2 {
		return
	}
	if rd.guess != nil {
		_, _, m := (&headerFinder{seen: []scannedRow{{rd.guess.row, rd.guess.cells}}}).guess()
		if m >= n {
			return
		}
	}
	rd.guess = &guessedHeader{where: where, row: row, cells: cells}
}

// foundHeaders lists the kept row's headers with their near misses.
func (g *guessedHeader) foundHeaders() []FoundHeader {
	var out []FoundHeader
	for i, s := range g.cells {
		s = clean(s)
		if s == "" {
			continue
		}
		fh := FoundHeader{Letter: columnLetter(i), Header: s}
		if f, near, ok := nearestField(s); ok {
			fh.Suggest, fh.SuggestLabel, fh.Near = f, fieldLabel(f), near
		}
		out = append(out, fh)
	}
	return out
}

// nearestField is the field whose known wording is closest to header,
// within an edit distance that grows with the header's length (1 up to
// 4 letters, 2 up to 9, then 3): "Warrent No" is "Warrant No".
func nearestField(header string) (Field, string, bool) {
	k := headerKey(withoutParens(header))
	if k == "" {
		return "", "", false
	}
	limit := 1
	switch {
	case len(k) >= 10:
		limit = 3
	case len(k) >= 5:
		limit = 2
	}
	fields := make([]Field, 0, len(fieldHeaders))
	for f := range fieldHeaders {
		fields = append(fields, f)
	}
	sort.Slice(fields, func(i, j int) bool { return fields[i] < fields[j] }) // the same answer every time
	best, bestNear, bestD := Field(""), "", limit+1
	for _, f := range fields {
		if _, ok := mappableLabel(f); !ok {
			continue
		}
		for _, w := range fieldHeaders[f] {
			if d := editDistance(k, headerKey(w)); d < bestD {
				best, bestNear, bestD = f, w, d
			}
		}
	}
	return best, bestNear, best != ""
}

// mappableLabel is a field's pick-list words, when a mapping may name it.
func mappableLabel(f Field) (string, bool) {
	for _, m := range mappable {
		if m.field == f {
			return m.label, true
		}
	}
	return "", false
}

// editDistance is the Levenshtein distance between a and b (bytes: the
// keys are lower-case letters and digits).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
